// The notify middleware (issues 13 and 26), for both API families: reads the raw body
// (refusing a declared or actual size above `maxBytes` without keeping it, and a body not
// complete within `readTimeoutMs`), has the family verify it, checks it against the order
// `findOrder` returns (amount; appid and mch id are checked by the verification), calls
// `onPaid` once per order and answers WeChat on every path; every refusal goes to
// `onRefused` with a code and our own sentence, never a key, a body or a header value. One
// function serves Node's http and Express (`(req, res, next)`), Koa (`(ctx, next)`), Fastify
// (`(request, reply)`) and fetch-style hosts (`(request) → Response`: Workers, Deno.serve,
// Bun.serve).
//
// Dedupe is in-process only: WeChat repeats a notification until it is answered, and two
// copies may arrive at once; both wait for the same `onPaid`. Across processes (several
// servers, a restart) it is the store's job: mark an order paid with a conditional update.
import { CONTRACT, WxPayError, describe } from '../core/index.js';

/** Raw-body limit when the caller gives none: WeChat's notifications are a few KB. */
const NOTIFY_MAX_BYTES = 64 * 1024;
/** How many settled orders the in-process dedupe remembers (oldest forgotten first). */
const NOTIFY_DEDUPE_SIZE = 10000;
/**
 * How long the body may take to arrive once the handler runs. WeChat sends a few KB at once;
 * a sender trickling bytes holds a connection, so the handler ends it itself instead of
 * relying on each host's defaults (node:http's requestTimeout is 300 s; Koa has none).
 */
const NOTIFY_READ_TIMEOUT_MS = 10000;

class TooLarge extends Error {}
class TimedOut extends Error {}
/** The body is not there to read: `consumed` (another middleware read it) or the stream failed. */
class Unreadable extends Error {
  constructor(consumed) {
    super();
    this.consumed = consumed;
  }
}

/** Reads a Node stream (IncomingMessage) to bytes; past `limit` it keeps draining but stores nothing. */
async function readStream(stream, limit) {
  if (stream.readableEnded === true || stream.readable === false || stream.destroyed === true)
    throw new Unreadable(true);
  const chunks = [];
  let size = 0;
  try {
    for await (const c of stream) {
      size += c.length;
      if (size <= limit) chunks.push(c);
    }
  } catch {
    throw new Unreadable(false);
  }
  if (size > limit) throw new TooLarge();
  return Buffer.concat(chunks);
}

/** A body a framework already read (express.raw, koa rawBody, a Fastify buffer parser). */
function given(body, limit) {
  if (typeof body === 'string') body = new TextEncoder().encode(body);
  if (body.byteLength > limit) throw new TooLarge();
  return body;
}
const isRaw = (b) => typeof b === 'string' || b instanceof Uint8Array;
const header = (headers, name) =>
  (typeof headers?.get === 'function' ? headers.get(name) : headers?.[name]) ?? undefined;
/** The declared Content-Length, refused before reading when above the limit. */
function declared(headers, limit) {
  const v = header(headers, 'content-length');
  if (typeof v === 'string' && /^\d+$/.test(v) && Number(v) > limit) throw new TooLarge();
}
const nodeRead = (stream, body, headers) => (limit) => {
  if (isRaw(body)) return given(body, limit);
  declared(headers, limit);
  return readStream(stream, limit);
};
/** A refusal that ends the connection (the sender may still be sending): node:http closes it after the answer. */
const closing = (status, headers) => (status === 413 || status === 408 ? { ...headers, connection: 'close' } : headers);

