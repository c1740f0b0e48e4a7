// The endpoints the v3 client's product helpers call (issue 27 item 6), defined once: method,
// path (a spec template), whose ids the client fills in, which top-level body fields must be
// given, and which are sensitive (given as plain text, sent RSA-OAEP encrypted with the
// platform key the request names in Wechatpay-Serial). Taken from spec/v3.json;
// tests/js/v3-products.test.mjs checks each row against it (the path and method exist, and
// `required` plus the filled ids and the path's parameters are the spec's required fields).
// A helper checks `required` before sending (MISSING_FIELD): WeChat would refuse the request,
// but a missing field caught here costs no round trip and names the field.

/** The ids a helper fills from the client: field → the client's appid or mchId. */
const DIRECT = Object.freeze({ appid: 'appid', mchid: 'mchId' });
const PARTNER = Object.freeze({ sp_appid: 'appid', sp_mchid: 'mchId' });
const COMBINE = Object.freeze({ combine_appid: 'appid', combine_mchid: 'mchId' });
const APPID = Object.freeze({ appid: 'appid' });
const NONE = Object.freeze({});

const ORDER = ['description', 'out_trade_no', 'amount', 'notify_url'];
const COMBINE_ORDER = ['combine_out_trade_no', 'sub_orders', 'notify_url'];
const row = (method, path, ids, required = [], sensitive = []) =>
  Object.freeze({ method, path, ids, required: Object.freeze(required), sensitive: Object.freeze(sensitive) });

