// The v2 refund endpoints: /secapi/pay/refund and /pay/refundquery. Each takes the v2
// context ({ store, config, events }, see ../api.mjs) and the request's verified fields.
import { fail } from '../errors.mjs';
import { newRefundId } from '../util.mjs';
import { amount, need, requireOne, v2 } from './checks.mjs';

/** /secapi/pay/refund: a PROCESSING refund of a paid order (the same one again for a repeated out_refund_no). */
export function refund({ store, events }, f) {
  requireOne(f, 'transaction_id', 'out_trade_no');
  need(f, 'out_refund_no', 'total_fee', 'refund_fee');
  const totalFee = amount(f, 'total_fee');
  const refundFee = amount(f, 'refund_fee');
  const o = v2(store.findOrder(f));
  if (!o) throw fail('ORDERNOTEXIST');
  if (o.trade_state !== 'SUCCESS' && o.trade_state !== 'REFUND')
    throw fail(
      'TRADE_STATE_ERROR',
      `订单状态为 ${o.trade_state}，不能退款 (order is ${o.trade_state}, only paid orders can be refunded)`,
    );
  if (totalFee !== Number(o.total_fee))
    throw fail('REFUND_FEE_MISMATCH', `total_fee ${totalFee} ≠ 订单金额 ${o.total_fee}`);
  const previous = store.refunds.get(f.out_refund_no);
  if (previous) {
    if (previous.out_trade_no !== o.out_trade_no || previous.refund_fee !== f.refund_fee)
      throw fail(
        'REFUND_FEE_MISMATCH',
        `out_refund_no ${f.out_refund_no} 已用于不同的退款 (already used for a different refund)`,
      );
    return refundReply(o, previous);
  }
  const refunded = store
    .refundsOf(o.out_trade_no)
    .filter((r) => r.refund_status !== 'REFUNDCLOSE' && r.refund_status !== 'CHANGE')
    .reduce((s, r) => s + Number(r.refund_fee), 0);
  if (refunded + refundFee > totalFee)
    throw fail(
      'NOTENOUGH',
      `已退 ${refunded} + 本次 ${refundFee} > 订单金额 ${totalFee} (refunds would exceed the paid amount)`,
    );
  const r = {
    out_refund_no: f.out_refund_no,
    refund_id: newRefundId(),
    out_trade_no: o.out_trade_no,
    transaction_id: o.transaction_id,
    total_fee: o.total_fee,
    refund_fee: f.refund_fee,
    refund_desc: f.refund_desc,
    notify_url: f.notify_url,
    refund_status: 'PROCESSING',
    created_at: Date.now(),
    deliveries: [],
  };
  store.refunds.set(r.out_refund_no, r);
  o.trade_state = 'REFUND';
  store.save();
  events.log(`refund ${r.out_refund_no} of order ${o.out_trade_no}: ${r.refund_fee} fen, PROCESSING`);
  events.refundCreated(r);
  return refundReply(o, r);
}

function refundReply(o, r) {
  return {
    appid: o.appid,
    mch_id: o.mch_id,
    transaction_id: o.transaction_id,
    out_trade_no: o.out_trade_no,
    out_refund_no: r.out_refund_no,
    refund_id: r.refund_id,
    refund_fee: r.refund_fee,
    settlement_refund_fee: r.refund_fee,
    total_fee: o.total_fee,
    settlement_total_fee: o.total_fee,
    cash_fee: o.total_fee,
    cash_refund_fee: r.refund_fee,
    refund_channel: '',
  };
}

/** /pay/refundquery: by refund_id or out_refund_no, or every refund of an order. */
export function refundquery({ store }, f) {
  requireOne(f, 'refund_id', 'out_refund_no', 'transaction_id', 'out_trade_no');
  let list;
  if (f.refund_id || f.out_refund_no) {
    const r = v2(f.refund_id ? store.refundById(f.refund_id) : store.refunds.get(f.out_refund_no));
    list = r ? [r] : [];
  } else {
    const o = v2(store.findOrder(f));
    list = o ? store.refundsOf(o.out_trade_no) : [];
  }
  if (!list.length) throw fail('REFUNDNOTEXIST');
  const o = store.order(list[0].out_trade_no);
  const reply = {
    appid: o.appid,
    mch_id: o.mch_id,
    transaction_id: o.transaction_id,
    out_trade_no: o.out_trade_no,
    total_fee: o.total_fee,
    cash_fee: o.total_fee,
    refund_count: String(list.length),
  };
  list.forEach((r, n) => {
    Object.assign(reply, {
      [`out_refund_no_${n}`]: r.out_refund_no,
      [`refund_id_${n}`]: r.refund_id,
      [`refund_fee_${n}`]: r.refund_fee,
      [`refund_status_${n}`]: r.refund_status,
      [`refund_channel_${n}`]: 'ORIGINAL',
      [`refund_recv_accout_${n}`]: '支付用户的零钱',
      [`refund_success_time_${n}`]: r.success_time,
    });
  });
  return reply;
}
