// A TypeScript user of `wxpay-wasm/v3`, checked with `tsc --noEmit --strict` against the
// shipped pkg/v3/index.d.ts (tests/js/package.test.mjs installs the packed tarball first).
import v3, {
  authorization,
  importPrivateKey,
  notifyReply,
  parseCertificates,
  parseErrorResponse,
  requestPaymentParams,
  verifyNotify,
  verifySignature,
  WxPayError,
  type PrivateKey,
  type RequestPaymentParams,
  type VerifiedNotify,
  type WxPayErrorCode,
} from 'wxpay-wasm/v3';
import { WxPayError as V2Error } from 'wxpay-wasm';

declare const pem: string;
declare const req: { headers: Record<string, string | string[] | undefined>; body: Uint8Array };

async function server(): Promise<void> {
  const key: PrivateKey = await importPrivateKey(pem);
  const header: string = await authorization({
    mchId: '1900000109',
    serialNo: 'ABC',
    privateKey: key,
    method: 'POST',
    url: '/v3/pay/transactions/jsapi',
    body: '{}',
  });
  const publicKeys = { PUB_KEY_ID_0114232134912410000000000000000001: pem };
  const { serial, timestamp } = await verifySignature(req.body, req.headers, { publicKeys, maxSkewSeconds: 300 });
  const n: VerifiedNotify = await verifyNotify(req.body, new Headers(), {
    apiV3Key: 'k',
    publicKeys: new Map([['S', pem]]),
    now: new Date(),
    outTradeNo: 'T1',
    total: 100,
  });
  const paid: boolean = n.paid;
  const pay: RequestPaymentParams = await requestPaymentParams({ appId: 'wx1', prepayId: 'wx2', privateKey: pem });
  const signType: 'RSA' = pay.signType;
  const certs = await parseCertificates('{}', 'k');
  const certPem: string | undefined = certs.ABC?.pem;
  const reply = await notifyReply(true);
  const status: number = reply.status;
  const err = await parseErrorResponse(400, '{"code":"PARAM_ERROR","message":"x"}');
  const retry: boolean | undefined = err.retryable;
  const sameClass: boolean = err instanceof V2Error && err instanceof WxPayError;
  const code: WxPayErrorCode = err.code;
  const viaDefault: typeof authorization = v3.authorization;
  void [header, serial, timestamp, paid, signType, certPem, status, retry, sameClass, code, viaDefault];

  // @ts-expect-error: options are exact; `mchid` is not an option (mchId is)
  await authorization({ mchid: '1', serialNo: 'A', privateKey: pem, method: 'GET', url: '/v3/x' });
  // @ts-expect-error: verifyNotify needs the APIv3 key
  await verifyNotify('', {}, { publicKeys });
  // @ts-expect-error: total is in fen, a number
  await verifyNotify('', {}, { apiV3Key: 'k', publicKeys, total: '100' });
  // @ts-expect-error: the functions are async; the result is a Promise
  const s: string = authorization({ mchId: '1', serialNo: 'A', privateKey: pem, method: 'GET', url: '/v3/x' });
  void s;
}
void server;

