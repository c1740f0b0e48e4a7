// createClient (v2 and v3, issue 13) in every runtime: the client takes a custom `fetch`,
// so here a scripted one plays WeChat, with no network and nothing runtime-specific. The
// WeChat side is independent of the package: v2 requests are checked and replies signed
// with reference.mjs's `referenceSign`; v3 Authorization headers are verified and answers
// signed with crypto.subtle and the keys of tests/fixtures/v3/generated.json.
import { assert } from '../harness.mjs';
import { GENERATED as G, fieldsOf, fromBase64, parseAuthorization, referenceSign, rsaVerify } from './reference.mjs';

const KEY = '192006250b4c09247ec02edce69f6a2d';
const M = { appid: 'wxd930ea5d5a258f4f', mch_id: '1900000109' };
const ORDER = {
  body: 'b',
  out_trade_no: 'RT20261203001',
  total_fee: 100,
  spbill_create_ip: '127.0.0.1',
  notify_url: 'https://m.example/n',
  trade_type: 'JSAPI',
  openid: 'o1',
};
const decode = (b) => (typeof b === 'string' ? b : new TextDecoder().decode(b));
const xmlOf = (f) =>
  `<xml>${Object.entries(f)
    .map(([k, v]) => `<${k}><![CDATA[${v}]]></${k}>`)
    .join('')}</xml>`;
/** A v2 reply signed by the reference (with `key`, the merchant's unless told otherwise). */
const reply = (fields, key = KEY) => {
  const f = { return_code: 'SUCCESS', return_msg: 'OK', ...M, nonce_str: 'rtnonce', result_code: 'SUCCESS', ...fields };
  return xmlOf({ ...f, sign: referenceSign(f, key) });
};
const netDown = () => {
  throw new TypeError('fetch failed');
};

/**
 * A fetch answering from `script` (one entry per call: a reply string, or a function of the
 * request's fields that returns one or throws). Every request's XML must carry the client's
 * appid/mch_id and a sign the reference computes: what does not is recorded in `problems`
 * (an assertion thrown inside fetch would reach the client as a network error, and be
 * retried), which `verified()` requires empty.
 */
function scriptedV2(script) {
  const calls = [];
  const problems = [];
  const fetch = async (url, init) => {
    const body = decode(init.body);
    const fields = fieldsOf({ xml: body });
    calls.push({ path: new URL(url).pathname, body, fields });
    const signType = fields.sign_type === 'HMAC-SHA256' ? 'HMAC-SHA256' : 'MD5';
    if (fields.appid !== M.appid || fields.mch_id !== M.mch_id)
      problems.push(`${url}: appid/mch_id ${fields.appid}/${fields.mch_id}`);
    if (fields.sign !== referenceSign(fields, KEY, signType))
      problems.push(`${url}: the request's sign is not WeChat's rule`);
    const next = script.shift();
    if (next === undefined) throw new Error(`unexpected call ${url}`);
    const text = typeof next === 'function' ? next(fields, init) : next;
    return new Response(text, { status: 200, headers: { 'content-type': 'text/xml' } });
  };
  return { fetch, calls, problems, verified: () => assert.deepEqual(problems, [], 'every request as WeChat requires') };
}
const v2Client = (wx, fetch, extra = {}) =>
  wx.createClient({ appid: M.appid, mchId: M.mch_id, key: KEY, fetch, backoffMs: 0, ...extra });

// ---------------------------------------------------------------- v3 WeChat side

