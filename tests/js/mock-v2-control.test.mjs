// The mock's v2 modules (js/mock/v2/*) and its control interface (js/mock/control/*),
// imported from the source tree with a context made here: a Store in memory, a notifier that
// records, and the built package as `wx` (the mock runs on it). Signs are recomputed with
// node:crypto from WeChat's documented rule (sorted k=v&…&key=KEY, MD5, upper-case hex).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';

import wx from '../../pkg/node/index.mjs';
import { Store } from '../../js/mock/store.mjs';
import { MockError } from '../../js/mock/errors.mjs';
import { billDate } from '../../js/mock/util.mjs';
import { answer, envelope } from '../../js/mock/v2/answer.mjs';
import { downloadbill } from '../../js/mock/v2/bill.mjs';
import { closeorder, orderquery, unifiedorder } from '../../js/mock/v2/orders.mjs';
import { refund, refundquery } from '../../js/mock/v2/refunds.mjs';
import { createApi } from '../../js/mock/api.mjs';
import { handleControl } from '../../js/mock/control.mjs';
import { v3Call } from '../../js/mock/control/errors.mjs';
import { oneOffXml, paymentFields } from '../../js/mock/control/payment-notify.mjs';
import { record } from '../../js/mock/control/records.mjs';

const KEY = '192006250b4c09247ec02edce69f6a2d';
const md5Sign = (f, key = KEY) =>
  createHash('md5')
    .update(
      `${Object.keys(f)
        .filter((k) => k !== 'sign' && f[k] !== '')
        .sort()
        .map((k) => `${k}=${f[k]}`)
        .join('&')}&key=${key}`,
    )
    .digest('hex')
    .toUpperCase();
const mockCode = (code) => (e) => e instanceof MockError && e.code === code;

function context() {
  const lines = [];
  const posts = [];
  const store = new Store();
  const config = { key: KEY, timeScale: 1, refundDelay: -1, sandboxKey: 's' };
  const events = { log: (l) => lines.push(l), refundCreated: () => {} };
  const notifier = {
    once: async (url, xml, label) => {
      posts.push({ url, xml, label });
      return { status: 200 };
    },
    cycle: (id, spec) => posts.push({ cycle: id, ...spec }),
    later: () => {},
    pending: () => 0,
    stop: () => {},
  };
  const api = createApi({ store, config, events });
  const ctx = { wx, store, config, events, notifier, api, v3: null, log: events.log, key: KEY };
  return { ctx, lines, posts };
}

const ORDER = {
  appid: 'wx1',
  mch_id: '1900000001',
  body: 'b',
  out_trade_no: 'T1',
  total_fee: '100',
  spbill_create_ip: '127.0.0.1',
  notify_url: 'https://m/n',
  trade_type: 'JSAPI',
  openid: 'o1',
  nonce_str: 'n1',
};

test('unifiedorder: identical requests (nonce aside) get the same prepay_id; NATIVE gets a code_url; a paid order is ORDERPAID', () => {
  const { ctx } = context();
  const a = unifiedorder(ctx, ORDER);
  assert.equal(unifiedorder(ctx, { ...ORDER, nonce_str: 'other' }).prepay_id, a.prepay_id);
  assert.throws(() => unifiedorder(ctx, { ...ORDER, total_fee: '101' }), mockCode('OUT_TRADE_NO_USED'));
  assert.throws(() => unifiedorder(ctx, { ...ORDER, out_trade_no: 'T2', openid: undefined }), mockCode('LACK_PARAMS'));
  assert.throws(() => unifiedorder(ctx, { ...ORDER, out_trade_no: 'T2', total_fee: '0' }), mockCode('PARAM_ERROR'));
  const native = unifiedorder(ctx, { ...ORDER, out_trade_no: 'T3', trade_type: 'NATIVE' });
  assert.equal(native.code_url, `weixin://wxpay/bizpayurl?pr=${native.prepay_id.slice(-7)}`);
  ctx.store.order('T1').trade_state = 'SUCCESS';
  assert.throws(() => unifiedorder(ctx, ORDER), mockCode('ORDERPAID'));
  assert.equal(orderquery(ctx, { out_trade_no: 'T1' }).trade_state_desc, '支付成功');
  assert.throws(() => orderquery(ctx, {}), mockCode('LACK_PARAMS'));
  assert.throws(() => closeorder(ctx, { out_trade_no: 'T1' }), mockCode('ORDERPAID'));
  assert.deepEqual(closeorder(ctx, { out_trade_no: 'T3' }), { appid: 'wx1', mch_id: '1900000001' });
  assert.throws(() => closeorder(ctx, { out_trade_no: 'T3' }), mockCode('ORDERCLOSED'));
});

