// The option checkers both families' createClient (js/v2/client.js, js/v3/client.js) read
// their options with, written once: each refuses a wrong value at creation with
// INVALID_PARAM naming the option (fail closed), never at the first call.
import { WxPayError, describe, isPlainObject } from '../core/index.js';

/** An options object, plain and with only the names `check` (strictOptions of the contract) allows. */
function clientOptions(fn, o, check) {
  if (!isPlainObject(o))
    throw new WxPayError('INVALID_PARAM', `${fn}: options must be a plain object, got ${describe(o)}`);
  return check(fn, o);
}

/** A required option that is a non-empty string. */
function requiredString(o, name, fn) {
  const v = o[name];
  if (typeof v !== 'string' || v === '')
    throw new WxPayError(
      'INVALID_PARAM',
      `${fn}: option \`${name}\` is required (a non-empty string), got ${describe(v)}`,
      { field: name },
    );
  return v;
}

/** An optional integer option from `min` to `max`; `dflt` when absent. */
function intOption(o, name, dflt, min, max) {
  const v = o[name];
  if (v === undefined) return dflt;
  if (!Number.isSafeInteger(v) || v < min || v > max)
    throw new WxPayError(
      'INVALID_PARAM',
      `option \`${name}\` must be an integer from ${min} to ${max}, got ${describe(v)}`,
      { field: name },
    );
  return v;
}

const shown = (v) => (typeof v === 'string' ? JSON.stringify(v) : describe(v));
function parsedUrl(v) {
  try {
    return typeof v === 'string' ? new URL(v) : null;
  } catch {
    return null;
  }
}

/**
 * `baseUrl`: `dflt` when absent. v2 (`origin: false`) takes an http(s) URL without query or
 * fragment, a path kept (a proxy's prefix), trailing slashes cut; v3 (`origin: true`) signs the
 * path it sends, so it takes an origin only.
 */
function baseUrlOption(v, dflt, { origin = false } = {}) {
  if (v === undefined) return dflt;
  const u = parsedUrl(v);
  const bad = !u || (u.protocol !== 'https:' && u.protocol !== 'http:') || u.search || u.hash;
  if (origin) {
    if (bad || (u.pathname !== '/' && u.pathname !== '')) {
      throw new WxPayError(
        'INVALID_PARAM',
        `option \`baseUrl\` must be an http(s) origin such as https://api.mch.weixin.qq.com, got ${shown(v)}`,
        { field: 'baseUrl' },
      );
    }
    return u.origin;
  }
  if (bad)
    throw new WxPayError('INVALID_PARAM', `option \`baseUrl\` must be an http(s) URL without query, got ${shown(v)}`, {
      field: 'baseUrl',
    });
  return v.replace(/\/+$/, '');
}

/**
 * Whether an origin (as baseUrlOption returns it: WHATWG-parsed, so `127.1` or `[0::1]`
 * arrive normalized) is this machine: 127.0.0.0/8, `localhost` or `[::1]`. A v3 client
 * with such a base URL talks to the mock, and only then lets the builders accept a
 * loopback `http://` notify_url (allowLoopbackHttp).
 */
function isLoopbackOrigin(origin) {
  const host = new URL(origin).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** `fetch`: the caller's, else the host's (looked up at each call, so a later polyfill is seen). */
function fetchOption(v) {
  if (v !== undefined && typeof v !== 'function')
    throw new WxPayError('INVALID_PARAM', `option \`fetch\` must be a function, got ${describe(v)}`, {
      field: 'fetch',
    });
  if (v === undefined && typeof globalThis.fetch !== 'function')
    throw new WxPayError('INVALID_PARAM', 'this host has no global fetch: pass option `fetch`', { field: 'fetch' });
  return v ?? ((...args) => globalThis.fetch(...args));
}

/** `onEvent`: the caller's hook, called with a frozen event; a hook that throws is ignored. */
function eventOption(v) {
  if (v === undefined) return () => {};
  if (typeof v !== 'function')
    throw new WxPayError('INVALID_PARAM', `option \`onEvent\` must be a function, got ${describe(v)}`, {
      field: 'onEvent',
    });
  // A logger that throws must not turn a payment into a failure.
  return (e) => {
    try {
      v(Object.freeze(e));
    } catch {
      /* the caller's hook */
    }
  };
}

export { clientOptions, requiredString, intOption, baseUrlOption, isLoopbackOrigin, fetchOption, eventOption };
