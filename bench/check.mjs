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
