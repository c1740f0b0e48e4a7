// Types for wxpay-wasm: WeChat Pay API v2 (mini-program payments) on a Rust/wasm core.

/** The two algorithms WeChat Pay v2 signs with. */
export type SignType = 'MD5' | 'HMAC-SHA256';

/**
 * A parameter set with WeChat's own field names (`appid`, `mch_id`, `total_fee` …).
 * `undefined`, `null` and `''` are "empty": left out of the signature.
 * Numbers must be safe integers; objects such as `detail` must be JSON.stringify-ed first.
 */
export type ParamValue = string | number | bigint | null | undefined;
export type Params = Record<string, ParamValue>;

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
  | 'DECRYPT_FAILED';

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
  /** `RESULT_FAIL`: whether sending the same request again is safe. */
  readonly retryable?: boolean;
}

/** All codes, in README's order. */
export declare const ERROR_CODES: readonly WxPayErrorCode[];

/** Resolves once the wasm is loaded. Node loads it synchronously; browsers must await this once. */
export declare function init(input?: string | URL | Request | Response | BufferSource | WebAssembly.Module): Promise<void>;

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
export declare function parseXml(xml: string, options?: ParseXmlOptions): Fields;

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
export declare function parseUnifiedOrderResponse(xml: string, options: VerifyOptions): UnifiedOrderResponse;

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
export declare function verifyNotify(xml: string, options: VerifyNotifyOptions): VerifiedNotify;

/** The XML answer WeChat expects: SUCCESS/OK, or FAIL with `message`. */
export declare function notifyReply(ok?: boolean, message?: string): string;

/** A correctly signed payment-result notification, for testing a notify handler. */
export declare function buildNotifyXml(fields: Params, options: SignOptions): string;

/** @internal Bytes of this instance's wasm linear memory (the load test's leak check). */
export declare function __wasmMemoryBytes(): number;

declare const wxpay: {
  WxPayError: typeof WxPayError;
  ERROR_CODES: typeof ERROR_CODES;
  init: typeof init;
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
  buildNotifyXml: typeof buildNotifyXml;
  __wasmMemoryBytes: typeof __wasmMemoryBytes;
};
export default wxpay;
