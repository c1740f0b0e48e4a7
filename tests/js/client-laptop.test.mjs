// Issue 26: the first hour on a laptop and a mini-program's last step.
// - A v3 client whose baseUrl is loopback (the mock, http://127.0.0.1:9080) sends a loopback
//   http:// notify_url; any other client, and any other http:// host, is refused before a
//   request leaves. The raw builders take the same rule as `{ allowLoopbackHttp: true }`.
// - client.requestPaymentParams(prepayId), v2 and v3, with the keys the client holds; the
//   paySign is checked with node:crypto from WeChat's documented rule, not with the package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createHash,
  createHmac,
  createSign,
  createVerify,
  generateKeyPairSync,
  randomBytes,
  X509Certificate,
} from 'node:crypto';

import wx from '../../pkg/node/index.mjs';
import wx3 from '../../pkg/v3/node/index.mjs';
import { makePki } from './support/tls.mjs';

const API_V3_KEY = 'abcdefghijklmnopqrstuvwxyz012345';
const pki = makePki();
const PLATFORM = {
  pem: pki.serverCert,
  key: pki.serverKey,
  serial: new X509Certificate(pki.serverCert).serialNumber.toUpperCase(),
};
const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const APPID = 'wxd930ea5d5a258f4f';
const MCHID = '1900000109';
const ORDER = { description: 'd', out_trade_no: 'T20261207001', amount: { total: 100 }, payer: { openid: 'o1' } };
const REFUND = {
  out_trade_no: ORDER.out_trade_no,
  out_refund_no: 'R20261207001',
  amount: { refund: 100, total: 100, currency: 'CNY' },
};

/** A 200 answer signed by the platform certificate's key (node:crypto). */
function signed(json) {
  const body = JSON.stringify(json);
  const ts = Math.floor(Date.now() / 1000);
  const nonce = randomBytes(8).toString('hex');
  const sig = createSign('RSA-SHA256').update(`${ts}\n${nonce}\n${body}\n`).sign(PLATFORM.key, 'base64');
  return new Response(body, {
    status: 200,
    headers: {
      'wechatpay-timestamp': String(ts),
      'wechatpay-nonce': nonce,
      'wechatpay-signature': sig,
      'wechatpay-serial': PLATFORM.serial,
    },
  });
}

/** A v3 client over a scripted fetch recording each request (URL and body). */
function client(extra = {}) {
  const sent = [];
  const c = wx3.createClient({
    appid: APPID,
    mchId: MCHID,
    serialNo: '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C',
    apiV3Key: API_V3_KEY,
    privateKey: merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }),
    publicKeys: { [PLATFORM.serial]: PLATFORM.pem },
    fetch: async (url, init) => {
      sent.push({ url, body: init.body === undefined ? '' : String(init.body) });
      return new URL(url).pathname.includes('refund')
        ? signed({ out_refund_no: REFUND.out_refund_no, status: 'PROCESSING' })
        : signed({ prepay_id: 'wx1' });
    },
    backoffMs: 1,
    retries: 0,
    ...extra,
  });
  return { c, sent };
}

const LOOPBACK_NOTIFY = [
  'http://127.0.0.1:3000/notify',
  'http://127.9.8.7/n',
  'http://localhost:3000/wxpay/notify',
  'http://[::1]:3000/n',
];
// Each is refused even by a loopback client. Several of them a WHATWG URL parser reads as
// loopback (127.1, 0x7f.0.0.1, 2130706433, LOCALHOST, [0:0:0:0:0:0:0:1]) or as loopback
// with userinfo; the rule takes one spelling only, so no parser can disagree about the host.
const HOSTILE_NOTIFY = [
  'http://m.example/n',
  'http://10.0.0.1/n',
  'http://127.0.0.1.evil.com/n',
  'http://127.0.0.1.nip.io/n',
  'http://localhost.evil.com/n',
  'http://localhost@evil.com/n',
  'http://evil.com@127.0.0.1/n',
  'http://u:p@localhost/n',
  'http://127.0.0.1:80@evil.com/n',
  'http://127.0.0.1\\@evil.com/n',
  'http://[::1]x/n',
  'http://[::1].evil.com/n',
  'http://[0:0:0:0:0:0:0:1]/n',
  'http://[::ffff:127.0.0.1]/n',
  'http://127.1/n',
  'http://2130706433/n',
  'http://0x7f.0.0.1/n',
  'http://0177.0.0.1/n',
  'http://127.0.0.256/n',
  'http://LOCALHOST/n',
  'http://localhost./n',
  'http://%6c%6f%63%61%6c%68%6f%73%74/n',
  'http://127.0.0.1:/n',
  'http://127.0.0.1:0/n',
  'http://127.0.0.1:65536/n',
  'http://127.0.0.1/n?a=1',
  'http://127.0.0.1/n#f',
  'http:///n',
];

