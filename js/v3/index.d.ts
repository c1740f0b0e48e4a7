// Types for wxpay-wasm/v3: WeChat Pay API v3 (RSA via WebCrypto, everything else in the
// Rust/wasm core). Every function is async.
//
// Options objects are exact: each `...Options` interface names every option its function
// accepts, and at run time any other name is refused with INVALID_PARAM and the closest
// valid name. Request fields are WeChat's own names; an unknown field is refused
// (INVALID_FIELD), so a misspelling is caught before WeChat would ignore it.
import type {
  ClientCallOptions,
  InitInput,
  NotifyHandler,
  NotifyHandlerOptionsOf,
  Reconciled,
} from '../types/shared.js';
import { WxPayError } from '../types/shared.js';

export type { WxPayErrorDetail } from '../types/contract.js';
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
} from '../types/shared.js';
export { WxPayError } from '../types/shared.js';

/** Resolves once the wasm is loaded. Node loads it synchronously; browsers must await this once. */
export declare function init(input?: InitInput): Promise<void>;

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
  /**
   * Expectations: each given one must match the decrypted resource, read from the event family's own fields
   * (partner `sp_appid`/`sp_mchid`, combine `combine_*`, transfers `mchid`). A family that carries no appid or mchid
   * (refunds: no appid; complaints: neither) is not compared on it; `outTradeNo` or `total` asked of a family that
   * does not carry them is refused.
   */
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
// ---------------------------------------------------------------- callbacks by event family
// The decrypted resource of each family, with the fields WeChat Pay's callback docs list;
// WeChat adds fields over time, so each is open to more.

/** Any member WeChat adds. */
type OpenFields = { [name: string]: unknown };
/** `TRANSACTION.*`, a payment: direct (appid, mchid) or partner 服务商 (sp_appid, sp_mchid, sub_appid, sub_mchid). */
export type TransactionResource = OpenFields & {
  appid?: string;
  mchid?: string;
  sp_appid?: string;
  sp_mchid?: string;
  sub_appid?: string;
  sub_mchid?: string;
  out_trade_no: string;
  transaction_id?: string;
  trade_state: string;
  trade_state_desc?: string;
  success_time?: string;
  payer?: OpenFields & { openid?: string; sp_openid?: string; sub_openid?: string };
  amount: OpenFields & { total: number; payer_total?: number; currency?: string; payer_currency?: string };
};
/** `TRANSACTION.*` of a combine 合单 payment: no top-level amount; each sub-order its own. */
export type CombineTransactionResource = OpenFields & {
  combine_appid: string;
  combine_mchid: string;
  combine_out_trade_no: string;
  sub_orders: (OpenFields & {
    mchid: string;
    sub_mchid?: string;
    out_trade_no: string;
    transaction_id?: string;
    trade_state?: string;
    amount?: OpenFields & { total_amount?: number; payer_amount?: number; currency?: string };
  })[];
};
/** `REFUND.SUCCESS`, `REFUND.ABNORMAL`, `REFUND.CLOSED`: mchid, or sp_mchid and sub_mchid; no appid. */
export type RefundResource = OpenFields & {
  mchid?: string;
  sp_mchid?: string;
  sub_mchid?: string;
  out_trade_no: string;
  transaction_id?: string;
  out_refund_no: string;
  refund_id?: string;
  refund_status: string;
  success_time?: string;
  user_received_account?: string;
  amount: OpenFields & { total: number; refund: number; payer_total?: number; payer_refund?: number };
};
/** `MCHTRANSFER.BILL.FINISHED` (the 2025 transfer API): no appid, no out_trade_no. */
export type TransferResource = OpenFields & {
  /** The merchant (some of WeChat's samples write `mch_id`; either is checked against `mchId`). */
  mchid?: string;
  mch_id?: string;
  out_bill_no: string;
  transfer_bill_no: string;
  state: string;
  transfer_amount: number;
  openid?: string;
  fail_reason?: string;
  create_time?: string;
  update_time?: string;
};
/** `PROFITSHARING.*` (SUCCESS, RETURN …), sent to the receiver: mchid, or sp_mchid and sub_mchid. */
export type ProfitSharingResource = OpenFields & {
  mchid?: string;
  sp_mchid?: string;
  sub_mchid?: string;
  transaction_id: string;
  order_id: string;
  out_order_no: string;
  receiver: OpenFields & { type: string; account: string; amount: number; description: string };
  success_time: string;
};
/** `COMPLAINT.*`: no mchid and no appid, so only the signature and the APIv3 key vouch for it. */
export type ComplaintResource = OpenFields & {
  complaint_id: string;
  action_type: string;
  out_trade_no?: string;
  complaint_time?: string;
  amount?: number;
};
/** One verified callback whose resource is `R`. */
export interface NotifyOf<R> extends VerifiedNotify {
  resource: R & NotifyResource;
}
/** What each `on` hook of {@link Client.createNotifyHandler} receives. */
export interface NotifyEvents {
  /** A payment that succeeded (`paid` true): once per order in this process, after findOrder's amount check. */
  paid: NotifyOf<TransactionResource> & { paid: true };
  /** `REFUND.*`, after findOrder's check (amount.total the order's, amount.refund not above it). */
  refund: NotifyOf<RefundResource> & { paid: false };
  /** `MCHTRANSFER.*`. */
  transfer: NotifyOf<TransferResource> & { paid: false };
  /** `PROFITSHARING.*`. */
  profitSharing: NotifyOf<ProfitSharingResource> & { paid: false };
  /** `COMPLAINT.*`. */
  complaint: NotifyOf<ComplaintResource> & { paid: false };
  /** Everything else: another TRANSACTION.* state, a combine payment, an event type without a hook of its own. */
  notify: VerifiedNotify;
}
/**
 * The event hooks: each event goes to its own, or to `notify`; a verified event with
 * neither is refused (HANDLER_FAILED, 500) so that WeChat sends it again. A hook that throws
 * is HANDLER_FAILED too.
 */
