// The mini-program around the payment, end to end against the package's mock (which plays the
// mini-program platform too): the user logs in (wx.login's code → openid through the server's
// POST /login), orders, pays (the mock plays the payer), the server ships the order
// (upload_shipping_info), the user confirms receipt (the mock's control interface), WeChat pushes
// trade_manage_order_settlement in safe mode to the server's push endpoint (createPushHandler),
// and the order is settled in the server's store. Then two servers sharing nothing but the mock
// each log users in and ship orders, the second one starting in the token's last 5 minutes and
// so getting a renewed token from stable_token, while the mock counts every call it refused for
// its access_token: none. Last, the first flow again on API v3.
import assert from 'node:assert/strict';
import { createPublicKey, createVerify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { APPID, call, md5Sign, readV3Keys, startMock, startShop, startTlsFront, waitFor } from './helpers.mjs';

const PUSH_TOKEN = 'shopPushToken2026';
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
let mock;
let settings;
const shops = [];

before(async () => {
  mock = await startMock();
  settings = (await call(mock.url, 'GET', '/_mock/miniprogram')).body;
});
after(async () => {
  for (const s of shops) await s.stop();
  await mock?.stop();
});

/** A merchant server with the mini-program configured against the mock (`over`: the v3 settings). */
async function shop(over = {}, m = mock, mp = settings) {
  const s = await startShop(m.url, {
    miniprogram: { secret: mp.secret, baseUrl: m.url, pushToken: PUSH_TOKEN, pushAesKey: AES_KEY },
    ...over,
  });
  shops.push(s);
  return s;
}

/** wx.login in the mini-program (the mock plays it), then the mini-program calls the server's /login. */
async function login(s, openid, m = mock) {
  const { code } = (await call(m.url, 'POST', '/_mock/miniprogram/login', { openid })).body;
  return call(s.url, 'POST', '/login', { code });
}

/** An order of `openid`, paid by the user through the mock, PAID in the server's store. */
async function paidOrder(s, openid, m = mock) {
  const created = await call(s.url, 'POST', '/orders', { openid, total_fee: 100, body: '微信红包抱枕' });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const no = created.body.out_trade_no;
  assert.equal((await call(m.url, 'POST', `/_mock/orders/${no}/pay`, {})).status, 200);
  const order = await waitFor(async () => {
    const o = (await call(s.url, 'GET', `/orders/${no}`)).body;
    return o.state === 'PAID' && o;
  }, `order ${no} PAID`);
  return { no, order, payment: created.body.payment };
}

test('login → order → wx.requestPayment → paid → shipped → receipt confirmed → settlement pushed → settled', async () => {
  const s = await shop();
  // The mock checks the push URL as WeChat does when the developer saves it: GET with echostr.
  const cfg = await call(mock.url, 'POST', '/_mock/miniprogram/push-config', {
    url: `${s.url}/wechat/push`,
    token: PUSH_TOKEN,
    encodingAESKey: AES_KEY,
    mode: 'safe',
  });
  assert.equal(cfg.status, 200, JSON.stringify(cfg.body));

  const { code } = (await call(mock.url, 'POST', '/_mock/miniprogram/login', { openid: 'oShopUser_1' })).body;
  const logged = await call(s.url, 'POST', '/login', { code });
  assert.deepEqual([logged.status, logged.body], [200, { openid: 'oShopUser_1' }]);
  const again = await call(s.url, 'POST', '/login', { code });
  assert.deepEqual([again.status, again.body.code], [400, 'LOGIN_CODE_INVALID'], 'a code is good for one exchange');

  const { no, order, payment } = await paidOrder(s, logged.body.openid);
  // wx.requestPayment's parameters, checked with node:crypto from WeChat's rule (MD5, sorted, &key=).
  const { paySign, ...signed } = payment;
  assert.equal(paySign, md5Sign(signed));
  assert.equal(payment.appId, APPID);
  assert.equal((await call(mock.url, 'GET', `/_mock/miniprogram/orders/${order.transaction_id}`)).body.order_state, 1);

  const early = await call(s.url, 'POST', `/orders/${no}/ship`, { tracking_no: 'SF1234567890' });
  assert.equal(early.status, 400, 'no express company: refused before anything is sent');
  const noContact = { tracking_no: 'SF1234567890', express_company: 'SF' };
  assert.equal((await call(s.url, 'POST', `/orders/${no}/ship`, noContact)).status, 400, 'SF needs a contact');
  const shipped = await call(s.url, 'POST', `/orders/${no}/ship`, { ...noContact, receiver_contact: '189****1234' });
  assert.equal(shipped.status, 200, JSON.stringify(shipped.body));
  assert.equal(shipped.body.shipping.tracking_no, 'SF1234567890');
  const atWechat = (await call(mock.url, 'GET', `/_mock/miniprogram/orders/${order.transaction_id}`)).body;
  assert.equal(atWechat.order_state, 2);
  assert.equal(atWechat.shipping.shipping_list[0].goods_desc, '微信红包抱枕');

  const confirmed = await call(mock.url, 'POST', `/_mock/miniprogram/orders/${order.transaction_id}/confirm-receive`);
  assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
  assert.equal(confirmed.body.push.acknowledged, true, JSON.stringify(confirmed.body.push));
  const settled = await waitFor(async () => {
    const o = (await call(s.url, 'GET', `/orders/${no}`)).body;
    return o.shipping?.settled_at && o;
  }, `order ${no} settled`);
  assert.equal(settled.state, 'PAID');
  assert.ok(s.logs.some((l) => l.includes(`order ${no} SETTLED`)));
});

test('a forged push is refused (400) and settles nothing; a repeated one changes nothing', async () => {
  const s = shops[0];
  const before = s.logs.length;
  const forged = await fetch(
    `${s.url}/wechat/push?signature=00&timestamp=1765108800&nonce=1&encrypt_type=aes&msg_signature=${'0'.repeat(40)}`,
    { method: 'POST', body: JSON.stringify({ ToUserName: settings.originalId, Encrypt: 'AAAA' }) },
  );
  assert.equal(forged.status, 400);
  assert.ok(
    s.logs.slice(before).some((l) => /push REFUSED SIGN_MISMATCH/.test(l)),
    s.logs.slice(before).join('\n'),
  );
  // WeChat pushing the same settlement again (the mock's generic push, same transaction).
  const [paid] = (await call(mock.url, 'GET', '/_mock/miniprogram/orders')).body.filter((o) => o.order_state === 3);
  const repeat = await call(mock.url, 'POST', '/_mock/miniprogram/push', {
    event: 'trade_manage_order_settlement',
    transaction_id: paid.transaction_id,
  });
  assert.equal(repeat.body.acknowledged, true);
  await waitFor(() => s.logs.some((l) => l.includes('settled already (repeat push)')), 'the repeat logged');
});

test('two servers sharing nothing but the mock: stable_token, renewed by the second, fails neither', async () => {
  const a = await shop();
  const refused = async () => (await call(mock.url, 'GET', '/_mock/miniprogram/tokens')).body.refused;
  const start = await refused();
  const shipOne = async (s, i) => {
    const openid = `oTwoServers_${i}`;
    assert.equal((await login(s, openid)).status, 200);
    const { no } = await paidOrder(s, openid);
    const r = await call(s.url, 'POST', `/orders/${no}/ship`, { tracking_no: `YT${i}000`, express_company: 'YTO' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  };
  await shipOne(a, 1);
  // The token's clock moves into its last 5 minutes (7200 s token, 6950 s later at WeChat).
  await call(mock.url, 'POST', '/_mock/miniprogram/tokens/advance', { seconds: 6950 });
  const b = await shop(); // starts now: stable_token gives it a renewed token
  await Promise.all([shipOne(a, 2), shipOne(b, 3), shipOne(b, 4), shipOne(a, 5)]);
  const stats = (await call(mock.url, 'GET', '/_mock/miniprogram/tokens')).body;
  assert.ok(stats.issued >= 2, `a renewed token was issued (${stats.issued})`);
  assert.deepEqual(await refused(), start, 'no call refused for its access_token');
});

test('the same flow on API v3: JSAPI order, RSA paySign, signed callback, shipped, settled', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wxpay-e2e-mp-v3-'));
  let s;
  const front = await startTlsFront(dir, () => s.url); // v3 notify_url is https: a TLS front, as in e2e-v3
  const m = await startMock(['--keys-dir', join(dir, 'keys')], { env: { NODE_EXTRA_CA_CERTS: front.certFile } });
  try {
    const mp = (await call(m.url, 'GET', '/_mock/miniprogram')).body;
    const keys = readV3Keys(join(dir, 'keys'));
    s = await shop({ api: 'v3', key: undefined, v3: keys, notifyBaseUrl: front.url }, m, mp);
    const cfg = { url: `${s.url}/wechat/push`, token: PUSH_TOKEN, encodingAESKey: AES_KEY };
    assert.equal((await call(m.url, 'POST', '/_mock/miniprogram/push-config', cfg)).status, 200);
    const logged = await login(s, 'oShopUserV3', m);
    assert.equal(logged.status, 200, JSON.stringify(logged.body));
    const { no, order, payment } = await paidOrder(s, logged.body.openid, m);
    const message = `${payment.appId}\n${payment.timeStamp}\n${payment.nonceStr}\n${payment.package}\n`;
    const pub = createPublicKey(keys.privateKey);
    assert.ok(createVerify('RSA-SHA256').update(message).verify(pub, payment.paySign, 'base64'), 'paySign verifies');
    const ship = { tracking_no: 'ZTO778899', express_company: 'ZTO' };
    assert.equal((await call(s.url, 'POST', `/orders/${no}/ship`, ship)).status, 200);
    const tid = order.transaction_id;
    assert.equal((await call(m.url, 'POST', `/_mock/miniprogram/orders/${tid}/confirm-receive`)).status, 200);
    await waitFor(async () => (await call(s.url, 'GET', `/orders/${no}`)).body.shipping?.settled_at, `${no} settled`);
  } finally {
    if (s) {
      shops.splice(shops.indexOf(s), 1);
      await s.stop();
    }
    await front.close();
    await m.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
