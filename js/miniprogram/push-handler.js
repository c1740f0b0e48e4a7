// createPushHandler: the mini-program message push endpoint as one function for the same
// hosts as the notify handler (node:http and Express `(req, res)`, Koa `(ctx, next)`,
// Fastify `(request, reply)`, fetch-style `(request) → Response`), whose host plumbing it
// reuses (js/client/notify.js: reading the raw body under a size and time limit, answering).
//
// GET is WeChat's URL check: `signature` verified, `echostr` echoed. POST is a push: opened
// by push.js (safe mode: msg_signature, AES-256-CBC, appid), routed by its `Event` (else
// `MsgType`) to `on[name]`, else `on.default`, and answered `success` once the function has
// finished. A function that throws is answered 500 so that WeChat pushes again; a push that
// does not verify is answered 400 and reported to `onRefused` with a code and our own
// sentence (never the body or a key).
import { WxPayError, describe, isPlainObject } from '../core/index.js';
import { callShape, invalidRefusal, readRefusal, reportTo, Refusal, within } from '../client/notify.js';
import { options } from './options.js';
import { PUSH_MAX_BYTES, openPush, pushKeys, readQuery } from './push.js';
import { call as wasmCall } from './wasm.js';

const READ_TIMEOUT_MS = 10000;
const TEXT = { 'content-type': 'text/plain; charset=utf-8' };

function handlerOptions(opts) {
  const fn = 'createPushHandler';
  options(fn, opts);
  const keys = pushKeys(fn, opts);
  const bad = (name, want) =>
    new WxPayError('INVALID_PARAM', `${fn}: option \`${name}\` must be ${want}, got ${describe(opts[name])}`, {
      field: name,
    });
  if (!isPlainObject(opts.on) || Object.keys(opts.on).length === 0)
    throw bad('on', 'an object of functions by event name ({ trade_manage_order_settlement: fn, default: fn })');
  for (const [name, f] of Object.entries(opts.on))
    if (typeof f !== 'function')
      throw new WxPayError('INVALID_PARAM', `${fn}: on.${name} must be a function, got ${describe(f)}`, {
        field: `on.${name}`,
      });
  const int = (name, dflt, max) => {
    const v = opts[name] ?? dflt;
    if (!Number.isSafeInteger(v) || v < 1 || v > max) throw bad(name, `an integer from 1 to ${max}`);
    return v;
  };
  if (opts.onRefused !== undefined && typeof opts.onRefused !== 'function') throw bad('onRefused', 'a function');
  return {
    keys,
    on: { ...opts.on },
    maxBytes: int('maxBytes', PUSH_MAX_BYTES, 1024 * 1024),
    readTimeoutMs: int('readTimeoutMs', READ_TIMEOUT_MS, 120000),
    onRefused: opts.onRefused,
  };
}

/** The request's query, from its URL (every host keeps the query in `url`). */
const queryOf = (a) => readQuery('createPushHandler', String(a?.url ?? '').split('#')[0]);

/** A push handled: the Refusal, or null when answered `success`. */
async function handlePost(cfg, shape, get) {
  let bytes;
  try {
    bytes = await within(shape.read(cfg.maxBytes), cfg.readTimeoutMs);
  } catch (e) {
    return readRefusal(e, cfg);
  }
  let message;
  try {
    const raw = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    message = openPush('createPushHandler', cfg.keys, get, raw, cfg.maxBytes);
  } catch (e) {
    return invalidRefusal(e, 'the push');
  }
  const name = typeof message.Event === 'string' ? message.Event : message.MsgType;
  const f = (typeof name === 'string' && Object.hasOwn(cfg.on, name) ? cfg.on[name] : undefined) ?? cfg.on.default;
  if (f === undefined) return null;
  try {
    await f(message);
  } catch {
    return new Refusal(
      'failed',
      'HANDLER_FAILED',
      `on.${f === cfg.on.default ? 'default' : name} threw; WeChat will push again`,
    );
  }
  return null;
}

const STATUS = { 'too-large': 413, timeout: 408, unreadable: 400, failed: 500, invalid: 400 };

/** The push endpoint; see the top of this file. */
export function createPushHandler(opts) {
  const cfg = handlerOptions(opts);
  const report = (r) => reportTo(cfg.onRefused, { code: r.code, reason: r.reason });
  return async function pushHandler(a, b) {
    const shape = callShape(a, b);
    const method = String(a?.method ?? '').toUpperCase();
    let refused;
    try {
      const get = queryOf(a);
      if (method === 'GET') {
        wasmCall(
          'mpVerifySignature',
          [cfg.keys.token, get('timestamp') ?? '', get('nonce') ?? ''],
          get('signature') ?? '',
          'signature',
        );
        const echo = get('echostr');
        if (echo === undefined)
          throw new WxPayError('MISSING_FIELD', 'the URL check has no echostr', { field: 'echostr' });
        return shape.answer(200, TEXT, echo);
      }
      if (method !== 'POST') return shape.answer(405, { ...TEXT, allow: 'GET, POST' }, 'method not allowed');
      refused = await handlePost(cfg, shape, get);
    } catch (e) {
      refused = invalidRefusal(e, 'the request');
    }
    if (!refused) return shape.answer(200, TEXT, 'success');
    report(refused);
    return shape.answer(STATUS[refused.kind] ?? 400, TEXT, `push refused (${refused.code})`);
  };
}
