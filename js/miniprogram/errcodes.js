// WeChat's mini-program `errcode`s that call for an action of their own, written once: each
// becomes a WxPayError code with `retryable` (whether the same call may succeed later) and
// `errCode` (WeChat's number, as text like v2's err_code). Any other non-zero errcode is
// RESULT_FAIL, not retryable, with WeChat's errmsg clipped into the message.
import { WxPayError } from '../core/index.js';

/** errcode → [code, retryable, what it means and what to do]. */
const ERRCODES = new Map([
  [-1, ['RESULT_FAIL', true, 'WeChat is busy (system error): try again in a moment']],
  [40029, ['LOGIN_CODE_INVALID', false, 'the login code is invalid: get a new one with wx.login']],
  [40163, ['LOGIN_CODE_INVALID', false, 'the login code was already used: get a new one with wx.login']],
  [40226, ['RISKY_USER', false, 'WeChat refuses this user as high-risk']],
  [45011, ['RATE_LIMITED', true, 'too many calls in a short time: slow down and try again']],
  [45009, ['RATE_LIMITED', false, "the API's daily quota is used up"]],
  [44990, ['RATE_LIMITED', true, 'too many calls in a short time: slow down and try again']],
  [40001, ['RESULT_FAIL', false, 'the access token is invalid (another server may have force-refreshed it)']],
  [42001, ['RESULT_FAIL', false, 'the access token has expired']],
  [40013, ['RESULT_FAIL', false, 'WeChat does not know this appid']],
  [40125, ['RESULT_FAIL', false, 'the appid and secret do not match']],
  [40164, ['RESULT_FAIL', false, "this server's IP address is not on the mini-program's API whitelist"]],
  [10060012, ['RESULT_FAIL', true, 'WeChat is busy (system error): try again in a moment']],
  [10060019, ['RESULT_FAIL', true, 'WeChat is busy (system error): try again in a moment']],
]);

/** The access-token errcodes after which a call is retried once with a fresh token. */
export const TOKEN_ERRCODES = new Set([40001, 42001]);

/** WeChat's own words, short and on one line (it is someone else's text in our message). */
const clipped = (s) => (typeof s === 'string' ? s.replace(/\p{Cc}/gu, ' ').slice(0, 256) : '');

/** The WxPayError for answer `a` of `what` (`POST /wxa/…`), or null when errcode is 0 or absent. */
export function answerError(what, a) {
  const n = a?.errcode;
  if (n === undefined || n === 0) return null;
  if (!Number.isSafeInteger(n))
    return new WxPayError('INVALID_JSON', `${what}: the answer's errcode is not an integer`);
  const [code, retryable, meaning] = ERRCODES.get(n) ?? ['RESULT_FAIL', false, 'WeChat refused the call'];
  const msg = clipped(a.errmsg);
  return new WxPayError(code, `${what}: errcode ${n}: ${meaning}${msg ? ` (errmsg: ${JSON.stringify(msg)})` : ''}`, {
    errCode: String(n),
    errMessage: msg || undefined,
    retryable,
  });
}