/** The request and the way to answer, whatever the framework. */
function callShape(a, b) {
  // Koa: (ctx, next)
  if (a?.req && a.res && a.request && typeof a.set === 'function') {
    return {
      headers: a.req.headers,
      read: nodeRead(a.req, a.request.rawBody, a.req.headers),
      answer: (status, headers, body) => {
        a.status = status;
        for (const [k, v] of Object.entries(closing(status, headers))) a.set(k, v);
        a.body = body;
      },
    };
  }
  // Fastify: (request, reply)
  if (b && typeof b.code === 'function' && typeof b.send === 'function' && a?.raw) {
    return {
      headers: a.headers,
      read: nodeRead(a.raw, a.body, a.headers),
      answer: (status, headers, body) => b.code(status).headers(closing(status, headers)).send(body),
    };
  }
  // fetch-style (Workers, Deno.serve, Bun.serve): (request) → Response
  if (typeof Request === 'function' && a instanceof Request) {
    return {
      headers: a.headers,
      read: async (limit) => {
        declared(a.headers, limit);
        if (a.bodyUsed) throw new Unreadable(true);
        let buf;
        try {
          buf = await a.arrayBuffer();
        } catch {
          throw new Unreadable(false);
        }
        return given(new Uint8Array(buf), limit);
      },
      answer: (status, headers, body) => new Response(status === 204 ? null : body, { status, headers }),
    };
  }
  // Node http, Express: (req, res, next)
  if (b && typeof b.writeHead === 'function' && a?.headers) {
    return {
      headers: a.headers,
      read: nodeRead(a, a.body, a.headers),
      answer: (status, headers, body) => {
        b.writeHead(status, { ...closing(status, headers), 'content-length': Buffer.byteLength(body) });
        b.end(body);
      },
    };
  }
  throw new WxPayError(
    'INVALID_PARAM',
    'the notify handler takes (req, res) from node:http or Express, (ctx, next) from Koa, or (request, reply) from Fastify',
  );
}

const bad = (name, want, v) =>
  new WxPayError('INVALID_PARAM', `createNotifyHandler: option \`${name}\` must be ${want}, got ${describe(v)}`, {
    field: name,
  });
const fn = (v, name, need) => {
  if (v === undefined && !need) return undefined;
  if (typeof v !== 'function') throw bad(name, 'a function', v);
  return v;
};
const int = (v, name, dflt, min, max) => {
  if (v === undefined) return dflt;
  if (!Number.isSafeInteger(v) || v < min || v > max) throw bad(name, `an integer from ${min} to ${max}`, v);
  return v;
};

/** Every handler option, checked now: a bad one must not turn into a refusal of every genuine callback later. */
function handlerOptions(opts) {
  const onPaid = fn(opts.onPaid, 'onPaid', true);
  const findOrder = opts.findOrder;
  if (findOrder === undefined) {
    throw new WxPayError(
      'INVALID_PARAM',
      "createNotifyHandler: option `findOrder(outTradeNo, event) → { total } | null` is required: the handler checks each notification's amount against your order before onPaid (`findOrder: false` turns the check off, which is unsafe: a validly signed notification of another amount would reach onPaid)",
      { field: 'findOrder' },
    );
  }
  if (findOrder !== false && typeof findOrder !== 'function') throw bad('findOrder', 'a function or false', findOrder);
  return {
    onPaid,
    onNotify: fn(opts.onNotify, 'onNotify', false),
    onRefused: fn(opts.onRefused, 'onRefused', false),
    findOrder: findOrder === false ? null : findOrder,
    maxBytes: int(opts.maxBytes, 'maxBytes', NOTIFY_MAX_BYTES, 1, 1024 * 1024),
    dedupeSize: int(opts.dedupeSize, 'dedupeSize', NOTIFY_DEDUPE_SIZE, 1, 10_000_000),
    readTimeoutMs: int(opts.readTimeoutMs, 'readTimeoutMs', NOTIFY_READ_TIMEOUT_MS, 1, 120000),
  };
}

/** `p`, or TimedOut after `ms` (p keeps its own handler, so a late rejection is not unhandled). */
function within(p, ms) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new TimedOut()), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** What a family's own hook dispatch throws (v3 `on`, js/v3/notify-routes.js): the refusal's reason. */
const HOOK = Symbol('hook');
const CODE_DOC = new Map(CONTRACT.codes.map((c) => [c.code, c.doc]));
/** A refusal, as the handler answers it and reports it. */
class Refusal {
  constructor(kind, code, reason, outTradeNo) {
    Object.assign(this, { kind, code, reason, outTradeNo });
  }
}

