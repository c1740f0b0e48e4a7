// 服务商 partner mode (issue 27 item 6): the client is the service provider — its appid and
// mchId are sp_appid and sp_mchid — ordering, querying, closing and refunding for a
// sub-merchant named by `sub_mchid` (and `sub_appid` when the payer's app is the
// sub-merchant's). Paths under /v3/pay/partner/…; refunds share /v3/refund/domestic/refunds
// with `sub_mchid`. `c` is the client's context (see client.js).
import { WxPayError, isPlainObject } from '../core/index.js';
import { requestFields, requiredText } from '../client/fields.js';
import { resolveOrder } from './client-calls.js';
import { answers, appPayParams, callProduct, foundBy } from './client-products.js';

/** `{ sub_mchid }` of a partner query or close: a non-empty string. */
function subMchid(api, who) {
  if (!isPlainObject(who))
    throw new WxPayError('INVALID_PARAM', `${api}: give { sub_mchid } (the sub-merchant's mchid)`, {
      field: 'sub_mchid',
    });
  return requiredText(api, who.sub_mchid, 'sub_mchid');
}

/** An order's query by out_trade_no or transaction_id: `{ out_trade_no | transaction_id, sub_mchid }`. */
async function queryOrder(c, q) {
  const api = 'partner.query';
  const sub = subMchid(api, q);
  const byId = q.transaction_id !== undefined;
  if (byId === (q.out_trade_no !== undefined))
    throw new WxPayError('INVALID_PARAM', `${api}: give out_trade_no or transaction_id (one of them)`, {
      field: 'out_trade_no',
    });
  const [name, field] = byId ? ['partner.queryById', 'transaction_id'] : ['partner.queryByOutTradeNo', 'out_trade_no'];
  const value = requiredText(api, q[field], field);
  return callProduct(c, name, {
    params: { [field]: value },
    query: { sp_mchid: c.mchId, sub_mchid: sub },
    ref: value,
    expect: (j) => {
      answers(field, value, byId ? 'INVALID_FIELD' : 'OUT_TRADE_NO_MISMATCH')(j);
      answers('sub_mchid', sub)(j);
    },
  });
}

async function partnerOrder(c, kind, order) {
  const f = requestFields(`partner.${kind}`, order);
  const no = f.out_trade_no;
  return callProduct(c, `partner.${kind}`, {
    fields: f,
    ref: no,
    resolve: async () =>
      resolveOrder(`partner.${kind}`, no, () => queryOrder(c, { out_trade_no: no, sub_mchid: f.sub_mchid })),
  });
}

async function partnerRefund(c, r) {
  const f = requestFields('partner.refund', r);
  const queryRefund = (no, sub) =>
    callProduct(c, 'partner.queryRefund', {
      params: { out_refund_no: requiredText('partner.queryRefund', no, 'out_refund_no') },
      query: { sub_mchid: sub },
      ref: no,
      expect: answers('out_refund_no', no),
    });
  return callProduct(c, 'partner.refund', {
    fields: f,
    ref: f.out_refund_no,
    expect: answers('out_refund_no', f.out_refund_no),
    resolve: foundBy(() => queryRefund(f.out_refund_no, f.sub_mchid), 'RESOURCE_NOT_EXISTS', 'NOT_FOUND'),
  });
}

function partnerMethods(c) {
  return Object.freeze({
    jsapi: async (order) => partnerOrder(c, 'jsapi', order),
    native: async (order) => partnerOrder(c, 'native', order),
    h5: async (order) => partnerOrder(c, 'h5', order),
    app: async (order) => partnerOrder(c, 'app', order),
    query: async (q) => queryOrder(c, q),
    close: async (outTradeNo, who) =>
      callProduct(c, 'partner.close', {
        fields: { sub_mchid: subMchid('partner.close', who) },
        params: { out_trade_no: requiredText('partner.close', outTradeNo, 'outTradeNo') },
        ref: outTradeNo,
      }),
    refund: async (r) => partnerRefund(c, r),
    queryRefund: async (outRefundNo, who) =>
      callProduct(c, 'partner.queryRefund', {
        params: { out_refund_no: requiredText('partner.queryRefund', outRefundNo, 'outRefundNo') },
        query: { sub_mchid: subMchid('partner.queryRefund', who) },
        ref: outRefundNo,
        expect: answers('out_refund_no', outRefundNo),
      }),
    /** `wx.requestPayment`'s object for a partner JSAPI order: appId the app the payer is in (sub_appid, else sp_appid). */
    requestPaymentParams: async (prepayId, who) =>
      c.v3.requestPaymentParams({
        appId: who?.sub_appid ?? c.appid,
        prepayId: requiredText('partner.requestPaymentParams', prepayId, 'prepayId'),
        privateKey: c.privateKey,
      }),
    /** The App SDK's PayReq for a partner order: the app it was placed for (sub_appid, else sp_appid), partnerid the sub-merchant. */
    appPayParams: async (prepayId, who) =>
      appPayParams(c, prepayId, {
        appid: who?.sub_appid ?? c.appid,
        partnerid: subMchid('partner.appPayParams', who),
      }),
  });
}

export { partnerMethods };
