// createMiniProgram (issue 29) against a small node:http fake of WeChat's mini-program APIs,
// written here: code2Session's errcodes mapped, the access token cached, fetched once for
// concurrent callers, refreshed 5 minutes before expiry, force refresh limited locally,
// 40001 recovered by one refresh and one retry, two instances sharing stable_token, shipping
// validated before anything is sent, xpay's signatures checked by the fake with node:crypto.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import * as mp from '../../pkg/miniprogram/node/index.mjs';

const APPID = 'wx1234567890abcdef';
const SECRET = 'secret-0123456789abcdef0123456789';
const APP_KEY = 'xpay-app-key-0123456789';

/** The fake's state; tests change it (reset() puts it back). stable_token: normal mode returns the current token. */
const fresh = () => ({
  rejectAll: false,
  token: 'T1',
  serial: 1,
  expiresIn: 7200,
  tokenCalls: 0,
  forced: 0,
  delayMs: 0,
  seen: [],
  revoked: new Set(),
});
const W = fresh();
const SESSIONS = {
  good: { openid: 'o-good', session_key: 'c2Vzc2lvbi1rZXk=', unionid: 'u-1' },
  nounion: { openid: 'o-2', session_key: 'a2V5' },
  used: { errcode: 40163, errmsg: 'code been used' },
  bad: { errcode: 40029, errmsg: 'invalid code' },
  risky: { errcode: 40226, errmsg: 'high risk user' },
  busy: { errcode: -1, errmsg: 'system error' },
  limit: { errcode: 45011, errmsg: 'api minute-quota reach limit' },
};

function route(url, body) {
  const q = url.searchParams;
  if (url.pathname === '/sns/jscode2session') {
    if (q.get('appid') !== APPID || q.get('secret') !== SECRET || q.get('grant_type') !== 'authorization_code')
      return { errcode: 40125, errmsg: 'invalid appsecret' };
    return SESSIONS[q.get('js_code')] ?? { errcode: 40029, errmsg: 'invalid code' };
  }
  if (url.pathname === '/cgi-bin/stable_token') {
    W.tokenCalls++;
    const b = JSON.parse(body);
    if (b.appid !== APPID || b.secret !== SECRET || b.grant_type !== 'client_credential') return { errcode: 40125 };
    if (b.force_refresh === true) {
      W.forced++;
      W.revoked.add(W.token);
      W.token = `T${++W.serial}`;
    }
    return { access_token: W.token, expires_in: W.expiresIn };
  }
  const token = q.get('access_token');
  if (W.rejectAll) return { errcode: 40001, errmsg: 'invalid credential' };
  if (token !== W.token) return { errcode: W.revoked.has(token) ? 40001 : 42001, errmsg: 'invalid credential' };
  if (url.pathname === '/xpay/query_user_balance') {
    const pay = createHmac('sha256', APP_KEY).update(`/xpay/query_user_balance&${body}`).digest('hex');
    const user = createHmac('sha256', SESSIONS.good.session_key).update(body).digest('hex');
    if (q.get('pay_sig') !== pay || q.get('signature') !== user) return { errcode: 268435470, errmsg: 'sig error' };
    return { errcode: 0, errmsg: 'ok', balance: 100, env: JSON.parse(body).env };
  }
  if (url.pathname === '/wxa/sec/order/is_trade_managed')
    return { errcode: 0, is_trade_managed: JSON.parse(body).appid === APPID };
  if (url.pathname === '/wxa/sec/order/get_order')
    return { errcode: 0, order: { order_state: 1, ...JSON.parse(body) } };
  if (url.pathname.startsWith('/wxa/sec/order/')) return { errcode: 0, errmsg: 'ok' };
  return { errcode: 40066, errmsg: 'invalid url' };
}

let server;
let base;
before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      const url = new URL(req.url, 'http://x');
      W.seen.push({ method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), body });
      // The answer is decided on arrival and sent after the delay, as a slow network would.
      const out = JSON.stringify(route(url, body));
      const slow = W.slowNormal && url.pathname === '/cgi-bin/stable_token' && !body.includes('force_refresh');
      if (W.delayMs || slow) await new Promise((r) => setTimeout(r, slow ? 80 : W.delayMs));
      res.writeHead(200, { 'content-type': 'application/json' }).end(out);
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => server.close());

