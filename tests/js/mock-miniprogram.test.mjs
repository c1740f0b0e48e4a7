// The mock's mini-program platform (js/mock/miniprogram/*) driven over HTTP by a client written
// here with node:crypto and fetch only: the package's miniprogram entry is not used, so the mock
// is judged against WeChat's documented rules, not against our own client. Two mocks run
// in-process on 127.0.0.1: one at time scale 1, one at 0.001 (token lifetimes in milliseconds).
// Pushes are received by a small server here and checked and decrypted with this file's own
// AES-256-CBC / SHA-1 code (WeChat's safe-mode layout), never with the mock's push-crypto.mjs.
import assert from 'node:assert/strict';
import { createDecipheriv, createHash, createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';

import wx from '../../pkg/node/index.mjs';
import { createMock } from '../../js/mock/server.mjs';
import { loadV3Keys } from '../../js/mock/v3keys.mjs';
import { rmSync } from 'node:fs';

const KEY = '192006250b4c09247ec02edce69f6a2d';
const APPID = 'wxd930ea5d5a258f4f';
const MCHID = '1900000109';
const PUSH_TOKEN = 'mockPushToken123';
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';

const quiet = () => {};
let mock;
let base;
let cfg;
let fast;
let fastBase;
let receiver;

/** A push receiver: records every request, answers GET's echostr and POST with `answer`. */
function startReceiver() {
  const got = [];
  const state = { answer: 'success', echo: true, got };
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url, 'http://x');
      if (req.method === 'GET') return res.end(state.echo ? url.searchParams.get('echostr') : 'nope');
      got.push({
        query: Object.fromEntries(url.searchParams),
        body: Buffer.concat(chunks).toString('utf8'),
        type: req.headers['content-type'],
      });
      res.end(state.answer);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ ...state, state, server, url: `http://127.0.0.1:${server.address().port}/push` }),
    ),
  );
}

const v3Keys = loadV3Keys(undefined, { mchid: MCHID, appid: APPID });

before(async () => {
  mock = createMock({ wx, key: KEY, appid: APPID, mchId: MCHID, log: quiet, v3Keys });
  base = await mock.listen(0);
  fast = createMock({ wx, key: KEY, appid: APPID, mchId: MCHID, log: quiet, timeScale: 0.001, v3Keys });
  fastBase = await fast.listen(0);
  receiver = await startReceiver();
  cfg = await (await fetch(`${base}/_mock/miniprogram`)).json();
});
after(async () => {
  await mock.close();
  await fast.close();
  receiver.server.close();
  rmSync(v3Keys.dir, { recursive: true, force: true });
});

