// The mock's WeChat Pay v3: a client built on the package's `wxpay-wasm/v3` entry signs its
// requests (authorization) and checks every answer (verifySignature) and the callback
// (verifyNotify); node:crypto re-checks the mock's signatures and ciphertexts on its own, and
// a Python `cryptography` client (v3_client.py) talks to the mock without any of our code.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate, createDecipheriv, createPrivateKey, createPublicKey, createVerify } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import wx from 'wxpay-wasm';
import v3 from 'wxpay-wasm/v3';
import { APPID, MCH_ID, md5Sign, pythonCryptographySkip, readXml, startMock, waitFor } from './helpers.mjs';

const dir = mkdtempSync(join(tmpdir(), 'wxpay-v3mock-'));
const keysDir = join(dir, 'keys');
let mock;
let keys;
before(async () => {
  mock = await startMock(['--quiet', '--keys-dir', keysDir, '--time-scale', '0.001', '--refund-delay', '-1']);
  keys = {
    ...JSON.parse(readFileSync(join(keysDir, 'wechatpay.json'), 'utf8')),
    privateKey: readFileSync(join(keysDir, 'apiclient_key.pem'), 'utf8'),
    publicKey: readFileSync(join(keysDir, 'pub_key.pem'), 'utf8'),
  };
});
after(async () => {
  await mock?.stop();
  rmSync(dir, { recursive: true, force: true });
});

let seq = 0;
const uniq = (p) => `${p}${Date.now()}${seq++}`;

/** One v3 call the way a merchant makes it; `auth` overrides the Authorization options. */
async function v3call(method, url, body = '', { auth = {}, header } = {}) {
  const authorization =
    header !== undefined
      ? header
      : await v3.authorization({
          mchId: keys.mchid,
          serialNo: keys.serialNo,
          privateKey: keys.privateKey,
          method,
          url,
          body,
          ...auth,
        });
  const res = await fetch(`${mock.url}${url}`, {
    method,
    body: method === 'POST' ? body : undefined,
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      ...(authorization === null ? {} : { authorization }),
    },
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : undefined };
}

/** Every answer must verify, with our entry and independently with node:crypto. */
async function verified(r) {
  const v = await v3.verifySignature(r.text, r.headers, { publicKeys: { [keys.publicKeyId]: keys.publicKey } });
  assert.equal(v.serial, keys.publicKeyId);
  const message = `${r.headers.get('wechatpay-timestamp')}\n${r.headers.get('wechatpay-nonce')}\n${r.text}\n`;
  assert.ok(
    createVerify('RSA-SHA256').update(message).verify(keys.publicKey, r.headers.get('wechatpay-signature'), 'base64'),
    'node:crypto verifies the answer',
  );
  return r;
}

const order = (no, extra = {}) =>
  JSON.stringify({
    appid: keys.appid,
    mchid: keys.mchid,
    description: 'v3 test',
    out_trade_no: no,
    notify_url: 'http://127.0.0.1:9/notify',
    amount: { total: 100, currency: 'CNY' },
    payer: { openid: 'o-v3' },
    ...extra,
  });
const create = async (no, extra) => verified(await v3call('POST', '/v3/pay/transactions/jsapi', order(no, extra)));
const query = async (no) =>
  verified(await v3call('GET', `/v3/pay/transactions/out-trade-no/${no}?mchid=${keys.mchid}`));
const pay = (no) => fetch(`${mock.url}/_mock/orders/${no}/pay`, { method: 'POST' }).then((r) => r.json());

