// Types for wxpay-wasm: WeChat Pay for JavaScript on a Rust/wasm core. This entry
// (`wxpay-wasm`) is API v2 and the client for it; API v3 is `wxpay-wasm/v3`.
//
// Options objects are exact: each `...Options` interface names every option its function
// accepts, and at run time any other name is refused with INVALID_PARAM and the closest
// valid name. Parameter objects (`Params`: WeChat's own fields) accept any field name.
import type { ApiName, ApiPaths, ClientCertApis, DiagnosisCause } from './types/contract.js';
import type {
  ClientCallOptions,
  InitInput,
  NotifyHandler,
  NotifyHandlerOptionsOf,
  Reconciled,
  WxPayErrorCode,
} from './types/shared.js';
import { WxPayError } from './types/shared.js';

export type { ApiName, ApiPaths, ClientCertApis, DiagnosisCause, WxPayErrorDetail } from './types/contract.js';
export type {
  ClientCallOptions,
  ClientEvent,
  InitInput,
  NotifyHandler,
  NotifyHandlerOptionsOf,
  NotifyOrder,
  NotifyRefusal,
  Reconciled,
  WxPayErrorCode,
  WxPayErrorDetails,
} from './types/shared.js';
export { WxPayError } from './types/shared.js';

/** The two algorithms WeChat Pay v2 signs with. */
export type SignType = 'MD5' | 'HMAC-SHA256';

/**
 * A parameter set with WeChat's own field names (`appid`, `mch_id`, `total_fee` …).
 * `undefined`, `null` and `''` are "empty": left out of the signature.
 * Numbers must be safe integers; objects such as `detail` must be JSON.stringify-ed first.
 */
export type ParamValue = string | number | bigint | null | undefined;
export type Params = Record<string, ParamValue>;

/**
 * A body as WeChat sends it: a string, or the bytes a server framework hands over
 * (Node's `Buffer` is a `Uint8Array`), UTF-8. Invalid UTF-8 is refused (`INVALID_PARAM`).
 */
export type Body = string | Uint8Array;

/** Fields as WeChat sent them: every value a string. */
export type Fields = Record<string, string>;

/** All codes, in the order the core declares them. */
export declare const ERROR_CODES: readonly WxPayErrorCode[];

/** Resolves once the wasm is loaded. Node loads it synchronously; browsers must await this once. */
export declare function init(input?: InitInput): Promise<void>;

/**
 * Resolves once {@link diagnoseSign}'s own wasm is loaded (a server's wasm does not carry the
 * diagnosis). Node loads it at the first `diagnoseSign` call; browsers and Workers must await
 * this once before diagnosing, or `diagnoseSign` throws `INVALID_PARAM`. `input` as for
 * {@link init}: with esbuild, the URL of `wxpay-wasm/diagnose/wasm`.
 */
export declare function initDiagnose(input?: InitInput): Promise<void>;

/** Uppercase hex signature: `sign` and empty values dropped, names in byte order, `&key=` appended. */
export declare function sign(params: Params, key: string, signType?: SignType): string;

/** The sorted `k=v&…` string that is signed, without the key. */
export declare function signingString(params: Params): string;

/**
 * Checks `params.sign` in constant time. The algorithm is `signType`, else `params.sign_type`,
 * else the sign's length (32 hex digits MD5, 64 HMAC-SHA256). Missing sign → false.
 */
export declare function verify(params: Params, key: string, signType?: SignType): boolean;

/** `[A-Za-z0-9]{length}` from the platform CSPRNG; length 1..32, default 32. */
export declare function nonceStr(length?: number): string;

/** `<xml>` with one element per field; strings in CDATA, integers as text. */
export declare function toXml(params: Params): string;

export interface ParseXmlOptions {
  /** Refuse larger input before parsing. Default 65536, at most 1048576. */
  maxBytes?: number;
}

/** Parses WeChat's flat XML safely (no DOCTYPE, entities, PIs, nesting or duplicates). */
export declare function parseXml(xml: Body, options?: ParseXmlOptions): Fields;

export interface SignOptions {
  /** The merchant API key (API密钥). */
  key: string;
  /** Default `'MD5'`. */
  signType?: SignType;
}

export interface VerifyOptions {
  key: string;
  /** Force the algorithm instead of reading `sign_type` or the sign's length. */
  signType?: SignType;
}

