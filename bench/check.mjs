// The benchmark's correctness cross-checks alone, fast enough for `make test`: every peer
// must produce what ours produces from the same input, or the timings would compare
// different work. Run: node --test bench/check.mjs (after node scripts/build-pkg.mjs).
import { test } from 'node:test';
import { cases } from './cases.mjs';

for (const c of cases) {
  test(`same result as ours: ${c.name}`, () => c.check());
}
