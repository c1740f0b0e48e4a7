// What both entries of wxpay-wasm declare alike: the one error class, what `init` takes, and
// the client's shared options, events, reconciliation and notify handler. `wxpay-wasm` and
// `wxpay-wasm/v3` re-export these, so a type named in both is the same type.
import type { WxPayErrorCode, WxPayErrorDetail } from './contract.js';

export type { WxPayErrorCode, WxPayErrorDetail } from './contract.js';

/**
 * Every failure of this package. `instanceof Error`, `name === 'WxPayError'`, and one class for
 * both entries: `err instanceof WxPayError` holds whichever entry threw it.
 */
export declare class WxPayError extends Error {
  constructor(code: WxPayErrorCode, message: string, details?: WxPayErrorDetails);
  readonly name: 'WxPayError';
  readonly code: WxPayErrorCode;
  /** The field, option or header the error concerns, when there is one. */
  readonly field?: string;
  /** `RETURN_FAIL` (v2): WeChat's `return_code` and `return_msg`. */
  readonly returnCode?: string;
  readonly returnMsg?: string;
  /**
   * `RESULT_FAIL`: WeChat's error code — v2's `err_code` (`ORDERPAID`, `SYSTEMERROR` …), v3's
   * `code` (`PARAM_ERROR`, `ORDER_NOT_EXIST` …).
   */
  readonly errCode?: string;
  /** `RESULT_FAIL` (v2): WeChat's `err_code_des`. */
  readonly errCodeDes?: string;
  /**
   * Whether sending the same request again is safe and may succeed: on `RESULT_FAIL` for a
   * catalogued code, and on client errors (`NETWORK_ERROR`, `TIMEOUT`, anything left after
   * the client's retries).
   */
  readonly retryable?: boolean;
  /** `RESULT_FAIL` (v3): WeChat's `message`. */
  readonly errMessage?: string;
  /** The HTTP status of the answer that failed, as text (`'400'`). */
  readonly httpStatus?: string;
  /** `RESULT_FAIL` (v3): WeChat's `detail`, as JSON text. */
  readonly detail?: string;
  /** `UNKNOWN_SERIAL` (v3): the `Wechatpay-Serial` no key was given for. */
  readonly serial?: string;
  /** `TIMESTAMP_SKEW` (v3): now minus `Wechatpay-Timestamp`, in seconds, as text. */
  readonly skewSeconds?: string;
}

/** The facts a `WxPayError` can be created with; each one named by {@link WxPayErrorDetail}. */
export type WxPayErrorDetails = { readonly [K in WxPayErrorDetail]?: WxPayError[K] };

/** What `init` loads the wasm from: its URL, its bytes, a fetch answer, or a compiled module. */
export type InitInput = string | URL | Request | Response | BufferSource | WebAssembly.Module;

// ---------------------------------------------------------------- the client (both families)

/** One attempt of a client call, for the caller's logger and metrics. Never carries a key or a body. */
export interface ClientEvent {
  /** The client method, e.g. `unifiedOrder`, `jsapi`, `refund`. */
  readonly api: string;
  /** The call's `out_trade_no`, `out_refund_no` or `transaction_id` (v2 `downloadBill`: `bill_date`), to correlate log lines. */
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

/** The options every client has, whatever the family. */
export interface ClientCallOptions {
  /** Per attempt, the whole answer included. Default 5000. */
  timeoutMs?: number;
  /** Attempts after the first, where the retry table allows. Default 2. */
  retries?: number;
  /** Backoff base: attempt n waits a random time up to min(5000, backoffMs·2^(n-1)) ms. Default 200. */
  backoffMs?: number;
  /** Default: the host's global fetch. */
  fetch?: (input: string, init?: RequestInit) => Promise<Response>;
  /** Called for every attempt; a hook that throws is ignored. */
  onEvent?: (event: ClientEvent) => void;
}

/** `reconcile`: the order's authoritative state from the query APIs. */
export interface Reconciled {
  outTradeNo: string;
  exists: boolean;
  /** `trade_state` (`NOTPAY`, `SUCCESS`, `REFUND`, `CLOSED`, `PAYERROR` …), or `NOTEXIST`. */
  state: string;
  transactionId?: string;
  /** The order's total, in fen. */
  totalFee?: number;
  refunds: { outRefundNo: string; refundId: string; refundFee: number; status: string }[];
}

/**
 * The notify middleware `createNotifyHandler` returns. It reads the raw body itself, verifies
 * it and answers WeChat on every path.
 */
export interface NotifyHandler {
  /** Fetch hosts (Workers, `Deno.serve`, `Bun.serve`): answers with a `Response`. */
  (request: Request): Promise<Response>;
  /** node:http and Express `(req, res, next)`, Koa `(ctx, next)`, Fastify `(request, reply)`: answers through the host. */
  (request: object, reply: unknown, next?: unknown): Promise<unknown>;
}

// ---------------------------------------------------------------- notify handler options
// The options both families' `createNotifyHandler` take; each family adds its own and names
// the notification type `N` its hooks receive.

/** What `findOrder` returns for an order it knows. */
export interface NotifyOrder {
  /** The order's amount in fen (v2 `total_fee`, v3 `amount.total`). */
  total: number;
}

/** A refused notification, for logs: never a key, a body or a header value. */
export interface NotifyRefusal {
  readonly code: WxPayErrorCode;
  /** A sentence of the package's own. */
  readonly reason: string;
  /** v3: the serial of the key the callback names. */
  readonly serial?: string;
  /** Only once the notification verified. */
  readonly outTradeNo?: string;
}

/** The options of `createNotifyHandler` that both families take. */
export interface NotifyHandlerOptionsOf<N> {
  /**
   * Your order for the notification's out_trade_no: `{ total }` in fen, or null (unknown: answered so that WeChat
   * retries). Required; `false` turns the amount check off, which is unsafe (a validly signed notification of
   * another amount reaches onPaid).
   */
  findOrder: ((outTradeNo: string, notification: N) => NotifyOrder | null | Promise<NotifyOrder | null>) | false;
  /** Every refused notification (forged, another amount, unknown order, unreadable body, a hook that threw). */
  onRefused?: (report: NotifyRefusal) => unknown;
  /** The whole body within this many ms, default 10000 (1 to 120000). */
  readTimeoutMs?: number;
  /** Called once per paid order (in this process); a throw answers FAIL so WeChat retries. */
  onPaid: (notification: N) => unknown;
  /** Every other verified notification (not a payment). */
  onNotify?: (notification: N) => unknown;
  /** Raw-body limit in bytes, default 65536 (at most 1048576). */
  maxBytes?: number;
  /** Settled orders remembered for dedupe, default 10000. */
  dedupeSize?: number;
}