/**
 * What a verification failure is reported as: its code and our own sentence about `what`
 * (never the error's message, which may quote what the sender wrote). Shared with the
 * mini-program push handler.
 */
function invalidRefusal(e, what) {
  const code = e instanceof WxPayError ? e.code : 'INVALID_PARAM';
  return new Refusal('invalid', code, `${what} was refused: ${CODE_DOC.get(code) ?? 'it could not be read'}`);
}

/** The caller's onRefused hook with `facts` (safe to log), frozen; a hook that throws or rejects is ignored. */
function reportTo(onRefused, facts) {
  if (!onRefused) return;
  try {
    Promise.resolve(onRefused(Object.freeze(facts))).catch(() => {});
  } catch {
    /* the caller's hook */
  }
}
const CONSUMED =
  'the request body was already read by another middleware (e.g. express.json/express.text); mount the handler before it or pass the raw body';

/** What reading the body failed with, as a Refusal. */
function readRefusal(e, cfg) {
  if (e instanceof TooLarge)
    return new Refusal('too-large', 'INPUT_TOO_LARGE', `the body is larger than maxBytes (${cfg.maxBytes} bytes)`);
  if (e instanceof TimedOut)
    return new Refusal('timeout', 'TIMEOUT', `the body did not arrive within readTimeoutMs (${cfg.readTimeoutMs} ms)`);
  if (e instanceof Unreadable && e.consumed) return new Refusal('unreadable', 'BODY_UNREADABLE', CONSUMED);
  return new Refusal(
    'unreadable',
    'BODY_UNREADABLE',
    'the request body could not be read (the connection closed or the stream failed before its end)',
  );
}

/** Whether the amount the notification states (v2: total_fee text; v3: a number) is the order's. */
function sameAmount(got, want) {
  return typeof got === 'number' ? Number.isSafeInteger(got) && got === want : got === String(want);
}

/** The order check: null when the notification may go on, else the Refusal. */
async function orderRefusal(cfg, v) {
  if (cfg.findOrder === null) return null;
  if (typeof v.orderKey !== 'string')
    return v.paid
      ? new Refusal('invalid', 'OUT_TRADE_NO_MISMATCH', 'a payment notification without out_trade_no')
      : null;
  let order;
  try {
    order = await cfg.findOrder(v.orderKey, v.event);
  } catch {
    return new Refusal(
      'failed',
      'HANDLER_FAILED',
      'findOrder threw; WeChat will send the notification again',
      v.orderKey,
    );
  }
  if (order === null || order === undefined)
    return new Refusal(
      'failed',
      'OUT_TRADE_NO_MISMATCH',
      'findOrder knows no such order; WeChat will send the notification again',
      v.orderKey,
    );
  const total = order?.total;
  if (typeof order !== 'object' || !Number.isSafeInteger(total) || total < 0) {
    return new Refusal(
      'failed',
      'HANDLER_FAILED',
      `findOrder must return { total } (fen, a non-negative integer) or null, returned ${typeof order === 'object' ? `{ total: ${describe(total)} }` : describe(order)}`,
      v.orderKey,
    );
  }
  if ((v.paid && v.total === undefined) || (v.total !== undefined && !sameAmount(v.total, total))) {
    return new Refusal(
      'invalid',
      'AMOUNT_MISMATCH',
      `the notification's amount is not the order's total (${total} fen)`,
      v.orderKey,
    );
  }
  if (v.refund !== undefined && !(Number.isSafeInteger(v.refund) && v.refund <= total)) {
    return new Refusal(
      'invalid',
      'AMOUNT_MISMATCH',
      `the refund notification's amount is above the order's total (${total} fen)`,
      v.orderKey,
    );
  }
  return null;
}