export type NotifyHooks = { [K in keyof NotifyEvents]?: (notification: NotifyEvents[K]) => unknown };

/** Verifies, decrypts and checks a payment or refund callback. */
export declare function verifyNotify(
  body: Body,
  headers: HeadersInput,
  options: VerifyNotifyOptions,
): Promise<VerifiedNotify>;

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

// ---------------------------------------------------------------- WeChat's request and answer fields

/** One line of an order's `detail.goods_detail`. */
export interface GoodsDetail {
  merchant_goods_id: string;
  wechatpay_goods_id?: string;
  goods_name?: string;
  quantity: number;
  /** In fen. */
  unit_price: number;
}

/**
 * JSAPI下单 (mini-program order) without the merchant's `appid` and `mchid`: what
 * {@link Client.jsapi} takes.
 */
export interface JsapiOrderFields {
  /** At most 127 characters. */
  description: string;
  /** 6 to 32 characters of `[A-Za-z0-9_\-|*]`. */
  out_trade_no: string;
  /** RFC 3339, e.g. `2026-12-03T18:00:00+08:00`. */
  time_expire?: string;
  /** At most 128 characters; returned as is in the query and the callback. */
  attach?: string;
  /** `https://`, at most 255 characters, no query string. */
  notify_url: string;
  goods_tag?: string;
  support_fapiao?: boolean;
  amount: {
    /** In fen, at least 1. */
    total: number;
    currency?: 'CNY';
  };
  payer: { openid: string };
  detail?: { cost_price?: number; invoice_id?: string; goods_detail?: GoodsDetail[] };
  scene_info?: {
    payer_client_ip: string;
    device_id?: string;
    store_info?: { id: string; name?: string; area_code?: string; address?: string };
  };
  settle_info?: { profit_sharing?: boolean };
}

/** JSAPI下单 `POST /v3/pay/transactions/jsapi`: the order with the merchant's `appid` and `mchid`. */
export interface JsapiOrder extends JsapiOrderFields {
  appid: string;
  mchid: string;
}

/** JSAPI下单's answer: the `prepay_id` for `wx.requestPayment` (valid two hours). */
export interface JsapiAnswer {
  prepay_id: string;
}

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

/** A coupon or discount applied to a payment. */
export interface PromotionDetail {
  coupon_id?: string;
  name?: string;
  /** `GLOBAL` or `SINGLE`. */
  scope?: string;
  /** `CASH` or `NOCASH`. */
  type?: string;
  /** In fen. */
  amount?: number;
  stock_id?: string;
  wechatpay_contribute?: number;
  merchant_contribute?: number;
  other_contribute?: number;
  currency?: string;
  goods_detail?: {
    goods_id: string;
    quantity: number;
    unit_price: number;
    discount_amount: number;
    goods_remark?: string;
  }[];
}

/**
 * An order as the query answers it (and as a payment callback's `resource` holds it). Beyond
 * the first five fields, most are present once the order is paid.
 */
export interface Transaction {
  appid: string;
  mchid: string;
  out_trade_no: string;
  trade_state: TradeState;
  trade_state_desc: string;
  transaction_id?: string;
  /** `JSAPI`, `NATIVE`, `APP`, `MICROPAY`, `MWEB`, `FACEPAY`. */
  trade_type?: string;
  bank_type?: string;
  attach?: string;
  /** RFC 3339. */
  success_time?: string;
  payer?: { openid?: string };
  amount?: {
    /** In fen. */
    total?: number;
    payer_total?: number;
    currency?: string;
    payer_currency?: string;
  };
  scene_info?: { device_id?: string };
  promotion_detail?: PromotionDetail[];
}

