// Types for wxpay-wasm/v3: WeChat Pay API v3 (RSA via WebCrypto, everything else in the
// Rust/wasm core). Every function is async.

/** Stable error codes carried by {@link WxPayError.code} (the same class as `wxpay-wasm`'s). */
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

/** Every failure of this package; `err instanceof WxPayError` holds whichever entry it came from. */
export declare class WxPayError extends Error {
  constructor(code: WxPayErrorCode, message: string, details?: { field?: string });
  readonly name: 'WxPayError';
  readonly code: WxPayErrorCode;
  /** The field, option or header the error concerns, when there is one. */
  readonly field?: string;
  /** v2 (one class for both entries): `return_code`/`return_msg`, `err_code_des`. */
  readonly returnCode?: string;
  readonly returnMsg?: string;
  readonly errCodeDes?: string;
  /** parseErrorResponse: whether sending the same request again can succeed. */
  readonly retryable?: boolean;
  /** parseErrorResponse: WeChat's `code` and `message`, the HTTP status, `detail` as JSON. */
  readonly errCode?: string;
  readonly errMessage?: string;
  readonly httpStatus?: string;
  readonly detail?: string;
  /** UNKNOWN_SERIAL: the `Wechatpay-Serial` no key was given for. */
  readonly serial?: string;
  /** TIMESTAMP_SKEW: now minus `Wechatpay-Timestamp`, in seconds. */
  readonly skewSeconds?: string;
}

/** Resolves once the wasm is loaded. Node loads it synchronously; browsers must await this once. */
export declare function init(input?: string | URL | Request | Response | BufferSource | WebAssembly.Module): Promise<void>;

/** A merchant private key parsed and imported once (see {@link importPrivateKey}). Opaque. */
export interface PrivateKey {
  readonly __wxpayPrivateKey: unique symbol;
}

/** `apiclient_key.pem` (PKCS#8 `PRIVATE KEY` or PKCS#1 `RSA PRIVATE KEY`), or an imported key. */
export type PrivateKeyInput = string | PrivateKey;

/** A body exactly as received: verification runs over these bytes, never a re-serialisation. */
export type Body = string | Uint8Array | ArrayBuffer;

/** Response or callback headers: a fetch `Headers`, or a plain object in any capitalisation (Node's `req.headers`). */
export type HeadersInput = Headers | Readonly<Record<string, string | string[] | undefined>>;

/**
 * Platform keys by the `Wechatpay-Serial` that names them: `PUB_KEY_ID_…` → the WeChat Pay
 * public key PEM, or a platform certificate's serial (uppercase hex) → its certificate PEM
 * (a public key PEM also works). One map serves certificate mode, public-key mode and the
 * migration between them.
 */
export type PublicKeys = Readonly<Record<string, string>> | ReadonlyMap<string, string>;

/** Parses and imports a private key once, for many `authorization` / `requestPaymentParams` calls. */
export declare function importPrivateKey(pem: string): Promise<PrivateKey>;

export interface AuthorizationOptions {
  /** 商户号 */
  mchId: string;
  /** The serial of the merchant's API certificate (`apiclient_cert.pem`). */
  serialNo: string;
  privateKey: PrivateKeyInput;
  /** `GET`, `POST`, `PUT`, `PATCH` or `DELETE`. */
  method: string;
  /** The path and query as sent, e.g. `/v3/pay/transactions/jsapi`. */
  url: string;
  /** The exact body string that will be sent; `''` (the default) for GET. */
  body?: string;
  /** Unix seconds; now by default. */
  timestamp?: string | number;
  /** Default: 32 characters from a CSPRNG. */
  nonce?: string;
}
/** The `Authorization` header value: `WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",…`. */
export declare function authorization(options: AuthorizationOptions): Promise<string>;

export interface VerifyOptions {
  publicKeys: PublicKeys;
  /** Unix seconds (or a Date) to check the timestamp against; now by default. */
  now?: number | Date;
  /** The most `Wechatpay-Timestamp` may differ from now; default 300. */
  maxSkewSeconds?: number;
}
export interface Verified {
  /** The `Wechatpay-Serial` whose key verified the signature. */
  serial: string;
  /** `Wechatpay-Timestamp`, Unix seconds. */
  timestamp: number;
}
/** Verifies a response's or callback's `Wechatpay-Signature` over the raw body. */
export declare function verifySignature(body: Body, headers: HeadersInput, options: VerifyOptions): Promise<Verified>;