/** A unified order (统一下单) in WeChat's field names, without the merchant's `appid` and `mch_id`. */
export interface UnifiedOrderFields {
  /** At most 128 bytes of UTF-8. */
  body: string;
  /** At most 32 characters of `[A-Za-z0-9_\-|*]`. */
  out_trade_no: string;
  /** Positive integer, in fen (分). */
  total_fee: number | string;
  /** IPv4 or IPv6 address of the payer. */
  spbill_create_ip: string;
  /** Absolute http(s) URL without a query string. */
  notify_url: string;
  trade_type: 'JSAPI' | 'NATIVE' | 'APP' | 'MWEB';
  /** Required for JSAPI (mini-program) orders. */
  openid?: string;
  /** Filled with a random value when absent. */
  nonce_str?: string;
  /** yyyyMMddHHmmss */
  time_start?: string;
  /** yyyyMMddHHmmss */
  time_expire?: string;
  attach?: string;
  detail?: string;
  device_info?: string;
  fee_type?: string;
  goods_tag?: string;
  limit_pay?: string;
  product_id?: string;
  scene_info?: string;
}

/** A unified order (统一下单) in WeChat's field names. */
export interface UnifiedOrder extends Params, UnifiedOrderFields {
  appid: string;
  mch_id: string;
}

/** Validates, fills `nonce_str`, sets `sign_type` for HMAC, signs, and returns the request XML. */
export declare function buildUnifiedOrderXml(order: UnifiedOrder, options: SignOptions): string;

/** WeChat's successful unified-order reply: every field, `prepay_id` among them. */
export interface UnifiedOrderResponse extends Fields {
  return_code: 'SUCCESS';
  result_code: 'SUCCESS';
  prepay_id: string;
  trade_type: string;
}

/** Parses the reply; RETURN_FAIL, SIGN_MISSING / SIGN_MISMATCH and RESULT_FAIL are thrown. */
export declare function parseUnifiedOrderResponse(xml: Body, options: VerifyOptions): UnifiedOrderResponse;

export interface RequestPaymentOptions {
  appId: string;
  prepayId: string;
  key: string;
  signType?: SignType;
  /** Unix seconds; default now. */
  timeStamp?: string | number;
  /** Default: 32 random characters. */
  nonceStr?: string;
}

/** What `wx.requestPayment` takes. */
export interface RequestPaymentParams {
  appId: string;
  timeStamp: string;
  nonceStr: string;
  /** `prepay_id=<id>` */
  package: string;
  signType: SignType;
  paySign: string;
}

/** The object for `wx.requestPayment`; `paySign` signs appId, nonceStr, package, signType, timeStamp. */
export declare function requestPaymentParams(options: RequestPaymentOptions): RequestPaymentParams;

export interface VerifyNotifyOptions {
  key: string;
  signType?: SignType;
  /** Expected values; each one given must match the notification exactly. */
  appid?: string;
  mchId?: string;
  outTradeNo?: string;
  /** In fen. Compared as exact text: "01" and "1.0" do not match 1. */
  totalFee?: number | string;
  /** Default 65536, at most 1048576. */
  maxBytes?: number;
}

/** A verified payment-result notification: all fields as strings, plus `paid`. */
export type VerifiedNotify = Fields & {
  /** `result_code === 'SUCCESS'` */
  paid: boolean;
  return_code: 'SUCCESS';
  out_trade_no?: string;
  transaction_id?: string;
  total_fee?: string;
};

/** The notify handler's one call: size limit, safe parse, return_code, sign, expectations. */
export declare function verifyNotify(xml: Body, options: VerifyNotifyOptions): VerifiedNotify;

/** The XML answer WeChat expects: SUCCESS/OK, or FAIL with `message`. */
export declare function notifyReply(ok?: boolean, message?: string): string;

/** All causes, in the order they are tried. */
export declare const DIAGNOSIS_CAUSES: readonly DiagnosisCause[];

/** Each cause explained in English (the core's wording). */
export declare const DIAGNOSIS_TEXTS: Readonly<Record<DiagnosisCause, string>>;

