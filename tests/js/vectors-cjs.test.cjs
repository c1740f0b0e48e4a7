// The same vectors through require(): the CommonJS entry loads the wasm synchronously.
const { test } = require('node:test');
const wx = require('../../pkg/node/index.cjs');

test('45 public vectors through the CommonJS entry', async (t) => {
  const { runVectors } = await import('./vectors-run.mjs');
  runVectors(t, wx);
});

test('CJS and ESM share one instance and one WxPayError class', async () => {
  const esm = await import('../../pkg/node/index.mjs');
  const assert = require('node:assert/strict');
  assert.equal(esm.WxPayError, wx.WxPayError);
  assert.equal(esm.default, wx);
});

test('every body vector as string, Buffer and Uint8Array: the same outcomes (CommonJS)', async () => {
  const { runBodyForms } = await import('./vectors-run.mjs');
  runBodyForms(wx);
});