// ---- the client (issue 13)
import {
  createClient,
  buildJsapiOrder,
  buildRefund,
  type Client,
  type ClientEvent,
  type JsapiAnswer,
  type Reconciled,
  type Refund,
  type RefundAnswer,
  type Transaction,
} from 'wxpay-wasm/v3';
async function clientUsage(): Promise<void> {
  const seen: ClientEvent[] = [];
  const client: Client = createClient({
    appid: 'wx1',
    mchId: '1900000109',
    serialNo: 'ABC',
    privateKey: pem,
    apiV3Key: 'k'.repeat(32),
    publicKeys: { PUB_KEY_ID_01: pem },
    baseUrl: 'http://127.0.0.1:9080',
    timeoutMs: 3000,
    retries: 2,
    backoffMs: 100,
    fetch: (url, init) => fetch(url, init),
    onEvent: (e) => {
      seen.push(e);
    },
    refreshBeforeSeconds: 3600,
  });
  const prepay: JsapiAnswer = await client.jsapi({
    description: 'd',
    out_trade_no: 'T100001',
    notify_url: 'https://e/n',
    amount: { total: 1 },
    payer: { openid: 'o' },
  });
  const id: string = prepay.prepay_id;
  const pay: RequestPaymentParams = await requestPaymentParams({
    appId: client.appid,
    prepayId: prepay.prepay_id,
    privateKey: pem,
  });
  const q: Transaction = await client.queryByOutTradeNo('T100001');
  const tradeState: string = q.trade_state;
  const total: number | undefined = q.amount?.total;
  const byId: string | undefined = (await client.queryById('4200000000000000000000000001')).transaction_id;
  const refunded: RefundAnswer = await client.refund({
    out_trade_no: 'T100001',
    out_refund_no: 'R100001',
    reason: 'r',
    amount: { refund: 1, total: 1, currency: 'CNY' },
  });
  const refundStatus: 'SUCCESS' | 'CLOSED' | 'PROCESSING' | 'ABNORMAL' | string = refunded.status;
  const byQuery: true | undefined = refunded.resolvedByQuery;
  const again: Refund = await client.queryRefund('R100001');
  const refundFen: number = again.amount.refund;
  const closed: Record<string, never> = await client.close('T100002');
  const state: Reconciled = await client.reconcile('T100001', ['R100001']);
  const handler = client.createNotifyHandler({
    findOrder: () => ({ total: 1 }),
    onPaid: (n) => {
      const paid: boolean = n.paid;
      void paid;
    },
    maxSkewSeconds: 300,
  });
  const fetched: Response = await handler(
    new Request('https://shop.example.com/wxpay/v3/notify', { method: 'POST', body: '{}' }),
  );
  const built = await buildJsapiOrder({
    appid: 'wx1',
    mchid: '1900000109',
    description: 'd',
    out_trade_no: 'T100001',
    notify_url: 'https://e/n',
    amount: { total: 1, currency: 'CNY' },
    payer: { openid: 'o' },
  });
  const builtRefund = await buildRefund({
    transaction_id: '4200000000000000000000000001',
    out_refund_no: 'R1',
    amount: { refund: 1, total: 1, currency: 'CNY' },
  });
  void [
    id,
    pay,
    tradeState,
    total,
    byId,
    refundStatus,
    byQuery,
    refundFen,
    closed,
    state,
    handler,
    fetched,
    built,
    builtRefund,
    v3.createClient,
  ];

  // jsapi: the order's fields are WeChat's names, checked at compile time.
  // A wrong field (each directive stands on the line the error is reported at, so formatting keeps it there).
  await client.jsapi({
    description: 'd',
    out_trade_no: 'T100001',
    // @ts-expect-error: notifyUrl is not WeChat's name; notify_url is
    notifyUrl: 'https://e/n',
    amount: { total: 1 },
    payer: { openid: 'o' },
  });
  // @ts-expect-error: a missing required field (payer)
  await client.jsapi({ description: 'd', out_trade_no: 'T100001', notify_url: 'https://e/n', amount: { total: 1 } });
  await client.jsapi({
    description: 'd',
    out_trade_no: 'T100001',
    notify_url: 'https://e/n',
    // @ts-expect-error: amount.total is in fen, a number
    amount: { total: '1' },
    payer: { openid: 'o' },
  });
  // @ts-expect-error: a wrong answer field (prepay_id, not prepayId)
  const wrongAnswer: string = prepay.prepayId;
  // refund: the same for its request and answer.
  await client.refund({
    out_trade_no: 'T100001',
    out_refund_no: 'R1',
    // @ts-expect-error: a wrong field (refund_desc is v2's; v3 says reason)
    refund_desc: 'r',
    amount: { refund: 1, total: 1, currency: 'CNY' },
  });
  // @ts-expect-error: a missing required field (amount.currency)
  await client.refund({ out_trade_no: 'T100001', out_refund_no: 'R1', amount: { refund: 1, total: 1 } });
  // @ts-expect-error: out_trade_no or transaction_id, not both
  await client.refund({
    out_trade_no: 'T100001',
    transaction_id: '42',
    out_refund_no: 'R1',
    amount: { refund: 1, total: 1, currency: 'CNY' },
  });
  // @ts-expect-error: a wrong answer field (refund_status is v2's; v3 says status)
  const wrongRefund: string = refunded.refund_status;
  // @ts-expect-error: the query's answer names trade_state, not state
  const wrongQuery: string = q.state;
  void [wrongAnswer, wrongRefund, wrongQuery];
  // @ts-expect-error: client options are exact; `mchid` is not one (mchId is)
  createClient({ appid: 'wx1', mchid: '1', serialNo: 'A', privateKey: pem, apiV3Key: 'k', publicKeys: {} });
  // @ts-expect-error: publicKeys is required
  createClient({ appid: 'wx1', mchId: '1', serialNo: 'A', privateKey: pem, apiV3Key: 'k' });
  // @ts-expect-error: reconcile takes out_refund_no strings
  await client.reconcile('T100001', [1]);
}
void clientUsage;

