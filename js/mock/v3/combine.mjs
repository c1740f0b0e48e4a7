// 合单支付 (combine): one payment of several sub-orders, each with its own mchid (and sub_mchid
// for a partner), paid together and notified together by one TRANSACTION.SUCCESS whose resource
// is the combine order with all its sub-orders. Kept in the store's `combine` collection.
import { digits, newPrepayId, newTransactionId } from '../util.mjs';
import { callback } from './callbacks.mjs';
import { V3Error, paramError, strip } from './errors.mjs';
import { fen, json, optStr, sameMerchant, str } from './request.mjs';
import { KINDS, answerOf, payerUrls } from './payments.mjs';
import { rfc3339 } from './views.mjs';

const MAX_SUB_ORDERS = 50;
const combines = (store) => store.collection('combine');

/** The combine order as its query (and its callback's resource) shows it. */
export function combineView(c) {
  return strip({
    combine_appid: c.combine_appid,
    combine_mchid: c.combine_mchid,
    combine_out_trade_no: c.combine_out_trade_no,
    sub_orders: c.sub_orders.map((s) => {
      const paid = s.trade_state === 'SUCCESS';
      return strip({
        mchid: s.mchid,
        sub_mchid: s.sub_mchid,
        trade_type: c.trade_type,
        trade_state: s.trade_state,
        bank_type: paid ? 'OTHERS' : undefined,
        attach: s.attach ?? '',
        success_time: paid ? rfc3339(c.paid_at) : undefined,
        transaction_id: s.transaction_id,
        out_trade_no: s.out_trade_no,
        amount: strip({
          total_amount: s.total,
          currency: 'CNY',
          payer_amount: paid ? s.total : undefined,
          payer_currency: paid ? 'CNY' : undefined,
        }),
      });
    }),
    combine_payer_info: c.openid ? { openid: c.openid } : undefined,
  });
}

/** One sub-order of the body, checked. */
function subOrder(b, i) {
  const at = `/sub_orders/${i}`;
  const no = str(b, `${at}/out_trade_no`, 32);
  if (!/^[0-9A-Za-z_\-|*@]{6,32}$/.test(no)) throw paramError(`${at}/out_trade_no`, '格式错误', 'body', no);
  return {
    mchid: str(b, `${at}/mchid`, 32),
    sub_mchid: str(b, `${at}/sub_mchid`, 32),
    out_trade_no: no,
    description: str(b, `${at}/description`, 127),
    attach: str(b, `${at}/attach`, 128),
    total: fen(b, `${at}/amount/total_amount`),
    trade_state: 'NOTPAY',
  };
}

