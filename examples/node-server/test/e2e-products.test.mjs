// End to end in v3 mode, beyond the mini-program order (flows.js): a Native order paid in the
// mock (its code_url, the payment callback, the same store transition as JSAPI), and transfers
// to a user (商家转账) that the user confirms or rejects in the mock, each ending through the
// MCHTRANSFER.BILL.FINISHED callback. The mock's records are read from its control interface.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APPID, MCH_ID, call, readV3Keys, startMock, startShop, startTlsFront, waitFor } from './helpers.mjs';

const dir = mkdtempSync(join(tmpdir(), 'wxpay-e2e-products-'));
let mock;
let shop;
let front;

before(async () => {
  front = await startTlsFront(dir, () => shop.url);
  mock = await startMock(['--keys-dir', join(dir, 'keys'), '--time-scale', '0.0001', '--refund-delay', '5'], {
    env: { NODE_EXTRA_CA_CERTS: front.certFile },
  });
  shop = await startShop(mock.url, {
    api: 'v3',
    key: undefined,
    v3: readV3Keys(join(dir, 'keys')),
    notifyBaseUrl: front.url,
  });
});
after(async () => {
  await shop?.stop();
  await front?.close();
  await mock?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const get = async (path) => (await call(shop.url, 'GET', path)).body;
const ctl = (path, body = {}) => call(mock.url, 'POST', `/_mock${path}`, body);
const mockGet = async (path) => (await call(mock.url, 'GET', `/_mock${path}`)).body;

describe('v3 Native', () => {
  test('a Native order: code_url, paid in the mock, the signed callback makes it PAID once; then refunded', async () => {
    const res = await call(shop.url, 'POST', '/orders/native', { total_fee: 880, body: 'QR order' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const no = res.body.out_trade_no;
    assert.match(res.body.code_url, /^weixin:\/\/wxpay\/bizpayurl\?pr=/);
    const m = await mockGet(`/orders/${no}`);
    assert.deepEqual([m.trade_type, m.code_url, m.api], ['NATIVE', res.body.code_url, 'v3']);
    assert.equal((await get(`/orders/${no}`)).state, 'CREATED');

    assert.equal((await ctl(`/orders/${no}/pay`)).status, 200);
    await waitFor(async () => (await get(`/orders/${no}`)).state === 'PAID', `Native order ${no} PAID`);
    const o = await get(`/orders/${no}`);
    assert.deepEqual(
      o.history.map((h) => [h.from_state, h.to_state, h.source]),
      [['CREATED', 'PAID', 'notify']],
    );
    assert.equal(o.transaction_id, (await mockGet(`/orders/${no}`)).transaction_id);
    const dup = await ctl(`/orders/${no}/notify`, { kind: 'duplicate', count: 3 });
    assert.ok(
      dup.body.replies.every((r) => r.ok),
      JSON.stringify(dup.body.replies),
    );
    assert.equal((await get(`/orders/${no}`)).history.length, 1);

    assert.equal((await call(shop.url, 'POST', `/orders/${no}/refund`)).status, 202);
    await waitFor(async () => (await get(`/orders/${no}`)).state === 'REFUNDED', `Native order ${no} REFUNDED`);
  });

  test('a Native order with a bad amount is refused before WeChat', async () => {
    const res = await call(shop.url, 'POST', '/orders/native', { total_fee: -1 });
    assert.equal(res.status, 400);
  });
});

describe('v3 transfers', () => {
  async function newTransfer(amount) {
    const res = await call(shop.url, 'POST', '/transfers', { openid: 'o-transfer-e2e', amount, remark: '新会员奖励' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  }

  test('created WAIT_USER_CONFIRM with what wx.requestMerchantTransfer needs; the user confirms → callback → SUCCESS', async () => {
    const t = await newTransfer(30);
    assert.equal(t.state, 'WAIT_USER_CONFIRM');
    const m = await mockGet(`/transfers/${t.out_bill_no}`);
    // The mini-program's arguments: the merchant, the appid, and the bill's package_info as WeChat gave it.
    assert.deepEqual(t.transfer, { mchId: MCH_ID, appId: APPID, package: m.package_info });
    assert.equal(t.transfer_bill_no, m.transfer_bill_no);
    assert.deepEqual([m.transfer_amount, m.openid, m.transfer_scene_id], [30, 'o-transfer-e2e', '1000']);
    const stored = await get(`/transfers/${t.out_bill_no}`);
    assert.deepEqual([stored.state, stored.package_info, stored.amount], ['WAIT_USER_CONFIRM', m.package_info, 30]);

    assert.equal((await ctl(`/transfers/${t.out_bill_no}/confirm`)).status, 200);
    await waitFor(async () => (await get(`/transfers/${t.out_bill_no}`)).state === 'SUCCESS', 'transfer SUCCESS');
    await waitFor(
      async () => (await mockGet(`/transfers/${t.out_bill_no}`)).notify_state === 'acknowledged',
      'the transfer callback acknowledged',
    );
    assert.ok(
      shop.logs.some((l) => l.includes(`transfer notify ${t.out_bill_no}: → SUCCESS`)),
      shop.logs.join('\n'),
    );
    // A confirmed bill cannot be rejected afterwards, and the store keeps SUCCESS.
    assert.notEqual((await ctl(`/transfers/${t.out_bill_no}/reject`)).status, 200);
    assert.equal((await get(`/transfers/${t.out_bill_no}`)).state, 'SUCCESS');
  });

  test('the user rejects → callback → FAIL with its reason; the query endpoint agrees with WeChat', async () => {
    const t = await newTransfer(45);
    assert.equal((await ctl(`/transfers/${t.out_bill_no}/reject`)).status, 200);
    await waitFor(async () => (await get(`/transfers/${t.out_bill_no}`)).state === 'FAIL', 'transfer FAIL');
    const stored = await get(`/transfers/${t.out_bill_no}`);
    assert.equal(stored.fail_reason, (await mockGet(`/transfers/${t.out_bill_no}`)).fail_reason);
    const synced = await call(shop.url, 'POST', `/transfers/${t.out_bill_no}/sync`);
    assert.deepEqual([synced.status, synced.body.state], [200, 'FAIL']);
  });

  test('a forged transfer callback is refused and changes nothing; unknown bills are 404', async () => {
    const t = await newTransfer(12);
    const res = await fetch(`${shop.url}/wxpay/transfer-notify`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'wechatpay-serial': 'PUB_KEY_ID_0000000000000000',
        'wechatpay-signature': 'AAAA',
        'wechatpay-timestamp': String(Math.floor(Date.now() / 1000)),
        'wechatpay-nonce': 'n',
      },
      body: JSON.stringify({ id: 'x', event_type: 'MCHTRANSFER.BILL.FINISHED', resource: {} }),
    });
    assert.ok(res.status >= 400, `forged callback answered ${res.status}`);
    assert.equal((await get(`/transfers/${t.out_bill_no}`)).state, 'WAIT_USER_CONFIRM');
    assert.equal((await call(shop.url, 'GET', '/transfers/T0')).status, 404);
    assert.equal((await call(shop.url, 'POST', '/transfers', { openid: 'o', amount: 0 })).status, 400);
  });
});