const K = G.keys;
const MERCHANT_SERIAL = G.certificates.merchant.serial;
const PUB_ID = G.pub_key_id;
const JSAPI = {
  description: 'd',
  out_trade_no: 'RT20261203002',
  notify_url: 'https://m.example/n',
  amount: { total: 100 },
  payer: { openid: 'o1' },
};
const derOf = (pem) => fromBase64(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''));
const b64 = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)));
let wechatKey = null;
/** The WeChat Pay public-key private key of the fixture (keys.pubkey), imported once. */
const wechatSigner = () =>
  (wechatKey ??= crypto.subtle.importKey(
    'pkcs8',
    derOf(K.pubkey.private_pkcs8),
    { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    false,
    ['sign'],
  ));

/** A signed v3 answer: Wechatpay-* headers over `TS\nNONCE\nBODY\n`; `tamper` changes the body after signing; `ageSeconds` backdates it. */
async function signedAnswer(status, json, { serial = PUB_ID, tamper, ageSeconds = 0 } = {}) {
  const body = JSON.stringify(json);
  const ts = String(Math.floor(Date.now() / 1000) - ageSeconds);
  const nonce = b64(crypto.getRandomValues(new Uint8Array(12))).replace(/[^A-Za-z0-9]/g, '');
  const sig = b64(
    await crypto.subtle.sign(
      'RSASSA-PKCS1-v1_5',
      await wechatSigner(),
      new TextEncoder().encode(`${ts}\n${nonce}\n${body}\n`),
    ),
  );
  return new Response(tamper ? tamper(body) : body, {
    status,
    headers: {
      'content-type': 'application/json',
      'wechatpay-timestamp': ts,
      'wechatpay-nonce': nonce,
      'wechatpay-signature': sig,
      'wechatpay-serial': serial,
    },
  });
}

/** A fetch that checks each request's Authorization with crypto.subtle and the merchant public key (failures into `problems`, as for v2), then answers from `script`. */
function scriptedV3(script) {
  const calls = [];
  const problems = [];
  const fetch = async (url, init) => {
    const u = new URL(url);
    const auth = new Headers(init.headers).get('authorization');
    const a = parseAuthorization(auth);
    const body = init.body === undefined ? '' : decode(init.body);
    calls.push({
      method: init.method,
      path: u.pathname,
      body,
      auth,
      url: `${u.pathname}${u.search}`,
      serial: new Headers(init.headers).get('wechatpay-serial'),
    });
    if (a.mchid !== G.mchid || a.serial_no !== MERCHANT_SERIAL)
      problems.push(`${url}: mchid/serial_no ${a.mchid}/${a.serial_no}`);
    if (!(Math.abs(Number(a.timestamp) - Date.now() / 1000) < 300))
      problems.push(`${url}: the Authorization timestamp ${a.timestamp} is not now`);
    const message = `${init.method}\n${u.pathname}${u.search}\n${a.timestamp}\n${a.nonce_str}\n${body}\n`;
    if (!(await rsaVerify(K.merchant.public_spki, message, a.signature)))
      problems.push(`${url}: the Authorization does not verify with the merchant public key`);
    const next = script.shift();
    if (next === undefined) throw new Error(`unexpected call ${url}`);
    return next({ method: init.method, path: u.pathname, body });
  };
  return { fetch, calls, verified: () => assert.deepEqual(problems, [], 'every Authorization as WeChat requires') };
}
const v3Client = (v3, fetch, extra = {}) =>
  v3.createClient({
    appid: M.appid,
    mchId: G.mchid,
    serialNo: MERCHANT_SERIAL,
    privateKey: K.merchant.private_pkcs8,
    apiV3Key: G.api_v3_key,
    publicKeys: { [PUB_ID]: K.pubkey.public_spki },
    fetch,
    backoffMs: 0,
    ...extra,
  });

export default function client(test, { wx, v3 }) {
  // ------------------------------------------------------------ v2

  test("v2 unifiedOrder and orderQuery: requests signed by WeChat's rule, signed replies returned field for field", async () => {
    const prepay = { prepay_id: 'wx201412101630480281750c890475924233', trade_type: 'JSAPI' };
    const paid = {
      out_trade_no: ORDER.out_trade_no,
      trade_state: 'SUCCESS',
      transaction_id: '4200000001202612030000000001',
      total_fee: '100',
    };
    const s = scriptedV2([reply(prepay), reply(paid)]);
    const c = v2Client(wx, s.fetch);
    const r = await c.unifiedOrder(ORDER);
    assert.equal(r.prepay_id, prepay.prepay_id);
    assert.equal(r.trade_type, 'JSAPI');
    const q = await c.orderQuery({ out_trade_no: ORDER.out_trade_no });
    for (const [k, v] of Object.entries(paid)) assert.equal(q[k], v, k);
    assert.deepEqual(
      s.calls.map((x) => x.path),
      ['/pay/unifiedorder', '/pay/orderquery'],
    );
    assert.equal(s.calls[0].fields.out_trade_no, ORDER.out_trade_no);
    assert.equal(s.calls[0].fields.total_fee, '100');
    assert.equal(s.calls[1].fields.out_trade_no, ORDER.out_trade_no);
    assert.notEqual(s.calls[0].fields.nonce_str, s.calls[1].fields.nonce_str, 'a nonce per request');
    s.verified();
  });

  test('v2: a reply with a wrong sign is refused (SIGN_MISMATCH), not retried; the next good call works', async () => {
    const s = scriptedV2([
      reply({ out_trade_no: ORDER.out_trade_no, trade_state: 'SUCCESS' }, 'ffffffffffffffffffffffffffffffff'),
      reply({ out_trade_no: ORDER.out_trade_no, trade_state: 'NOTPAY' }),
    ]);
    const c = v2Client(wx, s.fetch);
    await assert.rejects(c.orderQuery({ out_trade_no: ORDER.out_trade_no }), { code: 'SIGN_MISMATCH' });
    assert.equal(s.calls.length, 1);
    assert.equal((await c.orderQuery({ out_trade_no: ORDER.out_trade_no })).trade_state, 'NOTPAY');
    s.verified();
  });

  test('v2: SYSTEMERROR then a good reply: retried with the same request body', async () => {
    const fail = reply({ result_code: 'FAIL', err_code: 'SYSTEMERROR', err_code_des: 'busy' });
    const s = scriptedV2([fail, reply({ prepay_id: 'wx2', trade_type: 'JSAPI' })]);
    assert.equal((await v2Client(wx, s.fetch).unifiedOrder(ORDER)).prepay_id, 'wx2');
    assert.equal(s.calls.length, 2);
    assert.equal(s.calls[0].body, s.calls[1].body, 'byte for byte the same body');
    s.verified();
  });

  test('v2 orderQuery: a network error is retried; retries exhausted → NETWORK_ERROR, retryable', async () => {
    const s = scriptedV2([netDown, reply({ out_trade_no: ORDER.out_trade_no, trade_state: 'NOTPAY' })]);
    assert.equal((await v2Client(wx, s.fetch).orderQuery({ out_trade_no: ORDER.out_trade_no })).trade_state, 'NOTPAY');
    assert.equal(s.calls.length, 2);
    assert.equal(s.calls[0].body, s.calls[1].body);
    const d = scriptedV2([netDown, netDown]);
    await assert.rejects(
      v2Client(wx, d.fetch, { retries: 1 }).orderQuery({ out_trade_no: ORDER.out_trade_no }),
      (e) => e.code === 'NETWORK_ERROR' && e.retryable === true && !e.message.includes(KEY),
    );
    assert.equal(d.calls.length, 2, 'retries + 1 attempts');
    s.verified();
    d.verified();
  });

  test('v2: a fetch that never answers is aborted after timeoutMs → TIMEOUT', async () => {
    let aborted = false;
    const calls = [];
    const hang = (url, init) => {
      calls.push(url);
      return new Promise((_, reject) => {
        init.signal.addEventListener('abort', () => {
          aborted = true;
          reject(new DOMException('aborted', 'AbortError'));
        });
      });
    };
    const started = Date.now();
    await assert.rejects(
      v2Client(wx, hang, { timeoutMs: 30, retries: 0 }).orderQuery({ out_trade_no: ORDER.out_trade_no }),
      (e) => e.code === 'TIMEOUT' && e.retryable === true,
    );
    assert.ok(aborted, 'the signal given to fetch was aborted');
    assert.equal(calls.length, 1);
    assert.ok(Date.now() - started < 5000, 'aborted at the timeout, not at the default');
  });

  test('v2 createClient: an unknown option is refused with its code; no fetch is made', () => {
    let called = false;
    assert.throws(
      () =>
        v2Client(
          wx,
          () => {
            called = true;
          },
          { timeOutMs: 10 },
        ),
      (e) => e.code === 'INVALID_PARAM' && /timeOutMs/.test(e.message),
    );
    assert.throws(() => v2Client(wx, 'not a function'), { code: 'INVALID_PARAM', field: 'fetch' });
    assert.equal(called, false);
  });

  test('v2 refund without a client certificate: CLIENT_CERT_UNAVAILABLE before any fetch', async () => {
    // transport.js refuses a certificate API when no cert is configured, in every runtime
    // (Node could present one through node:https, but only if it is given).
    const s = scriptedV2([]);
    const c = v2Client(wx, s.fetch);
    await assert.rejects(
      c.refund({ out_trade_no: ORDER.out_trade_no, out_refund_no: 'RR20261203001', total_fee: 100, refund_fee: 10 }),
      (e) => e.code === 'CLIENT_CERT_UNAVAILABLE' && /cert/.test(e.message),
    );
    assert.equal(s.calls.length, 0);
  });

  test('v2 refund with a client certificate where fetch cannot present it: CLIENT_CERT_UNAVAILABLE before any fetch', async (t) => {
    // Where node:https exists (Node, and runtimes emulating it) the client presents the
    // certificate through it, to a real host: tests/js/client-cert.test.mjs covers that
    // against a local TLS server.
    let nodeHttps = null;
    try {
      nodeHttps = globalThis.process?.getBuiltinModule?.('node:https') ?? null;
    } catch {
      /* none */
    }
    if (nodeHttps)
      return t.skip(
        'this runtime has node:https, through which the client presents the certificate (tests/js/client-cert.test.mjs)',
      );
    const s = scriptedV2([]);
    const c = v2Client(wx, s.fetch, { cert: G.certificates.merchant.pem, certKey: K.merchant.private_pkcs8 });
    await assert.rejects(
      c.refund({ out_trade_no: ORDER.out_trade_no, out_refund_no: 'RR20261203002', total_fee: 100, refund_fee: 10 }),
      (e) => e.code === 'CLIENT_CERT_UNAVAILABLE' && /node:https/.test(e.message),
    );
    assert.equal(s.calls.length, 0);
  });

  // ------------------------------------------------------------ v3

  test('v3 jsapi and queryByOutTradeNo: Authorization verified with crypto.subtle; signed answers verified and returned', async () => {
    const order = {
      appid: M.appid,
      mchid: G.mchid,
      out_trade_no: JSAPI.out_trade_no,
      transaction_id: '4200000002202612030000000002',
      trade_state: 'SUCCESS',
      amount: { total: 100, payer_total: 100, currency: 'CNY' },
    };
    const s = scriptedV3([
      () => signedAnswer(200, { prepay_id: 'wx26112221580621e9b071c00d9e093b0000' }),
      () => signedAnswer(200, order),
    ]);
    const c = v3Client(v3, s.fetch);
    assert.deepEqual(await c.jsapi(JSAPI), { prepay_id: 'wx26112221580621e9b071c00d9e093b0000' });
    assert.deepEqual(await c.queryByOutTradeNo(JSAPI.out_trade_no), order);
    assert.deepEqual(
      s.calls.map((x) => `${x.method} ${x.path}`),
      ['POST /v3/pay/transactions/jsapi', `GET /v3/pay/transactions/out-trade-no/${JSAPI.out_trade_no}`],
    );
    assert.deepEqual(JSON.parse(s.calls[0].body), { ...JSAPI, appid: M.appid, mchid: G.mchid });
    assert.equal(s.calls[1].body, '');
    s.verified();
  });

  test('v3: a tampered answer body is refused (SIGN_MISMATCH), not retried; the next good call works', async () => {
    const s = scriptedV3([
      () => signedAnswer(200, { prepay_id: 'wx1' }, { tamper: () => '{"prepay_id":"wx_evil"}' }),
      () => signedAnswer(200, { prepay_id: 'wx3' }),
    ]);
    const c = v3Client(v3, s.fetch);
    await assert.rejects(c.jsapi(JSAPI), { code: 'SIGN_MISMATCH' });
    assert.equal(s.calls.length, 1);
    assert.equal((await c.jsapi(JSAPI)).prepay_id, 'wx3');
    s.verified();
  });

  test('v3: an answer under an unknown Wechatpay-Serial is refused (UNKNOWN_SERIAL)', async () => {
    const s = scriptedV3([
      () =>
        signedAnswer(
          200,
          { out_trade_no: JSAPI.out_trade_no, trade_state: 'NOTPAY' },
          { serial: 'PUB_KEY_ID_0114232134912410000000000000009999' },
        ),
    ]);
    await assert.rejects(v3Client(v3, s.fetch).queryByOutTradeNo(JSAPI.out_trade_no), { code: 'UNKNOWN_SERIAL' });
    assert.equal(s.calls.length, 1);
    s.verified();
  });

  test('v3: a signed 500 SYSTEM_ERROR then a good answer: retried with the same body and a fresh Authorization', async () => {
    const s = scriptedV3([
      () => signedAnswer(500, { code: 'SYSTEM_ERROR', message: 'busy' }),
      () => signedAnswer(200, { prepay_id: 'wx4' }),
    ]);
    assert.equal((await v3Client(v3, s.fetch).jsapi(JSAPI)).prepay_id, 'wx4');
    assert.equal(s.calls.length, 2);
    assert.equal(s.calls[0].body, s.calls[1].body, 'byte for byte the same body');
    assert.notEqual(s.calls[0].auth, s.calls[1].auth, 'a new nonce and signature per attempt');
    s.verified();
  });

  test('v3 queryByOutTradeNo: a network error is retried; a never-answering fetch → TIMEOUT', async () => {
    const s = scriptedV3([
      netDown,
      () => signedAnswer(200, { out_trade_no: JSAPI.out_trade_no, trade_state: 'NOTPAY' }),
    ]);
    assert.equal((await v3Client(v3, s.fetch).queryByOutTradeNo(JSAPI.out_trade_no)).trade_state, 'NOTPAY');
    assert.equal(s.calls.length, 2);
    s.verified();
    let aborted = false;
    const hang = (_url, init) =>
      new Promise((_, reject) => {
        init.signal.addEventListener('abort', () => {
          aborted = true;
          reject(new DOMException('aborted', 'AbortError'));
        });
      });
    await assert.rejects(
      v3Client(v3, hang, { timeoutMs: 30, retries: 0 }).queryByOutTradeNo(JSAPI.out_trade_no),
      (e) => e.code === 'TIMEOUT' && e.retryable === true,
    );
    assert.ok(aborted, 'the signal given to fetch was aborted');
  });

  test('v3: an answer signed 10 minutes ago is refused (a replay), though its signature verifies', async () => {
    const s = scriptedV3([
      () => signedAnswer(200, { out_trade_no: JSAPI.out_trade_no, trade_state: 'NOTPAY' }, { ageSeconds: 600 }),
    ]);
    await assert.rejects(v3Client(v3, s.fetch).queryByOutTradeNo(JSAPI.out_trade_no), { code: 'TIMESTAMP_SKEW' });
    assert.equal(s.calls.length, 1);
    s.verified();
  });

  test('v3 createClient: an unknown option is refused with its code', () => {
    assert.throws(
      () => v3Client(v3, () => {}, { mchID: '1' }),
      (e) => e.code === 'INVALID_PARAM' && /mchID/.test(e.message),
    );
  });

  // ------------------------------------------------------------ mini-program, laptop (issue 26)

  test("v2 client.requestPaymentParams: the client's appid, key and sign type; paySign by WeChat's rule (reference MD5 / HMAC-SHA256)", () => {
    for (const signType of ['MD5', 'HMAC-SHA256']) {
      const p = v2Client(wx, netDown, { signType }).requestPaymentParams('wx201410272009395522657a690389285100');
      assert.deepEqual(Object.keys(p), ['appId', 'timeStamp', 'nonceStr', 'package', 'signType', 'paySign'], signType);
      assert.equal(p.appId, M.appid);
      assert.equal(p.package, 'prepay_id=wx201410272009395522657a690389285100');
      assert.equal(p.signType, signType);
      assert.ok(
        /^\d{10}$/.test(p.timeStamp) && Math.abs(Number(p.timeStamp) - Date.now() / 1000) < 300,
        `${signType}: timeStamp ${p.timeStamp}`,
      );
      const { paySign, ...signed } = p;
      assert.equal(paySign, referenceSign(signed, KEY, signType), signType);
    }
    assert.throws(() => v2Client(wx, netDown).requestPaymentParams(''), { code: 'INVALID_PARAM', field: 'prepayId' });
  });

  test("v3 client.requestPaymentParams: the client's appid and merchant key; paySign verifies over appId\\ntimeStamp\\nnonceStr\\npackage\\n", async () => {
    const p = await v3Client(v3, netDown).requestPaymentParams('wx26112221580621e9b071c00d9e093b0000');
    assert.deepEqual(Object.keys(p), ['appId', 'timeStamp', 'nonceStr', 'package', 'signType', 'paySign']);
    assert.equal(p.appId, M.appid);
    assert.equal(p.package, 'prepay_id=wx26112221580621e9b071c00d9e093b0000');
    assert.equal(p.signType, 'RSA');
    assert.ok(
      await rsaVerify(K.merchant.public_spki, `${p.appId}\n${p.timeStamp}\n${p.nonceStr}\n${p.package}\n`, p.paySign),
      'paySign verifies with the merchant public key',
    );
    await assert.rejects(v3Client(v3, netDown).requestPaymentParams(''), { code: 'INVALID_PARAM', field: 'prepayId' });
  });

  test('v3: a loopback http:// notify_url is sent by a client whose baseUrl is loopback, refused by one that is not', async () => {
    const local = { ...JSAPI, notify_url: 'http://127.0.0.1:3000/notify' };
    const s = scriptedV3([() => signedAnswer(200, { prepay_id: 'wx5' })]);
    assert.equal((await v3Client(v3, s.fetch, { baseUrl: 'http://127.0.0.1:9080' }).jsapi(local)).prepay_id, 'wx5');
    assert.equal(JSON.parse(s.calls[0].body).notify_url, local.notify_url);
    s.verified();
    await assert.rejects(
      v3Client(v3, s.fetch, { baseUrl: 'http://127.0.0.1:9080' }).jsapi({ ...JSAPI, notify_url: 'http://m.example/n' }),
      { code: 'INVALID_FIELD', field: 'notify_url' },
    );
    await assert.rejects(v3Client(v3, s.fetch).jsapi(local), { code: 'INVALID_FIELD', field: 'notify_url' });
    assert.equal(s.calls.length, 1, 'nothing refused was sent');
  });

  // ------------------------------------------------------------ v3: any path, the App's paySign

  test('v3 generic call: a template filled and a query signed as sent, Wechatpay-Serial the PUB_KEY_ID; a lost POST answer is not sent again', async () => {
    const s = scriptedV3([
      () => signedAnswer(200, { out_refund_no: 'R 1', status: 'SUCCESS' }),
      () => signedAnswer(200, { code_url: 'weixin://wxpay/bizpayurl?pr=x' }),
      () => signedAnswer(200, { mchid: G.mchid, url: 'https://m.example/c' }),
      netDown,
    ]);
    const c = v3Client(v3, s.fetch);
    const got = await c.get('/v3/refund/domestic/refunds/{out_refund_no}', {
      params: { out_refund_no: 'R 1' },
      query: { sub_mchid: '1900000110' },
    });
    assert.equal(got.status, 'SUCCESS');
    assert.equal(
      (await c.post('/v3/pay/transactions/native', { description: '支付' })).code_url,
      'weixin://wxpay/bizpayurl?pr=x',
    );
    assert.equal(
      (await c.put('/v3/merchant-service/complaint-notifications', { url: 'https://m.example/c' })).url,
      'https://m.example/c',
    );
    await assert.rejects(c.post('/v3/x', { a: 1 }), (e) => e.code === 'NETWORK_ERROR' && e.retryable === true);
    assert.deepEqual(
      s.calls.map((x) => `${x.method} ${x.url}`),
      [
        'GET /v3/refund/domestic/refunds/R%201?sub_mchid=1900000110',
        'POST /v3/pay/transactions/native',
        'PUT /v3/merchant-service/complaint-notifications',
        'POST /v3/x',
      ],
    );
    assert.equal(s.calls[1].body, '{"description":"支付"}');
    for (const call of s.calls) assert.equal(call.serial, PUB_ID, 'Wechatpay-Serial');
    await assert.rejects(c.get('/v3/a b'), { code: 'INVALID_PARAM', field: 'url' });
    s.verified();
  });

  test('v3 client.appPayParams: the App PayReq; sign verifies over appid\\ntimestamp\\nnoncestr\\nprepayid\\n', async () => {
    const p = await v3Client(v3, netDown).appPayParams('wx26112221580621e9b071c00d9e093b0000');
    assert.equal(p.appid, M.appid);
    assert.equal(p.partnerid, G.mchid);
    assert.equal(p.package, 'Sign=WXPay');
    assert.ok(/^[0-9a-f]{32}$/.test(p.noncestr), 'noncestr');
    assert.ok(
      await rsaVerify(K.merchant.public_spki, `${p.appid}\n${p.timestamp}\n${p.noncestr}\n${p.prepayid}\n`, p.sign),
      'sign verifies with the merchant public key',
    );
    await assert.rejects(v3Client(v3, netDown).appPayParams('wx\n1'), { code: 'INVALID_PARAM', field: 'prepayId' });
  });
}

// Shared with suite/files.mjs (the v3 client's downloads and uploads).
export { signedAnswer, v3Client, MERCHANT_SERIAL };
