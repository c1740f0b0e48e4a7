// Hands the collected tests to a runtime's own test API (node:test, Deno.test, bun:test)
// and prints the harness summary when they are done.
import { summaryLine } from '../harness.mjs';

/**
 * `test(name, fn)` is the runtime's; `after(fn)` runs once all tests finished. node:test
 * also gets each skip (t.skip); Deno.test and bun:test cannot skip from inside a running
 * test, so there the skip appears only in the summary, with its reason. `context: false`
 * registers functions of no parameter: bun:test takes a declared parameter for a `done`
 * callback and waits for it.
 */
export function register(tests, runtime, test, after, { context = true } = {}) {
  const results = [];
  for (const t of tests) {
    const body = async (native) => {
      let r;
      try {
        r = await t.run();
      } catch (e) {
        results.push({ id: t.id, status: 'fail', error: `${e?.stack ?? e}` });
        throw e;
      }
      if (r.skipped) {
        results.push({ id: t.id, status: 'skip', reason: r.skipped });
        if (typeof native?.skip === 'function') native.skip(r.skipped);
        else console.log(`# skipped: ${t.id}: ${r.skipped}`);
      } else {
        results.push({ id: t.id, status: 'pass' });
      }
    };
    test(t.id, context ? body : () => body());
  }
  after(() => console.log(summaryLine(runtime, results)));
}