function reset(over = {}) {
  Object.assign(W, fresh(), over);
}
const client = (o = {}) => mp.createMiniProgram({ appid: APPID, secret: SECRET, baseUrl: base, appKey: APP_KEY, ...o });
async function rejects(p, code) {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof mp.WxPayError, `${e}`);
    assert.equal(e.code, code, e.message);
    assert.ok(!e.message.includes(SECRET), 'the secret never appears in a message');
    return e;
  }
  assert.fail(`expected ${code}`);
}

test('createMiniProgram checks its options at creation', () => {
  assert.throws(() => mp.createMiniProgram({ appid: APPID }), { code: 'INVALID_PARAM', field: 'secret' });
  assert.throws(
    () => mp.createMiniProgram({ appid: APPID, secret: SECRET, appSecret: 'x' }),
    /unknown option "appSecret"/,
  );
  assert.throws(() => mp.createMiniProgram({ appid: APPID, secret: SECRET, baseUrl: 'ftp://x' }), {
    code: 'INVALID_PARAM',
  });
  assert.throws(() => mp.createMiniProgram({ appid: APPID, secret: SECRET, env: 2 }), { field: 'env' });
});

test('code2Session: openid and session_key; errcodes mapped with retryable and errCode', async () => {
  reset();
  const m = client();
  assert.deepEqual(await m.code2Session('good'), SESSIONS.good);
  assert.deepEqual(await m.code2Session('nounion'), SESSIONS.nounion);
  const sent = W.seen[0];
  assert.equal(sent.method, 'GET');
  assert.deepEqual(sent.query, { appid: APPID, secret: SECRET, js_code: 'good', grant_type: 'authorization_code' });
  const want = {
    used: ['LOGIN_CODE_INVALID', false, '40163'],
    bad: ['LOGIN_CODE_INVALID', false, '40029'],
    risky: ['RISKY_USER', false, '40226'],
    busy: ['RESULT_FAIL', true, '-1'],
    limit: ['RATE_LIMITED', true, '45011'],
  };
  for (const [code, [wx, retryable, errCode]] of Object.entries(want)) {
    const e = await rejects(m.code2Session(code), wx);
    assert.equal(e.retryable, retryable, code);
    assert.equal(e.errCode, errCode, code);
  }
  const before = W.seen.length;
  await rejects(m.code2Session(''), 'INVALID_PARAM');
  await rejects(m.code2Session('a b'), 'INVALID_PARAM');
  assert.equal(W.seen.length, before, 'a bad code is refused before sending');
  assert.deepEqual(await m.code2Session('good'), SESSIONS.good, 'the next good call works');
});

test('accessToken: cached, one request for concurrent callers, refreshed 5 minutes before expiry', async () => {
  reset({ delayMs: 30 });
  const m = client();
  const all = await Promise.all(Array.from({ length: 8 }, () => m.accessToken()));
  assert.deepEqual(new Set(all), new Set(['T1']));
  assert.equal(W.tokenCalls, 1, 'one request in flight for eight callers');
  assert.equal(await m.accessToken(), 'T1');
  assert.equal(W.tokenCalls, 1, 'cached');
  assert.deepEqual(JSON.parse(W.seen[0].body), { grant_type: 'client_credential', appid: APPID, secret: SECRET });
  // A token with exactly 5 minutes left is already due: each call fetches again.
  reset({ expiresIn: 300 });
  const n = client();
  await n.accessToken();
  await n.accessToken();
  assert.equal(W.tokenCalls, 2, 'refreshed before expiry');
  reset({ expiresIn: 301 });
  const o = client();
  await o.accessToken();
  await o.accessToken();
  assert.equal(W.tokenCalls, 1, 'one second of margin left: still cached');
});