/** One line of a refund's `goods_detail`. */
export interface RefundGoodsDetail {
  merchant_goods_id: string;
  wechatpay_goods_id?: string;
  goods_name?: string;
  /** In fen. */
  unit_price: number;
  refund_amount: number;
  refund_quantity: number;
}

/** Where refund money comes from, when several accounts pay it. */
export interface RefundFrom {
  account: 'AVAILABLE' | 'UNAVAILABLE';
  /** In fen. */
  amount: number;
}

/**
 * 退款申请 `POST /v3/refund/domestic/refunds`: the order by exactly one of `out_trade_no` and
 * `transaction_id`.
 */
export type RefundRequest = (
  | { out_trade_no: string; transaction_id?: never }
  | { transaction_id: string; out_trade_no?: never }
) & {
  /** At most 64 characters of `[A-Za-z0-9_\-|*@]`; WeChat refunds once per number, so a retry is safe. */
  out_refund_no: string;
  /** At most 80 characters; shown to the payer. */
  reason?: string;
  /** `https://`; the refund callback goes there instead of the merchant platform's setting. */
  notify_url?: string;
  funds_account?: 'AVAILABLE';
  amount: {
    /** In fen, at most `total`. */
    refund: number;
    /** The order's total, in fen. */
    total: number;
    currency: 'CNY';
    from?: RefundFrom[];
  };
  goods_detail?: RefundGoodsDetail[];
};

/** A refund as 退款申请 and 查询单笔退款 answer it. */
export interface Refund {
  refund_id: string;
  out_refund_no: string;
  transaction_id: string;
  out_trade_no: string;
  /** `ORIGINAL`, `BALANCE`, `OTHER_BALANCE`, `OTHER_BANKCARD`. */
  channel: string;
  /** Where the money went, e.g. 支付用户零钱. */
  user_received_account: string;
  /** RFC 3339; present once `status` is `SUCCESS`. */
  success_time?: string;
  /** RFC 3339. */
  create_time: string;
  /** `ABNORMAL` needs a person: the payer's card was cancelled or frozen. */
  status: 'SUCCESS' | 'CLOSED' | 'PROCESSING' | 'ABNORMAL' | (string & {});
  /** `UNSETTLED`, `AVAILABLE`, `UNAVAILABLE`, `OPERATION`, `BASIC`. */
  funds_account?: string;
  /** In fen. */
  amount: {
    total: number;
    refund: number;
    from?: RefundFrom[];
    payer_total: number;
    payer_refund: number;
    settlement_refund: number;
    settlement_total: number;
    discount_refund: number;
    currency: string;
    /** The fee refunded with it. */
    refund_fee?: number;
  };
  promotion_detail?: {
    promotion_id: string;
    /** `GLOBAL` or `SINGLE`. */
    scope: string;
    /** `COUPON` or `DISCOUNT`. */
    type: string;
    amount: number;
    refund_amount: number;
    goods_detail?: RefundGoodsDetail[];
  }[];
}

/** Request fields of any builder, before their check: an object of WeChat's names. */
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
export declare function buildJsapiOrder(order: JsapiOrder, options?: BuildOptions): Promise<V3Request>;
export declare function buildQueryByOutTradeNo(query: { mchid: string; out_trade_no: string }): Promise<V3Request>;
export declare function buildQueryById(query: { mchid: string; transaction_id: string }): Promise<V3Request>;
export declare function buildCloseOrder(order: { mchid: string; out_trade_no: string }): Promise<V3Request>;
export declare function buildRefund(refund: RefundRequest, options?: BuildOptions): Promise<V3Request>;
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

// ---------------------------------------------------------------- the client

/** Options of {@link createClient}; any other name is refused with INVALID_PARAM. */
export interface ClientOptions extends ClientCallOptions {
  appid: string;
  mchId: string;
  /** The merchant API certificate's serial number. */
  serialNo: string;
  privateKey: PrivateKeyInput;
  /** The 32-byte APIv3 key. */
  apiV3Key: string;
  /** `{ PUB_KEY_ID_…: pub_key.pem }` (public-key mode) or `{ serial: certificate PEM }` (certificate mode: refreshed from /v3/certificates). */
  publicKeys: PublicKeys;
  /** An origin; default `https://api.mch.weixin.qq.com`. */
  baseUrl?: string;
  /** Certificate mode: download again when a certificate expires within this many seconds (default 86400). */
  refreshBeforeSeconds?: number;
}

/** Options of {@link Client.createNotifyHandler}; any other name is refused with INVALID_PARAM. */
export interface NotifyHandlerOptions extends NotifyHandlerOptionsOf<VerifiedNotify> {
  /** Callback timestamp window, default 300 s (0 to 3600, checked at creation). */
  maxSkewSeconds?: number;
  /** Routing by event type instead of onPaid/onNotify: see {@link NotifyRoutedOptions}. */
  on?: never;
}
/**
 * {@link Client.createNotifyHandler} routing by event type: `on` instead of onPaid/onNotify.
 * findOrder is required when `paid`, `refund` or `notify` is given (those hooks can receive a
 * payment or a refund, checked against the order first; the handler refuses to be created
 * without it), and may be left out otherwise: {@link NotifyRoutedWithOrders} or
 * {@link NotifyRoutedWithoutOrders}.
 */
