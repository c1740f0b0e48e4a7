// Preloaded with `node --import` by v3-crypto-paths.test.mjs: makes this Node process look
// like a runtime without node:crypto (Deno, Bun, Workers and browsers take this path in
// js/v3/api.js), so wxpay-wasm/v3 does its RSA and AES-256-GCM in WebCrypto. It also counts
// the WebCrypto RSA calls and AES-GCM decryptions and prints the counts at exit, so the test
// can tell which path really ran.
try {
  delete process.getBuiltinModule;
} catch {
  /* not configurable: overwritten below */
}
if (typeof process.getBuiltinModule === 'function') process.getBuiltinModule = undefined;
if (typeof process.getBuiltinModule === 'function')
  throw new Error('webcrypto-only: cannot hide process.getBuiltinModule');

const subtle = globalThis.crypto.subtle;
let calls = 0;
let aes = 0;
for (const name of ['sign', 'verify', 'decrypt']) {
  const original = subtle[name];
  subtle[name] = function counted(algorithm, ...args) {
    if (name === 'decrypt') aes += algorithm?.name === 'AES-GCM' ? 1 : 0;
    else calls++;
    return original.call(this, algorithm, ...args);
  };
}
process.on('exit', () =>
  process.stdout.write(`\n# webcrypto RSA calls: ${calls}\n# webcrypto AES-GCM decryptions: ${aes}\n`),
);