// ---- typed calls to any v3 path: the URL selects the operation of the spec, which types the
// body, the path parameters, the query and the answer. Per product: a call that compiles, then a
// wrong field, a missing required field and a wrong answer field, each refused.
import type { V3Answer, V3Body, V3Schemas } from 'wxpay-wasm/v3';
declare const someUrl: string;
async function typedCalls(client: Client): Promise<void> {
  const order = { description: 'd', out_trade_no: 'T100001', notify_url: 'https://e/n', amount: { total: 1 } };
  const direct = { appid: 'wx1', mchid: '1900000109', ...order };

  // Native: code_url for a QR code.
  const native = await client.post('/v3/pay/transactions/native', direct);
  const codeUrl: string = native.code_url;
  // @ts-expect-error: a wrong field (notifyUrl; WeChat's name is notify_url)
  await client.post('/v3/pay/transactions/native', { ...direct, notifyUrl: 'https://e/n' });
  // @ts-expect-error: a missing required field (description)
  await client.post('/v3/pay/transactions/native', {
    appid: 'wx1',
    mchid: '1',
    out_trade_no: 'T1',
    notify_url: 'https://e/n',
    amount: { total: 1 },
  });
  // @ts-expect-error: a wrong answer field (code_url, not qr_code)
  const qr: string = native.qr_code;

  // H5: scene_info.h5_info is required by the spec.
  const h5 = await client.post('/v3/pay/transactions/h5', {
    ...direct,
    scene_info: { payer_client_ip: '203.0.113.1', h5_info: { type: 'Wap' } },
  });
  const h5Url: string = h5.h5_url;
  // @ts-expect-error: a missing required field (scene_info)
  await client.post('/v3/pay/transactions/h5', direct);
  // @ts-expect-error: a wrong field (h5Info)
  await client.post('/v3/pay/transactions/h5', { ...direct, scene_info: { payer_client_ip: '1', h5Info: {} } });
  // @ts-expect-error: a wrong answer field (h5_url, not mweb_url as in v2)
  const mweb: string = h5.mweb_url;

  // App: the prepay_id the App's paySign covers.
  const app = await client.post('/v3/pay/transactions/app', direct);
  const appPrepay: string = app.prepay_id;
  // @ts-expect-error: amount.total is in fen, a number
  await client.post('/v3/pay/transactions/app', { ...direct, amount: { total: '1' } });
  // @ts-expect-error: a missing required field (mchid)
  await client.post('/v3/pay/transactions/app', { appid: 'wx1', ...order });
  // @ts-expect-error: a wrong answer field (prepayid is the App SDK's name, not the answer's)
  const prepayid: string = app.prepayid;

  // JSAPI through the generic call, payer required.
  const jsapi = await client.post('/v3/pay/transactions/jsapi', { ...direct, payer: { openid: 'o' } });
  const jsapiPrepay: string = jsapi.prepay_id;
  // @ts-expect-error: a missing required field (payer)
  await client.post('/v3/pay/transactions/jsapi', direct);
  // @ts-expect-error: a wrong field (payer.open_id)
  await client.post('/v3/pay/transactions/jsapi', { ...direct, payer: { open_id: 'o' } });
  // @ts-expect-error: a wrong answer field
  const jsapiWrong: string = jsapi.package;

  // 合单 combine (JSAPI).
  const subOrder = {
    mchid: '1',
    sub_mchid: '2',
    attach: 'a',
    amount: { total_amount: 1, currency: 'CNY' },
    out_trade_no: 'S1',
    description: 'd',
  };
  const combine = await client.post('/v3/combine-transactions/jsapi', {
    combine_appid: 'wx1',
    combine_mchid: '1',
    combine_out_trade_no: 'C1',
    combine_payer_info: { openid: 'o' },
    notify_url: 'https://e/n',
    sub_orders: [subOrder],
  });
  const combinePrepay: string = combine.prepay_id;
  // @ts-expect-error: a missing required field (sub_orders)
  await client.post('/v3/combine-transactions/jsapi', {
    combine_appid: 'wx1',
    combine_mchid: '1',
    combine_out_trade_no: 'C1',
    combine_payer_info: {},
    notify_url: 'https://e/n',
  });
  await client.post('/v3/combine-transactions/jsapi', {
    combine_appid: 'wx1',
    combine_mchid: '1',
    combine_out_trade_no: 'C1',
    combine_payer_info: { openid: 'o' },
    notify_url: 'https://e/n',
    // @ts-expect-error: a wrong field in a sub-order (sub_mch_id; WeChat's name is sub_mchid)
    sub_orders: [{ ...subOrder, sub_mch_id: '2' }],
  });
  // @ts-expect-error: a wrong answer field
  const combineWrong: string = combine.combine_prepay_id;

  // 服务商 partner JSAPI: sp_appid, sp_mchid, sub_mchid; payer.sp_openid.
  const partner = { sp_appid: 'wx1', sp_mchid: '1', sub_mchid: '2', ...order };
  const pj = await client.post('/v3/pay/partner/transactions/jsapi', { ...partner, payer: { sp_openid: 'o' } });
  const pjPrepay: string = pj.prepay_id;
  // @ts-expect-error: a wrong field (appid: a partner order names sp_appid)
  await client.post('/v3/pay/partner/transactions/jsapi', { ...partner, appid: 'wx1', payer: { sp_openid: 'o' } });
  // @ts-expect-error: a missing required field (sub_mchid)
  await client.post('/v3/pay/partner/transactions/jsapi', {
    sp_appid: 'wx1',
    sp_mchid: '1',
    ...order,
    payer: { sp_openid: 'o' },
  });
  // @ts-expect-error: a wrong answer field
  const pjWrong: string = pj.sub_prepay_id;

  // Refund, and the order's query by a concrete URL (the query string signed as written).
  const refund = await client.post('/v3/refund/domestic/refunds', {
    out_trade_no: 'T100001',
    out_refund_no: 'R1',
    amount: { refund: 1, total: 1, currency: 'CNY' },
  });
  const refundStatus: string = refund.status;
  await client.post('/v3/refund/domestic/refunds', {
    out_trade_no: 'T1',
    out_refund_no: 'R1',
    // @ts-expect-error: a wrong field (refund_fee is v2's; v3 says amount.refund)
    refund_fee: 1,
    amount: { refund: 1, total: 1, currency: 'CNY' },
  });
  // @ts-expect-error: a missing required field (out_refund_no)
  await client.post('/v3/refund/domestic/refunds', {
    out_trade_no: 'T1',
    amount: { refund: 1, total: 1, currency: 'CNY' },
  });
  // @ts-expect-error: a wrong answer field (refund_status is v2's)
  const refundWrong: string = refund.refund_status;
  const queried = await client.get('/v3/pay/transactions/out-trade-no/T100001?mchid=1900000109');
  const queriedState: string | undefined = queried.trade_state;
  const payerOpenid: string | undefined = queried.payer?.openid;
  // @ts-expect-error: the answer is the order's state, not its request (no notify_url)
  const queriedNotify: string = queried.notify_url;

  // 异常退款: the refund_id in the path, by the template form.
  const abnormal = await client.post(
    '/v3/refund/domestic/refunds/{refund_id}/apply-abnormal-refund',
    { out_refund_no: 'R1', type: 'USER_BANK_CARD' },
    { params: { refund_id: '50000000382019052709732678859' } },
  );
  const abnormalStatus: string = abnormal.status;
  // @ts-expect-error: a wrong field value (type is MERCHANT_BANK_CARD or USER_BANK_CARD)
  await client.post('/v3/refund/domestic/refunds/R9/apply-abnormal-refund', { out_refund_no: 'R1', type: 'BANK' });
  // @ts-expect-error: a missing required field (type)
  await client.post('/v3/refund/domestic/refunds/R9/apply-abnormal-refund', { out_refund_no: 'R1' });
  // @ts-expect-error: the template form needs its params
  await client.post('/v3/refund/domestic/refunds/{refund_id}/apply-abnormal-refund', {
    out_refund_no: 'R1',
    type: 'USER_BANK_CARD',
  });
  // @ts-expect-error: a wrong answer field
  const abnormalWrong: string = abnormal.abnormal_refund_id;

  // 分账 profit sharing order.
  const sharing = await client.post('/v3/profitsharing/orders', {
    appid: 'wx1',
    transaction_id: '4208450740201411110007820472',
    out_order_no: 'P1',
    unfreeze_unsplit: true,
    receivers: [{ type: 'MERCHANT_ID', account: '86693852', amount: 888, description: '分给商户A' }],
  });
  const sharingState: 'PROCESSING' | 'FINISHED' = sharing.state;
  // @ts-expect-error: a missing required field (unfreeze_unsplit)
  await client.post('/v3/profitsharing/orders', { appid: 'wx1', transaction_id: '42', out_order_no: 'P1' });
  await client.post('/v3/profitsharing/orders', {
    appid: 'wx1',
    transaction_id: '42',
    out_order_no: 'P1',
    unfreeze_unsplit: true,
    // @ts-expect-error: a wrong receiver type (MERCHANT_ID, PERSONAL_OPENID, PERSONAL_SUB_OPENID)
    receivers: [{ type: 'MERCHANT', account: '1', amount: 1, description: 'd' }],
  });
  // @ts-expect-error: a wrong answer field
  const sharingWrong: string = sharing.status;
  // notify_url: a field only wechatpay-java's model had (spec/v3-sdk-fields.json), optional in the spec now.
  await client.post('/v3/profitsharing/orders', {
    appid: 'wx1',
    transaction_id: '42',
    out_order_no: 'P1',
    unfreeze_unsplit: true,
    notify_url: 'https://example.com/profitsharing',
  });

  // 商家转账 (2025): create, query by out_bill_no, cancel.
  const bill = {
    appid: 'wx1',
    out_bill_no: 'B1',
    transfer_scene_id: '1000' as const,
    openid: 'o',
    transfer_amount: 100,
    transfer_remark: '佣金',
    transfer_scene_report_infos: [{ info_type: '活动名称', info_content: '新会员有礼' }],
  };
  const transfer = await client.post('/v3/fund-app/mch-transfer/transfer-bills', bill);
  const packageInfo: string | undefined = transfer.package_info;
  // @ts-expect-error: a wrong field (transfer_scene; WeChat's name is transfer_scene_id)
  await client.post('/v3/fund-app/mch-transfer/transfer-bills', { ...bill, transfer_scene: '1000' });
  // @ts-expect-error: a missing required field (transfer_scene_report_infos)
  await client.post('/v3/fund-app/mch-transfer/transfer-bills', {
    appid: 'wx1',
    out_bill_no: 'B1',
    transfer_scene_id: '1000',
    openid: 'o',
    transfer_amount: 1,
    transfer_remark: 'r',
  });
  // @ts-expect-error: a wrong answer field (package_info, not package)
  const transferWrong: string = transfer.package;
  const billState = await client.get('/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/{out_bill_no}', {
    params: { out_bill_no: 'B1' },
  });
  const billAmount: number = billState.transfer_amount;
  // @ts-expect-error: a wrong params name (out_bill_no)
  await client.get('/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/{out_bill_no}', { params: { bill_no: 'B1' } });
  // @ts-expect-error: no query for this path
  await client.get('/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/B1', { query: { mchid: '1' } });
  // @ts-expect-error: a wrong answer field
  const billWrong: string = billState.bill_state;
  const cancelled = await client.post('/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/B1/cancel');
  const cancelState: 'CANCELING' | 'CANCELLED' = cancelled.state;
  // @ts-expect-error: the cancel takes no body
  await client.post('/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/B1/cancel', { reason: 'r' });
  // @ts-expect-error: a wrong answer field
  const cancelWrong: string = cancelled.cancel_time;

  // The trade bill's bill_type: BillType's values and the specials the spec adds to them (allOf), any of them.
  for (const bill_type of ['ALL', 'SUCCESS', 'REFUND', 'RECHARGE_REFUND', 'ALL_SPECIAL'] as const)
    await client.get('/v3/bill/tradebill', { query: { bill_date: '2026-12-06', bill_type } });
  // @ts-expect-error: a bill_type WeChat does not know
  await client.get('/v3/bill/tradebill', { query: { bill_date: '2026-12-06', bill_type: 'EVERYTHING' } });

  // Complaints: list (query required), detail, reply (204: null).
  const list = await client.get('/v3/merchant-service/complaints-v2', {
    query: { begin_date: '2026-12-01', end_date: '2026-12-07', limit: 50 },
  });
  const firstId: string | undefined = list.data?.[0]?.complaint_id;
  // @ts-expect-error: a missing required query field (end_date)
  await client.get('/v3/merchant-service/complaints-v2', { query: { begin_date: '2026-12-01' } });
  // @ts-expect-error: the query is required (begin_date, end_date)
  await client.get('/v3/merchant-service/complaints-v2');
  // @ts-expect-error: a wrong answer field (data, not list)
  const listWrong: unknown = list.list;
  const detail = await client.get('/v3/merchant-service/complaints-v2/200000020221020220113190000001');
  const complaintState: 'PENDING' | 'PROCESSING' | 'PROCESSED' = detail.complaint_state;
  // @ts-expect-error: a wrong answer field (complaint_state, not state)
  const detailWrong: string = detail.state;
  const replied: null = await client.post(
    '/v3/merchant-service/complaints-v2/{complaint_id}/response',
    { complainted_mchid: '1900000109', response_content: '已处理' },
    { params: { complaint_id: '200000020221020220113190000001' } },
  );
  // @ts-expect-error: a missing required field (response_content)
  await client.post('/v3/merchant-service/complaints-v2/C1/response', { complainted_mchid: '1' });
  await client.post('/v3/merchant-service/complaints-v2/C1/response', {
    complainted_mchid: '1',
    response_content: 'r',
    // @ts-expect-error: a wrong field (response_image; the name is response_images)
    response_image: [],
  });
  // @ts-expect-error: 204: the answer is null, no field
  const replyWrong: string = replied.code;

  // Off the spec: any URL still compiles, body and answer unknown; a plain string too.
  const other: unknown = await client.post('/v3/not-in-the-spec', { anything: 1 });
  const any: unknown = await client.get(someUrl, { query: { a: 1 } });
  // @ts-expect-error: an unknown answer is not typed
  const otherField: string = (await client.get('/v3/not-in-the-spec')).field;
  // request(method, url, …) is typed the same way.
  const byRequest = await client.request('GET', '/v3/refund/domestic/refunds/R1');
  const refunded: number = byRequest.amount.refund;
  const body: V3Body<'POST', '/v3/pay/transactions/native'> = direct;
  const answer: V3Answer<'POST', '/v3/pay/transactions/native'> = native;
  const amount: V3Schemas['Transaction.Amount'] = { total: 1 };
  void [codeUrl, qr, h5Url, mweb, appPrepay, prepayid, jsapiPrepay, jsapiWrong, combinePrepay, combineWrong];
  void [
    pjPrepay,
    pjWrong,
    refundStatus,
    refundWrong,
    queriedState,
    payerOpenid,
    queriedNotify,
    abnormalStatus,
    abnormalWrong,
  ];
  void [sharingState, sharingWrong, packageInfo, transferWrong, billAmount, billWrong, cancelState, cancelWrong];
  void [firstId, listWrong, complaintState, detailWrong, replyWrong, other, any, otherField, refunded];
  void [body, answer, amount];
}
void typedCalls;
// Files (bills, downloads, uploads, complaint images): the types a caller gets and the mistakes they catch.
export async function files(client: import('wxpay-wasm/v3').Client): Promise<void> {
  const text: string = await client.bill('tradebill', {
    bill_date: '2026-12-06',
    sub_mchid: '1900000109',
    tar_type: 'GZIP',
  });
  const stream: ReadableStream<Uint8Array> = client.billStream('fundflowbill', {
    bill_date: '2026-12-06',
    account_type: 'BASIC',
  });
  const bytes: Uint8Array = await client.download('https://api.mch.weixin.qq.com/v3/billdownload/file?token=t', {
    hashType: 'SHA1',
    hashValue: '79bb0f45fc4c42234a918000b2668d689e2bde04',
  });
  const { media_id } = await client.upload('/v3/merchant/media/upload', { filename: 'a.png', data: bytes });
  const { media_url } = await client.upload('/v3/marketing/favor/media/image-upload', {
    filename: 'a.png',
    data: new Blob([]),
  });
  const image: Uint8Array = await client.complaintImage('ChsyMDAw');
  void [text, stream, media_id, media_url, image];
  // @ts-expect-error a fund flow bill takes no bill_type
  await client.bill('fundflowbill', { bill_date: '2026-12-06', bill_type: 'ALL' });
  // @ts-expect-error bill_date is required
  await client.bill('tradebill', { tar_type: 'GZIP' });
  // @ts-expect-error a sub-merchant fund flow bill needs sub_mchid and account_type
  await client.bill('sub-merchant-fundflowbill', { bill_date: '2026-12-06' });
  const subBill: string = await client.bill('sub-merchant-fundflowbill', {
    sub_mchid: '1900000110',
    bill_date: '2026-12-06',
    account_type: 'BASIC',
    tar_type: 'GZIP',
  });
  await client.bill('sub-merchant-fundflowbill', {
    sub_mchid: '1',
    bill_date: '2026-12-06',
    account_type: 'BASIC',
    // @ts-expect-error SM4_GCM is refused (WebCrypto has no SM4)
    algorithm: 'SM4_GCM',
  });
  void subBill;
  // @ts-expect-error MD5 is not a hash_type WeChat gives
  await client.download('/v3/billdownload/file?token=t', { hashType: 'MD5', hashValue: '' });
  // @ts-expect-error the marketing upload answers media_url, not media_id
  (await client.upload('/v3/marketing/favor/media/image-upload', { filename: 'a.png', data: bytes })).media_id;
  // @ts-expect-error data is bytes, not text
  await client.upload('/v3/merchant/media/upload', { filename: 'a.png', data: 'text' });
}
// ---------------------------------------------------------------- any v3 path (issue 27: generic call)
async function genericUsage(client: import('wxpay-wasm/v3').Client): Promise<void> {
  // Sensitive fields and the raw builder (the client's request/get/post… are the typed calls' cases).
  const sealed: string = await client.encrypt('张三');
  const plain: string = await client.decrypt(sealed);
  const built: import('wxpay-wasm/v3').GenericRequest = await v3.buildRequest(
    'GET',
    '/v3/refund/domestic/refunds/{out_refund_no}',
    undefined,
    { params: { out_refund_no: 'R1' }, query: { sub_mchid: '1900000110' } },
  );
  const typed: import('wxpay-wasm/v3').JsapiOrder = {
    appid: 'wx1',
    mchid: '1',
    description: 'd',
    out_trade_no: 'T1',
    notify_url: 'https://m.example/n',
    amount: { total: 1 },
    payer: { openid: 'o' },
  };
  await v3.buildRequest('POST', '/v3/pay/transactions/jsapi', typed); // an interface-typed body
  void [plain, built.url];
  // @ts-expect-error: encrypt takes text
  await client.encrypt(42);
  // @ts-expect-error: methods are upper case
  await v3.buildRequest('get', '/v3/x');
  // @ts-expect-error: a body is an object or an array, not text
  await v3.buildRequest('POST', '/v3/x', 'text');
  // @ts-expect-error: options are params and query only
  await v3.buildRequest('GET', '/v3/x', undefined, { headers: {} });
  // @ts-expect-error: a path parameter is a string or a number
  await v3.buildRequest('GET', '/v3/x/{id}', undefined, { params: { id: null } });
}
void genericUsage;

