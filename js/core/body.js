// Bodies as WeChat gives them: a string, or the bytes a server framework hands over
// (Node's Buffer, any Uint8Array), read as UTF-8. The size is checked before anything is
// copied into wasm: wasm memory never shrinks, and one 100 MiB post would otherwise cost
// the instance 100 MiB for good. Rust checks the same limit again on what arrives.
import { WxPayError } from './error.js';
import { describe } from './describe.js';
import { str } from './args.js';
import { LIMITS } from './contract.js';

let utf8; // created on first use

/** UTF-8 bytes of a well-formed string (surrogate pairs: 4 bytes). */
function utf8Length(s) {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x800)
      n += c >= 0xd800 && c <= 0xdbff ? 1 : 2; // high surrogate + low: 4 bytes for 2 units
    else if (c >= 0x80) n += 1;
  }
  return n;
}

// Node counts UTF-8 bytes natively, ~20x faster than the loop on a 60 KB notification.
const byteLength =
  typeof Buffer === 'function' && typeof Buffer.byteLength === 'function'
    ? (s) => Buffer.byteLength(s, 'utf8')
    : utf8Length;

function decode(v, name) {
  utf8 ??= new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  try {
    return utf8.decode(v);
  } catch {
    throw new WxPayError(
      'INVALID_PARAM',
      `${name} is not valid UTF-8; WeChat Pay sends UTF-8 (pass the bytes exactly as received)`,
    );
  }
}

const refuse = (v, name) =>
  new WxPayError('INVALID_PARAM', `${name} must be a string, a Buffer or a Uint8Array, got ${describe(v)}`);

/**
 * The body as a string, refused (INPUT_TOO_LARGE) when it is larger than its limit:
 * `maxBytes` is the caller's option where the function has one (`hasOption`; undefined
 * means the default), else the function's fixed limit. Bytes are decoded strictly:
 * invalid UTF-8 is refused, not replaced, so what is verified is exactly what was
 * received; a BOM is kept, as it would be in a string.
 */
export function body(v, name, maxBytes = LIMITS.maxBytesDefault, hasOption = false) {
  let limit = maxBytes ?? LIMITS.maxBytesDefault;
  // A bad `maxBytes` is refused by the core with its own message; bound by the ceiling here.
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > LIMITS.maxBytesCeiling) limit = LIMITS.maxBytesCeiling;
  let size;
  if (typeof v === 'string') {
    // UTF-8 takes at least one byte per UTF-16 unit and at most three.
    if (v.length > limit) size = v.length > LIMITS.maxBytesCeiling ? `at least ${v.length}` : byteLength(str(v, name));
    else if (v.length * 3 > limit) {
      const n = byteLength(str(v, name));
      if (n > limit) size = n;
    }
    if (size === undefined) return str(v, name);
  } else if (v instanceof Uint8Array) {
    if (v.byteLength > limit) size = v.byteLength;
    else return decode(v, name);
  } else {
    throw refuse(v, name);
  }
  const how = hasOption
    ? `the limit is ${limit} bytes (the \`maxBytes\` option, ${LIMITS.maxBytesDefault} by default, allows up to ${LIMITS.maxBytesCeiling})`
    : `the limit is ${limit} bytes`;
  throw new WxPayError('INPUT_TOO_LARGE', `${name} is ${size} bytes; ${how}; it was not parsed`);
}

/** A body with no size limit of its own (a bill can be many megabytes), as a string. */
export function text(v, name) {
  if (typeof v === 'string') return str(v, name);
  if (v instanceof Uint8Array) return decode(v, name);
  throw refuse(v, name);
}
