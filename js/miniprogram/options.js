// The option names of every wxpay-wasm/miniprogram function that takes an options object,
// in one table: each object is checked against its row at the call (or at creation for
// createMiniProgram and createPushHandler), and a name not listed is refused with
// INVALID_PARAM and the closest valid name (js/core/options.js), never ignored.
import { WxPayError, describe, isPlainObject, strictOptions } from '../core/index.js';

const PUSH_KEYS = ['token', 'encodingAESKey', 'appid'];

export const OPTION_NAMES = Object.freeze({
  verifyPushUrl: ['token'],
  decryptPush: [...PUSH_KEYS, 'maxBytes'],
  encryptPush: [...PUSH_KEYS, 'timestamp', 'nonce', 'format'],
  pushRequest: [...PUSH_KEYS, 'timestamp', 'nonce', 'format', 'toUserName'],
  createPushHandler: [...PUSH_KEYS, 'on', 'maxBytes', 'readTimeoutMs', 'onRefused'],
  createMiniProgram: ['appid', 'secret', 'baseUrl', 'fetch', 'timeoutMs', 'onEvent', 'appKey', 'offerId', 'env'],
  xpaySignatures: ['appKey', 'sessionKey', 'uri', 'body'],
  virtualPaymentParams: ['appKey', 'sessionKey', 'signData', 'mode'],
  accessToken: ['forceRefresh'],
});

const check = strictOptions(OPTION_NAMES);

/** `o` as function `fn`'s options: a plain object with only the names its row lists. */
export function options(fn, o) {
  if (!isPlainObject(o))
    throw new WxPayError('INVALID_PARAM', `${fn}: options must be a plain object, got ${describe(o)}`);
  return check(fn, o);
}

/** A required non-empty string option (or argument member) `name` of `fn`. */
export function text(fn, o, name, { optional = false, max = 1024 } = {}) {
  const v = o[name];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'string' || v === '' || v.length > max)
    throw new WxPayError(
      'INVALID_PARAM',
      `${fn}: \`${name}\` must be a non-empty string of at most ${max} characters, got ${describe(v)}`,
      { field: name },
    );
  return v;
}
