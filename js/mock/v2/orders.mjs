// The v2 order endpoints: unifiedorder, orderquery, closeorder. Each takes the v2 context
// ({ store, config, events }, see ../api.mjs) and the request's verified fields, and returns
// the reply's business fields or throws a MockError.
import { fail } from '../errors.mjs';
import { newPrepayId, parseCompactTime } from '../util.mjs';
import { amount, digest, need, requireOne, v2 } from './checks.mjs';

const TRADE_TYPES = ['JSAPI', 'NATIVE', 'APP', 'MWEB'];
const PREPAY_VALID_MS = 2 * 3600 * 1000;
const TRADE_STATE_DESC = {
  NOTPAY: '订单未支付',
  SUCCESS: '支付成功',
  REFUND: '转入退款',
  CLOSED: '已关闭',
  PAYERROR: '支付失败(其他原因，如银行返回失败)',
};

/** /pay/unifiedorder: a new order, or the same prepay_id for an identical unpaid one. */
export function unifiedorder({ store, events }, f) {
  need(f, 'body', 'out_trade_no', 'total_fee', 'spbill_create_ip', 'notify_url', 'trade_type');
  amount(f, 'total_fee');
  if (!TRADE_TYPES.includes(f.trade_type))
    throw fail('PARAM_ERROR', `trade_type 必须是 ${TRADE_TYPES.join('/')} (got ${f.trade_type})`);
  if (f.trade_type === 'JSAPI' && !f.openid)
    throw fail('LACK_PARAMS', 'JSAPI支付必须传openid (JSAPI orders need openid)');
  if (!/^https?:\/\/[^\s?]+$/.test(f.notify_url)) throw fail('PARAM_ERROR', 'notify_url 必须是不带参数的 http(s) URL');
  const existing = store.order(f.out_trade_no);
  if (existing) {
    if (existing.trade_state === 'SUCCESS' || existing.trade_state === 'REFUND') throw fail('ORDERPAID');
    if (existing.trade_state === 'CLOSED') throw fail('ORDERCLOSED');
    if (existing.digest !== digest(f))
      throw fail('OUT_TRADE_NO_USED', '同一订单号的请求内容不同 (same out_trade_no, different content)');
    return prepayReply(existing);
  }
  const now = Date.now();
  const expire = f.time_expire ? parseCompactTime(f.time_expire) : now + PREPAY_VALID_MS;
  if (Number.isNaN(expire)) throw fail('PARAM_ERROR', `time_expire 格式为 yyyyMMddHHmmss (got ${f.time_expire})`);
  const order = {
    out_trade_no: f.out_trade_no,
    appid: f.appid,
    mch_id: f.mch_id,
    body: f.body,
    attach: f.attach,
    total_fee: f.total_fee,
    fee_type: f.fee_type || 'CNY',
    trade_type: f.trade_type,
    openid: f.openid,
    notify_url: f.notify_url,
    sign_type: f.sign_type || 'MD5',
    prepay_id: newPrepayId(),
    trade_state: 'NOTPAY',
    created_at: now,
    expire_at: expire,
    digest: digest(f),
    deliveries: [],
  };
  store.orders.set(order.out_trade_no, order);
  store.save();
  events.log(
    `order ${order.out_trade_no} created: ${order.total_fee} fen, ${order.trade_type}, notify_url ${order.notify_url}`,
  );
  return prepayReply(order);
}

function prepayReply(o) {
  const r = { appid: o.appid, mch_id: o.mch_id, prepay_id: o.prepay_id, trade_type: o.trade_type };
  if (o.trade_type === 'NATIVE') r.code_url = `weixin://wxpay/bizpayurl?pr=${o.prepay_id.slice(-7)}`;
  if (o.trade_type === 'MWEB')
    r.mweb_url = `https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=${o.prepay_id}`;
  return r;
}

/** /pay/orderquery. */
export function orderquery({ store }, f) {
  requireOne(f, 'transaction_id', 'out_trade_no');
  const o = v2(store.findOrder(f));
  if (!o) throw fail('ORDERNOTEXIST');
  return orderFields(o);
}

/** The order as orderquery and the payment notification show it. */
export function orderFields(o) {
  const r = {
    appid: o.appid,
    mch_id: o.mch_id,
    out_trade_no: o.out_trade_no,
    trade_state: o.trade_state,
    trade_state_desc: TRADE_STATE_DESC[o.trade_state],
    total_fee: o.total_fee,
    fee_type: o.fee_type,
    trade_type: o.trade_type,
    attach: o.attach,
    openid: o.openid,
  };
  if (o.transaction_id) {
    Object.assign(r, {
      transaction_id: o.transaction_id,
      time_end: o.time_end,
      bank_type: o.bank_type,
      cash_fee: o.total_fee,
      is_subscribe: 'N',
    });
  }
  return r;
}

/** /pay/closeorder: an unpaid order closed. */
export function closeorder({ store, events }, f) {
  need(f, 'out_trade_no');
  const o = v2(store.order(f.out_trade_no));
  if (!o) throw fail('ORDERNOTEXIST');
  if (o.trade_state === 'SUCCESS' || o.trade_state === 'REFUND') throw fail('ORDERPAID');
  if (o.trade_state === 'CLOSED') throw fail('ORDERCLOSED');
  o.trade_state = 'CLOSED';
  o.closed_at = Date.now();
  store.save();
  events.log(`order ${o.out_trade_no} closed by the merchant`);
  return { appid: o.appid, mch_id: o.mch_id };
}
