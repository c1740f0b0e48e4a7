// The client's options (issue 13) against the contract (js/contract.json `client`, from
// src/contract/v2.rs and v3.rs CLIENT): at run time a misspelled one is refused with the
// closest valid name. That the types have exactly those names: tests/js/types.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import wx from '../../pkg/node/index.mjs';
import wx3 from '../../pkg/v3/node/index.mjs';

const CONTRACT = JSON.parse(readFileSync(new URL('../../js/contract.json', import.meta.url), 'utf8'));
for (const [family, api] of [
  ['v2', wx],
  ['v3', wx3],
]) {
  const table = CONTRACT.client[family];
  test(`${family}: every client option name, misspelled, is refused with a suggestion`, () => {
    for (const name of table.createClient) {
      const wrong = name.toLowerCase() === name ? name.toUpperCase() : name.toLowerCase();
      assert.throws(
        () => api.createClient({ [wrong]: 'x' }),
        (e) =>
          e instanceof api.WxPayError &&
          e.code === 'INVALID_PARAM' &&
          e.message.includes(`unknown option "${wrong}" — did you mean "${name}"?`),
        name,
      );
    }
  });
}
