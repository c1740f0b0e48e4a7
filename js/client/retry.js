// When a client call may be repeated, and how long it waits first (issue 13). The table is
// defined here once; docs/guide/client.md quotes it and tests/js/client-retry.test.mjs
// checks it. The rule: repeat only what cannot change the outcome twice. Every repeat sends
// the SAME request body (same out_trade_no / out_refund_no, same nonce and sign for v2), so
// WeChat sees one request, however many times it arrives; and a creating call whose outcome
// is unknown (no answer) is first resolved by a query, never blindly resent.
import { WxPayError } from '../core/index.js';

/** Defaults: WeChat's guidance is a few seconds per call and a few attempts at most. */
const CLIENT_DEFAULTS = Object.freeze({ timeoutMs: 5000, retries: 2, backoffMs: 200 });
/** No wait between attempts is longer than this, whatever `backoffMs` and the attempt. */
const BACKOFF_CAP_MS = 5000;

/**
 * What an attempt's failure means for the next step:
 * - `unknown`: no answer (NETWORK_ERROR, TIMEOUT): the request may or may not have reached
 *   WeChat. A reading call is repeated; a creating call is resolved by a query first.
 * - `retry`: WeChat answered, and said the same request can succeed later (`retryable`:
 *   v2 SYSTEMERROR, BIZERR_NEED_RETRY…; v3 500 SYSTEM_ERROR, 429 FREQUENCY_LIMITED…).
 * - `final`: anything else (a business refusal, a reply that does not verify, bad input):
 *   surfaced at once; repeating it could not give another answer.
 */
function classify(err) {
  if (!(err instanceof WxPayError)) return 'final';
  if (err.code === 'NETWORK_ERROR' || err.code === 'TIMEOUT') return 'unknown';
  if (err.retryable === true && (err.code === 'RESULT_FAIL' || err.code === 'RETURN_FAIL')) return 'retry';
  return 'final';
}

/** Full-jitter exponential backoff: a uniform wait in [0, min(cap, base·2^(attempt-1))]. */
function backoffDelay(attempt, baseMs, random = Math.random) {
  const ceiling = Math.min(BACKOFF_CAP_MS, baseMs * 2 ** Math.min(attempt - 1, 20));
  return Math.floor(random() * ceiling);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs one client call: `send(attempt)` at most `retries + 1` times. `resolve()` (creating
 * calls only) is asked after an `unknown` outcome; `resolve: null` marks a creating call no
 * query settles, whose `unknown` outcome ends the call at once with an "outcome is unknown"
 * error, `retryable: true`, never sent again blind. `{ done: true, value }` ends the call
 * with what the query found (`{ done: true, error }`: with that error), `{ done: false }` means the request did not take effect and
 * may be sent again (the same body). If the query itself fails, the original error is
 * surfaced with `retryable: true`: the outcome is unknown and the caller must reconcile.
 * `emit(event)` sees every attempt: `{ api, ref?, attempt, outcome, ms, code? }` (`ref`: the
 * call's out_trade_no / out_refund_no, for correlating logs), no secrets.
 */
async function withRetries({ api, ref, retries, backoffMs, send, resolve, emit, random, wait = sleep }) {
  const base = ref === undefined ? { api } : { api, ref };
  for (let attempt = 1; ; attempt++) {
    const started = Date.now();
    let err;
    try {
      const value = await send(attempt);
      emit({ ...base, attempt, outcome: 'ok', ms: Date.now() - started });
      return value;
    } catch (e) {
      err = e;
    }
    const kind = classify(err);
    const last = attempt > retries;
    const queried = kind === 'unknown' && typeof resolve === 'function'; // a query decides before the call fails
    // resolve === null: a creating call no query can settle; a lost answer ends it (never resent blind).
    const blind = kind === 'unknown' && resolve === null;
    // The last attempt's failure is the call's: `error`, never `retry` (nothing follows it).
    emit({
      ...base,
      attempt,
      outcome: kind === 'final' || blind || (last && !queried) ? 'error' : kind,
      code: err.code,
      ms: Date.now() - started,
    });
    if (kind === 'final') throw err;
    if (blind) throw outcomeUnknown(err, api, false);
    if (queried) {
      let found;
      try {
        found = await resolve();
      } catch (q) {
        emit({ ...base, attempt, outcome: 'unresolved', code: q.code, ms: Date.now() - started });
        throw outcomeUnknown(err, api);
      }
      emit({ ...base, attempt, outcome: found.done ? 'resolved' : 'absent', ms: Date.now() - started });
      if (found.error) throw found.error;
      if (found.done) return found.value;
    }
    if (last) {
      if (queried) emit({ ...base, attempt, outcome: 'error', code: err.code, ms: Date.now() - started });
      if (err instanceof WxPayError) err.retryable = true;
      throw err;
    }
    await wait(backoffDelay(attempt, backoffMs, random));
  }
}

function outcomeUnknown(err, api, queried = true) {
  const e = new WxPayError(
    err.code,
    queried
      ? `${err.message}; the query that would tell whether ${api} took effect failed too: the outcome is unknown, call reconcile() later (the same request may be sent again safely)`
      : `${err.message}; ${api} may or may not have taken effect (no query settles it, so it was not sent again): the outcome is unknown, query its state before sending the same request again`,
  );
  e.retryable = true;
  return e;
}

export { CLIENT_DEFAULTS, BACKOFF_CAP_MS, classify, backoffDelay, withRetries };