export type NotifyRoutedOptions = NotifyRoutedWithOrders | NotifyRoutedWithoutOrders;
/** The routed options but their hooks and findOrder. */
type NotifyRoutedBase = Omit<NotifyHandlerOptions, 'onPaid' | 'onNotify' | 'findOrder' | 'on'> & {
  onPaid?: never;
  onNotify?: never;
};
/** Any hooks, findOrder given (required with `paid`, `refund` or `notify`). */
export type NotifyRoutedWithOrders = NotifyRoutedBase & {
  on: NotifyHooks;
  findOrder: NotifyHandlerOptions['findOrder'];
};
/** Hooks that never see a payment or a refund (transfer, profitSharing, complaint): findOrder optional. */
export type NotifyRoutedWithoutOrders = NotifyRoutedBase & {
  on: Omit<NotifyHooks, 'paid' | 'refund' | 'notify'> & { paid?: undefined; refund?: undefined; notify?: undefined };
  findOrder?: NotifyHandlerOptions['findOrder'];
};

/** WeChat's JSON answer, verified. */
export type Answer = Record<string, unknown>;

/** {@link Client.jsapi}'s order: `appid` and `mchid` are the client's and may be left out (another value is refused). */
export type ClientJsapiOrder = JsapiOrderFields & { appid?: string; mchid?: string };

/** {@link Client.refund}'s answer; `resolvedByQuery: true` when the answer was lost and the refund query found it. */
export type RefundAnswer = Refund & { resolvedByQuery?: true };

/** A v3 client: each method signs, sends, verifies the answer's signature and returns its JSON, or throws WxPayError. */
export interface Client {
  readonly appid: string;
  readonly mchId: string;
  jsapi(order: ClientJsapiOrder): Promise<JsapiAnswer>;
  queryByOutTradeNo(outTradeNo: string): Promise<Transaction>;
  queryById(transactionId: string): Promise<Transaction>;
  /** Resolves to `{}` (WeChat answers 204). */
  close(outTradeNo: string): Promise<Record<string, never>>;
  /** A lost answer is resolved by queryRefund (then `resolvedByQuery: true`). */
  refund(refund: RefundRequest): Promise<RefundAnswer>;
  queryRefund(outRefundNo: string): Promise<Refund>;
  /** Downloads, verifies and decrypts the platform certificates and adds them to the keys held. */
  certificates(): Promise<Record<string, PlatformCertificate>>;
  /** The order's state, and its refunds: those given and those this client created. */
  reconcile(outTradeNo: string, outRefundNos?: readonly string[]): Promise<Reconciled>;
  /** `wx.requestPayment`'s object for a prepay_id: the client's appid, signed with its merchant key. */
  requestPaymentParams(prepayId: string): Promise<RequestPaymentParams>;
  /** Routing by event type: each event to its `on` hook (typed by its family), the rest to `on.notify`. */
  createNotifyHandler(options: NotifyRoutedOptions): NotifyHandler;
  createNotifyHandler(options: NotifyHandlerOptions): NotifyHandler;
  /** The serials / PUB_KEY_ID_… the client verifies with now. */
  serials(): string[];
  // Files: downloads, bills, uploads, complaint images.
  /**
   * A file WeChat names by URL (a bill's `download_url`), on the client's origin only, signed
   * over its path and query as given; accepted when its SHA1 (or SM3) equals `hashValue`, else
   * HASH_MISMATCH. Another origin: INVALID_PARAM, nothing sent.
   */
  download(downloadUrl: string, options: DownloadOptions): Promise<Uint8Array>;
  /**
   * {@link Client.download} as a stream, returned at once (bad arguments throw; the request
   * goes at the first read, and its failure is the stream's error). The stream errors at its
   * END with HASH_MISMATCH when the digest differs: no chunk may be trusted before the stream
   * has closed without error.
   */
  downloadStream(downloadUrl: string, options: DownloadOptions): ReadableStream<Uint8Array>;
  /** A bill in both steps (the signed request, then the verified download; GZIP decompressed): its text. */
  bill<K extends BillKind>(kind: K, query: BillQuery[K], options?: BillOptions): Promise<string>;
  /** {@link Client.bill} as a stream of the bill's bytes; the same rule as {@link Client.downloadStream}. */
  billStream<K extends BillKind>(kind: K, query: BillQuery[K], options?: BillOptions): ReadableStream<Uint8Array>;
  /** A media upload (multipart `meta` + `file`, the Authorization over the meta JSON): WeChat's verified answer. */
  upload<P extends string>(url: P, file: UploadFile): Promise<UploadAnswer<P>>;
  /** A complaint's image, by its media URL or media_id: the image's bytes. */
  complaintImage(mediaUrlOrId: string, options?: BillOptions): Promise<Uint8Array>;
}