test('refund and refundquery: never beyond the order; indexed fields per refund', () => {
  const { ctx } = context();
  unifiedorder(ctx, ORDER);
  Object.assign(ctx.store.order('T1'), {
    trade_state: 'SUCCESS',
    transaction_id: '4200',
    paid_at: Date.now(),
    bank_type: 'CMC',
  });
  const r = { out_trade_no: 'T1', total_fee: '100' };
  refund(ctx, { ...r, out_refund_no: 'R1', refund_fee: '30' });
  refund(ctx, { ...r, out_refund_no: 'R2', refund_fee: '70' });
  assert.throws(() => refund(ctx, { ...r, out_refund_no: 'R3', refund_fee: '1' }), mockCode('NOTENOUGH'));
  assert.throws(() => refund(ctx, { ...r, out_refund_no: 'R1', refund_fee: '31' }), mockCode('REFUND_FEE_MISMATCH'));
  assert.throws(
    () => refund(ctx, { ...r, total_fee: '99', out_refund_no: 'R4', refund_fee: '1' }),
    mockCode('REFUND_FEE_MISMATCH'),
  );
  const q = refundquery(ctx, { out_trade_no: 'T1' });
  assert.equal(q.refund_count, '2');
  assert.deepEqual([q.out_refund_no_0, q.refund_fee_0, q.out_refund_no_1, q.refund_fee_1], ['R1', '30', 'R2', '70']);
  assert.throws(() => refundquery(ctx, { out_refund_no: 'NOPE' }), mockCode('REFUNDNOTEXIST'));
});

test('downloadbill: one backquoted line per payment and refund, totals in yuan, gzipped on request', () => {
  const { ctx } = context();
  unifiedorder(ctx, ORDER);
  const paidAt = Date.now();
  Object.assign(ctx.store.order('T1'), {
    trade_state: 'SUCCESS',
    transaction_id: '4200',
    paid_at: paidAt,
    bank_type: 'CMC',
  });
  refund(ctx, { out_trade_no: 'T1', total_fee: '100', out_refund_no: 'R1', refund_fee: '25' });
  const day = billDate(paidAt);
  const { bill } = downloadbill(ctx, { bill_date: day, bill_type: 'ALL' });
  const lines = bill.split('\r\n');
  assert.equal(lines.length, 6); // head, payment, refund, totals head, totals, ''
  assert.ok(lines[1].split(',').every((v) => v.startsWith('`')));
  assert.equal(lines[4], '`2,`1.00,`0.25,`0.00,`0.00000,`1.00,`0.25');
  assert.equal(
    gunzipSync(downloadbill(ctx, { bill_date: day, bill_type: 'ALL', tar_type: 'GZIP' }).bill).toString(),
    bill,
  );
  assert.deepEqual(downloadbill(ctx, { bill_date: '20000101', bill_type: 'ALL' }), { noBill: true });
  assert.throws(() => downloadbill(ctx, { bill_date: '2026-12-07', bill_type: 'ALL' }), mockCode('PARAM_ERROR'));
});

