// wxpay-wasm/v3's argument checks: every value a caller passes is checked here, before it
// reaches wasm or WebCrypto, and refused with a WxPayError naming it.
import { LIMITS, WxPayError, describe, isPlainObject, strictOptions } from '../core/index.js';
import CONTRACT from '../contract.json' with { type: 'json' };

/**
 * Bodies larger than this are refused before they are copied into wasm memory (which never
 * shrinks); the core's own, lower limits (64 KiB for a callback) are checked again in Rust.
 */
export const V3_MAX_BODY = LIMITS.maxBytesCeiling;

const encoder = new TextEncoder();

/** A WxPayError naming the argument or option at fault. */
export const fail = (code, message, field) =>
  new WxPayError(code, message, field === undefined ? undefined : { field });

/** Refuses option names the contract (src/contract/v3.rs FUNCTIONS) does not list. */
const check = strictOptions(CONTRACT.functions.v3);

/** An options object: plain, and only the names the contract lists for `fn`. */
export function checkOptions(fn, o) {
  if (!isPlainObject(o)) throw fail('INVALID_PARAM', `${fn}: options must be a plain object, got ${describe(o)}`);
  return check(fn, o);
}

export function str(v, name) {
  if (typeof v !== 'string') throw fail('INVALID_PARAM', `${name} must be a string, got ${describe(v)}`, name);
  // A lone surrogate would reach wasm as U+FFFD and sign something the caller did not write.
  if (!v.isWellFormed()) throw fail('INVALID_PARAM', `${name} contains a lone UTF-16 surrogate`, name);
  return v;
}

export function required(o, name) {
  // Options, like v2's, are INVALID_PARAM when absent (MISSING_FIELD is for WeChat's fields).
  if (o[name] === undefined || o[name] === '') throw fail('INVALID_PARAM', `option \`${name}\` is required`, name);
  return str(o[name], name);
}

export const optional = (o, name) => (o[name] === undefined ? undefined : str(o[name], name));

/** The `privateKey` option, required (its type is checked where it is used: keys.js). */
export function requirePrivateKey(o) {
  if (o.privateKey === undefined)
    throw fail(
      'INVALID_PARAM',
      'option `privateKey` (apiclient_key.pem, or a key from importPrivateKey) is required',
      'privateKey',
    );
  return o.privateKey;
}

/** Unix seconds as the decimal string WeChat writes; numbers accepted when they are integers. */
export function seconds(v, name) {
  if (v === undefined) return undefined;
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) || v < 0)
      throw fail('INVALID_PARAM', `${name} must be a non-negative integer number of seconds, got ${v}`, name);
    return String(v);
  }
  return str(v, name);
}

/** `now` as Unix seconds; a Date is converted, milliseconds are refused rather than guessed. */
export function nowSeconds(v) {
  if (v === undefined) return undefined;
  if (v instanceof Date) {
    const t = v.getTime();
    if (Number.isNaN(t)) throw fail('INVALID_PARAM', 'now is an invalid Date', 'now');
    return Math.floor(t / 1000);
  }
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw fail('INVALID_PARAM', `now must be Unix seconds (an integer) or a Date, got ${describe(v)}`, 'now');
  }
  if (v > 1e11)
    throw fail(
      'INVALID_PARAM',
      `now must be Unix seconds, not milliseconds (got ${v}; use Math.floor(Date.now() / 1000))`,
      'now',
    );
  return v;
}

export function skew(v) {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw fail('INVALID_PARAM', `maxSkewSeconds must be a non-negative integer, got ${describe(v)}`, 'maxSkewSeconds');
  }
  return v;
}

export function total(v) {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw fail(
      'INVALID_PARAM',
      `total must be the amount in fen as a non-negative integer, got ${describe(v)}`,
      'total',
    );
  }
  return v;
}

const tooLarge = (name, n) =>
  fail(
    'INPUT_TOO_LARGE',
    `${name} is at least ${n} bytes; the limit is ${V3_MAX_BODY} bytes (it was not parsed)`,
    name,
  );

/** A body as the exact bytes received: string (UTF-8), Buffer, Uint8Array or ArrayBuffer. */
export function bodyBytes(v, name = 'body') {
  if (typeof v === 'string') {
    // UTF-8 is never shorter than UTF-16 units, so this refuses before encoding.
    if (v.length > V3_MAX_BODY) throw tooLarge(name, v.length);
    const bytes = encoder.encode(str(v, name));
    if (bytes.length > V3_MAX_BODY) throw tooLarge(name, bytes.length);
    return bytes;
  }
  let bytes;
  if (v instanceof Uint8Array) bytes = v;
  else if (v instanceof ArrayBuffer) bytes = new Uint8Array(v);
  else
    throw fail(
      'INVALID_PARAM',
      `${name} must be a string, Buffer, Uint8Array or ArrayBuffer (the raw body as received), got ${describe(v)}`,
      name,
    );
  if (bytes.byteLength > V3_MAX_BODY) throw tooLarge(name, bytes.byteLength);
  return bytes;
}

/**
 * The Wechatpay-* headers as `[name, value, name, value, …]`, names as given (the core
 * matches them without regard to case and refuses one header given twice with different
 * values). A `Headers` (fetch) or a plain object such as Node's `req.headers`.
 */
export function headerPairs(h) {
  const pairs = [];
  const add = (name, value) => {
    if (!/^wechatpay-/i.test(name)) return;
    if (Array.isArray(value)) throw fail('INVALID_PARAM', `header ${name} was sent more than once`, name);
    if (typeof value !== 'string')
      throw fail('INVALID_PARAM', `header ${name} must be a string, got ${describe(value)}`, name);
    pairs.push(name, str(value, name));
  };
  if (typeof Headers === 'function' && h instanceof Headers) {
    for (const [name, value] of h) add(name, value);
  } else if (h !== null && typeof h === 'object' && !Array.isArray(h)) {
    for (const name of Object.keys(h)) add(name, h[name]);
  } else {
    throw fail('INVALID_PARAM', `headers must be a Headers or a plain object, got ${describe(h)}`, 'headers');
  }
  return pairs;
}

/** publicKeys: serial or PUB_KEY_ID_… → PEM; a plain object or a Map. */
export function keyMap(v) {
  const entries =
    v instanceof Map ? [...v] : v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.entries(v) : null;
  if (entries === null)
    throw fail('INVALID_PARAM', `publicKeys must map serials to PEM text, got ${describe(v)}`, 'publicKeys');
  if (entries.length === 0)
    throw fail(
      'INVALID_PARAM',
      'publicKeys is empty: give the platform public key (PUB_KEY_ID_…) or certificates by serial',
      'publicKeys',
    );
  const map = new Map();
  for (const [serial, pem] of entries) {
    if (typeof serial !== 'string' || serial === '')
      throw fail('INVALID_PARAM', 'publicKeys: every serial must be a non-empty string', 'publicKeys');
    if (typeof pem !== 'string')
      throw fail(
        'INVALID_PARAM',
        `publicKeys[${JSON.stringify(serial)}] must be PEM text, got ${describe(pem)}`,
        'publicKeys',
      );
    map.set(serial, pem);
  }
  return map;
}
