// Node, CommonJS: the package through `require` (the "node" + "require" conditions, loaded
// synchronously), the suite through node:test.
const { after, test } = require('node:test');
const wx = require('wxpay-wasm');
const v3 = require('wxpay-wasm/v3');
const mp = require('wxpay-wasm/miniprogram');

// The suite is ESM, so it comes in through import(); node:test runs the tests registered
// once it has loaded (its root test waits for the event loop to settle).
(async () => {
  const { collect } = await import('../harness.mjs');
  const { register } = await import('./native.mjs');
  register(collect({ wx, v3, mp, runtime: 'node-cjs' }), 'node-cjs', test, after);
})();