/** The digest {@link Client.download} checks: the `hash_type` and `hash_value` of WeChat's signed answer. */
export interface DownloadOptions {
  hashType: 'SHA1' | 'SM3';
  /** Hex (40 digits for SHA1, 64 for SM3), either case. */
  hashValue: string;
  /** Download limit: refused beyond this many bytes (declared or received; for GZIP, decompressed too). Default 512 MiB. */
  maxBytes?: number;
}
/** Options of {@link Client.bill}, {@link Client.billStream}, {@link Client.complaintImage}. */
export interface BillOptions {
  /** Download limit: refused beyond this many bytes. Default 512 MiB (bills), 16 MiB (complaint images). */
  maxBytes?: number;
}
/** The bills {@link Client.bill} fetches. */
export type BillKind = keyof BillQuery;
/** Each bill's query (its names in this order in the signed URL as given). */
export interface BillQuery {
  tradebill: {
    /** YYYY-MM-DD. */
    bill_date: string;
    /** Partner (服务商): the sub-merchant's bill. */
    sub_mchid?: string;
    bill_type?: 'ALL' | 'SUCCESS' | 'REFUND' | 'RECHARGE_REFUND' | 'ALL_SPECIAL' | 'SUC_SPECIAL' | 'REF_SPECIAL';
    tar_type?: 'GZIP';
  };
  fundflowbill: {
    bill_date: string;
    sub_mchid?: string;
    account_type?: 'BASIC' | 'OPERATION' | 'FEES';
    tar_type?: 'GZIP';
  };
  /**
   * 单个子商户资金账单 (partner): encrypted parts, each decrypted (AEAD_AES_256_GCM, its key
   * opened with the merchant private key), its digest checked, joined in bill_sequence order.
   */
  'sub-merchant-fundflowbill': {
    sub_mchid: string;
    /** YYYY-MM-DD. */
    bill_date: string;
    account_type: 'BASIC' | 'OPERATION' | 'FEES' | 'DEPOSIT';
    /** Sent as AEAD_AES_256_GCM when absent; SM4_GCM is refused (WebCrypto has no SM4). */
    algorithm?: 'AEAD_AES_256_GCM';
    tar_type?: 'GZIP';
  };
}
/** {@link Client.upload}'s file: the name (its extension picks the content type) and the bytes. */
export interface UploadFile {
  filename: string;
  data: Uint8Array | ArrayBuffer | Blob;
}
/** The answer of an upload path: `media_url` for the marketing image upload, else `media_id`. */
export type UploadAnswer<P extends string> = P extends `${string}/v3/marketing/favor/media/image-upload`
  ? { media_url: string }
  : { media_id: string };

// ---------------------------------------------------------------- any v3 path: the generic call, sensitive fields

/** The methods WeChat Pay v3 uses (upper case, as signed). */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/**
 * A JSON body: a plain object or an array, sent as `JSON.stringify` writes it (any object
 * type, so that an interface such as {@link JsapiOrder} is accepted; at run time anything but
 * a plain object or an array is refused with INVALID_PARAM).
 */
export type RequestBody = object;
/** Options of the generic call; any other name is refused with INVALID_PARAM. */
export interface RequestOptions {
  /** Values of the url's `{name}` segments, each percent-encoded into its segment (all required, none extra). */
  params?: Readonly<Record<string, string | number>>;
  /** Appended as `?a=1&b=2` in this key order (encodeURIComponent); undefined values left out. */
  query?: Readonly<Record<string, string | number | boolean | undefined>>;
}
/** {@link buildRequest}'s request: the url as signed and sent (prefix it with the origin), the body as JSON text ('' for none). */
export interface GenericRequest {
  method: HttpMethod;
  url: string;
  body: string;
}
/**
 * Any v3 path: `url` is `/v3/…` with its query exactly as signed, or a spec template
 * `/v3/…/{name}` filled from `options.params`. GET and DELETE take no body. Nothing about the
 * fields is checked: WeChat does.
 */
export declare function buildRequest(
  method: HttpMethod,
  url: string,
  body?: RequestBody,
  options?: RequestOptions,
): Promise<GenericRequest>;

/** Sensitive fields (merged into {@link Client}); the generic calls `request`, `get`, `post`, … are typed from the spec in ../types/v3-calls.d.ts (V3Calls). */
export interface Client {
  /** Base64 RSA-OAEP (SHA-1) with the platform key the client's requests name in `Wechatpay-Serial`. */
  encrypt(plaintext: string): Promise<string>;
  /** A field WeChat encrypted to the merchant key (RSA-OAEP, SHA-1), as text. */
  decrypt(ciphertext: string): Promise<string>;
}

