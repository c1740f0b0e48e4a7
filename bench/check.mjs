// The benchmark's correctness cross-checks alone, fast enough for `make test`: every peer
// must produce what ours produces from the same input, or the timings would compare
// different work. Run: node --test bench/check.mjs (after node scripts/build-pkg.mjs).
import { test } from 'node:test';
import { cases } from './cases.mjs';
import { v3Cases } from './cases-v3.mjs';

for (const c of cases) {
  test(`same result as ours: ${c.name}`, () => c.check());
}
// v3: skipped (with the reason printed) only while the tree has no src/wasm/v3.rs at all.
const v3 = v3Cases();
if (v3.reason) test('v3 cases', { skip: v3.reason }, () => {});
for (const c of v3.cases) {
  test(`same result as ours: ${c.name}`, () => c.check());
}
// Issue 15's targets (printed by run.mjs with met/missed) must name a peer of their case, so a
// renamed peer cannot drop a target row silently.
test('every target names a peer of its case', () => {
  const all = [...cases, ...v3.cases];
  let n = 0;
  for (const c of all) {
    for (const t of c.targets ?? []) {
      if (t.vs !== 'fastest' && !(t.vs in c.peers))
        throw new Error(`${c.name}: target peer ${t.vs} is not one of ${Object.keys(c.peers).join(', ')}`);
      if (!(t.ratio > 0)) throw new Error(`${c.name}: target ratio ${t.ratio}`);
      n++;
    }
  }
  // v2: sign ×2, HMAC, verifyNotify, build, requestPaymentParams; v3: 4 cases × 2.
  if (n !== 6 + 2 * v3.cases.length) throw new Error(`expected ${6 + 2 * v3.cases.length} speed targets, found ${n}`);
});
