// Delivers notifications to a merchant the way WeChat does: POST the XML, and unless the
// merchant answers with return_code SUCCESS, try again on WeChat's schedule. Delays are
// multiplied by timeScale so a test can walk the whole 24-hour schedule in seconds.
import { RETRY_SCHEDULE_S } from './util.mjs';

const REPLY_PREVIEW = 200;

/** WeChat counts only an XML reply with return_code SUCCESS as acknowledged. */
function acknowledged(wx, text) {
  try {
    return wx.parseXml(text).return_code === 'SUCCESS';
  } catch {
    return false;
  }
}

/**
 * One POST; the record says what the merchant answered, never throws. `payload` is the v2
 * XML, or a function giving { body, headers } per attempt (v3 re-signs every retry);
 * `ack(status, text)` decides acknowledgement (default: v2's return_code SUCCESS).
 * Module-level, not in createNotifier's closure: it needs only the notifier's `wx`, `log`
 * and `timeoutMs`.
 */
async function post({ wx, log, timeoutMs }, url, payload, label, ack) {
  const started = Date.now();
  const record = { at: new Date(started).toISOString(), label, url };
  const { body, headers } =
    typeof payload === 'function' ? payload() : { body: payload, headers: { 'content-type': 'text/xml' } };
  try {
    const res = await fetch(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text();
    const ok = ack ? ack(res.status, text) : res.ok && acknowledged(wx, text);
    Object.assign(record, { status: res.status, reply: text.slice(0, REPLY_PREVIEW), ok });
  } catch (e) {
    Object.assign(record, { error: e.cause?.code || e.name || String(e), ok: false });
  }
  record.ms = Date.now() - started;
  log(
    `notify ${label} → ${url} ← ${record.error ? `network error ${record.error}` : `${record.status} ${record.ok ? (ack ? 'acknowledged' : 'SUCCESS') : `not acknowledged: ${oneLine(record.reply)}`}`}`,
  );
  return record;
}

export function createNotifier({ wx, timeScale = 1, log, timeoutMs = 5000 }) {
  const cycles = new Map(); // id → { timer, cancelled }
  const timers = new Set();

  function later(ms, fn) {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
    return t;
  }

  /**
   * Starts (or restarts) the retry cycle `id`: attempt 1 now, then one per schedule entry
   * until acknowledged. `onAttempt(record, attemptNo)` sees every try; `onEnd(state)`
   * gets 'acknowledged' or 'gave-up'. `payload` (v3) replaces `xml`, `acknowledged` the v2 test.
   */
  function cycle(id, { url, xml, payload, acknowledged: ack, label, onAttempt, onEnd }) {
    cancel(id);
    const state = { cancelled: false, timer: null };
    cycles.set(id, state);
    const attempt = async (n) => {
      if (state.cancelled) return;
      const record = await post(
        { wx, log, timeoutMs },
        url,
        payload ?? xml,
        `${label} attempt ${n + 1}/${RETRY_SCHEDULE_S.length + 1}`,
        ack,
      );
      if (state.cancelled) return;
      onAttempt?.(record, n + 1);
      if (record.ok) return finish('acknowledged');
      if (n >= RETRY_SCHEDULE_S.length) return finish('gave-up');
      const delay = RETRY_SCHEDULE_S[n] * 1000 * timeScale;
      log(
        `notify ${label}: retry ${n + 2} in ${RETRY_SCHEDULE_S[n]}s${timeScale === 1 ? '' : ` × ${timeScale} = ${fmtMs(delay)}`}`,
      );
      state.timer = later(delay, () => run(n + 1));
    };
    const finish = (how) => {
      cycles.delete(id);
      onEnd?.(how);
    };
    // A failing callback must not take the whole mock down with an unhandled rejection.
    const run = (n) => attempt(n).catch((e) => log(`notify ${label}: internal error ${e.stack || e}`));
    run(0);
  }

  function cancel(id) {
    const c = cycles.get(id);
    if (!c) return false;
    c.cancelled = true;
    if (c.timer) {
      clearTimeout(c.timer);
      timers.delete(c.timer);
    }
    cycles.delete(id);
    return true;
  }

  /** Sends once after `delayMs` (already scaled); resolves with the record. */
  function once(url, xml, label, delayMs = 0, ack = undefined) {
    if (!delayMs) return post({ wx, log, timeoutMs }, url, xml, label, ack);
    return new Promise((resolve) =>
      later(delayMs, () => post({ wx, log, timeoutMs }, url, xml, label, ack).then(resolve)),
    );
  }

  function pending() {
    return [...cycles.keys()];
  }

  /** Clears every timer so the process can exit. */
  function stop() {
    for (const c of cycles.values()) c.cancelled = true;
    cycles.clear();
    for (const t of timers) clearTimeout(t);
    timers.clear();
  }

  return { cycle, cancel, once, pending, stop, later };
}

function oneLine(s) {
  return String(s ?? '')
    .replace(/\s+/g, ' ')
    .slice(0, 120);
}

function fmtMs(ms) {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms * 10) / 10}ms`;
}