export interface VerifyNotifyOptions {
  /** The 32-byte APIv3 key. */
  apiV3Key: string;
  publicKeys: PublicKeys;
  /** Unix seconds (or a Date) to check the timestamp against; now by default. */
  now?: number | Date;
  /** The most `Wechatpay-Timestamp` may differ from now; default 300. */
  maxSkewSeconds?: number;
  /** Expectations: each given one must match the decrypted resource. */
  appid?: string;
  mchId?: string;
  outTradeNo?: string;
  /** `amount.total`, in fen. */
  total?: number;
}
/** A decrypted callback resource: WeChat's fields (transaction or refund). */
export type NotifyResource = Record<string, unknown> & {
  appid?: string;
  mchid?: string;
  out_trade_no?: string;
  transaction_id?: string;
  trade_state?: string;
  refund_status?: string;
  amount?: Record<string, unknown> & { total?: number };
};
export interface VerifiedNotify {
  id: string;
  create_time: string;
  event_type: string;
  resource_type: string;
  summary: string;
  resource: NotifyResource;
  /** True only for `TRANSACTION.SUCCESS` with `trade_state` `SUCCESS`. */
  paid: boolean;
}
/** Verifies, decrypts and checks a payment or refund callback. */
export declare function verifyNotify(body: Body, headers: HeadersInput, options: VerifyNotifyOptions): Promise<VerifiedNotify>;

/** A callback's or certificate's encrypted `resource`. */
export interface EncryptedResource {
  algorithm: 'AEAD_AES_256_GCM' | string;
  ciphertext: string;
  nonce: string;
  associated_data?: string;
  original_type?: string;
}
/** AEAD_AES_256_GCM with the APIv3 key; the plaintext. */
export declare function decryptResource(resource: EncryptedResource, apiV3Key: string): Promise<string>;

export interface PlatformCertificate {
  pem: string;
  effectiveTime: string;
  expireTime: string;
}
/** The certificates of a `/v3/certificates` response, decrypted, by serial. */
export declare function parseCertificates(body: Body, apiV3Key: string): Promise<Record<string, PlatformCertificate>>;

export interface RequestPaymentOptions {
  appId: string;
  /** The `prepay_id` the JSAPI order returned. */
  prepayId: string;
  privateKey: PrivateKeyInput;
  /** Unix seconds; now by default. */
  timeStamp?: string | number;
  nonceStr?: string;
}
/** What `wx.requestPayment` takes. */
export interface RequestPaymentParams {
  appId: string;
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'RSA';
  paySign: string;
}
export declare function requestPaymentParams(options: RequestPaymentOptions): Promise<RequestPaymentParams>;

/** RSAES-OAEP (SHA-1) with the platform key, Base64; send `Wechatpay-Serial` with the request. */
export declare function encryptSensitive(plaintext: string, publicKey: string): Promise<string>;
/** The other way, with the merchant private key. */
export declare function decryptSensitive(ciphertext: string, privateKey: PrivateKeyInput): Promise<string>;

/** A request ready for `authorization` and `fetch` (prefix the url with https://api.mch.weixin.qq.com). */
export interface V3Request {
  method: 'GET' | 'POST';
  url: string;
  body: string;
}
export type RequestFields = Record<string, unknown>;
/** Options of the builders that take a `notify_url` (buildJsapiOrder, buildRefund). */
export interface BuildOptions {
  /**
   * Also accept `http://` in `notify_url` on a loopback host: `127.x.y.z` (four decimal parts
   * 0–255, no leading zeros), `localhost` (lower case) or `[::1]`, optional `:port`, no
   * userinfo. For the mock on your machine (WeChat itself needs https); the client sets it
   * when its `baseUrl` is loopback. Default false.
   */
  allowLoopbackHttp?: boolean;
}
export declare function buildJsapiOrder(order: RequestFields, options?: BuildOptions): Promise<V3Request>;
export declare function buildQueryByOutTradeNo(query: { mchid: string; out_trade_no: string }): Promise<V3Request>;
export declare function buildQueryById(query: { mchid: string; transaction_id: string }): Promise<V3Request>;
export declare function buildCloseOrder(order: { mchid: string; out_trade_no: string }): Promise<V3Request>;
export declare function buildRefund(refund: RequestFields, options?: BuildOptions): Promise<V3Request>;
export declare function buildRefundQuery(query: { out_refund_no: string; sub_mchid?: string }): Promise<V3Request>;

/**
 * The error a non-2xx answer means, returned (not thrown): `RESULT_FAIL` for WeChat's
 * `{ code, message, detail }` body (with `errCode`, `errMessage`, `httpStatus`, `retryable`,
 * `detail`), `RETURN_FAIL` for anything else (a proxy's HTML page, an empty 502).
 */
export declare function parseErrorResponse(status: number, body: Body): Promise<WxPayError>;

/** The reply to a callback: 204 for success, else 500 with `{"code":"FAIL","message":…}`. */
export interface NotifyReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}
export declare function notifyReply(ok: boolean, message?: string): Promise<NotifyReply>;


// ---------------------------------------------------------------- the client (issue 13)

/** One attempt of a client call, for the caller's logger and metrics. Never carries a key or a body. */
export interface ClientEvent {
  readonly api: string;
  /** The call's out_trade_no / out_refund_no / transaction_id. */
  readonly ref?: string;
  readonly attempt: number;
  readonly outcome: 'ok' | 'error' | 'retry' | 'unknown' | 'resolved' | 'absent' | 'unresolved';
  readonly code?: WxPayErrorCode;
  readonly ms: number;
}