test('accessToken({ forceRefresh }): 30 s apart and 20 a day, refused locally before sending', async (t) => {
  reset();
  t.mock.timers.enable({ apis: ['Date'], now: Date.UTC(2026, 11, 7, 0, 0, 0) });
  const m = client();
  assert.equal(await m.accessToken(), 'T1');
  assert.equal(await m.accessToken({ forceRefresh: true }), 'T2');
  const calls = W.tokenCalls;
  const e = await rejects(m.accessToken({ forceRefresh: true }), 'RATE_LIMITED');
  assert.equal(e.retryable, true);
  assert.equal(W.tokenCalls, calls, 'not sent');
  assert.equal(await m.accessToken(), 'T2', 'a normal call still works');
  for (let i = 0; i < 19; i++) {
    t.mock.timers.tick(30_000);
    await m.accessToken({ forceRefresh: true });
  }
  assert.equal(W.forced, 20);
  t.mock.timers.tick(30_000);
  const day = await rejects(m.accessToken({ forceRefresh: true }), 'RATE_LIMITED');
  assert.equal(day.retryable, false);
  assert.equal(W.forced, 20, 'the 21st is not sent');
  t.mock.timers.tick(24 * 3600 * 1000);
  await m.accessToken({ forceRefresh: true });
  assert.equal(W.forced, 21, 'a day later it is allowed again');
  await rejects(m.accessToken({ force: true }), 'INVALID_PARAM');
});

test('40001 after another instance force-refreshed: one normal refresh, one retry; two instances share stable_token', async () => {
  reset();
  const a = client();
  const b = client();
  assert.equal(await a.accessToken(), 'T1');
  assert.equal(await b.accessToken(), 'T1', 'stable_token hands the second instance the same token, not a new one');
  assert.equal(await a.shipping.isTradeManaged(), true);
  assert.equal(await b.shipping.isTradeManaged(), true, "b's token still works after a fetched one");
  await a.accessToken({ forceRefresh: true }); // revokes T1 for everybody
  const before = { calls: W.tokenCalls, forced: W.forced };
  assert.equal(await b.shipping.isTradeManaged(), true, 'b recovers by itself');
  assert.equal(W.tokenCalls, before.calls + 1, 'one refresh');
  assert.equal(W.forced, before.forced, 'not a forced one');
  const tries = W.seen.filter((s) => s.path === '/wxa/sec/order/is_trade_managed').map((s) => s.query.access_token);
  assert.deepEqual(tries.slice(-2), ['T1', 'T2']);
});

test('a forced refresh that overtakes a slower normal fetch is the token kept', async () => {
  reset({ slowNormal: true });
  const m = client();
  const normal = m.accessToken(); // answered T1 after 80 ms
  await new Promise((r) => setTimeout(r, 10));
  const forced = await m.accessToken({ forceRefresh: true }); // T2 at once, T1 revoked
  assert.equal(forced, 'T2');
  assert.equal(await normal, 'T1', 'the slow caller gets what its request returned');
  assert.equal(await m.accessToken(), 'T2', 'the cache keeps the later token, not the late answer');
});

test('a token error that persists is thrown after exactly one retry', async () => {
  reset();
  const m = client();
  await m.accessToken();
  W.rejectAll = true; // every token-bearing call answers 40001
  const e = await rejects(m.shipping.isTradeManaged(), 'RESULT_FAIL');
  assert.equal(e.errCode, '40001');
  assert.equal(W.seen.filter((s) => s.path === '/wxa/sec/order/is_trade_managed').length, 2);
  assert.equal(W.tokenCalls, 2, 'one refresh between the two tries');
  W.rejectAll = false;
  assert.equal(await m.shipping.isTradeManaged(), true, 'the next good call works');
});

const PARCEL = { tracking_no: 'SF123', express_company: 'YTO', item_desc: '微信气泡狗*1' };
const UPLOAD = {
  order_key: { order_number_type: 2, transaction_id: '4200000000000000000000000001' },
  logistics_type: 1,
  delivery_mode: 1,
  shipping_list: [PARCEL],
  upload_time: '2026-12-07T20:00:00.120+08:00',
  payer: { openid: 'o-good' },
};