describe('v3 keys on disk', () => {
  test('the keys dir holds a PKCS#8 merchant key, the WeChat Pay public key and wechatpay.json', () => {
    const k = createPrivateKey(keys.privateKey);
    assert.equal(k.asymmetricKeyType, 'rsa');
    assert.equal(k.asymmetricKeyDetails.modulusLength, 2048);
    assert.match(keys.privateKey, /^-----BEGIN PRIVATE KEY-----/);
    assert.equal(createPublicKey(keys.publicKey).asymmetricKeyType, 'rsa');
    assert.match(keys.serialNo, /^[0-9A-F]{40}$/);
    assert.match(keys.publicKeyId, /^PUB_KEY_ID_/);
    assert.equal(Buffer.byteLength(keys.apiV3Key), 32);
    assert.match(
      keys.platformSerial,
      /^[0-9A-F]{40}$/,
      'the platform certificate serial, upper-case hex as WeChat writes it',
    );
    assert.equal(
      new X509Certificate(readFileSync(join(keysDir, 'platform_cert.pem'))).serialNumber.toUpperCase(),
      keys.platformSerial,
    );
    assert.equal(
      statSync(join(keysDir, 'apiclient_key.pem')).mode & 0o077,
      0,
      'the private key is not readable by others',
    );
  });

  test('a second mock on the same dir reuses the keys (a client configured once keeps working)', async () => {
    const before = readFileSync(join(keysDir, 'wechatpay.json'), 'utf8');
    const second = await startMock(['--quiet', '--keys-dir', keysDir]);
    try {
      assert.equal(readFileSync(join(keysDir, 'wechatpay.json'), 'utf8'), before);
      assert.ok(
        second.lines.some((l) => l.includes(`v3 keys in ${keysDir}`)),
        second.lines.join('\n'),
      );
      const saved = mock;
      mock = second;
      try {
        await create(uniq('reuse'));
      } finally {
        mock = saved;
      }
    } finally {
      await second.stop();
    }
  });

  test('with --state, v3 orders survive a restart (same keys dir, same answers)', async () => {
    const state = join(dir, 'state.json');
    const first = await startMock(['--quiet', '--keys-dir', keysDir, '--state', state]);
    const saved = mock;
    const no = uniq('st');
    try {
      mock = first;
      await create(no);
      await pay(no);
    } finally {
      mock = saved;
      await first.stop();
    }
    const second = await startMock(['--quiet', '--keys-dir', keysDir, '--state', state]);
    try {
      mock = second;
      const q = await query(no);
      assert.equal(q.json.trade_state, 'SUCCESS');
      assert.match(q.json.transaction_id, /^4200/);
    } finally {
      mock = saved;
      await second.stop();
    }
  });

  test('without --keys-dir it creates a folder and prints where', async () => {
    const m = await startMock(['--quiet']);
    try {
      const line = m.lines.find((l) => l.includes('v3 keys in '));
      const made = /v3 keys in (\S+)/.exec(line)[1];
      for (const f of ['apiclient_key.pem', 'pub_key.pem', 'wechatpay.json']) assert.ok(existsSync(join(made, f)), f);
      rmSync(made, { recursive: true, force: true });
    } finally {
      await m.stop();
    }
  });
});