// ---------------------------------------------------------------- product helpers: native, h5, app, combine, partner, refunds, profit sharing, transfers, complaints

/** An order's fields without the payer (Native, App): `appid` and `mchid` are the client's and may be left out. */
export type ProductOrder = Omit<JsapiOrderFields, 'payer'> & { appid?: string; mchid?: string };
/** H5下单: `scene_info` with the payer's IP and `h5_info` is required. */
export type H5Order = Omit<ProductOrder, 'scene_info'> & {
  scene_info: {
    payer_client_ip: string;
    device_id?: string;
    store_info?: { id: string; name?: string; area_code?: string; address?: string };
    h5_info: {
      type: 'iOS' | 'Android' | 'Wap' | (string & {});
      app_name?: string;
      app_url?: string;
      bundle_id?: string;
      package_name?: string;
    };
  };
};
/** What the App SDK's PayReq takes (WeChat's "APP调起支付"), `sign` over `appid\ntimestamp\nnoncestr\nprepayid\n`. */
export interface AppPayParams {
  appid: string;
  partnerid: string;
  prepayid: string;
  package: 'Sign=WXPay';
  noncestr: string;
  timestamp: string;
  sign: string;
}

/** One order of a 合单 combine order. */
export interface CombineSubOrder {
  mchid: string;
  attach: string;
  amount: { total_amount: number; currency: 'CNY' | (string & {}) };
  out_trade_no: string;
  sub_mchid: string;
  sub_appid?: string;
  description: string;
  goods_tag?: string;
  settle_info?: { profit_sharing?: boolean; subsidy_amount?: number };
}
/** A 合单 order: `combine_appid` and `combine_mchid` are the client's and may be left out. */
export interface CombineOrder {
  combine_appid?: string;
  combine_mchid?: string;
  combine_out_trade_no: string;
  sub_orders: CombineSubOrder[];
  notify_url: string;
  scene_info?: { payer_client_ip: string; device_id?: string; h5_info?: { type: string } };
  combine_payer_info?: { openid?: string; sub_openid?: string };
  time_start?: string;
  time_expire?: string;
  limit_pay?: ('no_balance' | 'no_debit' | 'balance_only')[];
}
export type CombinePayerOrder = CombineOrder & { combine_payer_info: { openid: string } };
export interface CombineMethods {
  jsapi(order: CombinePayerOrder): Promise<{ prepay_id: string }>;
  miniprogram(order: Omit<CombinePayerOrder, 'notify_url'> & { notify_url?: string }): Promise<{ prepay_id: string }>;
  app(order: CombineOrder): Promise<{ prepay_id: string }>;
  h5(
    order: CombineOrder & { scene_info: { payer_client_ip: string; h5_info: { type: string } } },
  ): Promise<{ h5_url: string }>;
  native(order: CombineOrder): Promise<{ code_url: string }>;
  query(
    combineOutTradeNo: string,
  ): Promise<Answer & { combine_out_trade_no: string; sub_orders?: (Answer & { trade_state?: TradeState })[] }>;
  /** Resolves to null (WeChat answers 204). */
  close(
    combineOutTradeNo: string,
    subOrders: { mchid: string; out_trade_no: string; sub_mchid?: string; sub_appid?: string }[],
  ): Promise<null>;
}

/** 服务商 partner mode: the sub-merchant an order is for; `sp_appid` and `sp_mchid` are the client's. */
export interface SubMerchant {
  sub_mchid: string;
  sub_appid?: string;
  sp_appid?: string;
  sp_mchid?: string;
}
export type PartnerOrder = Omit<ProductOrder, 'appid' | 'mchid'> & SubMerchant;
export type PartnerJsapiOrder = PartnerOrder & { payer: { sp_openid?: string; sub_openid?: string } };
export type PartnerH5Order = Omit<H5Order, 'appid' | 'mchid'> & SubMerchant;
export type PartnerTransaction = Omit<Transaction, 'appid' | 'mchid'> & {
  sp_appid: string;
  sp_mchid: string;
  sub_appid?: string;
  sub_mchid: string;
};
export interface PartnerMethods {
  jsapi(order: PartnerJsapiOrder): Promise<{ prepay_id: string }>;
  native(order: PartnerOrder): Promise<{ code_url: string }>;
  h5(order: PartnerH5Order): Promise<{ h5_url: string }>;
  app(order: PartnerOrder): Promise<{ prepay_id: string }>;
  query(
    q: { out_trade_no: string; sub_mchid: string } | { transaction_id: string; sub_mchid: string },
  ): Promise<PartnerTransaction>;
  /** Resolves to null (WeChat answers 204). */
  close(outTradeNo: string, who: { sub_mchid: string }): Promise<null>;
  /** A lost answer is settled by the refund query (then `resolvedByQuery: true`). */
  refund(refund: RefundRequest & { sub_mchid: string }): Promise<RefundAnswer>;
  queryRefund(outRefundNo: string, who: { sub_mchid: string }): Promise<Refund>;
  /** `wx.requestPayment`'s object for a partner JSAPI order: appId `sub_appid` when given (the payer's app), else the client's. */
  requestPaymentParams(prepayId: string, who?: { sub_appid?: string }): Promise<RequestPaymentParams>;
  /** The App SDK's PayReq for a partner order: appid the app it was placed for, partnerid the sub-merchant. */
  appPayParams(prepayId: string, who: { sub_mchid: string; sub_appid?: string }): Promise<AppPayParams>;
}

