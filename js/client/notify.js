// The notify middleware (issue 13), for both API families: reads the raw body (refusing
// more than `maxBytes` without keeping it), has the family verify it, calls `onPaid` once
// per order and answers WeChat on every path. One function serves Node's http and Express
// (`(req, res, next)`), Koa (`(ctx, next)`), Fastify (`(request, reply)`) and fetch-style
// hosts (`(request) → Response`: Workers, Deno.serve, Bun.serve).
//
// Dedupe is in-process only: WeChat repeats a notification until it is answered, and two
// copies may arrive at once; both wait for the same `onPaid`. Across processes (several
// servers, a restart) it is the store's job: mark an order paid with a conditional update.
import { WxPayError, describe } from '../core/index.js';

/** Raw-body limit when the caller gives none: WeChat's notifications are a few KB. */
const NOTIFY_MAX_BYTES = 64 * 1024;
/** How many settled orders the in-process dedupe remembers (oldest forgotten first). */
const NOTIFY_DEDUPE_SIZE = 10000;

class TooLarge extends Error {}

/** Reads a Node stream (IncomingMessage) to bytes; past `limit` it keeps draining but stores nothing. */
async function readStream(stream, limit) {
  const chunks = [];
  let size = 0;
  for await (const c of stream) {
    size += c.length;
    if (size <= limit) chunks.push(c);
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

/** The request and the way to answer, whatever the framework. */
function callShape(a, b) {
  // Koa: (ctx, next)
  if (a && a.req && a.res && a.request && typeof a.set === 'function') {
    return {
      headers: a.req.headers,
      read: (limit) => (isRaw(a.request.rawBody) ? given(a.request.rawBody, limit) : readStream(a.req, limit)),
      answer: (status, headers, body) => { a.status = status; for (const [k, v] of Object.entries(headers)) a.set(k, v); a.body = body; },
    };
  }
  // Fastify: (request, reply)
  if (b && typeof b.code === 'function' && typeof b.send === 'function' && a && a.raw) {
    return {
      headers: a.headers,
      read: (limit) => (isRaw(a.body) ? given(a.body, limit) : readStream(a.raw, limit)),
      answer: (status, headers, body) => b.code(status).headers(headers).send(body),
    };
  }
  // fetch-style (Workers, Deno.serve, Bun.serve): (request) → Response
  if (typeof Request === 'function' && a instanceof Request) {
    return {
      headers: a.headers,
      read: async (limit) => {
        if (Number(a.headers.get('content-length')) > limit) throw new TooLarge();
        return given(new Uint8Array(await a.arrayBuffer()), limit);
      },
      answer: (status, headers, body) => new Response(status === 204 ? null : body, { status, headers }),
    };
  }
  // Node http, Express: (req, res, next)
  if (b && typeof b.writeHead === 'function' && a && a.headers) {
    return {
      headers: a.headers,
      read: (limit) => (isRaw(a.body) ? given(a.body, limit) : readStream(a, limit)),
      answer: (status, headers, body) => { b.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) }); b.end(body); },
    };
  }
  throw new WxPayError('INVALID_PARAM', 'the notify handler takes (req, res) from node:http or Express, (ctx, next) from Koa, or (request, reply) from Fastify');
}

const fn = (v, name, need) => {
  if (v === undefined && !need) return undefined;
  if (typeof v !== 'function') throw new WxPayError('INVALID_PARAM', `${name} must be a function, got ${describe(v)}`, { field: name });
  return v;
};
const positive = (v, name, dflt, max) => {
  if (v === undefined) return dflt;
  if (!Number.isSafeInteger(v) || v < 1 || v > max) throw new WxPayError('INVALID_PARAM', `${name} must be an integer from 1 to ${max}, got ${describe(v)}`, { field: name });
  return v;
};

/**
 * family: { verify(bytes, headers) → Promise<{ paid, orderKey, event }>,
 *           ok() and refuse(kind, message) → (a promise of) { status, headers, body } }
 * where kind is 'too-large' | 'invalid' | 'failed'. opts: { onPaid, onNotify?, maxBytes?, dedupeSize? }.
 */
function makeNotifyHandler(family, opts) {
  const onPaid = fn(opts.onPaid, 'onPaid', true);
  const onNotify = fn(opts.onNotify, 'onNotify', false);
  const maxBytes = positive(opts.maxBytes, 'maxBytes', NOTIFY_MAX_BYTES, 1024 * 1024);
  const dedupeSize = positive(opts.dedupeSize, 'dedupeSize', NOTIFY_DEDUPE_SIZE, 10_000_000);
  const settled = new Set();
  const inflight = new Map();

  /** onPaid for `key` once: concurrent copies share the promise; a failure is forgotten so WeChat's retry calls again. */
  function once(key, event) {
    if (settled.has(key)) return Promise.resolve();
    let p = inflight.get(key);
    if (p === undefined) {
      p = Promise.resolve().then(() => onPaid(event)).then(() => {
        settled.add(key);
        if (settled.size > dedupeSize) settled.delete(settled.values().next().value);
      }).finally(() => inflight.delete(key));
      inflight.set(key, p);
    }
    return p;
  }

  return async function notifyHandler(a, b) {
    const call = callShape(a, b);
    const reply = async (pending) => { const r = await pending; return call.answer(r.status, r.headers, r.body); };
    let bytes;
    try {
      bytes = await call.read(maxBytes);
    } catch (e) {
      if (e instanceof TooLarge) return reply(family.refuse('too-large', `body larger than ${maxBytes} bytes`));
      return reply(family.refuse('failed', 'the body could not be read'));
    }
    let verified;
    try {
      verified = await family.verify(bytes, call.headers);
    } catch (e) {
      // The code only: a verification message may quote what the sender wrote.
      return reply(family.refuse('invalid', `notification refused (${e instanceof WxPayError ? e.code : 'unreadable'})`));
    }
    try {
      if (verified.paid) await once(verified.orderKey, verified.event);
      else if (onNotify) await onNotify(verified.event);
    } catch {
      return reply(family.refuse('failed', 'the merchant could not record it; please retry'));
    }
    return reply(family.ok());
  };
}

export { makeNotifyHandler, NOTIFY_MAX_BYTES, NOTIFY_DEDUPE_SIZE };