describe('v3 orders against the mock', () => {
  test('create → prepay_id; the same request again → the same prepay_id; other content → 403 OUT_TRADE_NO_USED', async () => {
    const no = uniq('c');
    const r = await create(no);
    assert.equal(r.status, 200, r.text);
    assert.match(r.json.prepay_id, /^wx\d{10,}/);
    assert.equal((await create(no)).json.prepay_id, r.json.prepay_id);
    const other = await create(no, { amount: { total: 101, currency: 'CNY' } });
    assert.equal(other.status, 403);
    assert.equal(other.json.code, 'OUT_TRADE_NO_USED');
  });

  test('query NOTPAY, pay through the control interface, query SUCCESS by out_trade_no and by transaction_id', async () => {
    const no = uniq('q');
    await create(no);
    const unpaid = await query(no);
    assert.equal(unpaid.status, 200);
    assert.equal(unpaid.json.trade_state, 'NOTPAY');
    assert.equal(unpaid.json.transaction_id, undefined);
    await pay(no);
    const paid = await query(no);
    assert.equal(paid.json.trade_state, 'SUCCESS');
    assert.equal(paid.json.amount.total, 100);
    assert.equal(paid.json.amount.payer_total, 100);
    assert.equal(paid.json.payer.openid, 'o-v3');
    assert.match(paid.json.success_time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    const byId = await verified(
      await v3call('GET', `/v3/pay/transactions/id/${paid.json.transaction_id}?mchid=${keys.mchid}`),
    );
    assert.equal(byId.status, 200);
    assert.equal(byId.json.out_trade_no, no);
  });

  test('unknown order → 404 ORDER_NOT_EXIST (signed); a query without mchid → 400 PARAM_ERROR', async () => {
    const r = await query(uniq('none'));
    assert.equal(r.status, 404);
    assert.equal(r.json.code, 'ORDER_NOT_EXIST');
    assert.ok(r.json.message);
    const id = await verified(
      await v3call('GET', `/v3/pay/transactions/id/4200000000000000000000000000?mchid=${keys.mchid}`),
    );
    assert.equal(id.json.code, 'ORDER_NOT_EXIST');
    const noMchid = await verified(await v3call('GET', `/v3/pay/transactions/out-trade-no/x1234567`));
    assert.equal(noMchid.status, 400);
    assert.equal(noMchid.json.code, 'PARAM_ERROR');
    assert.equal(noMchid.json.detail.location, 'query');
  });

  test('close: 204 with an empty signed body; then CLOSED, a new order under that number → 400 ORDER_CLOSED; a paid order cannot be closed', async () => {
    const no = uniq('cl');
    await create(no);
    const closeBody = JSON.stringify({ mchid: keys.mchid });
    const r = await verified(await v3call('POST', `/v3/pay/transactions/out-trade-no/${no}/close`, closeBody));
    assert.equal(r.status, 204);
    assert.equal(r.text, '');
    assert.equal((await query(no)).json.trade_state, 'CLOSED');
    const again = await create(no);
    assert.equal(again.status, 400);
    assert.equal(again.json.code, 'ORDER_CLOSED');
    const paidNo = uniq('clp');
    await create(paidNo);
    await pay(paidNo);
    const paidClose = await verified(
      await v3call('POST', `/v3/pay/transactions/out-trade-no/${paidNo}/close`, closeBody),
    );
    assert.equal(paidClose.status, 400);
    assert.equal(paidClose.json.code, 'ORDERPAID');
    const missing = await verified(
      await v3call('POST', `/v3/pay/transactions/out-trade-no/${uniq('clm')}/close`, closeBody),
    );
    assert.equal(missing.json.code, 'ORDER_NOT_EXIST');
  });

  test('refund a paid order: PROCESSING, queryable, idempotent by out_refund_no; over-refund → 403 NOT_ENOUGH; refunds of unpaid / closed / unknown orders refused', async () => {
    const no = uniq('rf');
    await create(no);
    await pay(no);
    const rno = uniq('R');
    const body = (refund, outRefundNo = rno, extra = {}) =>
      JSON.stringify({
        out_trade_no: no,
        out_refund_no: outRefundNo,
        amount: { refund, total: 100, currency: 'CNY' },
        ...extra,
      });
    const r = await verified(await v3call('POST', '/v3/refund/domestic/refunds', body(60)));
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'PROCESSING');
    assert.equal(r.json.amount.refund, 60);
    assert.equal(r.json.out_trade_no, no);
    assert.equal(
      (await verified(await v3call('POST', '/v3/refund/domestic/refunds', body(60)))).json.refund_id,
      r.json.refund_id,
    );
    const q = await verified(await v3call('GET', `/v3/refund/domestic/refunds/${rno}`));
    assert.equal(q.json.refund_id, r.json.refund_id);
    assert.equal((await query(no)).json.trade_state, 'REFUND');
    const over = await verified(await v3call('POST', '/v3/refund/domestic/refunds', body(41, uniq('R'))));
    assert.equal(over.status, 403);
    assert.equal(over.json.code, 'NOT_ENOUGH');
    const wrongTotal = await verified(
      await v3call(
        'POST',
        '/v3/refund/domestic/refunds',
        JSON.stringify({
          out_trade_no: no,
          out_refund_no: uniq('R'),
          amount: { refund: 1, total: 99, currency: 'CNY' },
        }),
      ),
    );
    assert.equal(wrongTotal.json.code, 'PARAM_ERROR');
    assert.equal(wrongTotal.json.detail.field, '/amount/total');

    const unpaidNo = uniq('rfu');
    await create(unpaidNo);
    const unpaid = await verified(
      await v3call(
        'POST',
        '/v3/refund/domestic/refunds',
        JSON.stringify({
          out_trade_no: unpaidNo,
          out_refund_no: uniq('R'),
          amount: { refund: 1, total: 100, currency: 'CNY' },
        }),
      ),
    );
    assert.equal(unpaid.status, 400);
    assert.equal(unpaid.json.code, 'INVALID_REQUEST');
    await v3call('POST', `/v3/pay/transactions/out-trade-no/${unpaidNo}/close`, JSON.stringify({ mchid: keys.mchid }));
    const closed = await verified(
      await v3call(
        'POST',
        '/v3/refund/domestic/refunds',
        JSON.stringify({
          out_trade_no: unpaidNo,
          out_refund_no: uniq('R'),
          amount: { refund: 1, total: 100, currency: 'CNY' },
        }),
      ),
    );
    assert.equal(closed.json.code, 'ORDER_CLOSED');
    const unknown = await verified(
      await v3call(
        'POST',
        '/v3/refund/domestic/refunds',
        JSON.stringify({
          out_trade_no: uniq('nx'),
          out_refund_no: uniq('R'),
          amount: { refund: 1, total: 100, currency: 'CNY' },
        }),
      ),
    );
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.code, 'RESOURCE_NOT_EXISTS');
    const noRefund = await verified(await v3call('GET', `/v3/refund/domestic/refunds/${uniq('nx')}`));
    assert.equal(noRefund.status, 404);
  });

  test('bodies are validated: 400 PARAM_ERROR with detail naming the field', async () => {
    const cases = [
      [order(uniq('p'), { amount: { total: 0, currency: 'CNY' } }), '/amount/total'],
      [order(uniq('p'), { amount: { total: '100', currency: 'CNY' } }), '/amount/total'],
      [order(uniq('p'), { payer: {} }), '/payer/openid'],
      [order(uniq('p'), { notify_url: 'http://x/?a=1' }), '/notify_url'],
      [order('no!', {}), '/out_trade_no'],
      [JSON.stringify({ appid: keys.appid }), '/mchid'],
    ];
    for (const [body, field] of cases) {
      const r = await verified(await v3call('POST', '/v3/pay/transactions/jsapi', body));
      assert.equal(r.status, 400, body);
      assert.equal(r.json.code, 'PARAM_ERROR', body);
      assert.equal(r.json.detail.field, field, body);
      assert.equal(r.json.detail.location, 'body');
    }
    const notJson = await verified(await v3call('POST', '/v3/pay/transactions/jsapi', '{"appid":'));
    assert.equal(notJson.json.code, 'PARAM_ERROR');
    const otherMch = await verified(
      await v3call('POST', '/v3/pay/transactions/jsapi', order(uniq('p'), { appid: 'wx0000000000000000' })),
    );
    assert.equal(otherMch.json.code, 'APPID_MCHID_NOT_MATCH');
    // The entry's own error reader understands the mock's error bodies.
    const e = await v3.parseErrorResponse(otherMch.status, otherMch.text);
    assert.equal(e.errCode, 'APPID_MCHID_NOT_MATCH');
    assert.equal(e.httpStatus, '400', 'the entry declares httpStatus as a string');
  });
});

