// Types for wxpay-wasm: WeChat Pay API v2 (mini-program payments) on a Rust/wasm core.
//
// Options objects are exact: each `...Options` interface has exactly the names
// js/contract.json lists for its functions (tests/js/contract.test.mjs checks it), and at
// run time any other name is refused with INVALID_PARAM and the closest valid name.
// Parameter objects (`Params`: WeChat's own fields) accept any field name.

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

/** Stable error codes carried by {@link WxPayError.code}. */
export type WxPayErrorCode =
  | 'INVALID_PARAM'
  | 'MISSING_FIELD'
  | 'INVALID_FIELD'
  | 'INVALID_XML'
  | 'XML_FORBIDDEN'
  | 'INPUT_TOO_LARGE'
  | 'DUPLICATE_FIELD'
  | 'SIGN_MISSING'
  | 'SIGN_MISMATCH'
  | 'UNSUPPORTED_SIGN_TYPE'
  | 'RETURN_FAIL'
  | 'RESULT_FAIL'
  | 'APPID_MISMATCH'
  | 'MCH_ID_MISMATCH'
  | 'OUT_TRADE_NO_MISMATCH'
  | 'AMOUNT_MISMATCH'
  | 'DECRYPT_FAILED'
  | 'UNKNOWN_SERIAL'
  | 'TIMESTAMP_SKEW'
  | 'INVALID_JSON'
  | 'NETWORK_ERROR'
  | 'TIMEOUT'
  | 'CLIENT_CERT_UNAVAILABLE';

/** Every failure of this package. `instanceof Error`, `name === 'WxPayError'`. */
export declare class WxPayError extends Error {
  constructor(code: WxPayErrorCode, message: string, details?: Partial<WxPayError>);
  readonly name: 'WxPayError';
  readonly code: WxPayErrorCode;
  /** The field or option the error concerns, when there is one. */
  readonly field?: string;
  /** `RETURN_FAIL`: WeChat's `return_code` and `return_msg`. */
  readonly returnCode?: string;
  readonly returnMsg?: string;
  /** `RESULT_FAIL`: WeChat's `err_code` and `err_code_des`. */
  readonly errCode?: string;
  readonly errCodeDes?: string;
  /**
   * `RESULT_FAIL`: whether sending the same request again is safe. Client errors
   * (`NETWORK_ERROR`, `TIMEOUT`, and any error left after the client's retries) carry it too.
   */
  readonly retryable?: boolean;
  /** v3 (one class for both entries): an error answer's `message`, HTTP status and `detail` JSON. */
  readonly errMessage?: string;
  readonly httpStatus?: string;
  readonly detail?: string;
  /** v3 `UNKNOWN_SERIAL`: the serial no key was given for; `TIMESTAMP_SKEW`: the skew in seconds. */
  readonly serial?: string;
  readonly skewSeconds?: string;
}

/** All codes, in the order the core declares them (js/contract.json). */
export declare const ERROR_CODES: readonly WxPayErrorCode[];

/** Resolves once the wasm is loaded. Node loads it synchronously; browsers must await this once. */
export declare function init(input?: string | URL | Request | Response | BufferSource | WebAssembly.Module): Promise<void>;

/**
 * Resolves once {@link diagnoseSign}'s own wasm is loaded (a server's wasm does not carry the
 * diagnosis). Node loads it at the first `diagnoseSign` call; browsers and Workers must await
 * this once before diagnosing, or `diagnoseSign` throws `INVALID_PARAM`. `input` as for
 * {@link init}: with esbuild, the URL of `wxpay-wasm/diagnose/wasm`.
 */
export declare function initDiagnose(input?: string | URL | Request | Response | BufferSource | WebAssembly.Module): Promise<void>;

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

