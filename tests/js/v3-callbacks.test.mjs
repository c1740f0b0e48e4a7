// Every v3 callback family through one verifier (issue 27, item 7): payments (direct,
// partner 服务商, combine 合单), refunds (SUCCESS, ABNORMAL, CLOSED; direct and partner),
// transfers (MCHTRANSFER.BILL.FINISHED), profit sharing and complaints. Each callback is
// built here with node:crypto only (AES-256-GCM resource, RSA-SHA256 signature), with the
// resource fields of WeChat's docs (src/v3/notify.rs cites them); verifyNotify must return
// the plaintext as sent, the expectations must read each family's own fields, and the
// client's notify handler must route each event to its `on` hook. Each refusal has its
// exact code and is followed by a good call.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import * as v3 from '../../pkg/v3/node/index.mjs';
import { signedCallback } from './support/v3-callback.mjs';

const wechat = generateKeyPairSync('rsa', { modulusLength: 2048 });
const forger = generateKeyPairSync('rsa', { modulusLength: 2048 });
const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PUB_ID = 'PUB_KEY_ID_0119000001092026120700000000000001';
const API_V3_KEY = 'abcdefghijklmnopqrstuvwxyz012345';
const OTHER_KEY = '543210zyxwvutsrqponmlkjihgfedcba';
const APPID = 'wxd930ea5d5a258f4f';
const MCH = '1900000109';
const SUB = '1900000200';
const publicKeys = { [PUB_ID]: wechat.publicKey.export({ type: 'spki', format: 'pem' }) };
const opts = { apiV3Key: API_V3_KEY, publicKeys, appid: APPID, mchId: MCH };

/** A signed callback of `eventType` whose resource is `plain`, encrypted with `key`, signed by `signer`. */
const callback = (eventType, plain, { key = API_V3_KEY, signer = wechat.privateKey, original = 'transaction' } = {}) =>
  signedCallback(eventType, plain, { key, signer, serial: PUB_ID, original });

const amount = (total, refund) =>
  refund === undefined
    ? { total, payer_total: total, currency: 'CNY' }
    : { total, refund, payer_total: total, payer_refund: refund };
/** One resource per family, with WeChat's field names. */
const EVENTS = {
  paid: [
    'TRANSACTION.SUCCESS',
    {
      appid: APPID,
      mchid: MCH,
      out_trade_no: 'T1',
      transaction_id: '4200001',
      trade_state: 'SUCCESS',
      amount: amount(100),
    },
  ],
  paidPartner: [
    'TRANSACTION.SUCCESS',
    {
      sp_appid: APPID,
      sp_mchid: MCH,
      sub_appid: 'wxsub0000000000001',
      sub_mchid: SUB,
      out_trade_no: 'T2',
      trade_state: 'SUCCESS',
      amount: amount(200),
    },
  ],
  combine: [
    'TRANSACTION.SUCCESS',
    {
      combine_appid: APPID,
      combine_mchid: MCH,
      combine_out_trade_no: 'C1',
      sub_orders: [
        { mchid: MCH, out_trade_no: 'C1-1', trade_state: 'SUCCESS', amount: { total_amount: 10, currency: 'CNY' } },
      ],
    },
  ],
  refund: [
    'REFUND.SUCCESS',
    {
      mchid: MCH,
      out_trade_no: 'T1',
      out_refund_no: 'R1',
      refund_id: '5001',
      refund_status: 'SUCCESS',
      amount: amount(100, 30),
    },
  ],
  refundAbnormal: [
    'REFUND.ABNORMAL',
    { mchid: MCH, out_trade_no: 'T1', out_refund_no: 'R2', refund_status: 'ABNORMAL', amount: amount(100, 10) },
  ],
  refundClosed: [
    'REFUND.CLOSED',
    {
      sp_mchid: MCH,
      sub_mchid: SUB,
      out_trade_no: 'T2',
      out_refund_no: 'R3',
      refund_status: 'CLOSED',
      amount: amount(200, 20),
    },
  ],
  transfer: [
    'MCHTRANSFER.BILL.FINISHED',
    {
      mchid: MCH,
      out_bill_no: 'B1',
      transfer_bill_no: '1330000071100999991182020050700019480001',
      state: 'SUCCESS',
      transfer_amount: 400000,
      openid: 'o-1',
    },
  ],
  profitSharing: [
    'PROFITSHARING.SUCCESS',
    {
      sp_mchid: MCH,
      sub_mchid: SUB,
      transaction_id: '4200001',
      order_id: '3008450740201411110007820472',
      out_order_no: 'P1',
      receiver: { type: 'MERCHANT_ID', account: MCH, amount: 888, description: 'd' },
      success_time: '2026-12-07T20:00:00+08:00',
    },
  ],
  complaint: [
    'COMPLAINT.CREATE',
    { complaint_id: '200201820200101080076610000', action_type: 'CREATE_COMPLAINT', out_trade_no: 'T1' },
  ],
};