const post = async (url, body) => {
  const res = await fetch(url, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
};
const control = (path, body = {}, at = base) => post(`${at}/_mock/miniprogram${path}`, body);
const exchange = async (code, { secret = cfg.secret, at = base } = {}) =>
  (
    await fetch(
      `${at}/sns/jscode2session?appid=${APPID}&secret=${secret}&js_code=${code}&grant_type=authorization_code`,
    )
  ).json();
const login = async (openid, at = base, extra = {}) => (await control('/login', { openid, ...extra }, at)).json.code;
const stable = async (at = base, force = undefined) =>
  (
    await post(`${at}/cgi-bin/stable_token`, {
      grant_type: 'client_credential',
      appid: APPID,
      secret: cfg.secret,
      ...(force === undefined ? {} : { force_refresh: force }),
    })
  ).json;
const wxa = async (name, token, body, at = base) =>
  (await post(`${at}/wxa/sec/order/${name}?access_token=${token}`, body)).json;

// ---- login ---------------------------------------------------------------------------------

test('a wx.login code is exchanged once: openid and session_key, then 40163; unknown 40029; wrong secret 40125', async () => {
  const code = await login('oLoginUser_1', base, { unionid: 'oUnion_1' });
  assert.equal((await exchange(code, { secret: 'f'.repeat(32) })).errcode, 40125);
  const first = await exchange(code);
  assert.equal(first.openid, 'oLoginUser_1');
  assert.equal(first.unionid, 'oUnion_1');
  assert.equal(Buffer.from(first.session_key, 'base64').length, 16);
  assert.equal(first.errcode, undefined);
  const again = await exchange(code);
  assert.equal(again.errcode, 40163);
  assert.match(again.errmsg, /^code been used rid: /);
  assert.equal((await exchange('0'.repeat(32))).errcode, 40029);
});

test('an injected 45011 answers once and leaves the code usable; 40226 uses it up', async () => {
  const busy = await login('oLoginUser_2', base, { errcode: 45011 });
  assert.equal((await exchange(busy)).errcode, 45011);
  assert.equal((await exchange(busy)).openid, 'oLoginUser_2');
  const risky = await login('oLoginUser_3', base, { errcode: 40226 });
  assert.equal((await exchange(risky)).errcode, 40226);
  assert.equal((await exchange(risky)).errcode, 40163);
});

// ---- access token --------------------------------------------------------------------------

test("stable_token: two servers share one token; one renewing in the last 5 minutes does not invalidate the other's", async () => {
  await control('/tokens/expire');
  const [a, b] = await Promise.all([stable(), stable()]);
  assert.equal(a.access_token, b.access_token);
  assert.equal(a.expires_in, 7200);
  await control('/tokens/advance', { seconds: 6800 });
  const later = await stable();
  assert.equal(later.access_token, a.access_token, 'the same token while more than 5 minutes are left');
  assert.ok(later.expires_in <= 400 && later.expires_in >= 398, `expires_in ${later.expires_in} counts down`);
  await control('/tokens/advance', { seconds: 150 });
  // Server B asks in the last 5 minutes: a new token; server A still holds the old one, which works.
  const renewed = await stable();
  assert.notEqual(renewed.access_token, a.access_token);
  assert.equal(renewed.expires_in, 7200);
  assert.equal((await wxa('is_trade_managed', a.access_token, { appid: APPID })).errcode, 0, "A's token still valid");
  assert.equal((await wxa('is_trade_managed', renewed.access_token, { appid: APPID })).errcode, 0);
  assert.equal((await stable()).access_token, renewed.access_token, 'A asking again gets the new one too');
  await control('/tokens/advance', { seconds: 260 });
  assert.equal(
    (await wxa('is_trade_managed', a.access_token, { appid: APPID })).errcode,
    42001,
    'the old one ends at its expiry',
  );
  assert.equal((await wxa('is_trade_managed', renewed.access_token, { appid: APPID })).errcode, 0);
});

test('force_refresh: a new token, the previous one invalid at once (40001); within 30 s no refresh', async () => {
  const old = (await stable()).access_token;
  const forced = await stable(base, true);
  assert.notEqual(forced.access_token, old);
  assert.equal((await wxa('is_trade_managed', old, { appid: APPID })).errcode, 40001);
  assert.equal((await wxa('is_trade_managed', forced.access_token, { appid: APPID })).errcode, 0);
  assert.equal((await stable(base, true)).access_token, forced.access_token, 'second force within 30 s');
  assert.equal((await stable()).access_token, forced.access_token);
  await control('/tokens/advance', { seconds: 31 });
  const again = await stable(base, true);
  assert.notEqual(again.access_token, forced.access_token, '30 s later a force refreshes again');
  const stats = await (await fetch(`${base}/_mock/miniprogram/tokens`)).json();
  assert.equal(stats.forceRefreshesToday, 2);
  assert.equal(JSON.stringify(stats).includes(again.access_token), false, 'the stats never show a token');
});

test('/cgi-bin/token (the old API) replaces the token: the previous one works 5 more minutes, then 40001', async () => {
  const get = async () =>
    (await fetch(`${base}/cgi-bin/token?grant_type=client_credential&appid=${APPID}&secret=${cfg.secret}`)).json();
  const a = await get();
  const b = await get(); // a second server starting up
  assert.notEqual(a.access_token, b.access_token);
  assert.equal((await wxa('is_trade_managed', a.access_token, { appid: APPID })).errcode, 0);
  await control('/tokens/advance', { seconds: 301 });
  assert.equal(
    (await wxa('is_trade_managed', a.access_token, { appid: APPID })).errcode,
    40001,
    "the first server's token died",
  );
  assert.equal((await wxa('is_trade_managed', b.access_token, { appid: APPID })).errcode, 0);
});

test('access_token: absent 41001, unknown 40001, expired 42001; credentials checked', async () => {
  assert.equal((await post(`${base}/wxa/sec/order/get_order`, {})).json.errcode, 41001);
  assert.equal((await wxa('get_order', 'nope', {})).errcode, 40001);
  const t = (await stable()).access_token;
  await control('/tokens/expire');
  const before = (await (await fetch(`${base}/_mock/miniprogram/tokens`)).json()).refused;
  assert.equal((await wxa('get_order', t, {})).errcode, 42001);
  const counted = (await (await fetch(`${base}/_mock/miniprogram/tokens`)).json()).refused;
  assert.equal(counted[42001], before[42001] + 1, 'the mock counts calls refused for their token');
  const bad = await post(`${base}/cgi-bin/stable_token`, {
    grant_type: 'client_credential',
    appid: APPID,
    secret: 'x',
  });
  assert.equal(bad.json.errcode, 40125);
  const other = await post(`${base}/cgi-bin/stable_token`, {
    grant_type: 'client_credential',
    appid: 'wx0',
    secret: 'x',
  });
  assert.equal(other.json.errcode, 40013);
  assert.equal((await fetch(`${base}/cgi-bin/stable_token`)).status, 200);
  assert.equal((await (await fetch(`${base}/cgi-bin/stable_token`)).json()).errcode, 43002);
});

// ---- shipping ------------------------------------------------------------------------------

const md5Sign = (f) =>
  createHash('md5')
    .update(
      `${Object.keys(f)
        .sort()
        .filter((k) => f[k] !== '')
        .map((k) => `${k}=${f[k]}`)
        .join('&')}&key=${KEY}`,
    )
    .digest('hex')
    .toUpperCase();
const xml = (f) =>
  `<xml>${Object.entries(f)
    .map(([k, v]) => `<${k}><![CDATA[${v}]]></${k}>`)
    .join('')}</xml>`;

/** A v2 JSAPI order through the mock's own API (signed here with MD5), paid through its control interface. */
async function paidOrder(no, openid) {
  const f = {
    appid: APPID,
    mch_id: MCHID,
    nonce_str: 'n' + no,
    body: 'mini-program goods',
    out_trade_no: no,
    total_fee: '100',
    spbill_create_ip: '127.0.0.1',
    notify_url: 'http://127.0.0.1:9/notify',
    trade_type: 'JSAPI',
    openid,
  };
  const res = await (
    await fetch(`${base}/pay/unifiedorder`, { method: 'POST', body: xml({ ...f, sign: md5Sign(f) }) })
  ).text();
  assert.match(res, /<result_code><!\[CDATA\[SUCCESS/);
  const paid = await post(`${base}/_mock/orders/${no}/pay`, { notify: false });
  assert.equal(paid.status, 200);
  return paid.json.transaction_id;
}

const shipBody = (over = {}) => ({
  order_key: { order_number_type: 1, mchid: MCHID, out_trade_no: 'MP_SHIP_1' },
  logistics_type: 1,
  delivery_mode: 1,
  shipping_list: [
    {
      tracking_no: 'SF1234567890',
      express_company: 'SF',
      item_desc: '微信红包抱枕*1个',
      contact: { receiver_contact: '189****1234' },
    },
  ],
  upload_time: '2026-12-07T20:00:00.000+08:00',
  payer: { openid: 'oShipUser_1' },
  ...over,
});

/** This file's own WeChat safe-mode decryption: every check, with node:crypto. */
function decryptPush(encrypt) {
  const key = Buffer.from(`${AES_KEY}=`, 'base64');
  const d = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  d.setAutoPadding(false);
  const plain = Buffer.concat([d.update(Buffer.from(encrypt, 'base64')), d.final()]);
  const pad = plain.at(-1);
  assert.ok(pad >= 1 && pad <= 32 && plain.length % 32 === 0);
  assert.ok(
    plain.subarray(plain.length - pad).every((x) => x === pad),
    'PKCS#7 to 32',
  );
  const len = plain.readUInt32BE(16);
  assert.equal(plain.subarray(20 + len, plain.length - pad).toString(), APPID);
  return plain.subarray(20, 20 + len).toString('utf8');
}
const sha1 = (...p) => createHash('sha1').update(p.sort().join('')).digest('hex');

test('shipping: 待发货 → upload_shipping_info checked as WeChat → 已发货 → one re-shipment → 确认收货 with the settlement pushed in safe mode', async () => {
  const tid = await paidOrder('MP_SHIP_1', 'oShipUser_1');
  const token = (await stable()).access_token;
  assert.equal((await wxa('get_order', token, { transaction_id: tid })).order.order_state, 1);
  const tooMany = Array.from({ length: 16 }, (_, i) => ({
    tracking_no: `T${i}`,
    express_company: 'YTO',
    item_desc: 'x',
  }));
  const cases = [
    [{ delivery_mode: 2, is_all_delivered: true, shipping_list: tooMany }, 10060024],
    [{ upload_time: '2026-12-07 20:00:00' }, 268485216],
    [{ shipping_list: [{ tracking_no: 'T', express_company: 'SF', item_desc: '字'.repeat(121) }] }, 10060009],
    [{ shipping_list: [{ tracking_no: 'T', express_company: 'SF', item_desc: '' }] }, 10060008],
    [{ order_key: { order_number_type: 1, mchid: MCHID } }, 268485197],
    [{ order_key: { order_number_type: 2 } }, 268485195],
    [{ order_key: { order_number_type: 3 } }, 268485194],
    [{ shipping_list: [shipBody().shipping_list[0], shipBody().shipping_list[0]] }, 268485228],
    [{ delivery_mode: 2, logistics_type: 3 }, 10060006],
    [{ delivery_mode: 2 }, 10060007],
    [{ payer: { openid: 'oSomeoneElse' } }, 10060031],
    [{ shipping_list: [{ tracking_no: 'SF1', express_company: 'SF', item_desc: '抱枕' }] }, 10060014],
    [{ order_key: { order_number_type: 2, transaction_id: '4200000000000000' } }, 10060001],
  ];
  for (const [over, code] of cases)
    assert.equal((await wxa('upload_shipping_info', token, shipBody(over))).errcode, code, JSON.stringify(over));
  const fifteen = tooMany.slice(0, 15);
  assert.equal(
    (await wxa('get_order', token, { transaction_id: tid })).order.order_state,
    1,
    'refused uploads change nothing',
  );
  // A split delivery of 15 parcels, not all delivered: still 待发货.
  assert.equal(
    (
      await wxa(
        'upload_shipping_info',
        token,
        shipBody({ delivery_mode: 2, is_all_delivered: false, shipping_list: fifteen }),
      )
    ).errcode,
    0,
  );
  assert.equal((await wxa('get_order', token, { transaction_id: tid })).order.order_state, 1);
  const shipped = await wxa('upload_shipping_info', token, shipBody({ upload_time: '2026-12-07T20:05:00+08:00' }));
  assert.equal(shipped.errcode, 0);
  const o = (await wxa('get_order', token, { merchant_id: MCHID, merchant_trade_no: 'MP_SHIP_1' })).order;
  assert.equal(o.order_state, 2);
  assert.equal(o.shipping.shipping_list[0].tracking_no, 'SF1234567890');
  assert.equal(o.paid_amount, 100);
  assert.equal(
    (await wxa('upload_shipping_info', token, shipBody({ upload_time: '2026-12-07T20:06:00+08:00' }))).errcode,
    10060023,
  );
  const reship = shipBody({
    upload_time: '2026-12-07T20:07:00+08:00',
    shipping_list: [
      {
        tracking_no: 'SF999',
        express_company: 'SF',
        item_desc: '抱枕',
        contact: { consignor_contact: '0755****8888' },
      },
    ],
  });
  assert.equal((await wxa('upload_shipping_info', token, reship)).errcode, 0, 're-shipment allowed once');
  reship.upload_time = '2026-12-07T20:08:00+08:00';
  reship.shipping_list[0].tracking_no = 'SF1000';
  assert.equal((await wxa('upload_shipping_info', token, reship)).errcode, 10060003);

  assert.equal(
    (
      await control('/push-config', {
        url: receiver.url,
        token: PUSH_TOKEN,
        encodingAESKey: AES_KEY,
        mode: 'safe',
        format: 'json',
      })
    ).status,
    200,
  );
  assert.equal(
    (await wxa('notify_confirm_receive', token, { transaction_id: tid, received_time: 1765108800 })).errcode,
    0,
  );
  assert.equal(
    (await wxa('notify_confirm_receive', token, { transaction_id: tid, received_time: 1765108800 })).errcode,
    10060014,
  );
  const confirmed = await control(`/orders/${tid}/confirm-receive`, { method: 1 });
  assert.equal(confirmed.status, 200, JSON.stringify(confirmed.json));
  assert.equal(confirmed.json.order.order_state, 3);
  assert.equal(confirmed.json.push.acknowledged, true);
  const p = receiver.got.at(-1);
  assert.equal(p.query.encrypt_type, 'aes');
  assert.equal(p.query.openid, 'oShipUser_1');
  const env = JSON.parse(p.body);
  assert.equal(p.query.signature, sha1(PUSH_TOKEN, p.query.timestamp, p.query.nonce));
  assert.equal(p.query.msg_signature, sha1(PUSH_TOKEN, p.query.timestamp, p.query.nonce, env.Encrypt));
  const msg = JSON.parse(decryptPush(env.Encrypt));
  assert.equal(msg.Event, 'trade_manage_order_settlement');
  assert.equal(msg.ToUserName, cfg.originalId);
  assert.equal(msg.transaction_id, tid);
  assert.equal(msg.merchant_trade_no, 'MP_SHIP_1');
  assert.equal(msg.confirm_receive_method, 1);
  assert.equal(
    (await wxa('upload_shipping_info', token, shipBody({ upload_time: '2026-12-07T21:00:00+08:00' }))).errcode,
    10060004,
  );
  const list = await wxa('get_order_list', token, { order_state: 3, openid: 'oShipUser_1' });
  assert.deepEqual(
    list.order_list.map((x) => x.transaction_id),
    [tid],
  );
});

test('combined shipping, special orders (opspecialorder) and the express companies', async () => {
  const [t1, t2] = [await paidOrder('MP_COMB_1', 'oCombUser'), await paidOrder('MP_COMB_2', 'oCombUser')];
  const token = (await stable()).access_token;
  const sub = (no, over = {}) => ({
    order_key: { order_number_type: 1, mchid: MCHID, out_trade_no: no },
    logistics_type: 3,
    delivery_mode: 1,
    shipping_list: [{ item_desc: '会员卡' }],
    ...over,
  });
  const combined = (subs) => ({
    order_key: { order_number_type: 1, mchid: MCHID, out_trade_no: 'MP_COMB_PARENT' },
    sub_orders: subs,
    upload_time: '2026-12-07T20:00:00+08:00',
    payer: { openid: 'oCombUser' },
  });
  const badSub = sub('MP_COMB_2', { shipping_list: [{ item_desc: '' }] });
  assert.equal(
    (await wxa('upload_combined_shipping_info', token, combined([sub('MP_COMB_1'), badSub]))).errcode,
    10060008,
  );
  assert.equal(
    (await wxa('get_order', token, { transaction_id: t1 })).order.order_state,
    1,
    'nothing recorded when one sub-order fails',
  );
  assert.equal(
    (await wxa('upload_combined_shipping_info', token, combined([sub('MP_COMB_1'), sub('MP_COMB_2')]))).errcode,
    0,
  );
  assert.equal((await wxa('get_order', token, { transaction_id: t2 })).order.order_state, 2);

  const t3 = await paidOrder('MP_SPECIAL_3', 'oSpecialUser');
  const paidAt = (await wxa('get_order', token, { transaction_id: t3 })).order.pay_time;
  assert.equal((await wxa('opspecialorder', token, { order_id: t3, type: 3 })).errcode, 268546000);
  assert.equal(
    (await wxa('opspecialorder', token, { order_id: t3, type: 1, delay_to: paidAt + 86400 })).errcode,
    268546001,
  );
  assert.equal((await wxa('opspecialorder', token, { order_id: 'nope', type: 2 })).errcode, 268546002);
  assert.equal(
    (await wxa('opspecialorder', token, { order_id: 'MP_SPECIAL_3', type: 1, delay_to: paidAt + 20 * 86400 })).errcode,
    0,
  );
  assert.equal(
    (await wxa('opspecialorder', token, { order_id: t1, type: 2 })).errcode,
    268546002,
    'a shipped order cannot be reported',
  );
  const companies = (
    await post(`${base}/cgi-bin/express/delivery/open_msg/get_delivery_list?access_token=${token}`, {})
  ).json;
  assert.equal(companies.errcode, 0);
  assert.ok(companies.delivery_list.some((c) => c.delivery_id === 'SF' && c.delivery_name === '顺丰速运'));
});

test('pushes in XML and in plain mode; a URL that does not echo is refused; unacknowledged pushes are retried', async () => {
  const tid = await paidOrder('MP_PUSH_2', 'oPushUser_2');
  receiver.state.echo = false;
  const refused = await control('/push-config', { url: receiver.url, token: PUSH_TOKEN, encodingAESKey: AES_KEY });
  assert.equal(refused.status, 409);
  receiver.state.echo = true;
  assert.equal(
    (await control('/push-config', { url: receiver.url, token: PUSH_TOKEN, encodingAESKey: AES_KEY, format: 'xml' }))
      .status,
    200,
  );
  const r = await control('/push', { event: 'trade_manage_remind_shipping', transaction_id: tid });
  assert.equal(r.json.acknowledged, true);
  const p = receiver.got.at(-1);
  const encrypt = /<Encrypt><!\[CDATA\[([^\]]+)\]\]><\/Encrypt>/.exec(p.body)[1];
  assert.equal(p.query.msg_signature, sha1(PUSH_TOKEN, p.query.timestamp, p.query.nonce, encrypt));
  const inner = decryptPush(encrypt);
  assert.match(inner, /<Event><!\[CDATA\[trade_manage_remind_shipping\]\]><\/Event>/);
  assert.match(inner, new RegExp(`<transaction_id><!\\[CDATA\\[${tid}\\]\\]></transaction_id>`));
  assert.equal(
    (await control('/push-config', { url: receiver.url, token: PUSH_TOKEN, mode: 'plain', verify: false })).status,
    200,
  );
  await control('/push', { event: 'trade_manage_remind_access_api' });
  const plain = receiver.got.at(-1);
  assert.equal(plain.query.encrypt_type, undefined);
  assert.equal(plain.query.signature, sha1(PUSH_TOKEN, plain.query.timestamp, plain.query.nonce));
  assert.equal(JSON.parse(plain.body).Event, 'trade_manage_remind_access_api');
  // Not acknowledged: WeChat tries 3 more times (5 s apart, scaled: the fast mock).
  const fastReceiver = await startReceiver();
  fastReceiver.state.answer = 'fail';
  await control('/push-config', { url: fastReceiver.url, token: PUSH_TOKEN, encodingAESKey: AES_KEY }, fastBase);
  const first = await control('/push', { event: 'trade_manage_remind_access_api' }, fastBase);
  assert.equal(first.json.attempts.length, 1, 'the control call answers after the first attempt');
  let record;
  for (let i = 0; i < 100 && !(record?.attempts.length >= 4); i++) {
    await new Promise((r) => setTimeout(r, 20));
    record = (await (await fetch(`${fastBase}/_mock/miniprogram/pushes`)).json()).at(-1);
  }
  assert.equal(record.attempts.length, 4);
  assert.equal(record.acknowledged, false);
  assert.equal(fastReceiver.got.length, 4);
  fastReceiver.server.close();
});

// ---- xpay ----------------------------------------------------------------------------------

const hmacHex = (key, text) => createHmac('sha256', key).update(text).digest('hex');

/** An xpay call signed here: pay_sig over uri&body with the AppKey, signature over body with the session_key. */
async function xpay(uri, body, { token, sessionKey, appKey = cfg.appKey, paySig, signature } = {}) {
  const text = JSON.stringify(body);
  const q = new URLSearchParams({ access_token: token, pay_sig: paySig ?? hmacHex(appKey, `${uri}&${text}`) });
  if (sessionKey) {
    q.set('signature', signature ?? hmacHex(sessionKey, text));
    q.set('sig_method', 'hmac_sha256');
  }
  return (await post(`${base}${uri}?${q}`, text)).json;
}

test('xpay: both signatures checked (a wrong one refused), coin balance, goods order provided and refunded', async () => {
  const openid = 'oXpayUser_1';
  const { session_key: sessionKey } = await exchange(await login(openid));
  const token = (await stable()).access_token;
  assert.equal((await control('/xpay/recharge', { openid, amount: 100 })).status, 200);
  const ask = { openid, env: 0, user_ip: '127.0.0.1' };
  const bal = await xpay('/xpay/query_user_balance', ask, { token, sessionKey });
  assert.equal(bal.errcode, 0, JSON.stringify(bal));
  assert.equal(bal.balance, 100);
  assert.equal(
    (await xpay('/xpay/query_user_balance', ask, { token, sessionKey, appKey: cfg.sandboxAppKey })).errcode,
    268490003,
  );
  assert.equal(
    (await xpay('/xpay/query_user_balance', ask, { token, sessionKey, signature: 'ab'.repeat(32) })).errcode,
    268490003,
  );
  // A new login gives a new session_key: the old one no longer signs.
  await exchange(await login(openid));
  assert.equal((await xpay('/xpay/query_user_balance', ask, { token, sessionKey })).errcode, 268490003);
  const { session_key: fresh } = await exchange(await login(openid));
  const pay = await xpay(
    '/xpay/currency_pay',
    { ...ask, amount: 30, order_id: 'COIN_1', payitem: '', remark: 'sword' },
    { token, sessionKey: fresh },
  );
  assert.deepEqual([pay.errcode, pay.balance], [0, 70]);
  assert.equal(
    (await xpay('/xpay/currency_pay', { ...ask, amount: 30, order_id: 'COIN_1' }, { token, sessionKey: fresh }))
      .errcode,
    268490004,
  );
  assert.equal(
    (await xpay('/xpay/currency_pay', { ...ask, amount: 71, order_id: 'COIN_2' }, { token, sessionKey: fresh }))
      .errcode,
    268490006,
  );

  assert.equal((await control('/xpay/orders', { openid, order_id: 'GOODS_1', amount: 600 })).status, 200);
  const q = { openid, env: 0, order_id: 'GOODS_1' };
  assert.equal((await xpay('/xpay/query_order', q, { token })).order.status, 2);
  assert.equal((await xpay('/xpay/notify_provide_goods', { order_id: 'GOODS_1', env: 0 }, { token })).errcode, 0);
  assert.equal((await xpay('/xpay/query_order', q, { token })).order.status, 4);
  const refund = { ...q, refund_order_id: 'RF_1', left_fee: 500, refund_fee: 600, refund_reason: '1', req_from: '1' };
  assert.equal((await xpay('/xpay/refund_order', refund, { token })).errcode, 268490016);
  assert.equal((await xpay('/xpay/refund_order', { ...refund, left_fee: 600 }, { token })).errcode, 0);
  assert.equal((await xpay('/xpay/query_order', q, { token })).order.status, 5);
  assert.equal((await xpay('/xpay/query_order', q, { token, paySig: '0'.repeat(64) })).errcode, 268490003);
});

test('the control interface: unknown routes 404, a reset forgets codes and tokens', async () => {
  assert.equal((await fetch(`${fastBase}/_mock/miniprogram/nope`)).status, 404);
  const code = await login('oResetUser', fastBase);
  const t = (await stable(fastBase)).access_token;
  assert.equal((await post(`${fastBase}/_mock/reset`, {})).status, 200);
  assert.equal((await exchange(code, { at: fastBase })).errcode, 40029);
  assert.equal((await wxa('is_trade_managed', t, { appid: APPID }, fastBase)).errcode, 40001);
});

// ---- the CLI -------------------------------------------------------------------------------

const CLI = fileURLToPath(new URL('../../pkg/cli/cli.mjs', import.meta.url));
/** `wxpay-wasm …` as a child process (async: the mock answers in this process): { code, stdout, stderr }. */
const cli = (args) =>
  new Promise((resolve) =>
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { PATH: process.env.PATH }, timeout: 30000 },
      (e, stdout, stderr) => resolve({ code: e ? e.code : 0, stdout, stderr }),
    ),
  );

