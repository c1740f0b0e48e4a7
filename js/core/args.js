// Argument checks shared by every entry: objects cross into wasm as one JSON string,
// strings as well-formed UTF-16. Values JSON would change silently (NaN -> null, Date ->
// string, functions dropped) are refused here, so wasm sees exactly what the caller wrote.
import { WxPayError } from './error.js';
import { describe, isPlainObject } from './describe.js';

function toJson(obj, what, code) {
  if (!isPlainObject(obj)) {
    throw new WxPayError('INVALID_PARAM', `${what} must be a plain object, got ${describe(obj)}`);
  }
  // JSON.stringify drops symbol keys silently; a field the caller wrote must not vanish
  // from what is signed.
  const symbol = Object.getOwnPropertySymbols(obj)[0];
  if (symbol !== undefined) {
    throw new WxPayError(code, `${what}: field names must be strings, got ${String(symbol)}`);
  }
  let bigint = false;
  for (const k in obj) {
    const v = obj[k];
    const t = typeof v;
    if (t === 'string' || v === undefined || v === null) continue;
    if (t === 'number' && Number.isSafeInteger(v)) continue;
    if (t === 'bigint') {
      bigint = true;
      continue;
    }
    const expected = t === 'number' ? 'values must be strings or safe integers' : 'values must be strings or integers';
    const message =
      t === 'boolean' || t === 'object'
        ? `${what}: field \`${k}\` is ${describe(v)}; ${expected} (JSON.stringify objects such as \`detail\` or \`scene_info\` first)`
        : `${what}: field \`${k}\` is ${describe(v)}; ${expected}`;
    throw new WxPayError(code, message, { field: k });
  }
  return bigint ? JSON.stringify(obj, (_, v) => (typeof v === 'bigint' ? String(v) : v)) : JSON.stringify(obj);
}

/** A parameter object (WeChat's fields, any name) as JSON for wasm. */
export const params = (p, what = 'params') => toJson(p, what, 'INVALID_FIELD');

/** An options object as JSON for wasm; `check` (see options.js) refuses unknown names first. */
export const options = (o, check, fn, what = 'options') => {
  const json = toJson(o, what, 'INVALID_PARAM');
  check(fn, o);
  return json;
};

export function str(v, name) {
  if (typeof v !== 'string') {
    throw new WxPayError('INVALID_PARAM', `${name} must be a string, got ${describe(v)}`);
  }
  // Strings enter wasm as UTF-8; a lone surrogate would become U+FFFD and sign a
  // different key than the caller holds.
  if (!v.isWellFormed()) {
    throw new WxPayError('INVALID_PARAM', `${name} contains a lone UTF-16 surrogate`);
  }
  return v;
}
