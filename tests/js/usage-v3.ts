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