describe('v2 and v3 on one port', () => {
  const v2 = async (path, fields) => {
    const f = { appid: APPID, mch_id: MCH_ID, nonce_str: 'n0nce', ...fields };
    f.sign = md5Sign(f);
    const res = await fetch(`${mock.url}${path}`, { method: 'POST', body: wx.toXml(f) });
    return readXml(await res.text());
  };

  test('a v3 order is not a v2 one: orderquery says ORDERNOTEXIST, unifiedorder with its number OUT_TRADE_NO_USED, and v3 refuses a v2 number', async () => {
    const no = uniq('mix');
    await create(no);
    await pay(no);
    assert.equal((await v2('/pay/orderquery', { out_trade_no: no })).err_code, 'ORDERNOTEXIST');
    assert.equal((await v2('/pay/closeorder', { out_trade_no: no })).err_code, 'ORDERNOTEXIST');
    const uo = {
      body: 'x',
      out_trade_no: no,
      total_fee: '100',
      spbill_create_ip: '127.0.0.1',
      notify_url: 'http://127.0.0.1:9/n',
      trade_type: 'JSAPI',
      openid: 'o1',
    };
    assert.notEqual(
      (await v2('/pay/unifiedorder', uo)).result_code,
      'SUCCESS',
      'a v2 order cannot take over a v3 number',
    );
    assert.equal((await query(no)).json.trade_state, 'SUCCESS', 'the v3 order is untouched');
    const v2no = uniq('mix2');
    assert.equal((await v2('/pay/unifiedorder', { ...uo, out_trade_no: v2no })).result_code, 'SUCCESS');
    const r = await create(v2no);
    assert.equal(r.status, 403);
    assert.equal(r.json.code, 'OUT_TRADE_NO_USED');
    assert.equal((await query(v2no)).json.code, 'ORDER_NOT_EXIST', 'v3 queries see v3 orders only');
  });
});