// ---------------------------------------------------------------- product helpers (issue 27)
async function productUsage(client: import('wxpay-wasm/v3').Client): Promise<void> {
  const order = {
    description: 'd',
    out_trade_no: 'N1',
    notify_url: 'https://shop.example.com/n',
    amount: { total: 1 },
  };
  const { code_url } = await client.native(order);
  const { h5_url } = await client.h5({
    ...order,
    scene_info: { payer_client_ip: '1.2.3.4', h5_info: { type: 'Wap' } },
  });
  const { prepay_id } = await client.app(order);
  const app: import('wxpay-wasm/v3').AppPayParams = await client.appPayParams(prepay_id);
  const p = await client.partner.jsapi({ ...order, sub_mchid: '1900000110', payer: { sp_openid: 'o' } });
  const q = await client.partner.query({ out_trade_no: 'N1', sub_mchid: '1900000110' });
  const closed: null = await client.combine.close('C1', [{ mchid: '1', out_trade_no: 'S1' }]);
  const bill = await client.transfer.create({
    out_bill_no: 'B1',
    transfer_scene_id: '1000',
    openid: 'o',
    user_name: '张三',
    transfer_amount: 1,
    transfer_remark: 'r',
    transfer_scene_report_infos: [{ info_type: '活动名称', info_content: 'x' }],
  });
  const params: { mchId: string; appId: string; package: string } = client.transferParams(bill);
  const shared = await client.profitSharing.order({ transaction_id: '42', out_order_no: 'P1', unfreeze_unsplit: true });
  const replied: null = await client.complaints.reply('C1', { response_content: 'ok' });
  void [code_url, h5_url, app.sign, p.prepay_id, q.sub_mchid, closed, params, shared.state, replied];
  // @ts-expect-error: a wrong field (total_fee is v2's; v3 says amount.total)
  await client.native({ ...order, total_fee: 1 });
  // @ts-expect-error: a missing required field (h5 needs scene_info)
  await client.h5(order);
  // @ts-expect-error: partner orders need sub_mchid
  await client.partner.native(order);
  // @ts-expect-error: a missing required field (transfer_scene_report_infos)
  await client.transfer.create({
    out_bill_no: 'B1',
    transfer_scene_id: '1000',
    openid: 'o',
    transfer_amount: 1,
    transfer_remark: 'r',
  });
  // @ts-expect-error: a wrong answer field (the bill's state is `state`, not `status`)
  const wrongState: string = bill.status;
  // @ts-expect-error: a wrong answer field (native answers code_url)
  const wrongUrl: string = (await client.native(order)).h5_url;
  // @ts-expect-error: the transfer query takes one of out_bill_no / transfer_bill_no
  await client.transfer.query({ bill_no: 'B1' });
  // @ts-expect-error: unfreeze_unsplit is required
  await client.profitSharing.order({ transaction_id: '42', out_order_no: 'P1' });
  void [wrongState, wrongUrl];
}
void productUsage;
// ---- callbacks by event family (issue 27, item 7): each `on` hook receives its own resource type.
import type { Client as V3Client, NotifyEvents, TransferResource } from 'wxpay-wasm/v3';
async function callbackUsage(client: V3Client): Promise<void> {
  const handler = client.createNotifyHandler({
    findOrder: (outTradeNo) => (outTradeNo === 'T1' ? { total: 100 } : null),
    on: {
      paid: (n) => {
        const yes: true = n.paid;
        const fen: number = n.resource.amount.total;
        const spMchid: string | undefined = n.resource.sp_mchid;
        void [yes, fen, spMchid];
      },
      refund: (n) => {
        const refunded: number = n.resource.amount.refund;
        const status: string = n.resource.refund_status;
        void [refunded, status];
      },
      transfer: (n) => {
        const bill: string = n.resource.transfer_bill_no;
        const fen: number = n.resource.transfer_amount;
        const resource: TransferResource = n.resource;
        void [bill, fen, resource];
      },
      profitSharing: (n) => {
        const receiver: string = n.resource.receiver.account;
        void receiver;
      },
      complaint: (n) => {
        const id: string = n.resource.complaint_id;
        void id;
      },
      notify: (n) => {
        const type: string = n.event_type;
        void type;
      },
    },
    onRefused: (r) => void r.code,
  });
  // Hooks that see no payment and no refund need no findOrder.
  const transfers = client.createNotifyHandler({ on: { transfer: (n) => void n.resource.out_bill_no } });
  // @ts-expect-error: a transfer's transfer_bill_no is a string
  const wrongField: number = ({} as NotifyEvents['transfer']).resource.transfer_bill_no;
  // @ts-expect-error: `on` and onPaid are not given together
  client.createNotifyHandler({ on: { paid: () => {} }, onPaid: () => {}, findOrder: false });
  // @ts-expect-error: no such hook
  client.createNotifyHandler({ on: { refunds: () => {} }, findOrder: false });
  // @ts-expect-error: the refund hook's amount.refund is a number
  client.createNotifyHandler({ on: { refund: (n) => n.resource.amount.refund.toUpperCase() }, findOrder: false });
  // findOrder is required with a hook that can receive a payment or a refund (paid, refund, notify) …
  // @ts-expect-error: on.paid without findOrder
  client.createNotifyHandler({ on: { paid: (n) => void n.resource.transaction_id } });
  // @ts-expect-error: on.refund without findOrder
  client.createNotifyHandler({ on: { refund: (n) => void n.resource.out_refund_no } });
  // @ts-expect-error: on.notify without findOrder
  client.createNotifyHandler({ on: { notify: (n) => void n.event_type, transfer: () => {} } });
  // … and optional with the others.
  const others = client.createNotifyHandler({
    on: {
      transfer: (n) => void n.resource.state,
      profitSharing: (n) => void n.resource.out_order_no,
      complaint: (n) => void n.resource.complaint_id,
    },
    onRefused: (r) => void r.reason,
  });
  const withOrders = client.createNotifyHandler({
    on: { paid: (n) => void n.resource.amount.total },
    findOrder: false,
  });
  void [handler, transfers, wrongField, others, withOrders];
}
void callbackUsage;
