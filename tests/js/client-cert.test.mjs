// The v2 client's TLS client certificate (issue 13): refund against an HTTPS server of the
// test's own that demands a certificate signed by a CA the test made (openssl CLI,
// support/tls.mjs), presented as PEM and as PKCS#12; a certificate from another CA is
// refused by the server; no certificate at all is CLIENT_CERT_UNAVAILABLE before any
// network call. The server's replies are signed with node:crypto MD5, not the package.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:https';
import { createHash } from 'node:crypto';

import wx from '../../pkg/node/index.mjs';
import { makePki } from './support/tls.mjs';

const KEY = '192006250b4c09247ec02edce69f6a2d';
const MERCHANT = { appid: 'wxd930ea5d5a258f4f', mchId: '1900000109' };
const REFUND = { out_trade_no: 'T20261203001', out_refund_no: 'R20261203001', total_fee: 100, refund_fee: 30 };

const refSign = (f) =>
  createHash('md5')
    .update(
      `${Object.keys(f)
        .sort()
        .map((k) => `${k}=${f[k]}`)
        .join('&')}&key=${KEY}`,
    )
    .digest('hex')
    .toUpperCase();
const xmlOf = (f) =>
  `<xml>${Object.entries(f)
    .map(([k, v]) => `<${k}><![CDATA[${v}]]></${k}>`)
    .join('')}</xml>`;

const pki = makePki();
const seen = []; // the CN of every client certificate the server accepted, per request
let connections = 0;
const server = createServer(
  { key: pki.serverKey, cert: pki.serverCert, ca: pki.ca, requestCert: true, rejectUnauthorized: true },
  (req, res) => {
    const peer = req.socket.getPeerCertificate();
    seen.push({ path: req.url, cn: peer.subject?.CN });
    req.resume();
    req.on('end', () => {
      const f = {
        return_code: 'SUCCESS',
        return_msg: 'OK',
        appid: MERCHANT.appid,
        mch_id: MERCHANT.mchId,
        nonce_str: 'n0nce',
        result_code: 'SUCCESS',
        out_trade_no: REFUND.out_trade_no,
        out_refund_no: REFUND.out_refund_no,
        refund_id: '50000000000000000000000001',
        refund_fee: '30',
        total_fee: '100',
        cash_fee: '100',
      };
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(xmlOf({ ...f, sign: refSign(f) }));
    });
  },
);
server.on('secureConnection', () => {
  connections++;
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const baseUrl = `https://127.0.0.1:${server.address().port}`;
after(() => {
  server.closeAllConnections();
  server.close();
});

test('refund with a PEM client certificate: the server sees the merchant certificate', async () => {
  const client = wx.createClient({
    ...MERCHANT,
    key: KEY,
    baseUrl,
    cert: pki.clientCert,
    certKey: pki.clientKey,
    ca: pki.ca,
    retries: 0,
  });
  try {
    const before = seen.length;
    const r = await client.refund(REFUND);
    assert.equal(r.refund_id, '50000000000000000000000001');
    assert.deepEqual(seen.slice(before), [{ path: '/secapi/pay/refund', cn: '1900000109' }]);
  } finally {
    client.close();
  }
});

test('refund with a PKCS#12 client certificate and its passphrase', async () => {
  const client = wx.createClient({
    ...MERCHANT,
    key: KEY,
    baseUrl,
    pfx: pki.clientP12,
    passphrase: pki.p12Passphrase,
    ca: pki.ca,
    retries: 0,
  });
  try {
    const before = seen.length;
    assert.equal((await client.refund(REFUND)).out_refund_no, REFUND.out_refund_no);
    assert.deepEqual(
      seen.slice(before).map((s) => s.cn),
      ['1900000109'],
    );
  } finally {
    client.close();
  }
});

test('a certificate from another CA is refused by the server: NETWORK_ERROR, outcome unresolved, nothing accepted', async () => {
  const client = wx.createClient({
    ...MERCHANT,
    key: KEY,
    baseUrl,
    cert: pki.rogueCert,
    certKey: pki.rogueKey,
    ca: pki.ca,
    retries: 1,
    backoffMs: 1,
  });
  try {
    const before = seen.length;
    await assert.rejects(client.refund(REFUND), (e) => {
      assert.ok(e instanceof wx.WxPayError);
      assert.equal(e.code, 'NETWORK_ERROR');
      assert.equal(e.retryable, true);
      assert.doesNotMatch(e.message, /PRIVATE KEY|BEGIN|192006250b/);
      return true;
    });
    assert.equal(seen.length, before, 'no request reached the handler');
  } finally {
    client.close();
  }
});

test('no client certificate: CLIENT_CERT_UNAVAILABLE before any network call', async () => {
  let fetched = 0;
  const client = wx.createClient({
    ...MERCHANT,
    key: KEY,
    baseUrl,
    fetch: () => {
      fetched++;
      throw new Error('no network in this test');
    },
  });
  const before = connections;
  await assert.rejects(client.refund(REFUND), (e) => {
    assert.equal(e.code, 'CLIENT_CERT_UNAVAILABLE');
    assert.match(e.message, /cert.*certKey|pfx/);
    return true;
  });
  assert.equal(fetched, 0);
  assert.equal(connections, before);
  // APIs that need no certificate still go out (through the given fetch).
  await assert.rejects(client.orderQuery({ out_trade_no: 'T1' }), (e) => e.code === 'NETWORK_ERROR');
  assert.ok(fetched >= 1);
});

test('bad certificate material is refused at createClient, without quoting it', () => {
  assert.throws(
    () => wx.createClient({ ...MERCHANT, key: KEY, pfx: pki.clientP12, passphrase: 'wrong' }),
    (e) => {
      assert.equal(e.code, 'INVALID_PARAM');
      assert.equal(e.field, 'pfx');
      assert.ok(!e.message.includes('wrong'));
      return true;
    },
  );
  assert.throws(
    () => wx.createClient({ ...MERCHANT, key: KEY, cert: pki.clientCert, certKey: pki.rogueKey }),
    (e) => e.code === 'INVALID_PARAM' && !e.message.includes('BEGIN'),
  );
  assert.throws(
    () => wx.createClient({ ...MERCHANT, key: KEY, cert: pki.clientCert }),
    (e) => e.code === 'INVALID_PARAM' && e.field === 'certKey',
  );
  assert.throws(
    () => wx.createClient({ ...MERCHANT, key: KEY, cert: pki.clientCert, certKey: pki.clientKey, pfx: pki.clientP12 }),
    (e) => e.code === 'INVALID_PARAM',
  );
  // After bad input the next good call works.
  wx.createClient({ ...MERCHANT, key: KEY, cert: pki.clientCert, certKey: pki.clientKey }).close();
});
