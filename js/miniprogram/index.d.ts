// Types for wxpay-wasm/miniprogram (issue 29): the mini-program server around a payment —
// login (code2Session), the access token (stable_token), shipping (发货信息管理), message
// push (the URL check, safe mode) and virtual payment (xpay). The push's SHA-1 signatures,
// AES-256-CBC envelope and XML parser, and xpay's HMAC-SHA256 signatures, run in the Rust
// core (a wasm of its own); the HTTP calls are plain JSON.
//
// Options objects are exact: any name an interface does not list is refused at run time
// with INVALID_PARAM and the closest valid name. Request fields are WeChat's own names
// (snake_case); an unknown field is refused with INVALID_FIELD before anything is sent.
import type { InitInput, NotifyHandler, NotifyRefusal } from '../types/shared.js';
import { WxPayError } from '../types/shared.js';

export type { WxPayErrorDetail } from '../types/contract.js';
export type { InitInput, NotifyHandler, NotifyRefusal, WxPayErrorCode, WxPayErrorDetails } from '../types/shared.js';
export { WxPayError } from '../types/shared.js';

/** Resolves once the wasm is loaded. Node loads it synchronously; browsers must await this once. */
export declare function init(input?: InitInput): Promise<void>;

// ---------------------------------------------------------------- message push

/** A request's query: a framework's parsed object, URLSearchParams, or the query string (or URL). */
export type PushQuery = Readonly<Record<string, string | undefined>> | URLSearchParams | string;

/**
 * The server URL check (GET): `signature` = SHA-1 of the sorted token, timestamp and nonce,
 * compared in constant time. Returns `echostr`, which the server answers with.
 * @throws WxPayError SIGN_MISSING / SIGN_MISMATCH, MISSING_FIELD (timestamp, nonce, echostr).
 */
export declare function verifyPushUrl(query: PushQuery, token: string): string;

/** The keys of the message push settings (开发管理 → 消息推送). */
export interface PushKeys {
  /** The Token (3 to 32 characters in WeChat's console). */
  token: string;
  /**
   * The 43-character EncodingAESKey. Given: safe (or compatible) mode, and plaintext pushes are
   * refused, since plaintext mode signs only the URL, not the body. Absent: plaintext mode only.
   */
  encodingAESKey?: string;
  /** The mini-program's appid, checked against the one inside every encrypted push. Required with encodingAESKey. */
  appid?: string;
}

export interface DecryptPushOptions extends PushKeys {
  /** Body limit in bytes, default 65536 (1 to 1048576). */
  maxBytes?: number;
}

/** The request as received: its query and its raw body (not parsed by a framework). */
export interface PushRequest {
  query: PushQuery;
  body: string | Uint8Array;
}

/**
 * A push opened. Safe mode (`msg_signature` in the query or `Encrypt` in the body):
 * `msg_signature` = SHA-1 of the sorted token, timestamp, nonce and Encrypt, verified in
 * constant time first; then AES-256-CBC (key = EncodingAESKey + "=" Base64-decoded, IV its
 * first 16 bytes, PKCS#7 padding to 32), the 4-byte length and the appid inside are checked.
 * Plaintext mode: `signature` checked, the body returned. JSON and XML bodies alike; an XML
 * message's values are strings, a nested element an object, a repeated one an array.
 * A push replayed byte for byte still verifies (WeChat itself pushes again when not answered
 * within 5 s): act on each event idempotently, e.g. by its transaction_id.
 * @throws WxPayError SIGN_MISSING / SIGN_MISMATCH (forged, or replayed with another timestamp
 *   or nonce), DECRYPT_FAILED (bad Base64, padding, length; truncated), APPID_MISMATCH,
 *   INVALID_JSON / INVALID_XML / XML_FORBIDDEN, INPUT_TOO_LARGE, MISSING_FIELD.
 */
export declare function decryptPush(request: PushRequest, options: DecryptPushOptions): PushMessage;

export interface EncryptPushOptions {
  token: string;
  encodingAESKey: string;
  appid: string;
  /** Unix seconds, default now. */
  timestamp?: number | string;
  /** Default 16 random letters and digits. */
  nonce?: string;
  /** The body's format, default the message's (an XML string → 'xml', else 'json'). */
  format?: 'json' | 'xml';
}