/** A rejection with exactly `code` (and `field` when given). */
async function refuses(promise, code, field) {
  await assert.rejects(promise, (e) => {
    assert.ok(e instanceof v3.WxPayError, String(e));
    assert.equal(e.code, code, e.message);
    if (field !== undefined) assert.equal(e.field, field, e.message);
    return true;
  });
  const good = callback(...EVENTS.paid);
  assert.equal((await v3.verifyNotify(good.body, good.headers, opts)).paid, true, 'the next good call');
}

test('verifyNotify: every family verified, decrypted as sent, expectations read from its own fields', async () => {
  for (const [name, [eventType, plain]] of Object.entries(EVENTS)) {
    const cb = callback(eventType, plain);
    const n = await v3.verifyNotify(cb.body, cb.headers, opts);
    assert.equal(n.event_type, eventType, name);
    assert.deepEqual(n.resource, plain, name);
    assert.equal(n.paid, name === 'paid' || name === 'paidPartner', name);
  }
  // Per-order expectations where the family carries them.
  const p = callback(...EVENTS.paidPartner);
  await v3.verifyNotify(p.body, p.headers, { ...opts, outTradeNo: 'T2', total: 200 });
  const c = callback(...EVENTS.combine);
  await v3.verifyNotify(c.body, c.headers, { ...opts, outTradeNo: 'C1' });
});

test('verifyNotify refusals: forged, wrong key, another partner or transfer merchant, unknown type, order asked of a transfer', async () => {
  const forged = callback(...EVENTS.transfer, { signer: forger.privateKey });
  await refuses(v3.verifyNotify(forged.body, forged.headers, opts), 'SIGN_MISMATCH');
  const wrongKey = callback(...EVENTS.complaint, { key: OTHER_KEY });
  await refuses(v3.verifyNotify(wrongKey.body, wrongKey.headers, opts), 'DECRYPT_FAILED');
  const [pt, pp] = EVENTS.paidPartner;
  // The sub-merchant is ours, the service provider is not: sp_mchid is what counts.
  const otherSp = callback(pt, { ...pp, sp_mchid: '1900000999', sub_mchid: MCH });
  await refuses(v3.verifyNotify(otherSp.body, otherSp.headers, opts), 'MCH_ID_MISMATCH', 'sp_mchid');
  const otherSpApp = callback(pt, { ...pp, sp_appid: 'wx0000000000000000', sub_appid: APPID });
  await refuses(v3.verifyNotify(otherSpApp.body, otherSpApp.headers, opts), 'APPID_MISMATCH', 'sp_appid');
  const [rt, rp] = EVENTS.refundClosed;
  const otherRefund = callback(rt, { ...rp, sp_mchid: '1900000999' });
  await refuses(v3.verifyNotify(otherRefund.body, otherRefund.headers, opts), 'MCH_ID_MISMATCH', 'sp_mchid');
  const [tt, tp] = EVENTS.transfer;
  const otherTransfer = callback(tt, { ...tp, mchid: '1900000999' });
  await refuses(v3.verifyNotify(otherTransfer.body, otherTransfer.headers, opts), 'MCH_ID_MISMATCH', 'mchid');
  const { mchid: _, ...noMch } = tp;
  const snake = callback(tt, { ...noMch, mch_id: '1900000999' });
  await refuses(v3.verifyNotify(snake.body, snake.headers, opts), 'MCH_ID_MISMATCH', 'mch_id');
  const noMerchant = callback(tt, noMch);
  await refuses(v3.verifyNotify(noMerchant.body, noMerchant.headers, opts), 'MCH_ID_MISMATCH', 'mchid');
  const t = callback(...EVENTS.transfer);
  await refuses(v3.verifyNotify(t.body, t.headers, { ...opts, outTradeNo: 'B1' }), 'OUT_TRADE_NO_MISMATCH');
  const [ct, cp] = EVENTS.combine;
  const combineOther = callback(ct, { ...cp, combine_mchid: '1900000999' });
  await refuses(v3.verifyNotify(combineOther.body, combineOther.headers, opts), 'MCH_ID_MISMATCH', 'combine_mchid');
  const c = callback(...EVENTS.combine);
  await refuses(v3.verifyNotify(c.body, c.headers, { ...opts, total: 10 }), 'AMOUNT_MISMATCH', 'amount.total');
  // A type no family knows, without the appid asked for: fails closed.
  const unknown = callback('SOMETHING.NEW', { mchid: MCH });
  await refuses(v3.verifyNotify(unknown.body, unknown.headers, opts), 'APPID_MISMATCH', 'appid');
  // Complaints carry no merchant: nothing to compare, but signature and key still hold.
  const cc = callback(...EVENTS.complaint);
  assert.equal((await v3.verifyNotify(cc.body, cc.headers, opts)).resource.action_type, 'CREATE_COMPLAINT');
});

const client = v3.createClient({
  appid: APPID,
  mchId: MCH,
  serialNo: '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C',
  apiV3Key: API_V3_KEY,
  privateKey: merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }),
  publicKeys,
  fetch: () => Promise.reject(new Error('no network in this test')),
});
const ORDERS = new Map([
  ['T1', 100],
  ['T2', 200],
]);
const send = (handler, cb) =>
  handler(new Request('http://127.0.0.1/notify', { method: 'POST', headers: cb.headers, body: cb.body }));

