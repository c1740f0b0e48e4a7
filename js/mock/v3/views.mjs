// How WeChat shows a v3 order and refund: the query answers, and the decrypted resource of
// TRANSACTION.* and REFUND.* callbacks. Pure functions of the stored records.
import { strip } from './errors.mjs';

export const TRADE_STATE_DESC = {
  NOTPAY: '订单未支付',
  SUCCESS: '支付成功',
  REFUND: '转入退款',
  CLOSED: '已关闭',
  PAYERROR: '支付失败(其他原因，如银行返回失败)',
};

/** RFC 3339 in Beijing time, as WeChat writes success_time / create_time. */
export function rfc3339(ms = Date.now()) {
  return `${new Date(ms + 8 * 3600 * 1000).toISOString().slice(0, 19)}+08:00`;
}

/** The order when it is a v3 one (v2 orders share the store but not the API). */
export const v3Order = (o) => (o && o.api === 'v3' ? o : undefined);

/** Who sold: appid and mchid, or a partner (服务商) order's sp_/sub_ pairs. */
const merchantOf = (o) =>
  o.sp_mchid
    ? { sp_appid: o.sp_appid, sp_mchid: o.sp_mchid, sub_appid: o.sub_appid, sub_mchid: o.sub_mchid }
    : { appid: o.appid, mchid: o.mchid };

/** Who paid: known from the order (JSAPI) or once paid (Native, H5, App); a partner order names both openids. */
function payerOf(o) {
  if (o.sp_mchid)
    return o.openid || o.sub_openid ? strip({ sp_openid: o.openid, sub_openid: o.sub_openid }) : undefined;
  return o.openid ? { openid: o.openid } : undefined;
}

/** The transaction as WeChat's query (and the TRANSACTION.* callback resource) shows it. */
export function transaction(o) {
  const paid = o.trade_state === 'SUCCESS' || o.trade_state === 'REFUND';
  return strip({
    ...merchantOf(o),
    out_trade_no: o.out_trade_no,
    transaction_id: o.transaction_id,
    trade_type: o.trade_type,
    trade_state: o.trade_state,
    trade_state_desc: TRADE_STATE_DESC[o.trade_state],
    bank_type: paid ? o.bank_type : undefined,
    attach: o.attach ?? '',
    success_time: paid ? rfc3339(o.paid_at) : undefined,
    payer: payerOf(o),
    amount: paid
      ? { total: o.total, payer_total: o.total, currency: o.currency, payer_currency: o.currency }
      : { total: o.total, currency: o.currency },
  });
}

/** The refund as WeChat's refund and refund query answers show it. */
export function refundView(r) {
  return strip({
    refund_id: r.refund_id,
    out_refund_no: r.out_refund_no,
    transaction_id: r.transaction_id,
    out_trade_no: r.out_trade_no,
    channel: 'ORIGINAL',
    user_received_account: '支付用户零钱',
    success_time: r.success_at ? rfc3339(r.success_at) : undefined,
    create_time: rfc3339(r.created_at),
    status: r.status,
    funds_account: 'AVAILABLE',
    amount: {
      total: r.total,
      refund: r.refund,
      payer_total: r.total,
      payer_refund: r.refund,
      settlement_refund: r.refund,
      settlement_total: r.total,
      discount_refund: 0,
      currency: 'CNY',
      refund_fee: 0,
    },
  });
}

/** The decrypted resource of a REFUND.* callback. */
export const refundResource = (mchid, r) =>
  strip({
    mchid,
    out_trade_no: r.out_trade_no,
    transaction_id: r.transaction_id,
    out_refund_no: r.out_refund_no,
    refund_id: r.refund_id,
    refund_status: r.status,
    success_time: r.success_at ? rfc3339(r.success_at) : undefined,
    user_received_account: '支付用户零钱',
    amount: { total: r.total, refund: r.refund, payer_total: r.total, payer_refund: r.refund },
  });