test('the CLI drives the mini-program platform: mp, mp-login, mp-orders, confirm-receive, usage errors', async () => {
  const shown = await cli(['mock', 'mp', '--url', base]);
  assert.equal(shown.code, 0, shown.stderr);
  assert.equal(JSON.parse(shown.stdout).secret, cfg.secret);
  const logged = await cli(['mock', 'mp-login', '--openid', 'oCliUser_1', '--url', base]);
  assert.equal(logged.code, 0, logged.stderr);
  assert.equal((await exchange(JSON.parse(logged.stdout).code)).openid, 'oCliUser_1');
  const orders = await cli(['mock', 'mp-orders', '--url', base]);
  assert.ok(JSON.parse(orders.stdout).some((o) => o.merchant_trade_no === 'MP_SHIP_1' && o.order_state === 3));
  const noId = await cli(['mock', 'confirm-receive', '--url', base]);
  assert.equal(noId.code, 2);
  assert.match(noId.stderr, /needs an id \(transaction_id\)/);
  const unknown = await cli(['mock', 'confirm-receive', '4200000000000000', '--url', base]);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /no paid order/);
  const lonely = await cli(['mock', '--key', KEY, '--mp-push-token', 'abc123', '--port', '0', '--exit-after', '1']);
  assert.equal(lonely.code, 2);
  assert.match(lonely.stderr, /need --mp-push-url/);
});
