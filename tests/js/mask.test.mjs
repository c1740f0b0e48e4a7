// One rule for showing a key, three places: the core's mask_key (src/core/error.rs, checked
// through diagnoseSign's signing string here), the page's (www/mask.js) and the mock's logs
// (js/mock/util.mjs). The rule, counted in characters (code points): 6 or fewer are all `*`;
// a longer key keeps its first and last two characters with one `*` for each in between.
// Expected values are written out by hand from that rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import wx from '../../pkg/node/index.mjs';
import { maskKey as pageMask } from '../../www/mask.js';
import { maskKey as mockMask } from '../../js/mock/util.mjs';

const CASES = [
  ['', ''],
  ['a', '*'],
  ['abcdef', '******'],
  ['abcdefg', 'ab***fg'],
  ['192006250b4c09247ec02edce69f6a2d', `19${'*'.repeat(28)}2d`],
  ['密钥密钥密钥密', '密钥***钥密'],
  ['😀b😀😀😀f😀', '😀b***f😀'], // astral characters count as one, never split
];

for (const [mask, where] of [
  [pageMask, 'www/mask.js'],
  [mockMask, 'js/mock/util.mjs'],
]) {
  test(`${where} masks by the one rule`, () => {
    for (const [key, want] of CASES) assert.equal(mask(key), want, JSON.stringify(key));
  });
}

test('the core shows the key in a signing string by the same rule', () => {
  for (const [key] of CASES.filter(([k]) => k)) {
    const d = wx.diagnoseSign({ a: '1' }, key, 'x'.repeat(32));
    assert.ok(d.signingString.endsWith(`&key=${pageMask(key)}`), `${JSON.stringify(key)}: ${d.signingString}`);
  }
});