/** A handler whose hooks record what each received. */
function routed(hooks = ['paid', 'refund', 'transfer', 'profitSharing', 'complaint', 'notify'], extra = {}) {
  const seen = [];
  const refused = [];
  const on = Object.fromEntries(hooks.map((h) => [h, (n) => seen.push([h, n.event_type, n.resource])]));
  const handler = client.createNotifyHandler({
    on,
    findOrder: (no) => (ORDERS.has(no) ? { total: ORDERS.get(no) } : null),
    onRefused: (r) => refused.push(r),
    ...extra,
  });
  return { handler, seen, refused };
}

test('createNotifyHandler `on`: each event to its hook, the rest to notify; each hook gets its decrypted resource', async () => {
  const r = routed();
  const want = {
    paid: 'paid',
    paidPartner: 'paid',
    combine: 'notify',
    refund: 'refund',
    refundAbnormal: 'refund',
    refundClosed: 'refund',
    transfer: 'transfer',
    profitSharing: 'profitSharing',
    complaint: 'complaint',
  };
  for (const [name, [eventType, plain]] of Object.entries(EVENTS)) {
    const res = await send(r.handler, callback(eventType, plain));
    assert.equal(res.status, 204, `${name}: ${await res.text()}`);
    assert.deepEqual(r.seen.at(-1), [want[name], eventType, plain], name);
  }
  const other = await send(r.handler, callback('SOMETHING.NEW', { appid: APPID, mchid: MCH, x: 1 }));
  assert.equal(other.status, 204);
  assert.equal(r.seen.at(-1)[0], 'notify');
  assert.deepEqual(r.refused, []);
});

test('createNotifyHandler `on`: refusals with their codes (forged, wrong key, another merchant, no hook), then a good call', async () => {
  const r = routed(['paid', 'refund']);
  const cases = [
    [callback(...EVENTS.transfer, { signer: forger.privateKey }), 401, 'SIGN_MISMATCH'],
    [callback(...EVENTS.complaint, { key: OTHER_KEY }), 401, 'DECRYPT_FAILED'],
    [callback(EVENTS.paidPartner[0], { ...EVENTS.paidPartner[1], sp_mchid: '1900000999' }), 401, 'MCH_ID_MISMATCH'],
    [callback(EVENTS.transfer[0], { ...EVENTS.transfer[1], mchid: '1900000999' }), 401, 'MCH_ID_MISMATCH'],
    // Verified, but nobody handles it: refused so that WeChat sends it again.
    [callback(...EVENTS.transfer), 500, 'HANDLER_FAILED'],
    [callback(...EVENTS.complaint), 500, 'HANDLER_FAILED'],
    // A refund of an order findOrder does not know.
    [callback(EVENTS.refund[0], { ...EVENTS.refund[1], out_trade_no: 'T9' }), 500, 'OUT_TRADE_NO_MISMATCH'],
  ];
  for (const [cb, status, code] of cases) {
    const res = await send(r.handler, cb);
    assert.equal(res.status, status, code);
    assert.equal(r.refused.at(-1)?.code, code);
    const good = await send(r.handler, callback(...EVENTS.refund));
    assert.equal(good.status, 204, `after ${code}`);
  }
  assert.equal(r.seen.filter(([h]) => h === 'refund').length, cases.length);
  assert.equal(r.seen.filter(([h]) => h !== 'refund').length, 0);
  // A throwing hook: HANDLER_FAILED naming the hook, WeChat retries.
  const t = routed([], { on: { transfer: () => Promise.reject(new Error('db down')) } });
  const res = await send(t.handler, callback(...EVENTS.transfer));
  assert.equal(res.status, 500);
  assert.match(t.refused[0].reason, /^on\.transfer threw/);
});

test('createNotifyHandler `on`: options checked at creation', () => {
  const findOrder = () => null;
  const bad = [
    [{ on: { paid() {} }, onPaid() {}, findOrder }, 'onPaid'],
    [{ on: { notify() {} }, onNotify() {}, findOrder }, 'onNotify'],
    [{ on: [], findOrder }, 'on'],
    [{ on: {}, findOrder }, 'on'],
    [{ on: { paid: 1 }, findOrder }, 'on.paid'],
    [{ on: { refunds() {} }, findOrder }, 'on.refunds'],
    [{ on: { paid() {} } }, 'findOrder'],
    [{ on: { notify() {} } }, 'findOrder'],
  ];
  for (const [o, field] of bad) {
    assert.throws(
      () => client.createNotifyHandler(o),
      (e) => e.code === 'INVALID_PARAM' && e.field === field,
      JSON.stringify(Object.keys(o)),
    );
  }
  // Hooks that never see a payment or a refund need no findOrder.
  assert.equal(typeof client.createNotifyHandler({ on: { transfer() {}, complaint() {} } }), 'function');
  // The older form is unchanged.
  assert.equal(typeof client.createNotifyHandler({ onPaid() {}, onNotify() {}, findOrder }), 'function');
});
