// The portable suite's tiny harness: suites register `test(name, fn)`; a runner hands the
// list to its runtime's own test API (node:test, Deno.test, bun:test) or runs it itself
// (workerd, browsers), and every runner reports the same summary line, so run.mjs can
// compare runtimes. `fn(t)` may call `t.skip(reason)` and return: the test is then counted
// as skipped with that reason, never silently passed. One assert (below) for every
// runtime, so a check means the same thing everywhere.
import { SUITES } from './suite/index.mjs';

/**
 * The tests of every suite, in order, as `{ id, run }`: `run()` resolves to
 * `{ skipped: reason }` or `{}` and rejects when the test fails. `ctx` is what the runner
 * loaded: `{ wx, v3, mp, runtime }` (`wx` is `wxpay-wasm`, `v3` is `wxpay-wasm/v3`, `mp` is
 * `wxpay-wasm/miniprogram`).
 */
export function collect(ctx) {
  const tests = [];
  for (const [suite, register] of SUITES) {
    register((name, fn) => {
      const id = `${suite}: ${name}`;
      if (tests.some((t) => t.id === id)) throw new Error(`duplicate test ${id}`);
      tests.push({
        id,
        async run() {
          let skipped = null;
          await fn({
            skip(reason) {
              if (!reason) throw new Error(`${id}: skip without a reason`);
              skipped = reason;
            },
          });
          return skipped === null ? {} : { skipped };
        },
      });
    }, ctx);
  }
  return tests;
}

/** Runs the tests one after another (workerd and browsers, which have no test runner). */
export async function runAll(tests) {
  const results = [];
  for (const t of tests) {
    try {
      const r = await t.run();
      results.push(r.skipped ? { id: t.id, status: 'skip', reason: r.skipped } : { id: t.id, status: 'pass' });
    } catch (e) {
      results.push({ id: t.id, status: 'fail', error: `${e?.stack ?? e}` });
    }
  }
  return results;
}

/** The line every runner prints last; run.mjs reads it. */
export function summaryLine(runtime, results) {
  const count = (s) => results.filter((r) => r.status === s).length;
  return `RUNTIME-SUMMARY ${JSON.stringify({
    runtime,
    tests: results.length,
    passed: count('pass'),
    skipped: count('skip'),
    failed: count('fail'),
    skips: results.filter((r) => r.status === 'skip').map((r) => `${r.id}: ${r.reason}`),
    failures: results.filter((r) => r.status === 'fail').map((r) => `${r.id}: ${r.error}`),
  })}`;
}

// ---------------------------------------------------------------- assert
//
// The subset of node:assert/strict the suites use, with its strict semantics (Object.is,
// prototypes compared), written here because browsers and workerd have no node:assert.

export class AssertionError extends Error {
  constructor(message) {
    super(message);
    this.name = 'AssertionError';
  }
}
const show = (v) => {
  try {
    return typeof v === 'string' ? JSON.stringify(v).slice(0, 300) : String(JSON.stringify(v) ?? v).slice(0, 300);
  } catch {
    return String(v);
  }
};
const fail = (message, fallback) => {
  throw new AssertionError(message ? `${message} (${fallback})` : fallback);
};

function deepEqual(a, b, seen = new Map()) {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (seen.get(a) === b) return true;
  seen.set(a, b);
  if (a instanceof Date) return a.getTime() === b.getTime();
  if (a instanceof RegExp) return String(a) === String(b);
  if (ArrayBuffer.isView(a)) {
    if (a.byteLength !== b.byteLength) return false;
    const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    return x.every((v, i) => v === y[i]);
  }
  if (a instanceof Map || a instanceof Set) {
    if (a.size !== b.size) return false;
    const ea = [...a.entries()].sort();
    const eb = [...b.entries()].sort();
    return ea.every((e, i) => deepEqual(e, eb[i], seen));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k], seen));
}

/** Does `err` satisfy `expected` (a validation function, a RegExp, an Error class or an object of properties)? */
function matches(err, expected, message) {
  if (expected === undefined) return;
  if (expected instanceof RegExp) {
    if (!expected.test(String(err?.message ?? err)) && !expected.test(String(err)))
      fail(message, `error ${show(String(err))} does not match ${expected}`);
  } else if (typeof expected === 'function' && expected.prototype !== undefined && err instanceof expected) {
    // an Error class
  } else if (typeof expected === 'function') {
    if (expected(err) !== true) fail(message, `the validation function rejected ${String(err)}`);
  } else {
    for (const [k, want] of Object.entries(expected)) {
      const got = err?.[k];
      const ok = want instanceof RegExp && typeof got === 'string' ? want.test(got) : deepEqual(got, want);
      if (!ok) fail(message, `error.${k} is ${show(got)}, expected ${show(want)}`);
    }
  }
}

export const assert = {
  ok(v, message) {
    if (!v) fail(message, `expected a truthy value, got ${show(v)}`);
  },
  equal(a, b, message) {
    if (!Object.is(a, b)) fail(message, `${show(a)} !== ${show(b)}`);
  },
  notEqual(a, b, message) {
    if (Object.is(a, b)) fail(message, `${show(a)} === ${show(b)}`);
  },
  deepEqual(a, b, message) {
    if (!deepEqual(a, b)) fail(message, `${show(a)} is not deeply equal to ${show(b)}`);
  },
  notDeepEqual(a, b, message) {
    if (deepEqual(a, b)) fail(message, `${show(a)} is deeply equal to ${show(b)}`);
  },
  match(s, re, message) {
    if (typeof s !== 'string' || !re.test(s)) fail(message, `${show(s)} does not match ${re}`);
  },
  doesNotMatch(s, re, message) {
    if (typeof s !== 'string' || re.test(s)) fail(message, `${show(s)} matches ${re}`);
  },
  throws(fn, expected, message) {
    if (typeof expected === 'string') [expected, message] = [undefined, expected];
    let threw = false;
    let err;
    try {
      fn();
    } catch (e) {
      threw = true;
      err = e;
    }
    if (!threw) fail(message, 'expected the call to throw');
    matches(err, expected, message);
  },
  doesNotThrow(fn, message) {
    try {
      fn();
    } catch (e) {
      fail(message, `unexpected throw: ${e}`);
    }
  },
  async rejects(promiseOrFn, expected, message) {
    if (typeof expected === 'string') [expected, message] = [undefined, expected];
    let threw = false;
    let err;
    try {
      await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
    } catch (e) {
      threw = true;
      err = e;
    }
    if (!threw) fail(message, 'expected a rejection');
    matches(err, expected, message);
  },
  fail(message) {
    throw new AssertionError(message ?? 'failed');
  },
};