/** POST /v3/combine-transactions/{jsapi,native,app,h5}. */
export function combineCreate(ctx, kind, body) {
  const { store, log } = ctx;
  const b = json(body);
  const appid = str(b, '/combine_appid', 32);
  const mchid = str(b, '/combine_mchid', 32);
  sameMerchant(ctx, appid, mchid);
  const no = str(b, '/combine_out_trade_no', 32);
  const notifyUrl = str(b, '/notify_url', 256);
  if (!/^https?:\/\/[^\s?#]+$/.test(notifyUrl))
    throw paramError('/notify_url', '应为不带参数的 http(s) URL', 'body', notifyUrl);
  const openid =
    kind === 'jsapi' ? str(b, '/combine_payer_info/openid', 128) : optStr(b, '/combine_payer_info/openid', 128);
  if (!Array.isArray(b.sub_orders) || b.sub_orders.length < 1 || b.sub_orders.length > MAX_SUB_ORDERS)
    throw paramError('/sub_orders', `应为 1-${MAX_SUB_ORDERS} 个子单 (1 to ${MAX_SUB_ORDERS} sub-orders)`);
  const subs = b.sub_orders.map((_, i) => subOrder(b, i));
  const nos = new Set(subs.map((s) => s.out_trade_no));
  if (nos.size !== subs.length) throw paramError('/sub_orders', '子单商户订单号重复 (duplicate out_trade_no)');
  const existing = combines(store).get(no);
  if (existing) {
    if (existing.state !== 'NOTPAY')
      throw new V3Error(403, 'OUT_TRADE_NO_USED', `合单商户订单号重复: ${no} 已${existing.state}`);
    return { status: 200, json: answerOf(existing) };
  }
  const prepayId = newPrepayId();
  const c = {
    combine_out_trade_no: no,
    combine_appid: appid,
    combine_mchid: mchid,
    trade_type: KINDS[kind],
    notify_url: notifyUrl,
    openid,
    sub_orders: subs,
    state: 'NOTPAY',
    prepay_id: prepayId,
    ...payerUrls(kind, prepayId),
    created_at: Date.now(),
    deliveries: [],
  };
  combines(store).set(no, c);
  store.save();
  log(`v3 combine order ${no} created: ${subs.length} sub-orders, ${KINDS[kind]}`);
  return { status: 200, json: answerOf(c) };
}

const find = ({ store }, no) => {
  const c = combines(store).get(no);
  if (!c) throw new V3Error(404, 'ORDER_NOT_EXIST', `合单订单不存在: combine_out_trade_no ${no}`);
  return c;
};

/** GET /v3/combine-transactions/out-trade-no/{combine_out_trade_no}. */
export const combineQuery = (ctx, no) => ({ status: 200, json: combineView(find(ctx, no)) });

/** POST /v3/combine-transactions/out-trade-no/{no}/close {combine_appid, sub_orders}: every named sub-order CLOSED. */
export function combineClose(ctx, no, body) {
  const b = json(body);
  sameMerchant(ctx, str(b, '/combine_appid', 32), ctx.cfg.mchid);
  const c = find(ctx, no);
  if (c.state === 'SUCCESS') throw new V3Error(400, 'ORDERPAID', `合单已支付, 不能关闭: ${no}`);
  if (!Array.isArray(b.sub_orders) || !b.sub_orders.length) throw paramError('/sub_orders', '为必填字段 (required)');
  b.sub_orders.forEach((_, i) => {
    const target = str(b, `/sub_orders/${i}/out_trade_no`, 32);
    const s = c.sub_orders.find((x) => x.out_trade_no === target);
    if (!s)
      throw paramError(
        `/sub_orders/${i}/out_trade_no`,
        '不是该合单的子单 (not a sub-order of this combine order)',
        'body',
        target,
      );
    s.trade_state = 'CLOSED';
  });
  if (c.sub_orders.every((s) => s.trade_state === 'CLOSED')) c.state = 'CLOSED';
  ctx.store.save();
  ctx.log(`v3 combine order ${no}: sub-orders closed`);
  return { status: 204 };
}

/** The combine order with this combine_out_trade_no, or undefined (the control interface's pay tries it). */
export const findCombine = ({ store }, no) => combines(store).get(no);

/** The payer pays the combine order: every open sub-order SUCCESS, then one TRANSACTION.SUCCESS cycle. */
export function payCombine(ctx, c, { notify = true } = {}) {
  if (c.state !== 'NOTPAY') throw new Error(`combine order ${c.combine_out_trade_no} is already ${c.state}`);
  c.state = 'SUCCESS';
  c.paid_at = Date.now();
  c.openid ??= `oMockPayer${digits(12)}`;
  for (const s of c.sub_orders)
    if (s.trade_state === 'NOTPAY') Object.assign(s, { trade_state: 'SUCCESS', transaction_id: newTransactionId() });
  ctx.store.save();
  ctx.log(`v3 combine order ${c.combine_out_trade_no} PAID by the user${notify ? '' : ' — callback withheld'}`);
  if (notify)
    callback(ctx, c, {
      cycleId: `combine:${c.combine_out_trade_no}`,
      eventType: 'TRANSACTION.SUCCESS',
      summary: '支付成功',
      originalType: 'transaction',
      resource: combineView(c),
      label: `v3 combine payment ${c.combine_out_trade_no}`,
    });
  return { ...combineView(c), notify_state: c.notify_state };
}
