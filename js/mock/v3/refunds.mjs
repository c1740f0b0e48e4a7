// The v3 refund endpoints (POST /v3/refund/domestic/refunds, the refund query) and the end
// of a refund (SUCCESS, ABNORMAL or CLOSED), which posts REFUND.<status>.
import { newRefundId } from '../util.mjs';
import { REFUND_EVENTS, V3_REFUND_STATUSES, notifyRefund } from './callbacks.mjs';
import { V3Error, paramError } from './errors.mjs';
import { fen, json, optStr, str } from './request.mjs';
import { refundView, v3Order } from './views.mjs';

/** The fields of a refund body, each checked as WeChat does. */
function refundFields(b) {
  const byId = optStr(b, '/transaction_id', 32);
  const byNo = byId ? undefined : str(b, '/out_trade_no', 32);
  const outRefundNo = str(b, '/out_refund_no', 64);
  if (!/^[0-9A-Za-z_\-|*@]{1,64}$/.test(outRefundNo))
    throw paramError('/out_refund_no', '只能是数字、大小写字母_-|*@', 'body', outRefundNo);
  const amount = fen(b, '/amount/refund');
  const total = fen(b, '/amount/total');
  const currency = str(b, '/amount/currency', 16);
  if (currency !== 'CNY') throw paramError('/amount/currency', '只支持 CNY', 'body', currency);
  const notifyUrl = optStr(b, '/notify_url', 256);
  if (notifyUrl !== undefined && !/^https?:\/\/[^\s?#]+$/.test(notifyUrl))
    throw paramError('/notify_url', '应为不带参数的 http(s) URL', 'body', notifyUrl);
  // A partner (服务商) refund names the sub-merchant whose order it is (mockproducts).
  const subMchid = optStr(b, '/sub_mchid', 32);
  return { byId, byNo, outRefundNo, amount, total, notifyUrl, subMchid };
}

/** The order a refund is for: v3, paid, of the same total. */
function refundableOrder({ store }, { byId, byNo, total, subMchid }) {
  const o = v3Order(
    byId
      ? store.orderByTransaction(byId)
      : subMchid
        ? store.orders.get(`partner:${subMchid}:${byNo}`)
        : store.order(byNo),
  );
  if (!o)
    throw new V3Error(
      404,
      'RESOURCE_NOT_EXISTS',
      `订单不存在: ${byId ? `transaction_id ${byId}` : `out_trade_no ${byNo}`}`,
    );
  if (o.trade_state === 'CLOSED') throw new V3Error(400, 'ORDER_CLOSED', `订单已关闭, 不能退款: ${o.out_trade_no}`);
  if (o.trade_state !== 'SUCCESS' && o.trade_state !== 'REFUND')
    throw new V3Error(400, 'INVALID_REQUEST', `订单状态 ${o.trade_state} 不能退款 (only a paid order can be refunded)`);
  if (total !== o.total) throw paramError('/amount/total', `与订单金额 ${o.total} 不符`, 'body', total);
  return o;
}

/** POST /v3/refund/domestic/refunds: a PROCESSING refund, completed after config.refundDelay. */
export function refund(ctx, body) {
  const { store, log, config, notifier } = ctx;
  const b = json(body);
  const f = refundFields(b);
  const { outRefundNo, amount, total, notifyUrl } = f;
  const o = refundableOrder(ctx, f);
  const existing = store.refunds.get(outRefundNo);
  if (existing) {
    if (existing.api !== 'v3' || existing.out_trade_no !== o.out_trade_no || existing.refund !== amount) {
      throw new V3Error(
        400,
        'INVALID_REQUEST',
        `退款单号 ${outRefundNo} 已用于另一笔退款 (same out_refund_no, different refund)`,
      );
    }
    return { status: 200, json: refundView(existing) };
  }
  const refunded = [...store.refunds.values()]
    .filter(
      (r) => r.api === 'v3' && r.out_trade_no === o.out_trade_no && r.status !== 'CLOSED' && r.status !== 'ABNORMAL',
    )
    .reduce((s, r) => s + r.refund, 0);
  if (refunded + amount > o.total)
    throw new V3Error(403, 'NOT_ENOUGH', `余额不足: 可退 ${o.total - refunded} 分, 申请 ${amount} 分`);
  const r = {
    api: 'v3',
    out_refund_no: outRefundNo,
    refund_id: newRefundId(),
    out_trade_no: o.out_trade_no,
    transaction_id: o.transaction_id,
    total,
    refund: amount,
    notify_url: notifyUrl,
    reason: b.reason,
    status: 'PROCESSING',
    created_at: Date.now(),
    deliveries: [],
  };
  store.refunds.set(outRefundNo, r);
  o.trade_state = 'REFUND';
  store.save();
  log(`v3 refund ${outRefundNo} of ${o.out_trade_no}: ${amount} fen, PROCESSING`);
  if (config.refundDelay >= 0) {
    notifier.later(config.refundDelay * 1000 * config.timeScale, () => {
      if (store.refunds.get(outRefundNo)?.status === 'PROCESSING') completeRefund(ctx, r, 'SUCCESS');
    });
  }
  return { status: 200, json: refundView(r) };
}

/**
 * A PROCESSING refund ends SUCCESS, ABNORMAL (the money could not reach the payer: a closed
 * bank card) or CLOSED, and REFUND.<status> is posted. A refund that did not succeed gives
 * its amount back: when no other refund is pending or done, the order is SUCCESS again.
 */
export function completeRefund(ctx, r, status = 'SUCCESS') {
  const { store, log } = ctx;
  if (!REFUND_EVENTS[status]) throw new Error(`status must be one of ${V3_REFUND_STATUSES.join(', ')} for a v3 refund`);
  if (r.status !== 'PROCESSING') throw new Error(`refund ${r.out_refund_no} is already ${r.status}`);
  Object.assign(r, { status, success_at: status === 'SUCCESS' ? Date.now() : undefined });
  const o = store.order(r.out_trade_no) ?? store.orderByTransaction(r.transaction_id);
  const others = [...store.refunds.values()].filter(
    (x) => x.api === 'v3' && x.out_trade_no === r.out_trade_no && (x.status === 'SUCCESS' || x.status === 'PROCESSING'),
  );
  if (status !== 'SUCCESS' && o && !others.length) o.trade_state = 'SUCCESS';
  store.save();
  log(`v3 refund ${r.out_refund_no} ${status}`);
  notifyRefund(ctx, r);
}

/** GET /v3/refund/domestic/refunds/{out_refund_no}. */
export function refundQuery({ store }, no) {
  const r = store.refunds.get(no);
  if (r?.api !== 'v3') throw new V3Error(404, 'RESOURCE_NOT_EXISTS', `退款单不存在: out_refund_no ${no}`);
  return { status: 200, json: refundView(r) };
}