/**
 * A safe-mode reply body: `{"Encrypt","MsgSignature","TimeStamp","Nonce"}` (or its `<xml>`),
 * the message (an object is serialised as JSON or XML; a string is sealed as it is) behind
 * 16 CSPRNG bytes, its length and the appid.
 */
export declare function encryptPush(message: object | string, options: EncryptPushOptions): string;

export interface PushRequestOptions extends PushKeys {
  timestamp?: number | string;
  nonce?: string;
  format?: 'json' | 'xml';
  /** The mini-program's original id (gh_…), put in the body beside Encrypt. */
  toUserName?: string;
}

/**
 * The request WeChat sends for `message` (for tests and mocks): safe mode when encodingAESKey
 * is given (query signature, timestamp, nonce, encrypt_type=aes, msg_signature; body
 * `{ ToUserName?, Encrypt }`), else plaintext. decryptPush opens it.
 */
export declare function pushRequest(
  message: object | string,
  options: PushRequestOptions,
): { query: Record<string, string>; body: string };

/** What every push carries. */
export interface PushBase {
  ToUserName: string;
  FromUserName: string;
  CreateTime: number | string;
  MsgType: string;
  Event?: string;
  [field: string]: unknown;
}

/** The order a trade-management event is about. */
interface TradeManageOrder extends PushBase {
  MsgType: 'event';
  transaction_id: string;
  merchant_id: string;
  sub_merchant_id?: string;
  merchant_trade_no: string;
  /** Unix seconds. */
  pay_time: number;
}

/** 订单将要结算或已经结算: the user (confirm_receive_method 1) or the system (2) confirmed receipt. */
export interface TradeManageOrderSettlement extends TradeManageOrder {
  Event: 'trade_manage_order_settlement';
  shipped_time?: number;
  estimated_settlement_time?: number;
  confirm_receive_method?: 1 | 2;
  confirm_receive_time?: number;
  settlement_time?: number;
}

/** 提醒需要上传发货信息: an order paid a while ago still has no shipping information. */
export interface TradeManageRemindShipping extends TradeManageOrder {
  Event: 'trade_manage_remind_shipping';
  msg: string;
}

/** 提醒接入发货信息管理服务 API. */
export interface TradeManageRemindAccessApi extends PushBase {
  Event: 'trade_manage_remind_access_api';
  msg: string;
}

/** xpay's WeChat Pay facts (absent for other channels). */
export interface XpayWeChatPayInfo {
  MchOrderNo: string;
  TransactionId: string;
  PaidTime?: number;
}

/** 道具发货推送: deliver the goods of a virtual payment (xpay_goods_deliver_notify). */
export interface XpayGoodsDeliverNotify extends PushBase {
  Event: 'xpay_goods_deliver_notify';
  OpenId: string;
  OutTradeNo: string;
  /** 0 production, 1 sandbox. */
  Env: number | string;
  WeChatPayInfo?: XpayWeChatPayInfo;
  GoodsInfo: { ProductId: string; Quantity: number; OrigPrice: number; ActualPrice: number; Attach?: string };
}

/** 代币支付推送: a virtual-currency purchase was paid (xpay_coin_pay_notify). */
export interface XpayCoinPayNotify extends PushBase {
  Event: 'xpay_coin_pay_notify';
  OpenId: string;
  OutTradeNo: string;
  Env: number | string;
  WeChatPayInfo?: XpayWeChatPayInfo;
  CoinInfo: { Quantity: number; OrigPrice: number; ActualPrice: number; Attach?: string };
}

/** 退款推送 (xpay_refund_notify). */
export interface XpayRefundNotify extends PushBase {
  Event: 'xpay_refund_notify';
  OpenId: string;
  WxRefundId?: string;
  MchRefundId?: string;
  WxOrderId?: string;
  MchOrderId?: string;
  RefundFee?: number;
  RetCode?: number;
  RetMsg?: string;
}

/** 用户投诉推送 (xpay_complaint_notify). */
export interface XpayComplaintNotify extends PushBase {
  Event: 'xpay_complaint_notify';
  OpenId: string;
  WxOrderId?: string;
  MchOrderId?: string;
}