export interface Diagnosis {
  /** The signature equals ours under the intended sign type. */
  match: boolean;
  /** The one mistake whose variant reproduces the signature exactly; absent when none does (e.g. a different key). */
  cause?: DiagnosisCause;
  /** A sentence for people (English). */
  message: string;
  /** What the reproducing variant changed, e.g. "field `attach` not signed by the other side". */
  variant?: string;
  /** The field the cause concerns, when there is one. */
  field?: string;
  /** The algorithm that reproduced the signature, or the intended one when nothing did. */
  signType: SignType;
  /** The string that reproduces the signature (ours when nothing does), with the key masked. */
  signingString: string;
  /** Our own signature under the intended sign type. */
  computedSign: string;
}

/**
 * Finds which common mistake makes `params` + `key` produce `expectedSign` (empty: `params.sign`).
 * The intended algorithm is `signType`, else `params.sign_type`, else MD5. In browsers and
 * Workers, `await initDiagnose()` first (the diagnosis is a wasm of its own).
 */
export declare function diagnoseSign(params: Params, key: string, expectedSign: string, signType?: SignType): Diagnosis;

/** A correctly signed payment-result notification, for testing a notify handler. */
export declare function buildNotifyXml(fields: Params, options: SignOptions): string;

// ---- The rest of the order lifecycle: query, close, refund, bill, sandbox ----

/**
 * Endpoint paths under `https://api.mch.weixin.qq.com`. Sandbox calls insert `/sandboxnew`
 * before the path (`/sandboxnew/pay/orderquery`); `sandboxSignKey` already has it.
 */
export declare const API_PATHS: Readonly<ApiPaths>;

/** APIs whose HTTPS request must present the merchant's client certificate (apiclient_cert). */
export declare const CLIENT_CERT_APIS: ClientCertApis;

/** Fields every lifecycle request carries. `nonce_str` is filled when absent. */
export interface MerchantParams extends Params {
  appid: string;
  mch_id: string;
  nonce_str?: string;
}

/** WeChat's `transaction_id` or the merchant's `out_trade_no` (at least one). */
export type OrderRef =
  | { transaction_id: string; out_trade_no?: string }
  | { transaction_id?: string; out_trade_no: string };

/** 查询订单 `POST /pay/orderquery`. */
export type OrderQuery = MerchantParams & OrderRef;

/** 关闭订单 `POST /pay/closeorder`: only an unpaid order, only by `out_trade_no`. */
export interface CloseOrder extends MerchantParams {
  out_trade_no: string;
}

/** 申请退款's fields, without the merchant's `appid` and `mch_id`. */
export type RefundFields = OrderRef & {
  /** At most 64 of `[A-Za-z0-9_\-|*@]`; WeChat refunds once per number, so retries are safe. */
  out_refund_no: string;
  /** The order's total, in fen. */
  total_fee: number | string;
  /** In fen; at most `total_fee`. */
  refund_fee: number | string;
  refund_fee_type?: string;
  /** At most 80 bytes of UTF-8; shown to the user. */
  refund_desc?: string;
  refund_account?: 'REFUND_SOURCE_UNSETTLED_FUNDS' | 'REFUND_SOURCE_RECHARGE_FUNDS';
  /** Where the refund notification goes; absolute http(s) URL without a query string. */
  notify_url?: string;
};

/** 申请退款 `POST /secapi/pay/refund` (client certificate required). */
export type RefundRequest = MerchantParams & RefundFields;

/** 查询退款's fields: any one of the four identifiers. */
export type RefundQueryFields = (
  | { refund_id: string }
  | { out_refund_no: string }
  | { transaction_id: string }
  | { out_trade_no: string }
) & {
  refund_id?: string;
  out_refund_no?: string;
  transaction_id?: string;
  out_trade_no?: string;
  /** Page through orders with more than 10 refunds: 0, 10, 20 … */
  offset?: number | string;
};

/** 查询退款 `POST /pay/refundquery`: by any one of the four identifiers. */
export type RefundQuery = MerchantParams & RefundQueryFields;

/** 下载对账单's fields, without the merchant's `appid` and `mch_id`. */
export interface DownloadBillFields {
  /** yyyyMMdd */
  bill_date: string;
  bill_type: 'ALL' | 'SUCCESS' | 'REFUND' | 'RECHARGE_REFUND';
  /** The reply is then gzip: inflate it (zlib.gunzipSync) before `parseBill`. */
  tar_type?: 'GZIP';
}

