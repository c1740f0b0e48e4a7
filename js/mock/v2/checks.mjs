// WeChat's checks of a v2 request's business fields (LACK_PARAMS, PARAM_ERROR), and what
// separates v2 records from v3 ones in the shared store.
import { fail } from '../errors.mjs';

export function need(f, ...names) {
  const missing = names.filter((n) => !f[n]);
  if (missing.length) throw fail('LACK_PARAMS', `缺少参数 ${missing.join(', ')} (missing ${missing.join(', ')})`);
}

export function requireOne(f, ...names) {
  if (!names.some((n) => f[n]))
    throw fail('LACK_PARAMS', `需要 ${names.join(' / ')} 之一 (one of ${names.join(', ')} is required)`);
}

/** A positive amount in fen, as text: its number. */
export function amount(f, name) {
  if (!/^[1-9]\d{0,11}$/.test(f[name]))
    throw fail(
      'PARAM_ERROR',
      `${name} 必须为正整数(分) (${name} must be a positive integer in fen, got ${JSON.stringify(f[name])})`,
    );
  return Number(f[name]);
}

/** What makes two unified orders "the same": everything but the per-request noise. */
export function digest(f) {
  const { nonce_str: _n, sign: _s, ...rest } = f;
  return JSON.stringify(
    Object.keys(rest)
      .sort()
      .map((k) => [k, rest[k]]),
  );
}

/** v2 calls see v2 records only: a v3 order's fields are not v2's (until the two share one view). */
export const v2 = (x) => (x && x.api !== 'v3' ? x : undefined);
