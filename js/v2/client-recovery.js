// What the v2 client does when an answer is lost, and the authoritative state of an order:
// the query APIs decide whether a unified order or a refund reached WeChat, and reconcile
// reads payment, closing and refunds. `c` is the client's context (see client.js).
import { WxPayError, describe } from '../core/index.js';
import { isWeChatCode, sameField } from '../client/fields.js';
import { runV2 } from './client-calls.js';

/** The err_code WeChat gives a unified order for an existing order in this state. */
const UNIFIED_ORDER_REFUSAL = Object.freeze({
  SUCCESS: 'ORDERPAID',
  REFUND: 'ORDERPAID',
  CLOSED: 'ORDERCLOSED',
  REVOKED: 'ORDERCLOSED',
});

const sameOrder = (no) => (f) => sameField(f, 'out_trade_no', no, 'OUT_TRADE_NO_MISMATCH');
const orderQueryV2 = (c, f) =>
  runV2(c, 'orderQuery', 'buildOrderQueryXml', f, { check: f.out_trade_no ? sameOrder(f.out_trade_no) : undefined });
const refundQueryV2 = (c, f) => runV2(c, 'refundQuery', 'buildRefundQueryXml', f);

/** unifiedOrder whose answer was lost: did the order reach WeChat? Resending the same body is safe either way (WeChat answers an identical unified order with the same prepay_id), unless it is paid or closed. */
async function resolveOrder(c, no) {
  try {
    const q = await orderQueryV2(c, { out_trade_no: no });
    if (q.trade_state === 'NOTPAY' || q.trade_state === 'USERPAYING') return { done: false };
    throw new WxPayError('RESULT_FAIL', `unifiedOrder ${no}: the order already exists and is ${q.trade_state}`, {
      errCode: UNIFIED_ORDER_REFUSAL[q.trade_state] ?? q.trade_state,
      retryable: false,
    });
  } catch (e) {
    if (isWeChatCode(e, 'ORDERNOTEXIST')) return { done: false };
    if (e.code === 'RESULT_FAIL' && e.retryable === false) return { done: true, error: e };
    throw e;
  }
}

/** refund whose answer was lost: the refund query says whether it was accepted. */
async function resolveRefund(c, f) {
  try {
    const q = await refundQueryV2(c, { out_refund_no: f.out_refund_no });
    const { items } = c.wx.groupIndexed(q);
    const item = items.find((it) => it.fields.out_refund_no === f.out_refund_no);
    if (!item) return { done: false };
    const r = item.fields;
    return {
      done: true,
      value: {
        appid: c.appid,
        mch_id: c.mchId,
        out_trade_no: q.out_trade_no,
        transaction_id: q.transaction_id,
        total_fee: q.total_fee,
        out_refund_no: r.out_refund_no,
        refund_id: r.refund_id,
        refund_fee: r.refund_fee,
        refund_status: r.refund_status,
        resolvedByQuery: true,
      },
    };
  } catch (e) {
    if (isWeChatCode(e, 'REFUNDNOTEXIST')) return { done: false };
    throw e;
  }
}

/** The authoritative state of an order from the query APIs: payment, closing, refunds. */
async function reconcileV2(c, outTradeNo) {
  if (typeof outTradeNo !== 'string' || outTradeNo === '')
    throw new WxPayError(
      'INVALID_PARAM',
      `reconcile: outTradeNo must be a non-empty string, got ${describe(outTradeNo)}`,
    );
  let q;
  try {
    q = await orderQueryV2(c, { out_trade_no: outTradeNo });
  } catch (e) {
    if (isWeChatCode(e, 'ORDERNOTEXIST')) return { outTradeNo, exists: false, state: 'NOTEXIST', refunds: [] };
    throw e;
  }
  const out = {
    outTradeNo,
    exists: true,
    state: q.trade_state,
    transactionId: q.transaction_id,
    totalFee: q.total_fee === undefined ? undefined : Number(q.total_fee),
    refunds: [],
  };
  if (q.trade_state === 'REFUND' || q.trade_state === 'SUCCESS') {
    try {
      const { items } = c.wx.groupIndexed(await refundQueryV2(c, { out_trade_no: outTradeNo }));
      out.refunds = items.map(({ fields: r }) => ({
        outRefundNo: r.out_refund_no,
        refundId: r.refund_id,
        refundFee: Number(r.refund_fee),
        status: r.refund_status,
      }));
    } catch (e) {
      if (!isWeChatCode(e, 'REFUNDNOTEXIST')) throw e;
    }
  }
  return out;
}

export { orderQueryV2, refundQueryV2, resolveOrder, resolveRefund, reconcileV2 };
