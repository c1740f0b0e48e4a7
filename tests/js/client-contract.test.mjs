// The client's options (issue 13) against the contract (js/contract.json `client`, from
// src/contract/v2.rs and v3.rs CLIENT): the types' interfaces have exactly those names, and
// at run time a misspelled one is refused with the closest valid name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import wx from '../../pkg/node/index.mjs';
import wx3 from '../../pkg/v3/node/index.mjs';

const CONTRACT = JSON.parse(readFileSync(new URL('../../js/contract.json', import.meta.url), 'utf8'));
const membersOf = (dts, name) => {
  const m = dts.match(new RegExp(`export interface ${name} \\{([\\s\\S]*?)\\n\\}`));
  assert.ok(m, `interface ${name}`);
  return [...m[1].matchAll(/^\s{2}(\w+)\??:/gm)].map((x) => x[1]).sort();
};

for (const [family, file, api] of [['v2', '../../js/index.d.ts', wx], ['v3', '../../js/v3/index.d.ts', wx3]]) {
  const dts = readFileSync(new URL(file, import.meta.url), 'utf8');
  const table = CONTRACT.client[family];
  test(`${family}: ClientOptions and NotifyHandlerOptions are the contract's names`, () => {
    assert.deepEqual(membersOf(dts, 'ClientOptions'), [...table.createClient].sort());
    assert.deepEqual(membersOf(dts, 'NotifyHandlerOptions'), [...table.createNotifyHandler].sort());
    assert.match(dts, /export declare function createClient\(options: ClientOptions\): Client;/);
    for (const code of ['NETWORK_ERROR', 'TIMEOUT', 'CLIENT_CERT_UNAVAILABLE']) assert.ok(CONTRACT.codes.some((c) => c.code === code) && dts.includes(`'${code}'`), code);
  });
  test(`${family}: every client option name, misspelled, is refused with a suggestion`, () => {
    for (const name of table.createClient) {
      const wrong = name.toLowerCase() === name ? name.toUpperCase() : name.toLowerCase();
      assert.throws(() => api.createClient({ [wrong]: 'x' }), (e) => e instanceof api.WxPayError && e.code === 'INVALID_PARAM'
        && e.message.includes(`unknown option "${wrong}" — did you mean "${name}"?`), name);
    }
  });
}
