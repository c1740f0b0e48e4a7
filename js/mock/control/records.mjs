// The orders and refunds the control interface acts on: found by number (404 otherwise),
// shown with the query WeChat would answer, and their notification attempts recorded.
// `ctx` is the control interface's context (see ../control.mjs).
import { HttpError } from './errors.mjs';

/** Notification attempts kept per order or refund (the oldest are dropped). */
const MAX_RECORDS = 100;

export function findOrder({ store }, no) {
  const o = store.order(no);
  if (!o) throw new HttpError(404, `no order with out_trade_no ${no}`);
  return o;
}

export function findRefund({ store }, no) {
  const r = store.refunds.get(no);
  if (!r) throw new HttpError(404, `no refund with out_refund_no ${no}`);
  return r;
}

/** An order or refund as GET /_mock/… shows it: the record, its query answer, an order's refunds. */
export function view({ store, api, v3 }, x) {
  const { digest: _d, ...rest } = x;
  if (x.out_refund_no) return x.api === 'v3' ? { ...rest, query: v3.refundView(x) } : rest;
  if (x.api === 'v3')
    return { ...rest, query: v3.transaction(x), refunds: store.refundsOf(x.out_trade_no).map((r) => r.out_refund_no) };
  return { ...rest, query: api.orderFields(x), refunds: store.refundsOf(x.out_trade_no).map((r) => r.out_refund_no) };
}

/** Keeps one notification attempt on the order or refund it was for. */
export function record({ store }, target, rec) {
  target.deliveries.push(rec);
  if (target.deliveries.length > MAX_RECORDS) target.deliveries.shift();
  store.save();
}
