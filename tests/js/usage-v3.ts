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
  void [handler, transfers, wrongField];
}
void callbackUsage;