/** 异常退款: where a refund WeChat could not return goes; `bank_account` and `real_name` as plain text (sent encrypted). */
export interface AbnormalRefundRequest {
  out_refund_no: string;
  type: 'USER_BANK_CARD' | 'MERCHANT_BANK_CARD';
  sub_mchid?: string;
  bank_type?: string;
  bank_account?: string;
  real_name?: string;
}

/** A profit-sharing receiver of an order; `name` as plain text (sent encrypted). */
export interface ProfitSharingReceiver {
  type: 'MERCHANT_ID' | 'PERSONAL_OPENID' | 'PERSONAL_SUB_OPENID';
  account: string;
  name?: string;
  /** In fen. */
  amount: number;
  description: string;
}
export interface ProfitSharingOrderRequest {
  sub_mchid?: string;
  sub_appid?: string;
  appid?: string;
  transaction_id: string;
  out_order_no: string;
  receivers?: ProfitSharingReceiver[];
  unfreeze_unsplit: boolean;
}
export interface ProfitSharingOrder {
  sub_mchid?: string;
  transaction_id: string;
  out_order_no: string;
  order_id: string;
  state: 'PROCESSING' | 'FINISHED' | (string & {});
  receivers?: (Omit<ProfitSharingReceiver, 'name'> & {
    result: 'PENDING' | 'SUCCESS' | 'CLOSED' | (string & {});
    fail_reason?: string;
    detail_id?: string;
    create_time: string;
    finish_time: string;
  })[];
  /** Present when a lost answer was settled by the query. */
  resolvedByQuery?: true;
}
export interface ProfitSharingReturnRequest {
  sub_mchid?: string;
  order_id?: string;
  out_order_no?: string;
  out_return_no: string;
  return_mchid: string;
  amount: number;
  description: string;
}
export interface ProfitSharingReturn {
  sub_mchid?: string;
  order_id: string;
  out_order_no: string;
  out_return_no: string;
  return_id: string;
  return_mchid: string;
  amount: number;
  description: string;
  result: 'PROCESSING' | 'SUCCESS' | 'FAILED' | (string & {});
  fail_reason?: string;
  create_time: string;
  finish_time: string;
  resolvedByQuery?: true;
}
export interface ProfitSharingReceiverRequest {
  sub_mchid?: string;
  appid?: string;
  sub_appid?: string;
  type: 'MERCHANT_ID' | 'PERSONAL_OPENID' | 'PERSONAL_SUB_OPENID';
  account: string;
  name?: string;
  relation_type:
    | 'SERVICE_PROVIDER'
    | 'STORE'
    | 'STAFF'
    | 'STORE_OWNER'
    | 'PARTNER'
    | 'HEADQUARTER'
    | 'BRAND'
    | 'DISTRIBUTOR'
    | 'USER'
    | 'SUPPLIER'
    | 'CUSTOM';
  custom_relation?: string;
}
export interface ProfitSharingMethods {
  order(order: ProfitSharingOrderRequest): Promise<ProfitSharingOrder>;
  query(q: { out_order_no: string; transaction_id: string; sub_mchid?: string }): Promise<ProfitSharingOrder>;
  return(r: ProfitSharingReturnRequest): Promise<ProfitSharingReturn>;
  queryReturn(q: { out_return_no: string; out_order_no: string; sub_mchid?: string }): Promise<ProfitSharingReturn>;
  unfreeze(u: {
    sub_mchid?: string;
    transaction_id: string;
    out_order_no: string;
    description: string;
  }): Promise<ProfitSharingOrder>;
  amounts(transactionId: string): Promise<{ transaction_id: string; unsplit_amount: number }>;
  addReceiver(r: ProfitSharingReceiverRequest): Promise<Answer & { type: string; account: string }>;
  removeReceiver(
    r: Omit<ProfitSharingReceiverRequest, 'name' | 'relation_type' | 'custom_relation'>,
  ): Promise<Answer & { type: string; account: string }>;
}

