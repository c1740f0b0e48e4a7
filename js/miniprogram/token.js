// The access token of one createMiniProgram instance, over POST /cgi-bin/stable_token.
//
// Why stable_token and not /cgi-bin/token: /cgi-bin/token issues a NEW token at every call
// and that invalidates the previous one (after a short grace period), so two servers (or two
// processes, or a restart) that each fetch a token knock each other's out, and calls fail
// with 40001 until each refetches. stable_token in its normal mode returns the token that is
// currently valid, the same one to every caller, without invalidating it, and issues a new
// one only when it is about to expire; so several instances, sharing nothing but WeChat,
// each cache what they got and all keep working. Only `force_refresh: true` replaces the
// token (and invalidates the old one for everybody), which is why it is rare here: limited
// locally to once per 30 s and 20 a day, as WeChat limits it, and never used to recover from
// 40001/42001 (a normal call fetches whatever is valid now).
//
// The cache: a token is used until 5 minutes before its expiry, then fetched again; one
// request is in flight at a time, and every caller waiting meanwhile gets its answer.
import { WxPayError } from '../core/index.js';

/** A cached token is replaced this long before WeChat says it expires (WeChat's own margin). */
export const REFRESH_BEFORE_MS = 5 * 60 * 1000;
/** Forced refreshes: at least this far apart, and at most FORCE_PER_DAY within 24 hours. */
export const FORCE_SPACING_MS = 30 * 1000;
export const FORCE_PER_DAY = 20;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * `fetchToken(force)` → Promise<{ access_token, expires_in }> (already checked for errcode).
 * Returns `{ get({ forceRefresh }), invalidate(token) }`.
 */
export function createTokenCache(fetchToken, emit) {
  let token = null;
  let expiresAt = 0;
  let inflight = null;
  const forced = [];

  let started = 0;
  let storedFrom = 0;

  /** Keeps answer `a` of fetch number `n` unless a later fetch's answer is kept already (a forced refresh that overtook it). */
  function store(a, n) {
    if (
      typeof a?.access_token !== 'string' ||
      a.access_token === '' ||
      !Number.isSafeInteger(a.expires_in) ||
      a.expires_in <= 0
    )
      throw new WxPayError('INVALID_JSON', 'POST /cgi-bin/stable_token: the answer has no access_token and expires_in');
    if (n > storedFrom) {
      storedFrom = n;
      token = a.access_token;
      expiresAt = Date.now() + a.expires_in * 1000;
    }
    return a.access_token;
  }

  function start(force) {
    const n = ++started;
    const p = fetchToken(force)
      .then((a) => store(a, n))
      .finally(() => {
        if (inflight === p) inflight = null;
      });
    inflight = p;
    return p;
  }

  /** Refuses a forced refresh WeChat would refuse (or count against the day) before sending it. */
  function allowForce() {
    const now = Date.now();
    while (forced.length > 0 && now - forced[0] >= DAY_MS) forced.shift();
    const last = forced.at(-1);
    if (last !== undefined && now - last < FORCE_SPACING_MS)
      throw new WxPayError(
        'RATE_LIMITED',
        `accessToken: a forced refresh less than 30 s after the last one (${Math.ceil((FORCE_SPACING_MS - (now - last)) / 1000)} s to wait); not sent`,
        { retryable: true },
      );
    if (forced.length >= FORCE_PER_DAY)
      throw new WxPayError(
        'RATE_LIMITED',
        `accessToken: ${FORCE_PER_DAY} forced refreshes within 24 hours already, WeChat's daily limit; not sent`,
        { retryable: false },
      );
    forced.push(now);
  }

  return {
    get({ forceRefresh = false } = {}) {
      if (forceRefresh) {
        allowForce();
        emit({ type: 'token', forced: true });
        return start(true);
      }
      if (token !== null && Date.now() < expiresAt - REFRESH_BEFORE_MS) return Promise.resolve(token);
      if (inflight) return inflight;
      emit({ type: 'token', forced: false });
      return start(false);
    },
    /** Forgets `bad` (a token WeChat called invalid or expired) unless it was replaced already. */
    invalidate(bad) {
      if (token === bad) {
        token = null;
        expiresAt = 0;
      }
    },
  };
}