/** 下载对账单 `POST /pay/downloadbill`. */
export interface DownloadBill extends MerchantParams, DownloadBillFields {}

/** Each builder validates (throwing MISSING_FIELD / INVALID_FIELD naming the field), signs and returns the XML. */
export declare function buildOrderQueryXml(query: OrderQuery, options: SignOptions): string;
export declare function buildCloseOrderXml(order: CloseOrder, options: SignOptions): string;
export declare function buildRefundXml(refund: RefundRequest, options: SignOptions): string;
export declare function buildRefundQueryXml(query: RefundQuery, options: SignOptions): string;
export declare function buildDownloadBillXml(bill: DownloadBill, options: SignOptions): string;

export interface SandboxSignKeyRequest {
  mch_id: string | number;
  /** The real API key; it signs the request (MD5) and is not sent. */
  key: string;
  nonce_str?: string;
}

/** `POST /sandboxnew/pay/getsignkey` body. */
export declare function buildSandboxSignKeyXml(request: SandboxSignKeyRequest): string;

/** The `sandbox_signkey` from getsignkey's (unsigned) reply; RETURN_FAIL is thrown. */
export interface SandboxSignKeyOptions {
  key: string;
}

export declare function parseSandboxSignKeyResponse(xml: Body, options: SandboxSignKeyOptions): string;

/** A verified reply of any API: every field as WeChat sent it. */
export type ApiResponse = Fields & {
  return_code: 'SUCCESS';
  result_code: 'SUCCESS';
};

/**
 * Any API's reply: RETURN_FAIL (often unsigned) first, then SIGN_MISSING / SIGN_MISMATCH, then
 * RESULT_FAIL carrying `errCode`, `errCodeDes` and, for a catalogued code, `retryable`.
 */
export declare function parseResponse(xml: Body, options: VerifyOptions): ApiResponse;

/** A parsed trade bill; values without their backquote, keyed by the bill's own (Chinese) headers. */
export interface Bill {
  /** Column names in the bill's order. */
  headers: string[];
  rows: Record<string, string>[];
  /** The summary line (总交易单数, 应结订单总金额 …). */
  summary: Record<string, string>;
}

/** Parses downloadbill's text reply; an XML reply (`No Bill Exist` …) throws RETURN_FAIL. */
export declare function parseBill(text: Body): Bill;

/** The fields of one index `n`, and the `_n_m` fields below it. */
export interface IndexedItem {
  /** `name_n` as `name`, e.g. `refund_fee_0` → `refund_fee`. */
  fields: Fields;
  /** `name_n_m` as `items[m].name`, e.g. `coupon_refund_fee_0_1` → `items[1].coupon_refund_fee`. */
  items: Fields[];
}

export interface GroupedFields {
  /** Fields without an index (totals such as `refund_fee`, `coupon_fee`, `refund_count`). */
  fields: Fields;
  items: IndexedItem[];
}

/** A view of indexed fields as lists; signing always uses the flat fields. Gaps throw INVALID_FIELD. */
export declare function groupIndexed(fields: Params): GroupedFields;

/** The raw plaintext of a refund notification's `req_info`; any failure is DECRYPT_FAILED. */
export declare function decryptReqInfo(reqInfo: Body, key: string): string;

export interface RefundNotifyOptions {
  key: string;
  /** Expected values of the envelope's `appid` and `mch_id`. */
  appid?: string;
  mchId?: string;
  /** Default 65536, at most 1048576. */
  maxBytes?: number;
}

/** The envelope's fields (without `req_info`) merged with the decrypted ones. */
export type RefundNotify = Fields & {
  return_code: 'SUCCESS';
  out_refund_no: string;
  out_trade_no: string;
  refund_id: string;
  transaction_id: string;
  /** In fen. */
  refund_fee: string;
  total_fee: string;
  settlement_refund_fee?: string;
  /** SUCCESS (refunded), CHANGE (refund failed: handle by hand), REFUNDCLOSE (closed). */
  refund_status: 'SUCCESS' | 'CHANGE' | 'REFUNDCLOSE' | (string & {});
  success_time?: string;
  refund_recv_accout?: string;
  refund_account?: string;
  refund_request_source?: string;
};

