// Strict options: every options object of every export may carry only the names the
// contract lists for that export (js/contract.json `functions`). A misspelled name would
// otherwise be ignored and turn a check off (`total_fee` instead of `totalFee`), so it is
// refused with INVALID_PARAM naming it and the closest valid name.
import { WxPayError } from './error.js';

const fold = (s) => s.replace(/_/g, '').toLowerCase();

/** Levenshtein distance, small strings only. */
function distance(a, b) {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/**
 * The valid name `name` most likely meant: one equal to it ignoring case and `_`, else
 * the one at the smallest edit distance if that is at most a third of its length
 * (at least 1); otherwise none.
 */
export function closest(name, valid) {
  const folded = fold(name);
  const same = valid.find((v) => fold(v) === folded);
  if (same !== undefined) return same;
  let best;
  let bestD = Infinity;
  for (const v of valid) {
    const d = distance(folded, fold(v));
    if (d < bestD) {
      best = v;
      bestD = d;
    }
  }
  return bestD <= Math.max(1, Math.floor(folded.length / 3)) ? best : undefined;
}

/**
 * A checker for one API family's table (`{ functionName: [option names] }`):
 * `check(fn, opts)` throws for the first name of `opts` that `fn` does not take.
 */
export function strictOptions(table) {
  const sets = new Map(Object.entries(table).map(([fn, names]) => [fn, new Set(names)]));
  return function check(fn, opts) {
    const valid = sets.get(fn);
    if (valid === undefined) throw new Error(`wxpay-wasm: no option table for ${fn}`); // a bug of ours
    for (const k of Object.keys(opts)) {
      if (valid.has(k)) continue;
      const near = closest(k, [...valid]);
      const hint =
        near === undefined
          ? ` (${fn} takes ${[...valid].map((v) => `"${v}"`).join(', ')})`
          : ` — did you mean "${near}"?`;
      throw new WxPayError('INVALID_PARAM', `${fn}: unknown option "${k}"${hint}`);
    }
    return opts;
  };
}
