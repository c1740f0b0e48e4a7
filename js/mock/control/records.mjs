// The orders and refunds the control interface acts on: found by number (404 otherwise),
// shown with the query WeChat would answer, and their notification attempts recorded.
// `ctx` is the control interface's context (see ../control.mjs).
import { HttpError } from './errors.mjs';

/** Notification attempts kept per order or refund (the oldest are dropped). */
const MAX_RECORDS = 100;

/**
 * An order by out_trade_no; a partner order (kept per sub_mchid) by its out_trade_no when only one
 * sub-merchant has it, else as SUB_MCHID:OUT_TRADE_NO.
 */
export function findOrder({ store }, no) {
  const o = store.order(no) ?? store.orders.get(`partner:${no}`);
  if (o) return o;
  const partners = [...store.orders.values()].filter((x) => x.sp_mchid && x.out_trade_no === no);
  if (partners.length > 1)
    throw new HttpError(409, `${partners.length} sub-merchants have out_trade_no ${no}: name one as SUB_MCHID:${no}`);
  if (!partners.length) throw new HttpError(404, `no order with out_trade_no ${no}`);
  return partners[0];
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