/** The refund notify handler's one call: size, return_code, expectations, decryption, `<root>` parse. */
export declare function decryptRefundNotify(xml: Body, options: RefundNotifyOptions): RefundNotify;

/** One documented `err_code`. */
export interface ErrCodeInfo {
  code: string;
  /** WeChat's Chinese wording. */
  zh: string;
  en: string;
  /** Sending the identical request again is safe and may succeed, usually after a pause. */
  retryable: boolean;
  /** What the merchant should do. */
  action: string;
  /** The APIs documented to return it. */
  apis: ApiName[];
}

export declare function describeErrCode(code: string): ErrCodeInfo | undefined;
export declare function errorCatalogue(): ErrCodeInfo[];
/** Bytes of this instance's wasm linear memory, for a leak check; not part of the stable API. */
export declare function __wasmMemoryBytes(): number;

// ---------------------------------------------------------------- the client

/** Options of {@link createClient}; any other name is refused with INVALID_PARAM. */
export interface ClientOptions extends ClientCallOptions {
  appid: string;
  mchId: string;
  /** The merchant API key (32 characters). Never logged, never in an error. */
  key: string;
  signType?: SignType;
  /** Default `https://api.mch.weixin.qq.com`; the mock's URL in tests. */
  baseUrl?: string;
  /** apiclient_cert.pem and apiclient_key.pem, for `refund` (the CLIENT_CERT_APIS); or `pfx`. */
  cert?: string | Uint8Array;
  certKey?: string | Uint8Array;
  /** apiclient_cert.p12 (its passphrase is the mch_id unless changed). */
  pfx?: Uint8Array;
  passphrase?: string;
  /** The CA to trust instead of the system's (a TLS-intercepting proxy, a test server). */
  ca?: string | Uint8Array;
}

/** Options of {@link Client.createNotifyHandler}; any other name is refused with INVALID_PARAM. */
export interface NotifyHandlerOptions extends NotifyHandlerOptionsOf<VerifiedNotify> {}

/**
 * A client call's fields: WeChat's own names. `appid` and `mch_id` are the client's and may be
 * left out (another value is refused, not sent); `nonce_str` is filled when absent.
 */
export type ClientParams<T> = T & Params & { appid?: string; mch_id?: string; nonce_str?: string };

/**
 * A verified reply: the fields named in `T`, and any other field WeChat sent, as text
 * (`undefined` when it did not send it).
 */
export type Reply<T> = T & { [field: string]: string | undefined };

/** The trade states of an order (`trade_state`). */
export type TradeState =
  | 'SUCCESS'
  | 'REFUND'
  | 'NOTPAY'
  | 'CLOSED'
  | 'REVOKED'
  | 'USERPAYING'
  | 'PAYERROR'
  | (string & {});

/** 统一下单's reply: `prepay_id` for `wx.requestPayment`. */
export type UnifiedOrderReply = Reply<{
  return_code: 'SUCCESS';
  result_code: 'SUCCESS';
  appid: string;
  mch_id: string;
  trade_type: string;
  prepay_id: string;
  /** NATIVE orders: the URL to show as a QR code. */
  code_url?: string;
}>;

/** 查询订单's reply. Beyond `out_trade_no` and `trade_state`, fields are present once the order is paid. */
export type OrderQueryReply = Reply<{
  return_code: 'SUCCESS';
  result_code: 'SUCCESS';
  out_trade_no: string;
  trade_state: TradeState;
  trade_state_desc?: string;
  transaction_id?: string;
  /** In fen. */
  total_fee?: string;
  cash_fee?: string;
  openid?: string;
  trade_type?: string;
  bank_type?: string;
  /** yyyyMMddHHmmss */
  time_end?: string;
  attach?: string;
}>;

/** 关闭订单's reply. */
export type CloseOrderReply = Reply<{ return_code: 'SUCCESS'; result_code: 'SUCCESS' }>;

/**
 * 申请退款's reply; when the answer was lost and the refund query found the refund, the same
 * fields come from that query, with `refund_status` and `resolvedByQuery: true`.
 */
export type RefundReply = {
  out_trade_no: string;
  transaction_id: string;
  out_refund_no: string;
  refund_id: string;
  /** In fen. */
  refund_fee: string;
  total_fee: string;
  /** SUCCESS, REFUNDCLOSE, PROCESSING or CHANGE: present when resolved by the refund query. */
  refund_status?: string;
  resolvedByQuery?: true;
  [field: string]: string | true | undefined;
};

