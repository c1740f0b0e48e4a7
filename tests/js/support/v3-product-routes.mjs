// The product endpoints of the fake WeChat (support/fake-wechat-v3.mjs) as the product tests
// and the product docs' test need them: a plausible answer per endpoint, built from the
// request (WeChat's field names, spec/v3.json's shapes), and a queue of answers a test puts
// in front of it (a lost answer, another state, an error). Nothing here imports the package.

/** The routes for a merchant `mchId` / `appid`: { routes, queue(key, ...answers), DEFAULTS }. */
export function productRoutes({ mchId: MCHID, appid: APPID }) {
  const queued = new Map();
  const queue = (key, ...answers) => queued.set(key, [...(queued.get(key) ?? []), ...answers]);
  const DEFAULTS = {
    'POST /v3/pay/transactions/native': () => ({ json: { code_url: 'weixin://wxpay/bizpayurl?pr=abc' } }),
    'POST /v3/pay/transactions/h5': () => ({
      json: { h5_url: 'https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?x=1' },
    }),
    'POST /v3/pay/transactions/app': () => ({ json: { prepay_id: 'wx201410272009395522657a690389285100' } }),
    'GET /v3/pay/transactions/out-trade-no/{out_trade_no}': (r) => ({
      json: { mchid: MCHID, appid: APPID, out_trade_no: r.params.out_trade_no, trade_state: 'NOTPAY' },
    }),
    'POST /v3/combine-transactions/native': () => ({ json: { code_url: 'weixin://wxpay/bizpayurl?pr=combine' } }),
    'GET /v3/combine-transactions/out-trade-no/{combine_out_trade_no}': (r) => ({
      json: {
        combine_appid: APPID,
        combine_mchid: MCHID,
        combine_out_trade_no: r.params.combine_out_trade_no,
        sub_orders: [{ trade_state: 'NOTPAY' }],
      },
    }),
    'POST /v3/combine-transactions/out-trade-no/{combine_out_trade_no}/close': () => ({ status: 204 }),
    'POST /v3/pay/partner/transactions/jsapi': () => ({ json: { prepay_id: 'wx-partner-jsapi' } }),
    'POST /v3/pay/partner/transactions/native': () => ({ json: { code_url: 'weixin://partner' } }),
    'POST /v3/pay/partner/transactions/h5': () => ({ json: { h5_url: 'https://partner.h5' } }),
    'POST /v3/pay/partner/transactions/app': () => ({ json: { prepay_id: 'wx-partner-app' } }),
    'GET /v3/pay/partner/transactions/out-trade-no/{out_trade_no}': (r) => ({
      json: {
        sp_mchid: MCHID,
        sp_appid: APPID,
        sub_mchid: r.query.sub_mchid,
        out_trade_no: r.params.out_trade_no,
        trade_state: 'SUCCESS',
      },
    }),
    'GET /v3/pay/partner/transactions/id/{transaction_id}': (r) => ({
      json: {
        sp_mchid: MCHID,
        sub_mchid: r.query.sub_mchid,
        transaction_id: r.params.transaction_id,
        trade_state: 'SUCCESS',
      },
    }),
    'POST /v3/pay/partner/transactions/out-trade-no/{out_trade_no}/close': () => ({ status: 204 }),
    'POST /v3/refund/domestic/refunds': (r) => ({
      json: { out_refund_no: r.json.out_refund_no, refund_id: 'RF1', status: 'PROCESSING' },
    }),
    'GET /v3/refund/domestic/refunds/{out_refund_no}': (r) => ({
      json: { out_refund_no: r.params.out_refund_no, refund_id: 'RF1', status: 'SUCCESS' },
    }),
    'POST /v3/refund/domestic/refunds/{refund_id}/apply-abnormal-refund': (r) => ({
      json: { refund_id: r.params.refund_id, out_refund_no: r.json.out_refund_no, status: 'PROCESSING' },
    }),
    'POST /v3/profitsharing/orders': (r) => ({
      json: { out_order_no: r.json.out_order_no, order_id: 'PS1', state: 'PROCESSING' },
    }),
    'GET /v3/profitsharing/orders/{out_order_no}': (r) => ({
      json: { out_order_no: r.params.out_order_no, order_id: 'PS1', state: 'FINISHED' },
    }),
    'POST /v3/profitsharing/return-orders': (r) => ({
      json: { out_return_no: r.json.out_return_no, result: 'PROCESSING' },
    }),
    'GET /v3/profitsharing/return-orders/{out_return_no}': (r) => ({
      json: { out_return_no: r.params.out_return_no, result: 'SUCCESS' },
    }),
    'POST /v3/profitsharing/orders/unfreeze': (r) => ({
      json: { out_order_no: r.json.out_order_no, state: 'PROCESSING' },
    }),
    'GET /v3/profitsharing/transactions/{transaction_id}/amounts': (r) => ({
      json: { transaction_id: r.params.transaction_id, unsplit_amount: 100 },
    }),
    'POST /v3/profitsharing/receivers/add': (r) => ({
      json: { type: r.json.type, account: r.json.account, relation_type: r.json.relation_type },
    }),
    'POST /v3/profitsharing/receivers/delete': (r) => ({ json: { type: r.json.type, account: r.json.account } }),
    'POST /v3/fund-app/mch-transfer/transfer-bills': (r) => ({
      json: {
        out_bill_no: r.json.out_bill_no,
        transfer_bill_no: 'TB1',
        create_time: '2026-12-07T20:00:00+08:00',
        state: 'WAIT_USER_CONFIRM',
        package_info: 'affffddafdfafddffda==',
      },
    }),
    'GET /v3/fund-app/mch-transfer/transfer-bills/out-bill-no/{out_bill_no}': (r) => ({
      json: { mch_id: MCHID, out_bill_no: r.params.out_bill_no, transfer_bill_no: 'TB1', state: 'WAIT_USER_CONFIRM' },
    }),
    'GET /v3/fund-app/mch-transfer/transfer-bills/transfer-bill-no/{transfer_bill_no}': (r) => ({
      json: { out_bill_no: 'B1', transfer_bill_no: r.params.transfer_bill_no, state: 'SUCCESS' },
    }),
    'POST /v3/fund-app/mch-transfer/transfer-bills/out-bill-no/{out_bill_no}/cancel': (r) => ({
      json: {
        out_bill_no: r.params.out_bill_no,
        transfer_bill_no: 'TB1',
        state: 'CANCELING',
        update_time: '2026-12-07T20:00:00+08:00',
      },
    }),
    'GET /v3/merchant-service/complaints-v2': (r) => ({
      json: { data: [], limit: Number(r.query.limit ?? 10), offset: 0, total_count: 0 },
    }),
    'GET /v3/merchant-service/complaints-v2/{complaint_id}': (r) => ({
      json: { complaint_id: r.params.complaint_id, complaint_state: 'PENDING' },
    }),
    'GET /v3/merchant-service/complaints-v2/{complaint_id}/negotiation-historys': () => ({
      json: { data: [], total_count: 0 },
    }),
    'POST /v3/merchant-service/complaints-v2/{complaint_id}/response': () => ({ status: 204 }),
    'POST /v3/merchant-service/complaints-v2/{complaint_id}/complete': () => ({ status: 204 }),
    'POST /v3/merchant-service/complaint-notifications': (r) => ({ json: { mchid: MCHID, url: r.json.url } }),
    'GET /v3/merchant-service/complaint-notifications': () => ({
      json: { mchid: MCHID, url: 'https://shop.example.com/complaints' },
    }),
    'PUT /v3/merchant-service/complaint-notifications': (r) => ({ json: { mchid: MCHID, url: r.json.url } }),
    'DELETE /v3/merchant-service/complaint-notifications': () => ({ status: 204 }),
  };
  const routes = {};
  for (const [key, fallback] of Object.entries(DEFAULTS))
    routes[key] = (req) => {
      const next = queued.get(key)?.shift();
      if (next === undefined) return fallback(req);
      return typeof next === 'function' ? next(req) : next;
    };
  return { routes, queue, DEFAULTS };
}
