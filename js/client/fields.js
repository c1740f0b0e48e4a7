// The checks both families' clients make on each call, written once: the request fields a
// method takes, a required text argument, a field of the answer that must be ours, and
// whether an error is WeChat's business code (RESULT_FAIL with one of `codes`).
import { WxPayError, describe, isPlainObject } from '../core/index.js';

/** A method's request fields: a plain object. */
function requestFields(api, f) {
  if (!isPlainObject(f))
    throw new WxPayError('INVALID_PARAM', `${api}: the request fields must be a plain object, got ${describe(f)}`);
  return f;
}

/** A method's text argument (an out_trade_no, an id): a non-empty string. */
function requiredText(api, v, name) {
  if (typeof v !== 'string' || v === '')
    throw new WxPayError('INVALID_PARAM', `${api}: ${name} must be a non-empty string, got ${describe(v)}`, {
      field: name,
    });
  return v;
}

/** A field of WeChat's answer that must be ours (this merchant, this order) when present. */
function sameField(reply, name, want, code) {
  if (reply[name] !== undefined && reply[name] !== want) {
    throw new WxPayError(
      code,
      `the answer's ${name} is ${JSON.stringify(reply[name])}, not ${JSON.stringify(want)}: it is not an answer to this request`,
      { field: name },
    );
  }
}

/** WeChat answered with one of these business codes (a query's "no such thing", a refusal). */
function isWeChatCode(e, ...codes) {
  return e instanceof WxPayError && e.code === 'RESULT_FAIL' && codes.includes(e.errCode);
}

export { requestFields, requiredText, sameField, isWeChatCode };
