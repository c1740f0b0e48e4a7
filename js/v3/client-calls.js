// The v3 client's API methods: JSAPI order, queries, close, refund, reconcile, and the
// mini-program's payment parameters. Each call builds its request with the v3 builders and
// sends it with requestV3; a lost answer is resolved by the matching query. `c` is the
// client's context (see client.js).
import { WxPayError, describe } from '../core/index.js';
import { isWeChatCode, requestFields, requiredText, sameField } from '../client/fields.js';
import { requestV3 } from './client-request.js';

const queryByOutTradeNoV3 = async (c, no) =>
  requestV3(
    c,
    'queryByOutTradeNo',
    c.v3.buildQueryByOutTradeNo({ out_trade_no: requiredText('queryByOutTradeNo', no, 'outTradeNo'), mchid: c.mchId }),
    { ref: no, expect: (j) => sameField(j, 'out_trade_no', no, 'OUT_TRADE_NO_MISMATCH') },
  );
const queryByIdV3 = async (c, id) =>
  requestV3(
    c,
    'queryById',
    c.v3.buildQueryById({ transaction_id: requiredText('queryById', id, 'transactionId'), mchid: c.mchId }),
    { ref: id, expect: (j) => sameField(j, 'transaction_id', id, 'INVALID_FIELD') },
  );
const closeV3 = async (c, no) =>
  requestV3(
    c,
    'close',
    c.v3.buildCloseOrder({ out_trade_no: requiredText('close', no, 'outTradeNo'), mchid: c.mchId }),
    { ref: no },
  );
const queryRefundV3 = async (c, no) =>
  requestV3(
    c,
    'queryRefund',
    c.v3.buildRefundQuery({ out_refund_no: requiredText('queryRefund', no, 'outRefundNo') }),
    { ref: no, expect: (j) => sameField(j, 'out_refund_no', no, 'INVALID_FIELD') },
  );

async function jsapiV3(c, order) {
  const { appid, mchId } = c;
  const f = requestFields('jsapi', order);
  if (f.appid !== undefined && f.appid !== appid)
    throw new WxPayError('INVALID_FIELD', "jsapi: appid is not the client's", { field: 'appid' });
  if (f.mchid !== undefined && f.mchid !== mchId)
    throw new WxPayError('INVALID_FIELD', "jsapi: mchid is not the client's", { field: 'mchid' });
  const no = f.out_trade_no;
  return requestV3(c, 'jsapi', c.v3.buildJsapiOrder({ ...f, appid, mchid: mchId }, c.buildOptions), {
    ref: no,
    resolve: () => resolveOrder('jsapi', no, () => queryByOutTradeNoV3(c, no)),
  });
}

/**
 * An order whose answer was lost, settled by its query (`query()` → the order's trade_state):
 * resending the same body is safe while the order is unpaid (WeChat answers an identical
 * order with its prepay_id, code_url or h5_url); a paid or closed one is surfaced.
 */
async function resolveOrder(api, no, query) {
  try {
    const q = await query();
    if (q.trade_state === 'NOTPAY') return { done: false };
    return {
      done: true,
      error: new WxPayError('RESULT_FAIL', `${api} ${no}: the order already exists and is ${q.trade_state}`, {
        errCode: q.trade_state === 'CLOSED' ? 'ORDER_CLOSED' : 'ORDERPAID',
        retryable: false,
      }),
    };
  } catch (e) {
    if (isWeChatCode(e, 'ORDER_NOT_EXIST')) return { done: false };
    throw e;
  }
}

/** A refund; the out_refund_no is remembered per out_trade_no (`c.refundsMade`) for reconcile. */
async function refundV3(c, r) {
  const f = requestFields('refund', r);
  const out = await requestV3(c, 'refund', c.v3.buildRefund(f, c.buildOptions), {
    ref: f.out_refund_no,
    expect: (j) => sameField(j, 'out_refund_no', f.out_refund_no, 'INVALID_FIELD'),
    resolve: async () => {
      try {
        return { done: true, value: { ...(await queryRefundV3(c, f.out_refund_no)), resolvedByQuery: true } };
      } catch (e) {
        if (isWeChatCode(e, 'RESOURCE_NOT_EXISTS', 'NOT_FOUND')) return { done: false };
        throw e;
      }
    },
  });
  const tradeNo = out.out_trade_no ?? f.out_trade_no;
  if (tradeNo) {
    if (!c.refundsMade.has(tradeNo)) c.refundsMade.set(tradeNo, new Set());
    c.refundsMade.get(tradeNo).add(f.out_refund_no);
  }
  return out;
}

/** `wx.requestPayment`'s object for a prepay_id, signed with the client's appid and merchant key. */
async function requestPaymentParamsV3(c, prepayId) {
  return c.v3.requestPaymentParams({
    appId: c.appid,
    prepayId: requiredText('requestPaymentParams', prepayId, 'prepayId'),
    privateKey: c.privateKey,
  });
}

/** The authoritative state of an order: its query, and the query of each refund known for it. */
async function reconcileV3(c, outTradeNo, outRefundNos = []) {
  requiredText('reconcile', outTradeNo, 'outTradeNo');
  if (!Array.isArray(outRefundNos))
    throw new WxPayError(
      'INVALID_PARAM',
      `reconcile: outRefundNos must be an array of out_refund_no, got ${describe(outRefundNos)}`,
    );
  let q;
  try {
    q = await queryByOutTradeNoV3(c, outTradeNo);
  } catch (e) {
    if (isWeChatCode(e, 'ORDER_NOT_EXIST')) return { outTradeNo, exists: false, state: 'NOTEXIST', refunds: [] };
    throw e;
  }
  const nos = new Set([...outRefundNos, ...(c.refundsMade.get(outTradeNo) ?? [])]);
  const refunds = [];
  for (const no of nos) {
    try {
      const r = await queryRefundV3(c, no);
      refunds.push({ outRefundNo: no, refundId: r.refund_id, refundFee: r.amount?.refund, status: r.status });
    } catch (e) {
      if (!isWeChatCode(e, 'RESOURCE_NOT_EXISTS')) throw e;
    }
  }
  return {
    outTradeNo,
    exists: true,
    state: q.trade_state,
    transactionId: q.transaction_id,
    totalFee: q.amount?.total,
    refunds,
  };
}

export {
  queryByOutTradeNoV3,
  queryByIdV3,
  closeV3,
  queryRefundV3,
  jsapiV3,
  refundV3,
  reconcileV3,
  requestPaymentParamsV3,
  resolveOrder,
};
