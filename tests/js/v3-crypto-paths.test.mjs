// wxpay-wasm/v3 signs, verifies and decrypts AES-256-GCM with node:crypto's synchronous
// calls on Node, and with WebCrypto everywhere else (js/v3/api.js, NODE_CRYPTO; issue 15: the
// WebCrypto promise costs ~3× the RSA on Node). Both paths must give the same results for
// the same inputs. Here: (1) this Node process takes the node:crypto path, checked by
// counting crypto.subtle calls (none), against the generated vectors (Python
// `cryptography`); (2) the portable suite's v3 vectors and the v3 hostile suite run again in a Node that has
// process.getBuiltinModule hidden (support/webcrypto-only.mjs), i.e. on the WebCrypto path,
// and must pass there too, with WebCrypto really called.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { GENERATED as G } from './support/v3-reference.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const keys = G.keys;
const certs = G.certificates;
const publicKeys = {
  [certs.platform.serial]: certs.platform.pem,
  [certs.platform2.serial]: certs.platform2.pem,
  [G.pub_key_id]: keys.pubkey.public_spki,
};

test('on Node, RSA and AES-GCM run in node:crypto (no WebCrypto call) and match the vectors', async () => {
  const subtle = globalThis.crypto.subtle;
  let calls = 0;
  const originals = { sign: subtle.sign, verify: subtle.verify, decrypt: subtle.decrypt };
  for (const name of ['sign', 'verify', 'decrypt'])
    subtle[name] = function counted(...a) {
      calls++;
      return originals[name].apply(this, a);
    };
  try {
    const v3 = await import('../../pkg/v3/node/index.mjs');
    for (const a of G.authorization) {
      const header = await v3.authorization({
        mchId: G.mchid,
        serialNo: certs.merchant.serial,
        privateKey: keys.merchant.private_pkcs1,
        method: a.method,
        url: a.url,
        body: a.body,
        timestamp: a.timestamp,
        nonce: a.nonce,
      });
      assert.equal(header, a.header, `${a.method} ${a.url}`);
    }
    for (const p of G.pay_sign) {
      const got = await v3.requestPaymentParams({
        appId: p.app_id,
        prepayId: p.package.slice('prepay_id='.length),
        privateKey: keys.merchant.private_pkcs8,
        timeStamp: p.time_stamp,
        nonceStr: p.nonce_str,
      });
      assert.equal(got.paySign, p.pay_sign);
    }
    for (const c of G.callbacks) {
      const headers = Object.fromEntries(c.headers);
      const n = await v3.verifyNotify(c.body, headers, { apiV3Key: G.api_v3_key, publicKeys, now: G.now });
      assert.deepEqual(n.resource, JSON.parse(c.plaintext));
      // A changed body is refused on this path too.
      await assert.rejects(
        v3.verifyNotify(`${c.body} `, headers, { apiV3Key: G.api_v3_key, publicKeys, now: G.now }),
        (e) => e.code === 'SIGN_MISMATCH',
      );
    }
    // And the certificates and a resource alone decrypt on this path too.
    const listed = await v3.parseCertificates(G.certificates_response.body, G.api_v3_key);
    assert.deepEqual(
      Object.values(listed).map((c) => c.pem),
      G.certificates_response.certs.map((c) => c.pem),
    );
    const { resource } = JSON.parse(G.callbacks[0].body);
    assert.equal(await v3.decryptResource(resource, G.api_v3_key), G.callbacks[0].plaintext);
    await assert.rejects(v3.decryptResource(resource, G.other_api_v3_key), (e) => e.code === 'DECRYPT_FAILED');
    assert.equal(calls, 0, 'WebCrypto sign/verify/decrypt was called on Node');
  } finally {
    Object.assign(subtle, originals);
  }
});

// The v3 vectors live in the portable suite (tests/runtimes/suite/v3.mjs) since issue 14.
for (const suite of ['support/portable-v3.mjs', 'v3-hostile.test.mjs']) {
  test(`WebCrypto path: ${suite} passes with process.getBuiltinModule hidden`, () => {
    // Without NODE_TEST_CONTEXT the child reports TAP on stdout instead of to this runner.
    const { NODE_TEST_CONTEXT, ...env } = process.env;
    const r = spawnSync(process.execPath, ['--import', './support/webcrypto-only.mjs', '--test-reporter=tap', suite], {
      cwd: here,
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(
      r.status,
      0,
      `${suite} failed on the WebCrypto path:\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-2000)}`,
    );
    assert.match(r.stdout, /^# fail 0$/m);
    const pass = Number(r.stdout.match(/^# pass (\d+)$/m)?.[1]);
    assert.ok(pass > 0, 'no test ran');
    const calls = Number(r.stdout.match(/^# webcrypto RSA calls: (\d+)$/m)?.[1]);
    assert.ok(calls > 0, `WebCrypto was not used (${calls} calls): the preload did not take effect`);
    const aes = Number(r.stdout.match(/^# webcrypto AES-GCM decryptions: (\d+)$/m)?.[1]);
    assert.ok(aes > 0, `WebCrypto AES-GCM was not used (${aes} decryptions)`);
  });
}