/**
 * 查询退款's reply: the order's fields, and each refund `n` as `out_refund_no_n`, `refund_id_n`,
 * `refund_fee_n`, `refund_status_n` … ({@link groupIndexed} turns them into a list).
 */
export type RefundQueryReply = Reply<{
  return_code: 'SUCCESS';
  result_code: 'SUCCESS';
  out_trade_no: string;
  transaction_id: string;
  /** In fen. */
  total_fee: string;
  refund_count: string;
}>;

/** A v2 client: each method signs, sends, verifies the reply and returns its fields, or throws WxPayError. */
export interface Client {
  readonly appid: string;
  readonly mchId: string;
  unifiedOrder(order: ClientParams<UnifiedOrderFields>): Promise<UnifiedOrderReply>;
  orderQuery(query: ClientParams<OrderRef>): Promise<OrderQueryReply>;
  closeOrder(order: ClientParams<{ out_trade_no: string }>): Promise<CloseOrderReply>;
  /** Needs `cert`+`certKey` or `pfx`. A lost answer is resolved by refundQuery: then the refund's fields from it, with `resolvedByQuery: true`. */
  refund(refund: ClientParams<RefundFields>): Promise<RefundReply>;
  refundQuery(query: ClientParams<RefundQueryFields>): Promise<RefundQueryReply>;
  /** The bill parsed, gzip or not. */
  downloadBill(bill: ClientParams<DownloadBillFields>): Promise<Bill>;
  reconcile(outTradeNo: string): Promise<Reconciled>;
  /** `wx.requestPayment`'s object for a prepay_id: the client's appid, key and sign type. */
  requestPaymentParams(prepayId: string): RequestPaymentParams;
  createNotifyHandler(options: NotifyHandlerOptions): NotifyHandler;
  /** Closes the client certificate's keep-alive connections. */
  close(): void;
}

/** The v2 client. Unknown options are refused with INVALID_PARAM. */
export declare function createClient(options: ClientOptions): Client;

declare const wxpay: {
  WxPayError: typeof WxPayError;
  ERROR_CODES: typeof ERROR_CODES;
  DIAGNOSIS_CAUSES: typeof DIAGNOSIS_CAUSES;
  DIAGNOSIS_TEXTS: typeof DIAGNOSIS_TEXTS;
  init: typeof init;
  initDiagnose: typeof initDiagnose;
  createClient: typeof createClient;
  sign: typeof sign;
  signingString: typeof signingString;
  verify: typeof verify;
  nonceStr: typeof nonceStr;
  toXml: typeof toXml;
  parseXml: typeof parseXml;
  buildUnifiedOrderXml: typeof buildUnifiedOrderXml;
  parseUnifiedOrderResponse: typeof parseUnifiedOrderResponse;
  requestPaymentParams: typeof requestPaymentParams;
  verifyNotify: typeof verifyNotify;
  notifyReply: typeof notifyReply;
  diagnoseSign: typeof diagnoseSign;
  buildNotifyXml: typeof buildNotifyXml;
  API_PATHS: typeof API_PATHS;
  CLIENT_CERT_APIS: typeof CLIENT_CERT_APIS;
  buildOrderQueryXml: typeof buildOrderQueryXml;
  buildCloseOrderXml: typeof buildCloseOrderXml;
  buildRefundXml: typeof buildRefundXml;
  buildRefundQueryXml: typeof buildRefundQueryXml;
  buildDownloadBillXml: typeof buildDownloadBillXml;
  buildSandboxSignKeyXml: typeof buildSandboxSignKeyXml;
  parseSandboxSignKeyResponse: typeof parseSandboxSignKeyResponse;
  parseResponse: typeof parseResponse;
  parseBill: typeof parseBill;
  groupIndexed: typeof groupIndexed;
  decryptReqInfo: typeof decryptReqInfo;
  decryptRefundNotify: typeof decryptRefundNotify;
  describeErrCode: typeof describeErrCode;
  errorCatalogue: typeof errorCatalogue;
  __wasmMemoryBytes: typeof __wasmMemoryBytes;
};
export default wxpay;