test('shipping: upload sent with the token; WeChat would refuse these, so they are refused before sending', async () => {
  reset();
  const m = client();
  await m.shipping.uploadShippingInfo(UPLOAD);
  const sent = W.seen.find((s) => s.path === '/wxa/sec/order/upload_shipping_info');
  assert.equal(sent.query.access_token, 'T1');
  assert.deepEqual(JSON.parse(sent.body), UPLOAD);
  const noTime = { ...UPLOAD };
  delete noTime.upload_time;
  await m.shipping.uploadShippingInfo(noTime);
  assert.ok(!Number.isNaN(Date.parse(JSON.parse(W.seen.at(-1).body).upload_time)), 'upload_time defaults to now');
  const bad = [
    [
      { ...UPLOAD, delivery_mode: 2, is_all_delivered: true, shipping_list: Array(16).fill(PARCEL) },
      'INVALID_FIELD',
      /at most 15/,
    ],
    [{ ...UPLOAD, shipping_list: [PARCEL, PARCEL] }, 'INVALID_FIELD', /exactly one/],
    [{ ...UPLOAD, upload_time: '2026-12-07 20:00:00' }, 'INVALID_FIELD', /RFC 3339/],
    [{ ...UPLOAD, shipping_list: [{ ...PARCEL, item_desc: '字'.repeat(121) }] }, 'INVALID_FIELD', /120/],
    [{ ...UPLOAD, shipping_list: [{ ...PARCEL, item_desc: '' }] }, 'MISSING_FIELD', /item_desc/],
    [{ ...UPLOAD, shipping_list: [{ item_desc: 'x' }] }, 'MISSING_FIELD', /tracking_no/],
    [{ ...UPLOAD, shipping_list: [{ ...PARCEL, express_company: 'SF' }] }, 'MISSING_FIELD', /SF Express/],
    [
      { ...UPLOAD, shipping_list: [{ ...PARCEL, contact: { receiver_contact: '18912341234' } }] },
      'INVALID_FIELD',
      /masked/,
    ],
    [
      { ...UPLOAD, shipping_list: [{ ...PARCEL, contact: { receiver_contact: '189****12**' } }] },
      'INVALID_FIELD',
      /masked/,
    ],
    [{ ...UPLOAD, order_key: { order_number_type: 1, transaction_id: '42' } }, 'MISSING_FIELD', /mchid/],
    [{ ...UPLOAD, order_key: { order_number_type: 3, transaction_id: '42' } }, 'INVALID_FIELD', /order_number_type/],
    [{ ...UPLOAD, logistics_type: 5 }, 'INVALID_FIELD', /logistics_type/],
    [{ ...UPLOAD, logistics_type: 3, delivery_mode: 2, is_all_delivered: true }, 'INVALID_FIELD', /express/],
    [{ ...UPLOAD, delivery_mode: 2 }, 'MISSING_FIELD', /is_all_delivered/],
    [{ ...UPLOAD, payer: {} }, 'MISSING_FIELD', /openid/],
    [{ ...UPLOAD, shiping_list: [] }, 'INVALID_FIELD', /not a field/],
  ];
  reset();
  for (const [info, code, msg] of bad) {
    const e = await rejects(m.shipping.uploadShippingInfo(info), code);
    assert.match(e.message, msg);
  }
  assert.equal(W.seen.length, 0, 'nothing was sent, not even a token request');
  // Virtual goods need no tracking number; split delivery of 15 parcels is fine; a masked contact passes.
  await m.shipping.uploadShippingInfo({ ...UPLOAD, logistics_type: 3, shipping_list: [{ item_desc: '会员月卡' }] });
  await m.shipping.uploadShippingInfo({
    ...UPLOAD,
    delivery_mode: 2,
    is_all_delivered: false,
    shipping_list: Array(15).fill({
      ...PARCEL,
      express_company: 'SF',
      contact: { consignor_contact: '+86-177****1234' },
    }),
  });
});