/** Every push event this package types, by its `Event`. */
export interface PushEvents {
  trade_manage_order_settlement: TradeManageOrderSettlement;
  trade_manage_remind_shipping: TradeManageRemindShipping;
  trade_manage_remind_access_api: TradeManageRemindAccessApi;
  xpay_goods_deliver_notify: XpayGoodsDeliverNotify;
  xpay_coin_pay_notify: XpayCoinPayNotify;
  xpay_refund_notify: XpayRefundNotify;
  xpay_complaint_notify: XpayComplaintNotify;
}

/** A push message: one of the typed events, or any other push. */
export type PushMessage = PushEvents[keyof PushEvents] | PushBase;

/** The functions of createPushHandler, by event name (else by MsgType); `default` takes the rest. */
export type PushRoutes = {
  [E in keyof PushEvents]?: (message: PushEvents[E]) => unknown;
} & {
  default?: (message: PushMessage) => unknown;
  [event: string]: ((message: never) => unknown) | undefined;
};

export interface PushHandlerOptions extends PushKeys {
  on: PushRoutes;
  /** Body limit in bytes, default 65536 (1 to 1048576); larger bodies are answered 413 unread. */
  maxBytes?: number;
  /** The whole body within this many ms, default 10000 (1 to 120000). */
  readTimeoutMs?: number;
  /** Every refused request (forged, undecryptable, unreadable, a function that threw). */
  onRefused?: (report: NotifyRefusal) => unknown;
}

/**
 * The push endpoint for node:http / Express, Koa, Fastify and fetch-style hosts: GET = the URL
 * check (echostr), POST = a push opened (as decryptPush), routed by `Event` to `on`, answered
 * `success` once the function returned; a function that throws is answered 500 (WeChat
 * pushes again); a push that does not verify 400. Mount it before any body parser.
 */
export declare function createPushHandler(options: PushHandlerOptions): NotifyHandler;

// ---------------------------------------------------------------- virtual payment (xpay)

export interface XpaySignatureOptions {
  /** The xpay AppKey (production or sandbox, to match `env`). */
  appKey: string;
  /** code2Session's session_key: when given, the user-state `signature` is computed too. */
  sessionKey?: string;
  /** The API path (`/xpay/query_user_balance`), or `requestVirtualPayment` for the mini-program call. */
  uri: string;
  /** The exact JSON text sent: both signatures cover these bytes. */
  body: string;
}

/** paySig = hex HMAC-SHA256(appKey, uri + '&' + body); signature = hex HMAC-SHA256(sessionKey, body). */
export declare function xpaySignatures(options: XpaySignatureOptions): { paySig: string; signature?: string };

/** wx.requestVirtualPayment's signData as an object (serialised once, then signed). */
export interface VirtualPaymentSignData {
  offerId: string;
  buyQuantity: number;
  /** 0 production, 1 sandbox. */
  env: 0 | 1;
  currencyType: 'CNY';
  /** short_series_goods: the product and its unit price in fen. */
  productId?: string;
  goodsPrice?: number;
  /** Your order number: 6 to 32 letters, digits or _-|*@. */
  outTradeNo: string;
  attach?: string;
}

export interface VirtualPaymentOptions {
  appKey: string;
  sessionKey: string;
  signData: VirtualPaymentSignData | string;
  /** Default 'short_series_goods' (goods); 'short_series_coin' buys virtual currency. */
  mode?: 'short_series_goods' | 'short_series_coin';
}

/** What the mini-program passes to wx.requestVirtualPayment. */
export interface VirtualPaymentParams {
  signData: string;
  paySig: string;
  signature: string;
  mode: 'short_series_goods' | 'short_series_coin';
}

/** The parameters of wx.requestVirtualPayment, signed (paySig over `requestVirtualPayment&signData`). */
export declare function virtualPaymentParams(options: VirtualPaymentOptions): VirtualPaymentParams;

// ---------------------------------------------------------------- createMiniProgram