describe('v3 Authorization: what WeChat refuses with 401 SIGN_ERROR', () => {
  const url = () => `/v3/pay/transactions/out-trade-no/${uniq('a')}?mchid=${keys.mchid}`;
  const refused = async (r) => {
    await verified(r);
    assert.equal(r.status, 401, r.text);
    assert.equal(r.json.code, 'SIGN_ERROR');
    assert.ok(r.json.message.length > 10, r.json.message);
    return r;
  };

  test('a signature over another body is refused; the body it was made for is accepted', async () => {
    const no = uniq('s');
    const signedFor = order(no);
    const header = await v3.authorization({
      mchId: keys.mchid,
      serialNo: keys.serialNo,
      privateKey: keys.privateKey,
      method: 'POST',
      url: '/v3/pay/transactions/jsapi',
      body: signedFor,
    });
    await refused(
      await v3call('POST', '/v3/pay/transactions/jsapi', order(no, { description: 'changed' }), { header }),
    );
    assert.equal(
      (await verified(await v3call('POST', '/v3/pay/transactions/jsapi', signedFor, { header }))).status,
      200,
    );
    assert.equal(
      (await query(no)).json.trade_state,
      'NOTPAY',
      'the refused request created nothing: the order exists from the accepted one',
    );
  });

  test('another key, an unknown serial, another mchid, a stale or future timestamp, another URL or method, no header, a malformed header', async () => {
    const { privateKey: otherKey } = await import('node:crypto').then((c) =>
      c.generateKeyPairSync('rsa', {
        modulusLength: 2048,
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' },
      }),
    );
    const now = Math.floor(Date.now() / 1000);
    await refused(await v3call('GET', url(), '', { auth: { privateKey: otherKey } }));
    const serial = await refused(await v3call('GET', url(), '', { auth: { serialNo: '0'.repeat(40) } }));
    assert.match(serial.json.message, /serial/i);
    await refused(await v3call('GET', url(), '', { auth: { mchId: '1900000999' } }));
    const stale = await refused(await v3call('GET', url(), '', { auth: { timestamp: now - 301 - 60 } }));
    assert.match(stale.json.message, /timestamp/);
    await refused(await v3call('GET', url(), '', { auth: { timestamp: now + 400 } }));
    const signedUrl = url();
    const header = await v3.authorization({
      mchId: keys.mchid,
      serialNo: keys.serialNo,
      privateKey: keys.privateKey,
      method: 'GET',
      url: signedUrl,
    });
    await refused(await v3call('GET', `${signedUrl}&x=1`, '', { header }));
    await refused(await v3call('POST', signedUrl.replace(/\?.*/, '/close'), '', { header }));
    await refused(await v3call('GET', url(), '', { header: null }));
    await refused(await v3call('GET', url(), '', { header: 'WECHATPAY2-SHA256-RSA2048 mchid=1900000109' }));
    await refused(await v3call('GET', url(), '', { header: `Bearer ${'x'.repeat(20)}` }));
  });

  test('a timestamp 4 minutes off is still inside the window', async () => {
    const r = await verified(
      await v3call('GET', url(), '', { auth: { timestamp: Math.floor(Date.now() / 1000) - 240 } }),
    );
    assert.equal(r.status, 404, 'accepted: the order is just unknown');
    assert.equal(r.json.code, 'ORDER_NOT_EXIST');
  });
});

