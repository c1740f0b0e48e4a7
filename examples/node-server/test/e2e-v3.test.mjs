// End to end in v3 mode (WXPAY_API=v3): the same merchant server, state machine and store,
// talking WeChat Pay API v3 to the package's mock (its --keys-dir gives both sides their keys).
// paySign and the mock's records are checked with node:crypto, not with the code under test.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, createVerify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APPID, call, readV3Keys, startMock, startShop, startTlsFront, waitFor } from './helpers.mjs';

const dir = mkdtempSync(join(tmpdir(), 'wxpay-e2e-v3-'));
let mock;
let shop;
let keys;

let front;

before(async () => {
  front = await startTlsFront(dir, () => shop.url);
  mock = await startMock(['--keys-dir', join(dir, 'keys'), '--time-scale', '0.0001', '--refund-delay', '5'], {
    env: { NODE_EXTRA_CA_CERTS: front.certFile },
  });
  keys = readV3Keys(join(dir, 'keys'));
  shop = await startShop(mock.url, { api: 'v3', key: undefined, v3: keys, notifyBaseUrl: front.url });
});
after(async () => {
  await shop?.stop();
  await front?.close();
  await mock?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const order = async (no) => (await call(shop.url, 'GET', `/orders/${no}`)).body;
const mockOrder = async (no) => (await call(mock.url, 'GET', `/_mock/orders/${no}`)).body;
const ctl = (path, body = {}) => call(mock.url, 'POST', `/_mock${path}`, body);
const paid = (no) => waitFor(async () => (await order(no)).state === 'PAID', `order ${no} PAID`);

async function newOrder(totalFee = 100) {
  const res = await call(shop.url, 'POST', '/orders', { openid: 'o-v3-e2e', total_fee: totalFee });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

describe('v3 payment', () => {
  test('happy path: order, RSA requestPayment params, pay in the mock, signed callback → PAID once', async () => {
    const created = await newOrder(100);
    const p = created.payment;
    assert.equal(p.appId, APPID);
    assert.equal(p.signType, 'RSA');
    assert.match(p.package, /^prepay_id=wx\d+/);
    // paySign checked with node:crypto against the merchant key's public half (WeChat's documented message).
    const message = `${p.appId}\n${p.timeStamp}\n${p.nonceStr}\n${p.package}\n`;
    assert.ok(
      createVerify('RSA-SHA256').update(message).verify(createPublicKey(keys.privateKey), p.paySign, 'base64'),
      'paySign verifies',
    );
    assert.equal((await mockOrder(created.out_trade_no)).api, 'v3');

    assert.equal((await ctl(`/orders/${created.out_trade_no}/pay`)).status, 200);
    await paid(created.out_trade_no);
    const m = await waitFor(async () => {
      const x = await mockOrder(created.out_trade_no);
      return x.notify_state === 'acknowledged' && x;
    }, 'acknowledged');
    const o = await order(created.out_trade_no);
    assert.deepEqual(
      o.history.map((h) => [h.from_state, h.to_state, h.source]),
      [['CREATED', 'PAID', 'notify']],
    );
    assert.equal(o.transaction_id, m.transaction_id);
    assert.equal(m.deliveries.length, 1);
  });

  test('duplicate callbacks (sent at once) make one transition and are all acknowledged (204)', async () => {
    const { out_trade_no: no } = await newOrder(250);
    await ctl(`/orders/${no}/pay`);
    await paid(no);
    const dup = await ctl(`/orders/${no}/notify`, { kind: 'duplicate', count: 5 });
    assert.equal(dup.body.replies.length, 5);
    assert.ok(
      dup.body.replies.every((r) => r.ok),
      JSON.stringify(dup.body.replies),
    );
    assert.equal((await order(no)).history.length, 1);
    assert.equal((await call(shop.url, 'GET', '/admin/stats')).status, 200);
  });

  test('forged, tampered and stale callbacks are refused (not 2xx) and change nothing', async () => {
    const { out_trade_no: no } = await newOrder(300);
    for (const kind of ['forged', 'tampered', 'stale']) {
      const res = await ctl(`/orders/${no}/notify`, { kind });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.replies[0].ok, false, `${kind} must be refused`);
      const o = await order(no);
      assert.equal(o.state, 'CREATED');
      assert.equal(o.history.length, 0);
    }
    assert.ok(
      shop.logs.some((l) => /notify REJECTED SIGN_MISMATCH/.test(l)),
      shop.logs.join('\n'),
    );
    assert.ok(
      shop.logs.some((l) => /notify REJECTED TIMESTAMP_SKEW/.test(l)),
      shop.logs.join('\n'),
    );
    assert.equal((await mockOrder(no)).trade_state, 'NOTPAY');
  });

  test('a callback that is not JSON or not signed at all is refused with 500 and a v3 error body', async () => {
    const { out_trade_no: no } = await newOrder(310);
    const res = await fetch(`${shop.url}/wxpay/notify`, {
      method: 'POST',
      body: JSON.stringify({ id: 'x', resource: { out_trade_no: no } }),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(res.status, 500);
    assert.equal((await res.json()).code, 'FAIL');
    assert.equal((await order(no)).state, 'CREATED');
  });

  test('a lost callback is found by reconciliation (the v3 order query)', async () => {
    const { out_trade_no: no } = await newOrder(400);
    await ctl(`/orders/${no}/pay`, { notify: false });
    assert.equal((await order(no)).state, 'CREATED');
    const r = await call(shop.url, 'POST', '/admin/reconcile', { unpaidAfterSeconds: 0 });
    assert.ok(r.body.paid >= 1, JSON.stringify(r.body));
    const o = await order(no);
    assert.equal(o.state, 'PAID');
    assert.deepEqual(
      o.history.map((h) => h.source),
      ['reconcile'],
    );
    assert.equal(o.transaction_id, (await mockOrder(no)).transaction_id);
    // A late callback afterwards is a duplicate.
    const late = await ctl(`/orders/${no}/notify`, { kind: 'once' });
    assert.ok(late.body.replies[0].ok);
    assert.equal((await order(no)).history.length, 1);
  });

  test('an expired order is closed by reconciliation (the v3 close), at the mock too', async () => {
    const { out_trade_no: no } = await newOrder(500);
    await call(shop.url, 'POST', '/admin/reconcile', { unpaidAfterSeconds: 0 });
    assert.equal((await order(no)).state, 'CREATED', 'not past its TTL: left alone');
    const r = await call(shop.url, 'POST', '/admin/reconcile', { unpaidAfterSeconds: 0, expireAfterSeconds: 0 });
    assert.ok(r.body.closed >= 1, JSON.stringify(r.body));
    assert.equal((await order(no)).state, 'CLOSED');
    assert.equal((await mockOrder(no)).trade_state, 'CLOSED');
  });
});

describe('v3 refund', () => {
  test('refund: PAID → REFUNDING → REFUNDED through the REFUND.SUCCESS callback; a second refund is refused', async () => {
    const { out_trade_no: no } = await newOrder(600);
    await ctl(`/orders/${no}/pay`);
    await paid(no);
    const r = await call(shop.url, 'POST', `/orders/${no}/refund`);
    assert.equal(r.status, 202, JSON.stringify(r.body));
    assert.ok(r.body.refund_id, 'the v3 refund answer carries refund_id');
    await waitFor(async () => (await order(no)).state === 'REFUNDED', 'REFUNDED');
    const o = await order(no);
    assert.deepEqual(
      o.history.map((h) => `${h.from_state}→${h.to_state}:${h.source}`),
      ['CREATED→PAID:notify', 'PAID→REFUNDING:refund', 'REFUNDING→REFUNDED:refund-notify'],
    );
    assert.equal(o.refunds[0].state, 'SUCCESS');
    assert.equal(o.refunds[0].refund_id, r.body.refund_id);
    assert.equal((await call(shop.url, 'POST', `/orders/${no}/refund`)).status, 409);
  });
});

describe('v3 configuration', () => {
  test('an unknown WXPAY_API and a v3 mode without its keys are refused at start, naming what is missing', async () => {
    const { createApp } = await import('../app.js');
    const base = {
      appid: APPID,
      mchId: keys.mchid,
      baseUrl: mock.url,
      dbFile: ':memory:',
      orderTtlSeconds: 900,
      reconcileAfterSeconds: 60,
      log: () => {},
    };
    await assert.rejects(createApp({ ...base, api: 'v4' }), /WXPAY_API must be v2 or v3, not v4/);
    await assert.rejects(createApp({ ...base, api: 'v3', v3: { ...keys, apiV3Key: '' } }), /v3 mode needs apiV3Key/);
    await assert.rejects(createApp({ ...base, api: 'v3' }), /v3 mode needs serialNo/);
  });
});