export interface MiniProgramOptions {
  appid: string;
  /** The AppSecret. Sent only to WeChat; never in an error or an event. */
  secret: string;
  /** Default https://api.weixin.qq.com; the mock's URL in tests. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Per call, default 5000 (1 to 120000). */
  timeoutMs?: number;
  onEvent?: (event: MiniProgramEvent) => void;
  /** The xpay AppKey, for mp.xpay calls. */
  appKey?: string;
  /** The xpay OfferID. */
  offerId?: string;
  /** xpay environment put in bodies that carry none: 0 production (default), 1 sandbox. */
  env?: 0 | 1;
}

/** onEvent's events: a call made (path only, never the query), or a token fetched. */
export type MiniProgramEvent =
  | { type: 'call'; path: string; status: number; ms: number; errCode?: string }
  | { type: 'token'; forced: boolean };

export interface Session {
  openid: string;
  session_key: string;
  unionid?: string;
}

/** WeChat's answer to a call that returns nothing else. */
export interface WeChatOk {
  errcode?: 0;
  errmsg?: string;
}

/** order_key: by mchid + out_trade_no (1) or by transaction_id (2). */
export type OrderKey =
  | { order_number_type: 1; mchid: string; out_trade_no: string }
  | { order_number_type: 2; transaction_id: string };

export interface ShippingContact {
  /** Masked, the last four digits in clear: `189****1234`. Required (one of the two) for SF Express. */
  consignor_contact?: string;
  receiver_contact?: string;
}

export interface Parcel {
  /** Required for express (logistics_type 1). */
  tracking_no?: string;
  /** The carrier's code from getDeliveryList; required for express. */
  express_company?: string;
  /** 1 to 120 characters. */
  item_desc: string;
  contact?: ShippingContact;
}

export interface Delivery {
  /** 1 express, 2 same-city, 3 virtual goods, 4 self pick-up. */
  logistics_type: 1 | 2 | 3 | 4;
  /** 1 unified (exactly one parcel), 2 split (express only). */
  delivery_mode: 1 | 2;
  /** Required for split delivery: whether everything has shipped. */
  is_all_delivered?: boolean;
  /** 1 to 15 parcels. */
  shipping_list: Parcel[];
}

export interface UploadShippingInfo extends Delivery {
  order_key: OrderKey;
  /** RFC 3339, default now; a later upload must carry a later time. */
  upload_time?: string;
  payer: { openid: string };
}

export interface UploadCombinedShippingInfo {
  order_key: OrderKey;
  sub_orders: (Delivery & { order_key: OrderKey })[];
  upload_time?: string;
  payer: { openid: string };
}

/** An order by transaction_id, or by merchant_id + merchant_trade_no. */
export type OrderRef =
  | { transaction_id: string; sub_merchant_id?: string }
  | { merchant_id: string; merchant_trade_no: string; sub_merchant_id?: string };

/** order_state: 1 待发货, 2 已发货, 3 确认收货, 4 交易完成, 5 已退款, 6 资金待结算. */
export type OrderState = 1 | 2 | 3 | 4 | 5 | 6;

export interface ShippingOrder {
  transaction_id: string;
  merchant_id: string;
  sub_merchant_id?: string;
  merchant_trade_no: string;
  description: string;
  paid_amount: number;
  openid: string;
  trade_create_time: number;
  pay_time: number;
  order_state: OrderState;
  in_complaint: boolean;
  shipping: {
    delivery_mode?: 1 | 2;
    logistics_type?: 1 | 2 | 3 | 4;
    finish_shipping?: boolean;
    goods_desc?: string;
    finish_shipping_count?: number;
    shipping_list?: {
      tracking_no?: string;
      express_company?: string;
      goods_desc?: string;
      upload_time?: number;
      contact?: ShippingContact;
    }[];
  };
}

export interface OrderListQuery {
  pay_time_range?: { begin_time?: number; end_time?: number };
  order_state?: OrderState;
  openid?: string;
  last_index?: string;
  /** 1 to 100, WeChat's default 100. */
  page_size?: number;
}