describe('v3 TRANSACTION.SUCCESS callback', () => {
  let shop;
  const received = [];
  let failFirst = 0;
  before(async () => {
    shop = createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        received.push({ url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        if (failFirst > 0) {
          failFirst--;
          res.writeHead(500, { 'content-type': 'application/json' });
          return res.end('{"code":"FAIL","message":"busy"}');
        }
        res.writeHead(204);
        res.end();
      });
    });
    await new Promise((r) => shop.listen(0, '127.0.0.1', r));
  });
  after(
    () =>
      new Promise((r) => {
        shop.closeAllConnections?.();
        shop.close(r);
      }),
  );
  const notifyUrl = () => `http://127.0.0.1:${shop.address().port}/wxpay/v3/notify`;

  test('paying posts a signed, encrypted callback; retried until 204; verifyNotify accepts it and refuses a tampered copy', async () => {
    const no = uniq('n');
    await create(no, { notify_url: notifyUrl(), attach: 'cart=7' });
    failFirst = 2;
    const start = received.length;
    await pay(no);
    await waitFor(async () => {
      const o = await fetch(`${mock.url}/_mock/orders/${no}`).then((r) => r.json());
      return o.notify_state === 'acknowledged';
    }, 'the callback to be acknowledged');
    const mine = received.slice(start).filter((r) => r.url === '/wxpay/v3/notify');
    assert.equal(mine.length, 3, 'two 500s then a 204: three attempts');
    const ids = new Set(mine.map((m) => JSON.parse(m.body).id));
    assert.equal(ids.size, 1, 'retries carry the same notification id');
    const last = mine.at(-1);
    assert.equal(last.headers['wechatpay-serial'], keys.publicKeyId);

    const publicKeys = { [keys.publicKeyId]: keys.publicKey };
    const n = await v3.verifyNotify(last.body, last.headers, {
      apiV3Key: keys.apiV3Key,
      publicKeys,
      mchId: keys.mchid,
      appid: keys.appid,
      outTradeNo: no,
      total: 100,
    });
    assert.equal(n.event_type, 'TRANSACTION.SUCCESS');
    assert.equal(n.paid, true);
    assert.equal(n.resource.out_trade_no, no);
    assert.equal(n.resource.attach, 'cart=7');
    assert.equal(n.resource.transaction_id, (await query(no)).json.transaction_id);

    // Independently: the signature with node:crypto, the resource with node:crypto's AES-256-GCM.
    const h = last.headers;
    assert.ok(
      createVerify('RSA-SHA256')
        .update(`${h['wechatpay-timestamp']}\n${h['wechatpay-nonce']}\n${last.body}\n`)
        .verify(keys.publicKey, h['wechatpay-signature'], 'base64'),
    );
    const res = JSON.parse(last.body).resource;
    const ct = Buffer.from(res.ciphertext, 'base64');
    const d = createDecipheriv('aes-256-gcm', Buffer.from(keys.apiV3Key), Buffer.from(res.nonce));
    d.setAAD(Buffer.from(res.associated_data));
    d.setAuthTag(ct.subarray(-16));
    const plain = JSON.parse(Buffer.concat([d.update(ct.subarray(0, -16)), d.final()]).toString('utf8'));
    assert.equal(plain.trade_state, 'SUCCESS');
    assert.equal(plain.amount.total, 100);

    // Each attempt is signed afresh (WeChat re-signs retries), so no two signatures repeat.
    assert.equal(new Set(mine.map((m) => m.headers['wechatpay-nonce'])).size, mine.length);

    const tampered = last.body.replace('"TRANSACTION.SUCCESS"', '"TRANSACTION.SUCCESS" ');
    await assert.rejects(
      v3.verifyNotify(tampered, last.headers, { apiV3Key: keys.apiV3Key, publicKeys }),
      (e) => e instanceof v3.WxPayError && /SIGN/.test(e.code),
    );
    await assert.rejects(
      v3.verifyNotify(last.body, last.headers, { apiV3Key: keys.apiV3Key, publicKeys, total: 101 }),
      (e) => e instanceof v3.WxPayError,
    );
  });

  test('a refund with notify_url: after --refund-delay it is SUCCESS and REFUND.SUCCESS is posted; verifyNotify accepts it', async () => {
    const second = await startMock(['--quiet', '--keys-dir', keysDir, '--time-scale', '0.001', '--refund-delay', '1']);
    const saved = mock;
    mock = second;
    try {
      const no = uniq('nr');
      await create(no);
      await fetch(`${mock.url}/_mock/orders/${no}/pay`, { method: 'POST', body: '{"notify":false}' });
      const rno = uniq('RN');
      const r = await verified(
        await v3call(
          'POST',
          '/v3/refund/domestic/refunds',
          JSON.stringify({
            out_trade_no: no,
            out_refund_no: rno,
            notify_url: `${notifyUrl()}/refund`,
            amount: { refund: 30, total: 100, currency: 'CNY' },
          }),
        ),
      );
      assert.equal(r.json.status, 'PROCESSING');
      await waitFor(
        async () =>
          (await fetch(`${mock.url}/_mock/refunds/${rno}`).then((x) => x.json())).notify_state === 'acknowledged',
        'the refund callback',
      );
      const q = await verified(await v3call('GET', `/v3/refund/domestic/refunds/${rno}`));
      assert.equal(q.json.status, 'SUCCESS');
      assert.match(q.json.success_time, /\+08:00$/);
      const got = received.filter((x) => x.url === '/wxpay/v3/notify/refund');
      assert.equal(got.length, 1);
      const publicKeys = { [keys.publicKeyId]: keys.publicKey };
      const n = await v3.verifyNotify(got[0].body, got[0].headers, {
        apiV3Key: keys.apiV3Key,
        publicKeys,
        mchId: keys.mchid,
        outTradeNo: no,
      });
      assert.equal(n.event_type, 'REFUND.SUCCESS');
      assert.equal(n.paid, false, 'a refund callback is not a payment');
      assert.equal(n.resource.refund_status, 'SUCCESS');
      assert.equal(n.resource.out_refund_no, rno);
      assert.equal(n.resource.amount.refund, 30);
      assert.equal(JSON.parse(got[0].body).resource.associated_data, 'refund');
    } finally {
      mock = saved;
      await second.stop();
    }
  });

  test('mock notify on a v3 order: once and duplicate verify; forged, tampered and stale are refused by verifyNotify', async () => {
    const publicKeys = { [keys.publicKeyId]: keys.publicKey };
    const check = (r) => v3.verifyNotify(r.body, r.headers, { apiV3Key: keys.apiV3Key, publicKeys });
    const send = async (no, kind, extra = {}) => {
      const start = received.length;
      const r = await fetch(`${mock.url}/_mock/orders/${no}/notify`, {
        method: 'POST',
        body: JSON.stringify({ kind, ...extra }),
      });
      assert.equal(r.status, 200, await r.clone().text());
      const body = await r.json();
      assert.ok(
        body.replies.every((x) => x.ok),
        'the handler answered 204',
      );
      return received.slice(start);
    };
    const paidNo = uniq('nk');
    await create(paidNo, { notify_url: notifyUrl() });
    await fetch(`${mock.url}/_mock/orders/${paidNo}/pay`, { method: 'POST', body: '{"notify":false}' });
    const [once] = await send(paidNo, 'once');
    assert.equal((await check(once)).resource.out_trade_no, paidNo);
    const dup = await send(paidNo, 'duplicate', { count: 3 });
    assert.equal(dup.length, 3);
    for (const d of dup) assert.equal((await check(d)).paid, true);

    const unpaidNo = uniq('nka');
    await create(unpaidNo, { notify_url: notifyUrl() });
    for (const [kind, code] of [
      ['forged', /SIGN_MISMATCH/],
      ['tampered', /SIGN_MISMATCH/],
      ['stale', /TIMESTAMP_SKEW/],
    ]) {
      const [got] = await send(unpaidNo, kind);
      assert.equal(JSON.parse(got.body.replace('"支付成功 "', '"支付成功"')).event_type, 'TRANSACTION.SUCCESS', kind);
      await assert.rejects(check(got), (e) => e instanceof v3.WxPayError && code.test(e.code), kind);
    }
    assert.equal((await query(unpaidNo)).json.trade_state, 'NOTPAY', 'an attack pays nothing');
    const refused = await fetch(`${mock.url}/_mock/orders/${unpaidNo}/notify`, {
      method: 'POST',
      body: '{"kind":"once"}',
    });
    assert.equal(refused.status, 409, 'a genuine callback needs a payment');
  });

  test('a failed v3 payment is PAYERROR and posts nothing (WeChat notifies TRANSACTION.SUCCESS only); a v2-only kind is refused', async () => {
    const no = uniq('nf');
    await create(no, { notify_url: notifyUrl() });
    const start = received.length;
    const r = await fetch(`${mock.url}/_mock/orders/${no}/fail`, { method: 'POST' });
    assert.equal(r.status, 200);
    assert.equal((await query(no)).json.trade_state, 'PAYERROR');
    const bad = await fetch(`${mock.url}/_mock/orders/${no}/notify`, { method: 'POST', body: '{"kind":"delayed"}' });
    assert.equal(bad.status, 400);
    await new Promise((res) => setTimeout(res, 200));
    assert.equal(received.length, start, 'no callback, no v2 notification');
  });
});

describe('an independent v3 client: Python cryptography', () => {
  const script = fileURLToPath(new URL('./v3_client.py', import.meta.url));
  const skip = pythonCryptographySkip();

  test("signs requests with apiclient_key.pem and verifies the mock's answers with pub_key.pem", { skip }, () => {
    const r = spawnSync('python3', [script, mock.url, keysDir, uniq('py')], { encoding: 'utf8', timeout: 60000 });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1));
    assert.equal(out.create, 200);
    assert.match(out.prepay_id, /^wx/);
    assert.equal(out.query, 200);
    assert.equal(out.trade_state, 'NOTPAY');
    assert.equal(out.bad_signature, 401);
    assert.equal(out.bad_code, 'SIGN_ERROR');
    assert.equal(out.verified, 3, 'the script verified three answers with the WeChat Pay public key');
    assert.equal(out.tampered_refused, true);
  });
});
