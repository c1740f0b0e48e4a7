// Preloaded with `node --import` by v3-crypto-paths.test.mjs: makes this Node process look
// like a runtime without node:crypto (Deno, Bun, Workers and browsers take this path in
// js/v3/api.js), so wxpay-wasm/v3 does its RSA in WebCrypto. It also counts the WebCrypto
// RSA calls and prints the count at exit, so the test can tell which path really ran.
try { delete process.getBuiltinModule; } catch { /* not configurable: overwritten below */ }
if (typeof process.getBuiltinModule === 'function') process.getBuiltinModule = undefined;
if (typeof process.getBuiltinModule === 'function') throw new Error('webcrypto-only: cannot hide process.getBuiltinModule');

const subtle = globalThis.crypto.subtle;
let calls = 0;
for (const name of ['sign', 'verify']) {
  const original = subtle[name];
  subtle[name] = function counted(...args) { calls++; return original.apply(this, args); };
}
process.on('exit', () => process.stdout.write(`\n# webcrypto RSA calls: ${calls}\n`));
