// A TypeScript user of the published package, checked with `tsc --noEmit` against the
// shipped index.d.ts (tests/js/package.test.mjs installs the packed tarball first).
import wxpay, {
  buildUnifiedOrderXml,
  notifyReply,
  parseUnifiedOrderResponse,
  requestPaymentParams,
  sign,
  verify,
  verifyNotify,
  WxPayError,
  type RequestPaymentParams,
  type SignType,
  type VerifiedNotify,
  type WxPayErrorCode,
} from 'wxpay-wasm';
import wasmUrl from 'wxpay-wasm/wasm';

const key = '192006250b4c09247ec02edce69f6a2d';
const signType: SignType = 'HMAC-SHA256';
const s: string = sign({ appid: 'wx1', total_fee: 1, empty: null }, key, signType);
const ok: boolean = verify({ appid: 'wx1', sign: s }, key);

const xml: string = buildUnifiedOrderXml(
  {
    appid: 'wx1',
    mch_id: '1',
    body: 'b',
    out_trade_no: 'o1',
    total_fee: 1,
    spbill_create_ip: '127.0.0.1',
    notify_url: 'https://a.example/n',
    trade_type: 'JSAPI',
    openid: 'o',
  },
  { key, signType },
);

const res = parseUnifiedOrderResponse(xml, { key });
const prepay: string = res.prepay_id;
const pay: RequestPaymentParams = requestPaymentParams({ appId: 'wx1', prepayId: prepay, key });
const pkgField: string = pay.package;

try {
  const n: VerifiedNotify = verifyNotify(xml, { key, appid: 'wx1', mchId: '1', outTradeNo: 'o1', totalFee: 1 });
  const paid: boolean = n.paid;
  const tx: string | undefined = n.transaction_id;
  void [paid, tx];
} catch (e) {
  if (e instanceof WxPayError) {
    const code: WxPayErrorCode = e.code;
    const field: string | undefined = e.field;
    void [code, field];
  }
}
const reply: string = notifyReply(false, 'bad');
const same: typeof sign = wxpay.sign;
void [ok, pkgField, reply, same];

// @ts-expect-error: the sign type is a closed union
sign({}, key, 'SHA1');
// @ts-expect-error: options need the key
verifyNotify('<xml/>', { appid: 'wx1' });

// The ./wasm subpath is the wasm file's URL, for init() under esbuild's file loader.
const wasmHref: string = wasmUrl;
void wasmHref;

// diagnoseSign's own wasm: initDiagnose() in browsers and Workers (./diagnose/wasm under esbuild).
import diagnoseUrl from 'wxpay-wasm/diagnose/wasm';
async function diagnoseUsage(): Promise<boolean> {
  await wxpay.initDiagnose(diagnoseUrl);
  return wxpay.diagnoseSign({ appid: 'wx1' }, key, 'ABC').match;
}
void diagnoseUsage;

// ---- the client (issue 13)
import {
  createClient,
  type Client,
  type ClientEvent,
  type OrderQueryReply,
  type Reconciled,
  type RefundReply,
  type UnifiedOrderReply,
} from 'wxpay-wasm';
declare const certPem: string;
async function clientUsage(): Promise<void> {
  const events: ClientEvent[] = [];
  const client: Client = createClient({
    appid: 'wx1',
    mchId: '1900000109',
    key,
    signType: 'MD5',
    baseUrl: 'http://127.0.0.1:9080',
    cert: certPem,
    certKey: certPem,
    timeoutMs: 3000,
    retries: 2,
    backoffMs: 100,
    fetch: (url, init) => fetch(url, init),
    onEvent: (e) => {
      events.push(e);
    },
  });
  const order: UnifiedOrderReply = await client.unifiedOrder({
    body: 'b',
    out_trade_no: 'T1',
    total_fee: 1,
    spbill_create_ip: '1.2.3.4',
    notify_url: 'https://e/n',
    trade_type: 'JSAPI',
    openid: 'o',
  });
  const prepay: string = order.prepay_id;
  const unnamed: string | undefined = order.some_other_field;
  const pay: RequestPaymentParams = requestPaymentParams({ appId: client.appid, prepayId: order.prepay_id, key });
  const q: OrderQueryReply = await client.orderQuery({ out_trade_no: 'T1' });
  const tradeState: string = q.trade_state;
  const paidFen: string | undefined = q.total_fee;
  const refunded: RefundReply = await client.refund({
    out_trade_no: 'T1',
    out_refund_no: 'R1',
    total_fee: 1,
    refund_fee: 1,
  });
  const byQuery: true | undefined = refunded.resolvedByQuery;
  const refundId: string = refunded.refund_id;
  void [unnamed, pay, tradeState, paidFen, refundId];
  const state: Reconciled = await client.reconcile('T1');
  const paidState: string = state.state;
  const handler = client.createNotifyHandler({
    findOrder: async (no) => (no === 'T1' ? { total: 1 } : null),
    onPaid: async (n) => {
      const no: string | undefined = n.out_trade_no;
      void no;
    },
    onRefused: (r) => {
      const code: string = r.code;
      void code;
    },
    maxBytes: 65536,
    readTimeoutMs: 5000,
  });
  const viaDefault: typeof createClient = wxpay.createClient;
  void [prepay, byQuery, paidState, handler, viaDefault];
  // @ts-expect-error: client options are exact; `timeout` is not one (timeoutMs is)
  createClient({ appid: 'wx1', mchId: '1', key, timeout: 1 });
  // @ts-expect-error: the key is required
  createClient({ appid: 'wx1', mchId: '1' });
  // @ts-expect-error: a unified order needs total_fee
  await client.unifiedOrder({
    body: 'b',
    out_trade_no: 'T1',
    spbill_create_ip: '1.2.3.4',
    notify_url: 'https://e/n',
    trade_type: 'JSAPI',
  });
  // @ts-expect-error: an order query needs out_trade_no or transaction_id
  await client.orderQuery({});
  // @ts-expect-error: notify handler options are exact
  client.createNotifyHandler({ findOrder: false, onPaid: () => {}, maxbytes: 1 });
  // @ts-expect-error: findOrder is required (false to opt out, unsafe)
  client.createNotifyHandler({ onPaid: () => {} });
}
void clientUsage;