test('shipping: combined upload, order queries, confirm-receive reminder, special orders, jump path', async () => {
  reset();
  const m = client();
  const sub = (n) => ({
    order_key: { order_number_type: 1, mchid: '1900000109', out_trade_no: `T${n}` },
    logistics_type: 1,
    delivery_mode: 1,
    shipping_list: [PARCEL],
  });
  const main = { order_number_type: 1, mchid: '1900000109', out_trade_no: 'MAIN' };
  await m.shipping.uploadCombinedShippingInfo({
    order_key: main,
    sub_orders: [sub(1), sub(2)],
    payer: { openid: 'o' },
  });
  await rejects(
    m.shipping.uploadCombinedShippingInfo({ order_key: main, sub_orders: [sub(1), sub(1)], payer: { openid: 'o' } }),
    'INVALID_FIELD',
  );
  await rejects(
    m.shipping.uploadCombinedShippingInfo({
      order_key: { order_number_type: 2, transaction_id: '42' },
      sub_orders: [sub(1)],
      payer: { openid: 'o' },
    }),
    'INVALID_FIELD',
  );
  assert.deepEqual(await m.shipping.getOrder({ transaction_id: '42' }), { order_state: 1, transaction_id: '42' });
  await rejects(m.shipping.getOrder({ merchant_id: '1900000109' }), 'MISSING_FIELD');
  await m.shipping.getOrderList({ order_state: 1, page_size: 50, pay_time_range: { begin_time: 0 } });
  await rejects(m.shipping.getOrderList({ order_state: 7 }), 'INVALID_FIELD');
  await m.shipping.notifyConfirmReceive({ transaction_id: '42', received_time: 1765100000 });
  await rejects(m.shipping.notifyConfirmReceive({ transaction_id: '42' }), 'MISSING_FIELD');
  await m.shipping.opSpecialOrder({ order_id: '42', type: 2 });
  await rejects(m.shipping.opSpecialOrder({ order_id: '42', type: 1 }), 'MISSING_FIELD');
  await m.shipping.setMsgJumpPath('pages/order/detail');
  assert.equal(await m.shipping.isTradeManagementConfirmationCompleted(), false);
  const paths = W.seen.map((s) => s.path).filter((p) => p.startsWith('/wxa'));
  assert.deepEqual(paths, [
    '/wxa/sec/order/upload_combined_shipping_info',
    '/wxa/sec/order/get_order',
    '/wxa/sec/order/get_order_list',
    '/wxa/sec/order/notify_confirm_receive',
    '/wxa/sec/order/opspecialorder',
    '/wxa/sec/order/set_msg_jump_path',
    '/wxa/sec/order/is_trade_management_confirmation_completed',
  ]);
});

test('xpay: pay_sig and signature over the exact body sent, checked by the fake with node:crypto', async () => {
  reset();
  const m = client({ env: 1 });
  const a = await m.xpay.queryUserBalance(
    { openid: 'o-good', user_ip: '127.0.0.1' },
    { sessionKey: SESSIONS.good.session_key },
  );
  assert.equal(a.balance, 100);
  assert.equal(a.env, 1, 'env filled from the options');
  await rejects(m.xpay.queryUserBalance({ openid: 'o' }), 'INVALID_PARAM');
  await rejects(client({ appKey: undefined }).xpay.queryOrder({ openid: 'o' }), 'INVALID_PARAM');
  const wrong = await rejects(
    m.xpay.queryUserBalance({ openid: 'o', user_ip: '1' }, { sessionKey: 'other' }),
    'RESULT_FAIL',
  );
  assert.equal(wrong.errCode, '268435470');
  // virtualPaymentParams: what wx.requestVirtualPayment takes.
  const signData = {
    offerId: '1450000000',
    buyQuantity: 1,
    env: 0,
    currencyType: 'CNY',
    productId: 'p1',
    goodsPrice: 100,
    outTradeNo: 'order-000001',
    attach: 'a',
  };
  const p = mp.virtualPaymentParams({ appKey: APP_KEY, sessionKey: 'sk', signData });
  assert.equal(p.signData, JSON.stringify(signData));
  assert.equal(p.paySig, createHmac('sha256', APP_KEY).update(`requestVirtualPayment&${p.signData}`).digest('hex'));
  assert.equal(p.signature, createHmac('sha256', 'sk').update(p.signData).digest('hex'));
  assert.equal(p.mode, 'short_series_goods');
  assert.throws(
    () => mp.virtualPaymentParams({ appKey: APP_KEY, sessionKey: 'sk', signData: { ...signData, buyQuantity: 0 } }),
    { code: 'INVALID_FIELD' },
  );
  assert.throws(() => mp.virtualPaymentParams({ appKey: APP_KEY, sessionKey: 'sk', signData, mode: 'x' }), {
    code: 'INVALID_PARAM',
  });
});

test('errors name the path only: the query (secret, token) never reaches a message or an event', async () => {
  reset();
  const events = [];
  const m = mp.createMiniProgram({
    appid: APPID,
    secret: SECRET,
    baseUrl: 'http://127.0.0.1:9',
    onEvent: (e) => events.push(e),
    timeoutMs: 2000,
  });
  const e = await rejects(m.code2Session('good'), 'NETWORK_ERROR');
  assert.match(e.message, /GET .*\/sns\/jscode2session/);
  assert.ok(!JSON.stringify(events).includes(SECRET));
});
