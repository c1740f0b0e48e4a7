// The CommonJS and ESM Node entries are one module: the ESM file re-exports the CommonJS
// one. (The public vectors run through both entries, and every other runtime, in
// tests/runtimes: make test-runtimes.)
const { test } = require('node:test');
const assert = require('node:assert/strict');
const wx = require('../../pkg/node/index.cjs');

test('CJS and ESM share one instance and one WxPayError class', async () => {
  const esm = await import('../../pkg/node/index.mjs');
  assert.equal(esm.WxPayError, wx.WxPayError);
  assert.equal(esm.default, wx);
});