/** A unified order (统一下单) in WeChat's field names. */
export interface UnifiedOrder extends Params {
  appid: string;
  mch_id: string;
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

/** Stable identifiers of the mistakes {@link diagnoseSign} can prove. */
export type DiagnosisCause =
  | 'OTHER_SIGN_TYPE'
  | 'SIGN_TYPE_EXCLUDED'
  | 'SIGN_TYPE_ADDED'
  | 'EMPTY_VALUES_INCLUDED'
  | 'VALUES_TRIMMED'
  | 'VALUES_URL_ENCODED'
  | 'LOWERCASE_HEX'
  | 'KEY_SUFFIX_MISSING'
  | 'KEY_WHITESPACE'
  | 'FIELD_ONE_SIDE'
  | 'JSON_RESERIALIZED';

/** All causes, in the order they are tried. */
export declare const DIAGNOSIS_CAUSES: readonly DiagnosisCause[];

/** Each cause explained in English (the core's wording, from js/contract.json). */
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

/** Names of the APIs this package builds requests for. */
export type ApiName =
  | 'unifiedOrder'
  | 'orderQuery'
  | 'closeOrder'
  | 'refund'
  | 'refundQuery'
  | 'downloadBill'
  | 'sandboxSignKey';

/**
 * Endpoint paths under `https://api.mch.weixin.qq.com`. Sandbox calls insert `/sandboxnew`
 * before the path (`/sandboxnew/pay/orderquery`); `sandboxSignKey` already has it.
 */
export declare const API_PATHS: Readonly<{
  unifiedOrder: '/pay/unifiedorder';
  orderQuery: '/pay/orderquery';
  closeOrder: '/pay/closeorder';
  refund: '/secapi/pay/refund';
  refundQuery: '/pay/refundquery';
  downloadBill: '/pay/downloadbill';
  sandboxSignKey: '/sandboxnew/pay/getsignkey';
}>;

/** APIs whose HTTPS request must present the merchant's client certificate (apiclient_cert). */
export declare const CLIENT_CERT_APIS: readonly ['refund'];

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

/** 申请退款 `POST /secapi/pay/refund` (client certificate required). */
export type RefundRequest = MerchantParams & OrderRef & {
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

/** 查询退款 `POST /pay/refundquery`: by any one of the four identifiers. */
export type RefundQuery = MerchantParams &
  (
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

/** 下载对账单 `POST /pay/downloadbill`. */
export interface DownloadBill extends MerchantParams {
  /** yyyyMMdd */
  bill_date: string;
  bill_type: 'ALL' | 'SUCCESS' | 'REFUND' | 'RECHARGE_REFUND';
  /** The reply is then gzip: inflate it (zlib.gunzipSync) before `parseBill`. */
  tar_type?: 'GZIP';
}

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
/** @internal Bytes of this instance's wasm linear memory (the load test's leak check). */
export declare function __wasmMemoryBytes(): number;


// ---------------------------------------------------------------- the client (issue 13)

/** One attempt of a client call, for the caller's logger and metrics. Never carries a key or a body. */
export interface ClientEvent {
  readonly api: string;
  /** The call's out_refund_no / out_trade_no (or bill_date), to correlate log lines. */
  readonly ref?: string;
  readonly attempt: number;
  /**
   * `ok`; `error` (surfaced); `retry` (a retryable code: sent again); `unknown` (no answer);
   * `resolved` / `absent` (the query after an unknown outcome found the request's effect / found none);
   * `unresolved` (that query failed too).
   */
  readonly outcome: 'ok' | 'error' | 'retry' | 'unknown' | 'resolved' | 'absent' | 'unresolved';
  readonly code?: WxPayErrorCode;
  readonly ms: number;
}

/** Options of {@link createClient}: exactly the names src/contract/v2.rs CLIENT lists. */
export interface ClientOptions {
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
  /** Per attempt, the whole answer included. Default 5000. */
  timeoutMs?: number;
  /** Attempts after the first, where the retry table allows. Default 2. */
  retries?: number;
  /** Backoff base: attempt n waits a random time up to min(5000, backoffMs·2^(n-1)) ms. Default 200. */
  backoffMs?: number;
  /** Default: the host's global fetch. */
  fetch?: (input: string, init?: RequestInit) => Promise<Response>;
  onEvent?: (event: ClientEvent) => void;
}

/** `reconcile`: the order's authoritative state from the query APIs. */
export interface Reconciled {
  outTradeNo: string;
  exists: boolean;
  /** trade_state (`NOTPAY`, `SUCCESS`, `REFUND`, `CLOSED`, `PAYERROR` …) or `NOTEXIST`. */
  state: string;
  transactionId?: string;
  totalFee?: number;
  refunds: { outRefundNo: string; refundId: string; refundFee: number; status: string }[];
}

/** Options of {@link Client.createNotifyHandler}: exactly the contract's names. */
export interface NotifyHandlerOptions {
  /** Called once per paid order (in this process); a throw answers FAIL so WeChat retries. */
  onPaid: (notification: VerifiedNotify) => unknown;
  /** Every other verified notification (not paid). */
  onNotify?: (notification: VerifiedNotify) => unknown;
  /** Raw-body limit in bytes, default 65536 (at most 1 MiB). */
  maxBytes?: number;
  /** Settled orders remembered for dedupe, default 10000. */
  dedupeSize?: number;
}

/** `(req, res)` (node:http, Express), `(ctx, next)` (Koa), `(request, reply)` (Fastify), `(request) → Response` (fetch hosts). */
export type NotifyHandler = (a: any, b?: any, c?: any) => Promise<unknown>;

/** A refund reply's fields; `resolvedByQuery` when they come from the refund query after a lost answer. */
export type RefundReply = { [field: string]: string | boolean | undefined; resolvedByQuery?: boolean };

/** A v2 client: each method signs, sends, verifies the reply and returns its fields, or throws WxPayError. */
export interface Client {
  readonly appid: string;
  readonly mchId: string;
  unifiedOrder(order: Params): Promise<Fields>;
  orderQuery(query: Params): Promise<Fields>;
  closeOrder(order: Params): Promise<Fields>;
  /** Needs `cert`+`certKey` or `pfx`. A lost answer is resolved by refundQuery: then the refund's fields from it, with `resolvedByQuery: true`. */
  refund(refund: Params): Promise<RefundReply>;
  refundQuery(query: Params): Promise<Fields>;
  downloadBill(bill: Params): Promise<Bill>;
  reconcile(outTradeNo: string): Promise<Reconciled>;
  /** `wx.requestPayment`'s object for a prepay_id: the client's appid, key and sign type. */
  requestPaymentParams(prepayId: string): RequestPaymentParams;
  createNotifyHandler(options: NotifyHandlerOptions): NotifyHandler;
  /** Closes the client certificate's keep-alive connections. */
  close(): void;
}

/** The v2 client (docs/guide/client.md). Unknown options are refused with INVALID_PARAM. */
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