test('a v3 client whose baseUrl is loopback sends a loopback http:// notify_url (jsapi and refund), to the loopback base URL', async () => {
  for (const baseUrl of [
    'http://127.0.0.1:9080',
    'http://localhost:9080',
    'http://[::1]:9080',
    'https://127.0.0.1:9443',
    'http://127.1:9080',
  ]) {
    for (const notify of LOOPBACK_NOTIFY) {
      const { c, sent } = client({ baseUrl });
      assert.equal((await c.jsapi({ ...ORDER, notify_url: notify })).prepay_id, 'wx1', `${baseUrl} ${notify}`);
      assert.equal((await c.refund({ ...REFUND, notify_url: notify })).status, 'PROCESSING', `${baseUrl} ${notify}`);
      assert.deepEqual(
        sent.map((s) => JSON.parse(s.body).notify_url),
        [notify, notify],
      );
      assert.ok(
        sent.every((s) => s.url.startsWith(new URL(baseUrl).origin)),
        sent[0].url,
      );
    }
  }
});

test('a loopback v3 client still refuses an http:// notify_url on any other host (INVALID_FIELD notify_url, nothing sent)', async () => {
  const { c, sent } = client({ baseUrl: 'http://127.0.0.1:9080' });
  for (const notify of HOSTILE_NOTIFY) {
    await assert.rejects(
      c.jsapi({ ...ORDER, notify_url: notify }),
      { code: 'INVALID_FIELD', field: 'notify_url' },
      notify,
    );
    await assert.rejects(
      c.refund({ ...REFUND, notify_url: notify }),
      { code: 'INVALID_FIELD', field: 'notify_url' },
      notify,
    );
  }
  assert.equal(sent.length, 0);
  // And after them, a good call goes through.
  assert.equal((await c.jsapi({ ...ORDER, notify_url: 'https://m.example/n' })).prepay_id, 'wx1');
});

test('a v3 client whose baseUrl is not loopback refuses even a loopback http:// notify_url, naming allowLoopbackHttp', async () => {
  for (const baseUrl of [
    undefined,
    'https://api.mch.weixin.qq.com',
    'http://10.0.0.5:9080',
    'http://127.0.0.1.nip.io:9080',
    'http://localhost.evil.com',
    'http://[::2]:9080',
  ]) {
    const { c, sent } = client(baseUrl === undefined ? {} : { baseUrl });
    for (const notify of LOOPBACK_NOTIFY) {
      await assert.rejects(
        c.jsapi({ ...ORDER, notify_url: notify }),
        (e) => e.code === 'INVALID_FIELD' && e.field === 'notify_url' && /allowLoopbackHttp/.test(e.message),
        `${baseUrl} ${notify}`,
      );
      await assert.rejects(
        c.refund({ ...REFUND, notify_url: notify }),
        { code: 'INVALID_FIELD', field: 'notify_url' },
        `${baseUrl} ${notify}`,
      );
    }
    assert.equal(sent.length, 0, String(baseUrl));
    assert.equal((await c.jsapi({ ...ORDER, notify_url: 'https://m.example/n' })).prepay_id, 'wx1');
  }
});