/** Options of {@link createClient}: exactly the names src/contract/v3.rs CLIENT lists. */
export interface ClientOptions {
  appid: string;
  mchId: string;
  /** The merchant API certificate's serial number. */
  serialNo: string;
  privateKey: PrivateKeyInput;
  /** The 32-byte APIv3 key. */
  apiV3Key: string;
  /** `{ PUB_KEY_ID_…: pub_key.pem }` (public-key mode) or `{ serial: certificate PEM }` (certificate mode: refreshed from /v3/certificates). */
  publicKeys: Readonly<Record<string, string>> | ReadonlyMap<string, string>;
  /** An origin; default `https://api.mch.weixin.qq.com`. */
  baseUrl?: string;
  timeoutMs?: number;
  retries?: number;
  backoffMs?: number;
  fetch?: (input: string, init?: RequestInit) => Promise<Response>;
  onEvent?: (event: ClientEvent) => void;
  /** Certificate mode: download again when a certificate expires within this many seconds (default 86400). */
  refreshBeforeSeconds?: number;
}

export interface Reconciled {
  outTradeNo: string;
  exists: boolean;
  state: string;
  transactionId?: string;
  totalFee?: number;
  refunds: { outRefundNo: string; refundId: string; refundFee: number; status: string }[];
}

/** Options of {@link Client.createNotifyHandler}: exactly the contract's names. */
export interface NotifyHandlerOptions {
  onPaid: (notification: VerifiedNotify) => unknown;
  onNotify?: (notification: VerifiedNotify) => unknown;
  maxBytes?: number;
  dedupeSize?: number;
  /** Callback timestamp window, default 300 s. */
  maxSkewSeconds?: number;
}

/** `(req, res)` (node:http, Express), `(ctx, next)` (Koa), `(request, reply)` (Fastify), `(request) → Response` (fetch hosts). */
export type NotifyHandler = (a: any, b?: any, c?: any) => Promise<unknown>;

/** WeChat's JSON answer, verified. */
export type Answer = Record<string, unknown>;

/** A v3 client: each method signs, sends, verifies the answer's signature and returns its JSON, or throws WxPayError. */
export interface Client {
  readonly appid: string;
  readonly mchId: string;
  /** `appid` and `mchid` are the client's. Answers `{ prepay_id }`. */
  jsapi(order: Record<string, unknown>): Promise<Answer>;
  queryByOutTradeNo(outTradeNo: string): Promise<Answer>;
  queryById(transactionId: string): Promise<Answer>;
  /** Resolves to `{}` (WeChat answers 204). */
  close(outTradeNo: string): Promise<Answer>;
  /** A lost answer is resolved by queryRefund (then `resolvedByQuery: true`). */
  refund(refund: Record<string, unknown>): Promise<Answer>;
  queryRefund(outRefundNo: string): Promise<Answer>;
  /** Downloads, verifies and decrypts the platform certificates and adds them to the keys held. */
  certificates(): Promise<Record<string, { pem: string; effectiveTime: string; expireTime: string }>>;
  /** The order's state, and its refunds: those given and those this client created. */
  reconcile(outTradeNo: string, outRefundNos?: readonly string[]): Promise<Reconciled>;
  /** `wx.requestPayment`'s object for a prepay_id: the client's appid, signed with its merchant key. */
  requestPaymentParams(prepayId: string): Promise<RequestPaymentParams>;
  createNotifyHandler(options: NotifyHandlerOptions): NotifyHandler;
  /** The serials / PUB_KEY_ID_… the client verifies with now. */
  serials(): string[];
}

/** The v3 client (docs/guide/client.md). Unknown options are refused with INVALID_PARAM. */
export declare function createClient(options: ClientOptions): Client;

declare const wxpayV3: {
  WxPayError: typeof WxPayError;
  init: typeof init;
  createClient: typeof createClient;
  importPrivateKey: typeof importPrivateKey;
  authorization: typeof authorization;
  verifySignature: typeof verifySignature;
  verifyNotify: typeof verifyNotify;
  decryptResource: typeof decryptResource;
  parseCertificates: typeof parseCertificates;
  requestPaymentParams: typeof requestPaymentParams;
  encryptSensitive: typeof encryptSensitive;
  decryptSensitive: typeof decryptSensitive;
  buildJsapiOrder: typeof buildJsapiOrder;
  buildQueryByOutTradeNo: typeof buildQueryByOutTradeNo;
  buildQueryById: typeof buildQueryById;
  buildCloseOrder: typeof buildCloseOrder;
  buildRefund: typeof buildRefund;
  buildRefundQuery: typeof buildRefundQuery;
  parseErrorResponse: typeof parseErrorResponse;
  notifyReply: typeof notifyReply;
};
export default wxpayV3;
