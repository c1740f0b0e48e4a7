// js/v3/index.d.ts against the contract (js/contract.json, generated from src/contract):
// the error-code union, WxPayError's detail fields and each options interface's exact names.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const CONTRACT = JSON.parse(readFileSync(new URL('../../js/contract.json', import.meta.url), 'utf8'));
const DTS = readFileSync(new URL('../../js/v3/index.d.ts', import.meta.url), 'utf8');

const membersOf = (name) => {
  const m = DTS.match(new RegExp(`export interface ${name} \\{([\\s\\S]*?)\\n\\}`));
  assert.ok(m, `interface ${name}`);
  assert.doesNotMatch(m[1], /\[\s*\w+\s*:/, `${name} has an index signature: options must be exact`);
  return [...m[1].matchAll(/^\s{2}(\w+)\??:/gm)].map((x) => x[1]);
};

test('v3 index.d.ts: the code union and error details are the contract\'s', () => {
  const union = DTS.match(/export type WxPayErrorCode =([^;]*);/)[1];
  assert.deepEqual([...union.matchAll(/'([^']+)'/g)].map((x) => x[1]), CONTRACT.codes.map((c) => c.code));
  for (const d of CONTRACT.details) assert.match(DTS, new RegExp(`readonly ${d}\\?:`), d);
});

test('v3 index.d.ts: each options type has exactly the names of src/contract/v3.rs FUNCTIONS', () => {
  const fns = Object.entries(CONTRACT.functions.v3);
  assert.ok(fns.length >= 4);
  for (const [fn, names] of fns) {
    const m = DTS.match(new RegExp(`export declare function ${fn}\\([^)]*options\\??: (\\w+)\\)`));
    assert.ok(m, `${fn}: an options parameter with a named type`);
    assert.deepEqual(membersOf(m[1]).sort(), [...names].sort(), `${fn}: ${m[1]}`);
  }
});