test('raw builders: { allowLoopbackHttp: true } on buildJsapiOrder and buildRefund; without it, or false, refused; the option is checked', async () => {
  const order = { ...ORDER, appid: APPID, mchid: MCHID, notify_url: 'http://127.0.0.1:3000/notify' };
  const refund = { ...REFUND, notify_url: 'http://localhost:3000/refund' };
  assert.equal(
    JSON.parse((await wx3.buildJsapiOrder(order, { allowLoopbackHttp: true })).body).notify_url,
    order.notify_url,
  );
  assert.equal(
    JSON.parse((await wx3.buildRefund(refund, { allowLoopbackHttp: true })).body).notify_url,
    refund.notify_url,
  );
  for (const opts of [[], [{}], [{ allowLoopbackHttp: false }]]) {
    await assert.rejects(wx3.buildJsapiOrder(order, ...opts), { code: 'INVALID_FIELD', field: 'notify_url' });
    await assert.rejects(wx3.buildRefund(refund, ...opts), { code: 'INVALID_FIELD', field: 'notify_url' });
  }
  for (const notify of HOSTILE_NOTIFY) {
    await assert.rejects(
      wx3.buildJsapiOrder({ ...order, notify_url: notify }, { allowLoopbackHttp: true }),
      { code: 'INVALID_FIELD', field: 'notify_url' },
      notify,
    );
  }
  await assert.rejects(
    wx3.buildJsapiOrder(order, { allowLoopBackHttp: true }),
    (e) => e.code === 'INVALID_PARAM' && /did you mean "allowLoopbackHttp"/.test(e.message),
  );
  await assert.rejects(wx3.buildRefund(refund, { allowLoopbackHttp: 'yes' }), {
    code: 'INVALID_PARAM',
    field: 'allowLoopbackHttp',
  });
  await assert.rejects(wx3.buildRefund(refund, null), { code: 'INVALID_PARAM' });
  // https is as before, with or without the option.
  assert.ok(await wx3.buildJsapiOrder({ ...order, notify_url: 'https://m.example/n' }, { allowLoopbackHttp: true }));
  assert.ok(await wx3.buildJsapiOrder({ ...order, notify_url: 'https://m.example/n' }));
});

test('v3 client.requestPaymentParams: appid and merchant key from the client; paySign verifies with node:crypto', async () => {
  const { c, sent } = client();
  const prepayId = 'wx26112221580621e9b071c00d9e093b0000';
  const p = await c.requestPaymentParams(prepayId);
  assert.deepEqual(Object.keys(p), ['appId', 'timeStamp', 'nonceStr', 'package', 'signType', 'paySign']);
  assert.equal(p.appId, APPID);
  assert.equal(p.package, `prepay_id=${prepayId}`);
  assert.equal(p.signType, 'RSA');
  assert.ok(Math.abs(Number(p.timeStamp) - Date.now() / 1000) < 300, p.timeStamp);
  assert.ok(p.nonceStr.length > 0 && p.nonceStr.length <= 32);
  const ok = createVerify('RSA-SHA256')
    .update(`${p.appId}\n${p.timeStamp}\n${p.nonceStr}\n${p.package}\n`)
    .verify(merchant.publicKey, p.paySign, 'base64');
  assert.ok(ok, 'paySign is RSA-SHA256 by the merchant key over appId\\ntimeStamp\\nnonceStr\\npackage\\n');
  assert.notEqual((await c.requestPaymentParams(prepayId)).nonceStr, p.nonceStr, 'a fresh nonce per call');
  for (const bad of ['', undefined, 42])
    await assert.rejects(c.requestPaymentParams(bad), { code: 'INVALID_PARAM', field: 'prepayId' });
  assert.equal(sent.length, 0, 'no request: it is computed locally');
});

test("v2 client.requestPaymentParams: appid, key and sign type from the client; paySign by WeChat's rule with node:crypto", () => {
  const KEY = '192006250b4c09247ec02edce69f6a2d';
  const prepayId = 'wx201410272009395522657a690389285100';
  for (const signType of [undefined, 'MD5', 'HMAC-SHA256']) {
    const c = wx.createClient({
      appid: APPID,
      mchId: MCHID,
      key: KEY,
      fetch: () => {
        throw new Error('no request expected');
      },
      ...(signType ? { signType } : {}),
    });
    const p = c.requestPaymentParams(prepayId);
    assert.deepEqual(Object.keys(p), ['appId', 'timeStamp', 'nonceStr', 'package', 'signType', 'paySign']);
    assert.equal(p.appId, APPID);
    assert.equal(p.package, `prepay_id=${prepayId}`);
    assert.equal(p.signType, signType ?? 'MD5');
    // WeChat's rule: the five fields sorted by name as key=value joined by &, then &key=KEY;
    // MD5, or HMAC-SHA256 keyed by KEY; upper-case hex.
    const s = `appId=${p.appId}&nonceStr=${p.nonceStr}&package=${p.package}&signType=${p.signType}&timeStamp=${p.timeStamp}&key=${KEY}`;
    const want =
      p.signType === 'MD5'
        ? createHash('md5').update(s).digest('hex').toUpperCase()
        : createHmac('sha256', KEY).update(s).digest('hex').toUpperCase();
    assert.equal(p.paySign, want, String(signType));
    assert.ok(!JSON.stringify(p).includes(KEY), 'the key is not in the result');
    assert.throws(() => c.requestPaymentParams(''), { code: 'INVALID_PARAM', field: 'prepayId' });
  }
});