/** 商家转账 (2025): a transfer bill; `user_name` as plain text (sent encrypted); `appid` is the client's. */
export interface TransferBillRequest {
  appid?: string;
  out_bill_no: string;
  transfer_scene_id: string;
  openid: string;
  user_name?: string;
  /** In fen. */
  transfer_amount: number;
  transfer_remark: string;
  notify_url?: string;
  user_recv_perception?: string;
  transfer_scene_report_infos: { info_type: string; info_content: string }[];
}
export type TransferState =
  | 'ACCEPTED'
  | 'PROCESSING'
  | 'WAIT_USER_CONFIRM'
  | 'TRANSFERING'
  | 'SUCCESS'
  | 'FAIL'
  | 'CANCELING'
  | 'CANCELLED'
  | (string & {});
export interface TransferBill {
  out_bill_no: string;
  transfer_bill_no: string;
  create_time?: string;
  update_time?: string;
  state: TransferState;
  fail_reason?: string;
  /** For `wx.requestMerchantTransfer` while the state is WAIT_USER_CONFIRM: see {@link Client.transferParams}. */
  package_info?: string;
  /** Present when a lost answer was settled by the query. */
  resolvedByQuery?: true;
}
export interface TransferMethods {
  /** A lost answer is settled by the query by out_bill_no (found: `resolvedByQuery: true`; not found: sent again). */
  create(bill: TransferBillRequest): Promise<TransferBill>;
  query(q: { out_bill_no: string } | { transfer_bill_no: string }): Promise<TransferBill & Answer>;
  cancel(outBillNo: string): Promise<TransferBill>;
}
/** What the mini-program passes to `wx.requestMerchantTransfer`. */
export interface TransferParams {
  mchId: string;
  appId: string;
  package: string;
}

/** 消费者投诉 2.0. */
export interface ComplaintMethods {
  list(q: {
    begin_date: string;
    end_date: string;
    limit?: number;
    offset?: number;
    complainted_mchid?: string;
  }): Promise<
    Answer & { data?: (Answer & { complaint_id: string })[]; limit?: number; offset?: number; total_count?: number }
  >;
  /** `payer_phone` comes encrypted to the merchant key: `client.decrypt(detail.payer_phone)`. */
  detail(complaintId: string): Promise<Answer & { complaint_id: string; payer_phone?: string }>;
  history(complaintId: string, q?: { limit?: number; offset?: number }): Promise<Answer>;
  /** `complainted_mchid` defaults to the client's mchId. Resolves to null (204). */
  reply(
    complaintId: string,
    body: {
      complainted_mchid?: string;
      response_content: string;
      response_images?: string[];
      jump_url?: string;
      jump_url_text?: string;
      mini_program_jump_info?: { appid: string; path: string; text: string };
    },
  ): Promise<null>;
  /** `complainted_mchid` defaults to the client's mchId. Resolves to null (204). */
  complete(complaintId: string, body?: { complainted_mchid?: string }): Promise<null>;
  notifications: {
    create(url: string): Promise<{ mchid: string; url: string }>;
    query(): Promise<{ mchid: string; url: string }>;
    update(url: string): Promise<{ mchid: string; url: string }>;
    delete(): Promise<null>;
  };
}

/** The product helpers (merged into {@link Client}): each fills the client's ids, checks WeChat's required fields, encrypts sensitive ones. */
export interface Client {
  /** Native下单: the QR code's `code_url`. A lost answer is settled by the order query, as jsapi. */
  native(order: ProductOrder): Promise<{ code_url: string }>;
  h5(order: H5Order): Promise<{ h5_url: string }>;
  app(order: ProductOrder): Promise<{ prepay_id: string }>;
  /** The App SDK's PayReq for a prepay_id, signed with the merchant key. */
  appPayParams(prepayId: string): Promise<AppPayParams>;
  readonly combine: CombineMethods;
  readonly partner: PartnerMethods;
  /** 异常退款 `POST /v3/refund/domestic/refunds/{refund_id}/apply-abnormal-refund`; a lost answer surfaces as unknown. */
  applyAbnormalRefund(refundId: string, request: AbnormalRefundRequest): Promise<Refund>;
  readonly profitSharing: ProfitSharingMethods;
  readonly transfer: TransferMethods;
  /** `wx.requestMerchantTransfer`'s mchId, appId, package from a bill in WAIT_USER_CONFIRM (throws INVALID_PARAM without package_info). */
  transferParams(bill: { package_info?: string }): TransferParams;
  readonly complaints: ComplaintMethods;
}

/** The v3 client. Unknown options are refused with INVALID_PARAM. */
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
  buildRequest: typeof buildRequest;
};
export default wxpayV3;

// ---------------------------------------------------------------- typed calls to any v3 path

export type {
  V3AnyCallOptions,
  V3Answer,
  V3Body,
  V3BodyArgs,
  V3CallOptions,
  V3Calls,
  V3Method,
  V3OptionsArgs,
  V3Params,
  V3PathOf,
  V3Paths,
  V3Query,
  V3Schemas,
} from '../types/v3-calls.js';
import type { V3Calls } from '../types/v3-calls.js';
/** The client's calls to any path of the API, typed from the spec when the URL is a literal. */
export interface Client extends V3Calls {}
