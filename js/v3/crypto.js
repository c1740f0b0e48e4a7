// The host's cryptography for wxpay-wasm/v3. Every RSA operation (SHA256withRSA signing and
// verification, RSA-OAEP) runs in the host's WebCrypto (`globalThis.crypto.subtle`), which
// is native and constant-time — RustCrypto's `rsa` compiled to wasm signs ~25x slower and
// would add ~109 KB gzipped. So does the AES-256-GCM block work: in wasm (no AES
// instructions) it was 15–18 % of a 1 KB callback, against ~4.4 µs for node:crypto's whole
// decipher, and 4.0 KB gzipped of the v3 wasm (docs/development/performance.md,
// 2026-12-04). Everything around these operations is the Rust core's (src/v3).
import { WxPayError } from '../core/index.js';
import { fail } from './args.js';

export const RSA_SIGN = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
export const RSA_OAEP = { name: 'RSA-OAEP', hash: 'SHA-1' };
/** Imported keys kept per PEM text; the oldest is dropped past this many. */
const KEY_CACHE_SIZE = 64;

const subtle = globalThis.crypto?.subtle;
const encoder = new TextEncoder();

/**
 * Speed trick (issue 15): on Node, RSA signing and verification run in node:crypto's
 * synchronous one-shot `sign`/`verify` over KeyObjects made from the same DER the core hands
 * WebCrypto. `crypto.subtle.verify` of a 1 KB callback costs ~66–70 µs on Node 20 (a promise
 * and a hop to the thread pool around ~20 µs of RSA); `crypto.verify` costs the RSA alone.
 * AES-256-GCM decryption likewise uses node:crypto's synchronous `createDecipheriv`
 * (`aesGcmOpen`). Deno, Bun, Workers and browsers keep WebCrypto (Deno and Bun emulate
 * node:crypto; WebCrypto is their native path). Same bytes in, same result out:
 * tests/js/v3-crypto-paths.test.mjs runs the v3 suites both ways. RSA-OAEP (cold) stays
 * WebCrypto everywhere.
 */
export const NODE_CRYPTO = (() => {
  const p = globalThis.process;
  if (
    !p ||
    typeof p.getBuiltinModule !== 'function' ||
    p.release?.name !== 'node' ||
    p.versions?.bun ||
    globalThis.Deno
  )
    return null;
  try {
    return p.getBuiltinModule('node:crypto') ?? null;
  } catch {
    return null;
  }
})();

export function needSubtle() {
  if (!subtle)
    throw fail(
      'INVALID_PARAM',
      'wxpay-wasm/v3 needs WebCrypto (globalThis.crypto.subtle): Node >= 20, Deno, Bun, Workers or a browser in a secure context',
    );
  return subtle;
}

/** A small insertion-ordered cache of promises; a rejected promise is not kept. */
export function cache() {
  const m = new Map();
  return (k, make) => {
    let p = m.get(k);
    if (p === undefined) {
      if (m.size >= KEY_CACHE_SIZE) m.delete(m.keys().next().value);
      p = make();
      m.set(k, p);
      p.catch(() => m.delete(k));
    }
    return p;
  };
}
const aesKeys = cache();

/** Imports DER for `alg`: node:crypto's KeyObject for RSA signatures on Node, WebCrypto's key elsewhere. */
export async function importKey(format, der, alg, usage, what) {
  if (NODE_CRYPTO && alg === RSA_SIGN) return nodeKey(format, der, what);
  try {
    return await needSubtle().importKey(format, der, alg, false, [usage]);
  } catch (e) {
    if (e instanceof WxPayError) throw e;
    // WebCrypto's message names no key material; ours names none either.
    throw fail('INVALID_PARAM', `${what} is not an RSA key WebCrypto accepts`);
  }
}

/** The KeyObject node:crypto signs or verifies with; refused unless RSA, as WebCrypto's RSASSA import refuses. */
function nodeKey(format, der, what) {
  let key;
  try {
    const spec = { key: Buffer.from(der.buffer, der.byteOffset, der.byteLength), format: 'der', type: format };
    key = format === 'pkcs8' ? NODE_CRYPTO.createPrivateKey(spec) : NODE_CRYPTO.createPublicKey(spec);
  } catch {
    key = null;
  }
  if (key === null || key.asymmetricKeyType !== 'rsa')
    throw fail('INVALID_PARAM', `${what} is not an RSA key WebCrypto accepts`);
  return key;
}

/** SHA256withRSA (PKCS#1 v1.5) with a key from importKey, in node:crypto or WebCrypto. */
export async function rsaSign(key, data) {
  if (NODE_CRYPTO) return NODE_CRYPTO.sign('sha256', data, key);
  return new Uint8Array(await needSubtle().sign(RSA_SIGN, key, data));
}

export async function rsaVerify(key, signature, data) {
  if (NODE_CRYPTO) return NODE_CRYPTO.verify('sha256', data, key, signature);
  return needSubtle().verify(RSA_SIGN, key, signature, data);
}

/**
 * AEAD_AES_256_GCM with the APIv3 key over what the core checked and decoded (a sealed
 * resource: `{ ciphertext (with its tag), nonce, aad }`, src/wasm/tuples.rs SEALED). Returns
 * the plaintext, or undefined when the tag does not verify: the core turns that into its
 * DECRYPT_FAILED, so the message is written once. On Node, node:crypto's synchronous
 * decipher (the speed trick above: WebCrypto's promise and thread-pool hop cost more than
 * the AES); elsewhere WebCrypto, with the imported key kept per APIv3 key.
 */
export async function aesGcmOpen(apiV3Key, { ciphertext, nonce, aad }) {
  const tag = ciphertext.length - 16;
  if (NODE_CRYPTO) {
    try {
      const d = NODE_CRYPTO.createDecipheriv('aes-256-gcm', encoder.encode(apiV3Key), nonce, { authTagLength: 16 });
      d.setAAD(aad);
      d.setAuthTag(ciphertext.subarray(tag));
      const head = d.update(ciphertext.subarray(0, tag));
      const rest = d.final();
      return rest.length === 0 ? head : Buffer.concat([head, rest]);
    } catch {
      return undefined;
    }
  }
  const key = await aesKeys(apiV3Key, () =>
    needSubtle().importKey('raw', encoder.encode(apiV3Key), 'AES-GCM', false, ['decrypt']),
  );
  try {
    return new Uint8Array(
      await needSubtle().decrypt({ name: 'AES-GCM', iv: nonce, additionalData: aad, tagLength: 128 }, key, ciphertext),
    );
  } catch {
    return undefined;
  }
}

/** Base64 of bytes (a signature). */
export function base64(bytes) {
  if (NODE_CRYPTO) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return btoa(s);
}