/** The /wxa/sec/order/* calls, each validated before the token is fetched or anything sent. */
export interface Shipping {
  isTradeManaged(): Promise<boolean>;
  isTradeManagementConfirmationCompleted(): Promise<boolean>;
  uploadShippingInfo(info: UploadShippingInfo): Promise<WeChatOk>;
  uploadCombinedShippingInfo(info: UploadCombinedShippingInfo): Promise<WeChatOk>;
  getOrder(ref: OrderRef): Promise<ShippingOrder>;
  getOrderList(query: OrderListQuery): Promise<{ order_list: ShippingOrder[]; last_index: string; has_more: boolean }>;
  /** Once per order, express only; received_time in Unix seconds, after shipping. */
  notifyConfirmReceive(ref: OrderRef & { received_time: number }): Promise<WeChatOk>;
  setMsgJumpPath(path: string): Promise<void>;
  /** type 1 presale (delay_to required: Unix seconds, 15 to 330 days after payment), 2 test order. */
  opSpecialOrder(order: { order_id: string; type: 1 | 2; delay_to?: number }): Promise<WeChatOk>;
  /** The carriers and their codes (express_company): POST /cgi-bin/express/delivery/open_msg/get_delivery_list. */
  getDeliveryList(): Promise<{ delivery_list: { delivery_id: string; delivery_name: string }[]; count: number }>;
}

/** A user-state xpay call's options: code2Session's session_key. */
export interface XpayUserOptions {
  sessionKey: string;
}

type XpayBody = Record<string, unknown>;
type XpayAnswer = Promise<WeChatOk & Record<string, unknown>>;

/** The xpay server APIs (POST /xpay/<name>?access_token&pay_sig[&signature]); `env` filled from the options. */
export interface Xpay {
  queryUserBalance(body: { openid: string; user_ip: string; env?: 0 | 1 }, options: XpayUserOptions): XpayAnswer;
  currencyPay(body: XpayBody, options: XpayUserOptions): XpayAnswer;
  cancelCurrencyPay(body: XpayBody, options: XpayUserOptions): XpayAnswer;
  queryOrder(body: XpayBody): XpayAnswer;
  refundOrder(body: XpayBody): XpayAnswer;
  notifyProvideGoods(body: XpayBody): XpayAnswer;
  presentCurrency(body: XpayBody): XpayAnswer;
  downloadBill(body: XpayBody): XpayAnswer;
  createWithdrawOrder(body: XpayBody): XpayAnswer;
  queryWithdrawOrder(body: XpayBody): XpayAnswer;
  startUploadGoods(body: XpayBody): XpayAnswer;
  queryUploadGoods(body: XpayBody): XpayAnswer;
  startPublishGoods(body: XpayBody): XpayAnswer;
  queryPublishGoods(body: XpayBody): XpayAnswer;
}

export interface MiniProgram {
  readonly appid: string;
  /**
   * GET /sns/jscode2session: wx.login's code → openid and session_key.
   * @throws WxPayError LOGIN_CODE_INVALID (40029, 40163), RATE_LIMITED (45011, retryable),
   *   RISKY_USER (40226), RESULT_FAIL (-1 busy, retryable; others), each with `errCode`.
   */
  code2Session(code: string): Promise<Session>;
  /**
   * The access token over POST /cgi-bin/stable_token: cached until 5 minutes before expiry,
   * one request in flight for concurrent callers. stable_token returns the same valid token
   * to every caller without invalidating it, so several servers can each call it (unlike
   * /cgi-bin/token, whose every call replaces the token). `forceRefresh` replaces it for
   * everybody: refused locally (RATE_LIMITED) within 30 s of the last or past 20 a day.
   */
  accessToken(options?: { forceRefresh?: boolean }): Promise<string>;
  readonly shipping: Shipping;
  readonly xpay: Xpay;
  /** Closes kept-alive connections. */
  close(): void;
}

/** The mini-program server client; options are checked now. */
export declare function createMiniProgram(options: MiniProgramOptions): MiniProgram;

declare const wxpayMiniProgram: {
  WxPayError: typeof WxPayError;
  init: typeof init;
  createMiniProgram: typeof createMiniProgram;
  createPushHandler: typeof createPushHandler;
  decryptPush: typeof decryptPush;
  encryptPush: typeof encryptPush;
  pushRequest: typeof pushRequest;
  verifyPushUrl: typeof verifyPushUrl;
  virtualPaymentParams: typeof virtualPaymentParams;
  xpaySignatures: typeof xpaySignatures;
};
export default wxpayMiniProgram;