const ENDPOINTS = Object.freeze({
  // Direct orders (JSAPI is client.jsapi, through the core's builder).
  native: row('POST', '/v3/pay/transactions/native', DIRECT, ORDER),
  h5: row('POST', '/v3/pay/transactions/h5', DIRECT, [...ORDER, 'scene_info']),
  app: row('POST', '/v3/pay/transactions/app', DIRECT, ORDER),
  // 合单 combine orders, their query and close.
  'combine.jsapi': row('POST', '/v3/combine-transactions/jsapi', COMBINE, [...COMBINE_ORDER, 'combine_payer_info']),
  'combine.app': row('POST', '/v3/combine-transactions/app', COMBINE, COMBINE_ORDER),
  'combine.h5': row('POST', '/v3/combine-transactions/h5', COMBINE, [...COMBINE_ORDER, 'scene_info']),
  'combine.native': row('POST', '/v3/combine-transactions/native', COMBINE, COMBINE_ORDER),
  'combine.miniprogram': row('POST', '/v3/combine-transactions/miniprogram', COMBINE, [
    'combine_out_trade_no',
    'combine_payer_info',
    'sub_orders',
  ]),
  'combine.query': row('GET', '/v3/combine-transactions/out-trade-no/{combine_out_trade_no}', NONE),
  'combine.close': row(
    'POST',
    '/v3/combine-transactions/out-trade-no/{combine_out_trade_no}/close',
    { combine_appid: 'appid' },
    ['sub_orders'],
  ),
  // 服务商 partner mode: the client is the service provider (sp_appid, sp_mchid).
  'partner.jsapi': row('POST', '/v3/pay/partner/transactions/jsapi', PARTNER, ['sub_mchid', ...ORDER, 'payer']),
  'partner.native': row('POST', '/v3/pay/partner/transactions/native', PARTNER, ['sub_mchid', ...ORDER]),
  'partner.h5': row('POST', '/v3/pay/partner/transactions/h5', PARTNER, ['sub_mchid', ...ORDER, 'scene_info']),
  'partner.app': row('POST', '/v3/pay/partner/transactions/app', PARTNER, ['sub_mchid', ...ORDER]),
  'partner.queryByOutTradeNo': row('GET', '/v3/pay/partner/transactions/out-trade-no/{out_trade_no}', NONE),
  'partner.queryById': row('GET', '/v3/pay/partner/transactions/id/{transaction_id}', NONE),
  'partner.close': row(
    'POST',
    '/v3/pay/partner/transactions/out-trade-no/{out_trade_no}/close',
    { sp_mchid: 'mchId' },
    ['sub_mchid'],
  ),
  'partner.refund': row('POST', '/v3/refund/domestic/refunds', NONE, ['sub_mchid', 'out_refund_no', 'amount']),
  'partner.queryRefund': row('GET', '/v3/refund/domestic/refunds/{out_refund_no}', NONE),
  // Refunds WeChat could not pay back to the user's account (异常退款).
  abnormalRefund: row(
    'POST',
    '/v3/refund/domestic/refunds/{refund_id}/apply-abnormal-refund',
    NONE,
    ['out_refund_no', 'type'],
    ['bank_account', 'real_name'],
  ),
  // 分账 profit sharing (direct, or a partner's with sub_mchid).
  'profitSharing.order': row(
    'POST',
    '/v3/profitsharing/orders',
    APPID,
    ['transaction_id', 'out_order_no', 'unfreeze_unsplit'],
    ['receivers[].name'],
  ),
  'profitSharing.query': row('GET', '/v3/profitsharing/orders/{out_order_no}', NONE),
  'profitSharing.return': row('POST', '/v3/profitsharing/return-orders', NONE, [
    'out_return_no',
    'return_mchid',
    'amount',
    'description',
  ]),
  'profitSharing.queryReturn': row('GET', '/v3/profitsharing/return-orders/{out_return_no}', NONE),
  'profitSharing.unfreeze': row('POST', '/v3/profitsharing/orders/unfreeze', NONE, [
    'transaction_id',
    'out_order_no',
    'description',
  ]),
  'profitSharing.amounts': row('GET', '/v3/profitsharing/transactions/{transaction_id}/amounts', NONE),
  'profitSharing.addReceiver': row(
    'POST',
    '/v3/profitsharing/receivers/add',
    APPID,
    ['type', 'account', 'relation_type'],
    ['name'],
  ),
  'profitSharing.removeReceiver': row('POST', '/v3/profitsharing/receivers/delete', APPID, ['type', 'account']),
  // 商家转账, the API of 2025-01-15.
  'transfer.create': row(
    'POST',
    '/v3/fund-app/mch-transfer/transfer-bills',
    APPID,
    ['out_bill_no', 'transfer_scene_id', 'transfer_scene_report_infos', 'openid', 'transfer_amount', 'transfer_remark'],
    ['user_name'],
  ),
  'transfer.queryByOutBillNo': row('GET', '/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/{out_bill_no}', NONE),
  'transfer.queryByTransferBillNo': row(
    'GET',
    '/v3/fund-app/mch-transfer/transfer-bills/transfer-bill-no/{transfer_bill_no}',
    NONE,
  ),
  'transfer.cancel': row('POST', '/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/{out_bill_no}/cancel', NONE),
  // 消费者投诉 2.0.
  'complaints.list': row('GET', '/v3/merchant-service/complaints-v2', NONE),
  'complaints.detail': row('GET', '/v3/merchant-service/complaints-v2/{complaint_id}', NONE),
  'complaints.history': row('GET', '/v3/merchant-service/complaints-v2/{complaint_id}/negotiation-historys', NONE),
  'complaints.reply': row('POST', '/v3/merchant-service/complaints-v2/{complaint_id}/response', NONE, [
    'complainted_mchid',
    'response_content',
  ]),
  'complaints.complete': row('POST', '/v3/merchant-service/complaints-v2/{complaint_id}/complete', NONE, [
    'complainted_mchid',
  ]),
  'complaints.notifications.create': row('POST', '/v3/merchant-service/complaint-notifications', NONE, ['url']),
  'complaints.notifications.query': row('GET', '/v3/merchant-service/complaint-notifications', NONE),
  'complaints.notifications.update': row('PUT', '/v3/merchant-service/complaint-notifications', NONE, ['url']),
  'complaints.notifications.delete': row('DELETE', '/v3/merchant-service/complaint-notifications', NONE),
});

export { ENDPOINTS };
