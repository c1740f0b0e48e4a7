// Generated from the contract of wxpay-wasm's core; do not edit by hand.
// The tables the types quote: error codes, error details, diagnosis causes, v2 endpoints.

/** Stable error codes carried by `WxPayError.code`, in the order the core declares them. */
export type WxPayErrorCode =
  /** An argument has the wrong type or shape (not a field of a parameter set). */
  | 'INVALID_PARAM'
  /** A required field is absent or empty. */
  | 'MISSING_FIELD'
  /** A field is present but its value or name is not acceptable. */
  | 'INVALID_FIELD'
  /** The input is not well-formed XML of the `<xml><field>…</field></xml>` shape. */
  | 'INVALID_XML'
  /** The XML uses a feature we never accept: DOCTYPE, entities, processing instructions. */
  | 'XML_FORBIDDEN'
  /** The input is larger than the configured limit; it was not parsed. */
  | 'INPUT_TOO_LARGE'
  /** A field name appears twice; which value counts would be ambiguous. */
  | 'DUPLICATE_FIELD'
  /** A message that must be signed carries no `sign`. */
  | 'SIGN_MISSING'
  /** The `sign` does not match the fields and key. */
  | 'SIGN_MISMATCH'
  /** `sign_type` (or the option) names an algorithm other than MD5 and HMAC-SHA256. */
  | 'UNSUPPORTED_SIGN_TYPE'
  /** WeChat answered `return_code` FAIL (communication-level failure). */
  | 'RETURN_FAIL'
  /** WeChat answered `result_code` FAIL (business-level failure). */
  | 'RESULT_FAIL'
  /** A received message names another `appid` than the one expected. */
  | 'APPID_MISMATCH'
  /** A received message names another `mch_id` than the one expected. */
  | 'MCH_ID_MISMATCH'
  /** A received message is about another order (`out_trade_no`) than the one expected. */
  | 'OUT_TRADE_NO_MISMATCH'
  /** A received message carries another amount (`total_fee`) than the order's. */
  | 'AMOUNT_MISMATCH'
  /** A refund notification's `req_info` (v2) or a callback's `resource` (v3) could not be decrypted. */
  | 'DECRYPT_FAILED'
  /** v3: `Wechatpay-Serial` names a key or certificate the caller did not supply. */
  | 'UNKNOWN_SERIAL'
  /** v3: the platform certificate `Wechatpay-Serial` names is outside its validity (expired or not yet valid, 300 s allowed). */
  | 'CERT_EXPIRED'
  /** v3: `Wechatpay-Timestamp` is further from now than the allowed skew (300 s by default). */
  | 'TIMESTAMP_SKEW'
  /** v3: a body or decrypted resource is not the JSON document expected. */
  | 'INVALID_JSON'
  /** Client: the request could not be sent or its answer not read (connection refused, reset, DNS). */
  | 'NETWORK_ERROR'
  /** Client: no complete answer within `timeoutMs`; notify handler: no complete body within `readTimeoutMs`. */
  | 'TIMEOUT'
  /** Client: an API that needs the merchant's TLS client certificate, without one configured or on a host that cannot present it. */
  | 'CLIENT_CERT_UNAVAILABLE'
  /** Notify handler: the request body could not be read: another middleware had already read it, or the stream failed. */
  | 'BODY_UNREADABLE'
  /** Notify handler: `findOrder` or a hook threw, `findOrder` returned no `{ total }`, or no hook takes the event; WeChat is answered so that it sends the notification again. */
  | 'HANDLER_FAILED'
  /** Client: a downloaded file (a bill) does not have the digest WeChat's signed answer gave for it: tampered or truncated; nothing in it may be used. */
  | 'HASH_MISMATCH'
  /** Mini-program: `code2Session` refused the login code (40029 invalid, 40163 already used): ask the mini-program for a new `wx.login` code. */
  | 'LOGIN_CODE_INVALID'
  /** Mini-program: a call limit was reached (WeChat's 45011, or a local force-refresh limit of the access token); `retryable` says whether waiting helps. */
  | 'RATE_LIMITED'
  /** Mini-program: WeChat refused the user as high-risk (40226); do not retry. */
  | 'RISKY_USER';

/** The facts a `WxPayError` may carry beside its code and message. */
export type WxPayErrorDetail =
  | 'field'
  | 'returnCode'
  | 'returnMsg'
  | 'errCode'
  | 'errCodeDes'
  | 'retryable'
  | 'errMessage'
  | 'httpStatus'
  | 'detail'
  | 'serial'
  | 'skewSeconds';

/** Stable identifiers of the mistakes `diagnoseSign` can prove, in the order they are tried. */
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

/**
 * v2 endpoint paths under `https://api.mch.weixin.qq.com`. Sandbox calls insert `/sandboxnew`
 * before the path (`/sandboxnew/pay/orderquery`); `sandboxSignKey` already has it.
 */
export interface ApiPaths {
  unifiedOrder: '/pay/unifiedorder';
  orderQuery: '/pay/orderquery';
  closeOrder: '/pay/closeorder';
  refund: '/secapi/pay/refund';
  refundQuery: '/pay/refundquery';
  downloadBill: '/pay/downloadbill';
  sandboxSignKey: '/sandboxnew/pay/getsignkey';
}

/** Names of the v2 APIs this package builds requests for. */
export type ApiName = keyof ApiPaths;

/** v2 APIs whose HTTPS request must present the merchant's client certificate (apiclient_cert). */
export type ClientCertApis = readonly ['refund'];