test("answer: envelope failures unsigned in WeChat's order; a business result signed with the request's sign type", () => {
  const { ctx } = context();
  const env = (method, body) => () => envelope(ctx, method, '/pay/orderquery', Buffer.from(body));
  assert.throws(env('GET', 'x'), mockCode('REQUIRE_POST_METHOD'));
  assert.throws(env('POST', ''), mockCode('POST_DATA_EMPTY'));
  assert.throws(() => envelope(ctx, 'POST', '/pay/orderquery', Buffer.from([0xff, 0xfe])), mockCode('NOT_UTF8'));
  assert.throws(env('POST', '<xml><appid>wx1</appid></xml>'), mockCode('LACK_PARAMS'));
  const fields = { appid: 'wx1', mch_id: '1900000001', nonce_str: 'n', out_trade_no: 'NOPE' };
  assert.throws(env('POST', wx.toXml({ ...fields, sign: md5Sign(fields, 'wrong') })), mockCode('SIGNERROR'));
  const xml = answer(
    ctx,
    'POST',
    '/pay/orderquery',
    ctx.api['/pay/orderquery'],
    Buffer.from(wx.toXml({ ...fields, sign: md5Sign(fields) })),
  );
  const reply = wx.parseXml(xml);
  assert.equal(reply.result_code, 'FAIL');
  assert.equal(reply.err_code, 'ORDERNOTEXIST');
  assert.equal(reply.sign, md5Sign(reply));
  const bad = wx.parseXml(answer(ctx, 'GET', '/pay/orderquery', ctx.api['/pay/orderquery'], Buffer.from('x')));
  assert.deepEqual([bad.return_code, bad.err_code, bad.sign], ['FAIL', 'REQUIRE_POST_METHOD', undefined]);
});

test('control: routes, JSON bodies, 404s; pay then a payment notification signed with the key', async () => {
  const { ctx, posts } = context();
  ctx.v3 = { transaction: () => ({}), refundView: () => ({}) };
  unifiedorder(ctx, ORDER);
  assert.deepEqual(await handleControl(ctx, 'GET', '/_mock/nothing', Buffer.alloc(0)), {
    status: 404,
    json: { error: 'no control route GET /_mock/nothing' },
  });
  assert.equal((await handleControl(ctx, 'POST', '/_mock/orders/T1/pay', Buffer.from('{'))).status, 400);
  assert.equal((await handleControl(ctx, 'GET', '/_mock/orders/NOPE', Buffer.alloc(0))).status, 404);
  const paid = await handleControl(ctx, 'POST', '/_mock/orders/T1/pay', Buffer.from('{"notify":true}'));
  assert.equal(paid.json.trade_state, 'SUCCESS');
  assert.equal(paid.json.query.transaction_id, paid.json.transaction_id);
  assert.equal(paid.json.digest, undefined);
  const cycle = posts.find((p) => p.cycle === 'pay:T1');
  const sent = wx.parseXml(cycle.xml);
  assert.equal(sent.sign, md5Sign(sent));
  assert.equal(sent.transaction_id, paid.json.transaction_id);
  assert.equal((await handleControl(ctx, 'POST', '/_mock/orders/T1/pay', Buffer.alloc(0))).status, 409);
});

test('control: one-off notifications are what their kind says', () => {
  const { ctx } = context();
  unifiedorder(ctx, ORDER);
  const o = ctx.store.order('T1');
  assert.throws(
    () => paymentFields(ctx, o, 'once'),
    (e) => e.status === 409,
  );
  const f = paymentFields(ctx, o, 'forged');
  const forged = wx.parseXml(oneOffXml(ctx, o, 'forged', f));
  assert.notEqual(forged.sign, md5Sign(forged));
  const wrong = wx.parseXml(oneOffXml(ctx, o, 'wrong-amount', f));
  assert.deepEqual([wrong.total_fee, wrong.cash_fee, wrong.sign === md5Sign(wrong)], ['1', undefined, true]);
  const tampered = wx.parseXml(oneOffXml(ctx, o, 'tampered', f, 5));
  assert.equal(tampered.total_fee, '5');
  assert.notEqual(tampered.sign, md5Sign(tampered));
});

test("control: attempts kept per record, the oldest dropped past 100; the v3 module's errors as 409 / 400", async () => {
  const { ctx } = context();
  const target = { deliveries: [] };
  for (let n = 0; n < 105; n++) record(ctx, target, { n });
  assert.equal(target.deliveries.length, 100);
  assert.equal(target.deliveries[0].n, 5);
  await assert.rejects(
    v3Call(() => {
      throw new Error('refund R is already SUCCESS');
    }),
    (e) => e.status === 409,
  );
  await assert.rejects(
    v3Call(() => {
      throw new Error('kind must be retry');
    }),
    (e) => e.status === 400,
  );
  await assert.rejects(
    v3Call(() => {
      throw new TypeError('boom');
    }),
    TypeError,
  );
});