/** A serial fit for a log line (a certificate serial or PUB_KEY_ID_…), else none. */
const safeSerial = (s) => (typeof s === 'string' && /^[0-9A-Za-z_]{1,64}$/.test(s) ? s : undefined);

/** The HTTP status of each kind of refusal ('invalid': the family's, v2 400, v3 401). Any non-2xx makes WeChat send again. */
const STATUS = { 'too-large': 413, timeout: 408, unreadable: 400, failed: 500 };

/**
 * family: { verify(bytes, headers) → Promise<{ paid, orderKey, event, total?, refund? }>
 *             (total: what the notification states, v2 total_fee text or a v3 number; refund: a v3 refund's amount),
 *           ok() and refuse(status, message) → (a promise of) { status, headers, body },
 *           invalidStatus: the status of a notification that does not verify or match,
 *           serialHeader?: the header naming the signing key (v3) }.
 * opts: the handler options (handlerOptions).
 */
function makeNotifyHandler(family, opts) {
  const cfg = handlerOptions(opts);
  const settled = new Set();
  const inflight = new Map();

  /** onPaid for `key` once: concurrent copies share the promise; a failure is forgotten so WeChat's retry calls again. */
  function once(key, event) {
    if (settled.has(key)) return Promise.resolve();
    let p = inflight.get(key);
    if (p === undefined) {
      p = Promise.resolve()
        .then(() => cfg.onPaid(event))
        .then(() => {
          settled.add(key);
          if (settled.size > cfg.dedupeSize) settled.delete(settled.values().next().value);
        })
        .finally(() => inflight.delete(key));
      inflight.set(key, p);
    }
    return p;
  }

  /** onRefused with the facts that are safe to log; a hook that throws is ignored. */
  function report(r, serial) {
    const e = { code: r.code, reason: r.reason };
    if (serial !== undefined) e.serial = serial;
    if (r.outTradeNo !== undefined) e.outTradeNo = r.outTradeNo;
    reportTo(cfg.onRefused, e);
  }

  async function judge(call) {
    let bytes;
    try {
      bytes = await within(call.read(cfg.maxBytes), cfg.readTimeoutMs);
    } catch (e) {
      return readRefusal(e, cfg);
    }
    let v;
    try {
      v = await family.verify(bytes, call.headers);
    } catch (e) {
      // The code and our sentence only: a verification message may quote what the sender wrote.
      return Object.assign(invalidRefusal(e, 'the notification'), { serial: e?.serial });
    }
    const refused = await orderRefusal(cfg, v);
    if (refused) return refused;
    try {
      if (v.paid) await once(v.orderKey, v.event);
      else if (cfg.onNotify) await cfg.onNotify(v.event);
    } catch (e) {
      return new Refusal(
        'failed',
        'HANDLER_FAILED',
        `${e?.[HOOK] ?? `${v.paid ? 'onPaid' : 'onNotify'} threw`}; WeChat will send the notification again`,
        v.orderKey,
      );
    }
    return null;
  }

  return async function notifyHandler(a, b) {
    const call = callShape(a, b);
    const refused = await judge(call);
    const status = refused && (STATUS[refused.kind] ?? family.invalidStatus);
    const r = await (refused ? family.refuse(status, `notification refused (${refused.code})`) : family.ok());
    if (refused)
      report(refused, safeSerial(refused.serial ?? (family.serialHeader && header(call.headers, family.serialHeader))));
    return call.answer(r.status, r.headers, r.body);
  };
}

export { makeNotifyHandler, bad, fn, int, HOOK, NOTIFY_MAX_BYTES, NOTIFY_DEDUPE_SIZE, NOTIFY_READ_TIMEOUT_MS };
// The host plumbing, shared with the mini-program push handler (js/miniprogram/push-handler.js).
export { callShape, within, readRefusal, invalidRefusal, reportTo, Refusal };
