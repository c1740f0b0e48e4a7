// The client's retry table (js/client/retry.js, docs/guide/client.md#what-is-retried),
// through createClient with a scripted `fetch`: what is retried, what is surfaced at once,
// what is resolved by a query first; the same body on every attempt; backoff bounded;
// events without secrets. Replies are signed here with node:crypto, not the package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createSign, generateKeyPairSync, randomBytes } from 'node:crypto';

import wx from '../../pkg/node/index.mjs';
import wx3 from '../../pkg/v3/node/index.mjs';
import { makePki } from './support/tls.mjs';

const KEY = '192006250b4c09247ec02edce69f6a2d';
const M = { appid: 'wxd930ea5d5a258f4f', mch_id: '1900000109' };
const md5 = (f) =>
  createHash('md5')
    .update(
      `${Object.keys(f)
        .filter((k) => f[k] !== '')
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
const reply = (fields) => {
  const f = { return_code: 'SUCCESS', return_msg: 'OK', ...M, nonce_str: 'n', result_code: 'SUCCESS', ...fields };
  return xmlOf({ ...f, sign: md5(f) });
};
const fail = (errCode) => reply({ result_code: 'FAIL', err_code: errCode, err_code_des: errCode });
const ORDER = {
  body: 'b',
  out_trade_no: 'T20261203001',
  total_fee: 100,
  spbill_create_ip: '127.0.0.1',
  notify_url: 'https://m.example/n',
  trade_type: 'JSAPI',
  openid: 'o1',
};
const REFUND = { out_trade_no: 'T20261203001', out_refund_no: 'R20261203001', total_fee: 100, refund_fee: 10 };
const netDown = () => {
  throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
};

/** A fetch that answers from `script` (one entry per call: a reply string, or a function that throws). */
function scripted(script) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ path: new URL(url).pathname, body: init.body });
    const next = script.shift();
    if (next === undefined) throw new Error(`unexpected call ${url}`);
    const text = typeof next === 'function' ? next(init) : next;
    return new Response(text, { status: 200, headers: { 'content-type': 'text/xml' } });
  };
  return { fetch, calls };
}
const v2 = (fetch, extra = {}) =>
  wx.createClient({
    appid: M.appid,
    mchId: M.mch_id,
    key: KEY,
    baseUrl: 'http://wechat.test',
    fetch,
    backoffMs: 1,
    cert: undefined,
    ...extra,
  });

test('reading calls: a network error and SYSTEMERROR are retried with the same body; ORDERNOTEXIST, a bad sign and bad input are not', async () => {
  const s = scripted([
    netDown,
    fail('SYSTEMERROR'),
    reply({ out_trade_no: ORDER.out_trade_no, trade_state: 'NOTPAY' }),
  ]);
  const events = [];
  const q = await v2(s.fetch, { onEvent: (e) => events.push(e) }).orderQuery({ out_trade_no: ORDER.out_trade_no });
  assert.equal(q.trade_state, 'NOTPAY');
  assert.equal(s.calls.length, 3);
  assert.equal(new Set(s.calls.map((c) => c.body)).size, 1, 'one body, byte for byte, on every attempt');
  assert.deepEqual(
    events.map((e) => [e.api, e.attempt, e.outcome, e.code]),
    [
      ['orderQuery', 1, 'unknown', 'NETWORK_ERROR'],
      ['orderQuery', 2, 'retry', 'RESULT_FAIL'],
      ['orderQuery', 3, 'ok', undefined],
    ],
  );
  assert.ok(!JSON.stringify(events).includes(KEY), 'events carry no key');

  for (const [answer, code] of [
    [fail('ORDERNOTEXIST'), 'RESULT_FAIL'],
    [
      reply({ trade_state: 'SUCCESS' }).replace(
        /<sign>.*<\/sign>/,
        '<sign><![CDATA[0123456789ABCDEF0123456789ABCDEF]]></sign>',
      ),
      'SIGN_MISMATCH',
    ],
    [reply({ appid: 'wx_somebody_else' }), 'APPID_MISMATCH'],
  ]) {
    const one = scripted([answer]);
    await assert.rejects(v2(one.fetch).orderQuery({ out_trade_no: ORDER.out_trade_no }), (e) => e.code === code);
    assert.equal(one.calls.length, 1, `${code} is not retried`);
  }
  const none = scripted([]);
  await assert.rejects(
    v2(none.fetch).orderQuery({ out_trade_no: ORDER.out_trade_no, total_fee: 1.5 }),
    (e) => e.code === 'INVALID_FIELD',
  );
  assert.equal(none.calls.length, 0);
});

test('retries exhausted: the last error, retryable, after retries + 1 attempts', async () => {
  const s = scripted([netDown, netDown, netDown]);
  await assert.rejects(
    v2(s.fetch, { retries: 2 }).closeOrder({ out_trade_no: ORDER.out_trade_no }),
    (e) => e.code === 'NETWORK_ERROR' && e.retryable === true && !e.message.includes(KEY),
  );
  assert.equal(s.calls.length, 3);
  const z = scripted([netDown]);
  await assert.rejects(
    v2(z.fetch, { retries: 0 }).closeOrder({ out_trade_no: ORDER.out_trade_no }),
    (e) => e.code === 'NETWORK_ERROR',
  );
  assert.equal(z.calls.length, 1);
});

test('unifiedOrder with no answer: the order query comes first; resent (same body) only when the order is absent or unpaid', async () => {
  const s = scripted([netDown, fail('ORDERNOTEXIST'), reply({ prepay_id: 'wx201412101630', trade_type: 'JSAPI' })]);
  const r = await v2(s.fetch).unifiedOrder(ORDER);
  assert.equal(r.prepay_id, 'wx201412101630');
  assert.deepEqual(
    s.calls.map((c) => c.path),
    ['/pay/unifiedorder', '/pay/orderquery', '/pay/unifiedorder'],
  );
  assert.equal(s.calls[0].body, s.calls[2].body);
  // Paid already: surfaced, never resent.
  const p = scripted([netDown, reply({ out_trade_no: ORDER.out_trade_no, trade_state: 'SUCCESS' })]);
  await assert.rejects(
    v2(p.fetch).unifiedOrder(ORDER),
    (e) => e.code === 'RESULT_FAIL' && e.errCode === 'ORDERPAID' && e.retryable === false,
  );
  assert.deepEqual(
    p.calls.map((c) => c.path),
    ['/pay/unifiedorder', '/pay/orderquery'],
  );
  // The query fails too: the outcome is unknown and said so; nothing is resent.
  const u = scripted([netDown, netDown, netDown, netDown]);
  await assert.rejects(
    v2(u.fetch).unifiedOrder(ORDER),
    (e) => e.code === 'NETWORK_ERROR' && e.retryable === true && /outcome is unknown/.test(e.message),
  );
  assert.equal(u.calls.filter((c) => c.path === '/pay/unifiedorder').length, 1);
});

test('refund with no answer: a refund query that finds it ends the call (no second refund); SYSTEMERROR is resent with the same body', async () => {
  const pki = makePki();
  // A plain-http base URL (the mock) carries no TLS; the certificate must still be configured.
  const withCert = (fetch) => v2(fetch, { cert: pki.clientCert, certKey: pki.clientKey });
  const timedOut = () => {
    throw new DOMException('timed out', 'TimeoutError');
  };
  const found = reply({
    out_trade_no: REFUND.out_trade_no,
    refund_count: '1',
    out_refund_no_0: REFUND.out_refund_no,
    refund_id_0: '5030',
    refund_fee_0: '10',
    refund_status_0: 'PROCESSING',
    total_fee: '100',
  });
  const s = scripted([timedOut, found]);
  const r = await withCert(s.fetch).refund(REFUND);
  assert.deepEqual([r.refund_id, r.refund_status, r.resolvedByQuery], ['5030', 'PROCESSING', true]);
  assert.deepEqual(
    s.calls.map((c) => c.path),
    ['/secapi/pay/refund', '/pay/refundquery'],
  );
  const a = scripted([
    netDown,
    fail('REFUNDNOTEXIST'),
    fail('SYSTEMERROR'),
    reply({ out_refund_no: REFUND.out_refund_no, refund_id: '5031', refund_fee: '10' }),
  ]);
  assert.equal((await withCert(a.fetch).refund(REFUND)).refund_id, '5031');
  assert.deepEqual(
    a.calls.map((c) => c.path),
    ['/secapi/pay/refund', '/pay/refundquery', '/secapi/pay/refund', '/secapi/pay/refund'],
  );
  assert.equal(
    new Set(a.calls.filter((c) => c.path === '/secapi/pay/refund').map((c) => c.body)).size,
    1,
    'the same refund body every time',
  );
  const none = scripted([]);
  await assert.rejects(v2(none.fetch).refund(REFUND), (e) => e.code === 'CLIENT_CERT_UNAVAILABLE');
  assert.equal(none.calls.length, 0, 'no certificate configured: nothing sent');
});

test('backoff: full jitter, bounded by backoffMs·2^(n-1) and by 5 s', async () => {
  const s = scripted([netDown, netDown, netDown, reply({ out_trade_no: ORDER.out_trade_no, trade_state: 'NOTPAY' })]);
  const t0 = Date.now();
  await v2(s.fetch, { retries: 3, backoffMs: 40 }).orderQuery({ out_trade_no: ORDER.out_trade_no });
  const took = Date.now() - t0;
  assert.ok(took <= 40 + 80 + 160 + 300, `waited ${took} ms`);
  const cap = scripted([netDown, reply({ out_trade_no: ORDER.out_trade_no, trade_state: 'NOTPAY' })]);
  const t1 = Date.now();
  await v2(cap.fetch, { retries: 1, backoffMs: 60000 }).orderQuery({ out_trade_no: ORDER.out_trade_no });
  assert.ok(Date.now() - t1 <= 5000 + 300, 'one wait is at most 5 s whatever backoffMs');
});

test('timeoutMs covers the whole answer: TIMEOUT, retryable', async () => {
  let calls = 0;
  const hang = (_url, init) => {
    calls++;
    return new Promise((_, reject) => init.signal.addEventListener('abort', () => reject(init.signal.reason)));
  };
  const t0 = Date.now();
  await assert.rejects(
    v2(hang, { timeoutMs: 50, retries: 1 }).orderQuery({ out_trade_no: ORDER.out_trade_no }),
    (e) => e.code === 'TIMEOUT' && e.retryable === true,
  );
  assert.equal(calls, 2);
  assert.ok(Date.now() - t0 < 1000);
});

test('createClient refuses unknown or bad options', () => {
  assert.throws(
    () => v2(() => {}, { timeout: 1 }),
    (e) => e.code === 'INVALID_PARAM' && /did you mean "timeoutMs"/.test(e.message),
  );
  assert.throws(
    () => v2(() => {}, { retries: 11 }),
    (e) => e.code === 'INVALID_PARAM' && e.field === 'retries',
  );
  assert.throws(
    () => v2(() => {}, { timeoutMs: 0 }),
    (e) => e.field === 'timeoutMs',
  );
  assert.throws(
    () => v2(() => {}, { baseUrl: 'ftp://x' }),
    (e) => e.field === 'baseUrl',
  );
  assert.throws(
    () => wx.createClient({ appid: 'wx1', mchId: '1' }),
    (e) => e.code === 'INVALID_PARAM' && e.field === 'key',
  );
  assert.throws(
    () =>
      wx3.createClient({
        appid: 'wx1',
        mchId: '1',
        serialNo: 'S',
        privateKey: 'p',
        apiV3Key: 'short',
        publicKeys: { A: 'x' },
      }),
    (e) => e.field === 'apiV3Key',
  );
  assert.throws(
    () => wx3.createClient({ appid: 'wx1', mchid: '1' }),
    (e) => /did you mean "mchId"/.test(e.message),
  );
  const c = v2(() => {});
  assert.ok(!JSON.stringify(c).includes(KEY) && !String(c).includes(KEY), 'the client never prints its key');
});

// ---- v3: the same table with WeChat's JSON answers (signed with node:crypto)

const wechat = generateKeyPairSync('rsa', { modulusLength: 2048 });
const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PUB_ID = 'PUB_KEY_ID_0119000001092026120300000000000001';
function answer(status, json) {
  const body = json === undefined ? '' : JSON.stringify(json);
  const ts = Math.floor(Date.now() / 1000);
  const nonce = randomBytes(8).toString('hex');
  const sig = createSign('RSA-SHA256').update(`${ts}\n${nonce}\n${body}\n`).sign(wechat.privateKey, 'base64');
  return new Response(status === 204 ? null : body, {
    status,
    headers: {
      'wechatpay-timestamp': String(ts),
      'wechatpay-nonce': nonce,
      'wechatpay-signature': sig,
      'wechatpay-serial': PUB_ID,
    },
  });
}
function v3Scripted(script) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ method: init.method, path: new URL(url).pathname, body: init.body, auth: init.headers.authorization });
    const next = script.shift();
    if (next === undefined) throw new Error(`unexpected ${url}`);
    return next();
  };
  const client = wx3.createClient({
    appid: M.appid,
    mchId: M.mch_id,
    serialNo: '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C',
    apiV3Key: 'abcdefghijklmnopqrstuvwxyz012345',
    privateKey: merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }),
    publicKeys: { [PUB_ID]: wechat.publicKey.export({ type: 'spki', format: 'pem' }) },
    fetch,
    backoffMs: 1,
  });
  return { client, calls };
}
const JSAPI = {
  description: 'd',
  out_trade_no: 'T20261203002',
  notify_url: 'https://m.example/n',
  amount: { total: 100 },
  payer: { openid: 'o1' },
};

test('v3: 500 SYSTEM_ERROR (signed) retried with the same body and a fresh Authorization; 400 PARAM_ERROR surfaced; a forged 2xx refused', async () => {
  const s = v3Scripted([
    () => answer(500, { code: 'SYSTEM_ERROR', message: 'x' }),
    () => answer(200, { prepay_id: 'wx26112221580621e9b071c00d9e093b0000' }),
  ]);
  assert.equal((await s.client.jsapi(JSAPI)).prepay_id, 'wx26112221580621e9b071c00d9e093b0000');
  assert.equal(s.calls.length, 2);
  assert.equal(s.calls[0].body, s.calls[1].body);
  assert.notEqual(s.calls[0].auth, s.calls[1].auth, 'a new nonce and signature per attempt');
  const p = v3Scripted([() => answer(400, { code: 'PARAM_ERROR', message: 'bad' })]);
  await assert.rejects(p.client.jsapi(JSAPI), (e) => e.code === 'RESULT_FAIL' && e.errCode === 'PARAM_ERROR');
  assert.equal(p.calls.length, 1);
  const forged = v3Scripted([
    () => {
      const r = answer(200, { prepay_id: 'wx1' });
      return new Response('{"prepay_id":"wx_evil"}', { status: 200, headers: r.headers });
    },
  ]);
  await assert.rejects(forged.client.jsapi(JSAPI), (e) => e.code === 'SIGN_MISMATCH');
  assert.equal(forged.calls.length, 1);
});

test('v3: jsapi with an unsigned 502 (a gateway): queried first, then resent; refund with no answer: found by its query, not resent', async () => {
  const s = v3Scripted([
    () => new Response('bad gateway', { status: 502 }),
    () => answer(404, { code: 'ORDER_NOT_EXIST', message: 'no' }),
    () => answer(200, { prepay_id: 'wx2' }),
  ]);
  assert.equal((await s.client.jsapi(JSAPI)).prepay_id, 'wx2');
  assert.deepEqual(
    s.calls.map((c) => `${c.method} ${c.path}`),
    [
      'POST /v3/pay/transactions/jsapi',
      `GET /v3/pay/transactions/out-trade-no/${JSAPI.out_trade_no}`,
      'POST /v3/pay/transactions/jsapi',
    ],
  );
  const r = v3Scripted([
    netDown,
    () =>
      answer(200, {
        refund_id: '5030',
        out_refund_no: 'R20261203002',
        out_trade_no: JSAPI.out_trade_no,
        status: 'PROCESSING',
        amount: { refund: 10, total: 100 },
      }),
  ]);
  const out = await r.client.refund({
    out_trade_no: JSAPI.out_trade_no,
    out_refund_no: 'R20261203002',
    amount: { refund: 10, total: 100, currency: 'CNY' },
  });
  assert.deepEqual([out.refund_id, out.resolvedByQuery], ['5030', true]);
  assert.deepEqual(
    r.calls.map((c) => c.method),
    ['POST', 'GET'],
  );
  const v = await r.client.reconcile(JSAPI.out_trade_no).catch((e) => e);
  assert.ok(v instanceof Error, 'the script has no more answers: reconcile went to the network');
});
