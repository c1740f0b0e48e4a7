// wxpay-wasm/v3's keys: the merchant's private key (imported once, held behind an opaque
// object) and the platform's public keys, each imported once per PEM text. The core reads
// the PEM (src/v3/keys.rs, through src/wasm/v3.rs); the host's crypto imports the DER.
import { describe } from '../core/index.js';
import { fail, str } from './args.js';
import { RSA_SIGN, cache, importKey, rsaSign } from './crypto.js';
import { call, wasm } from './wasm.js';

const encoder = new TextEncoder();
const pemPrivateKeys = cache();

/** SPKI DER from the core (PUBLIC KEY, RSA PUBLIC KEY or CERTIFICATE PEM), imported once per PEM text into `store`. */
export const publicKey = (pem, alg, usage, store, what) =>
  store(pem, () => {
    const der = call(() => wasm.v3PublicKeyDer(pem));
    return importKey('spki', der, alg, usage, what);
  });

/** The opaque object importPrivateKey returns; its key material lives in `privates`. */
const privates = new WeakMap();
class PrivateKey {
  constructor() {
    throw new TypeError('use importPrivateKey(pem)');
  }
  toString() {
    return '[wxpay-wasm PrivateKey]';
  }
  toJSON() {
    return '[wxpay-wasm PrivateKey]';
  }
}

/** A merchant private key (PKCS#8 or PKCS#1 PEM) imported once, for every later signature. */
export async function importPrivateKey(pem) {
  const der = call(() => wasm.v3PrivateKeyDer(str(pem, 'privateKey')));
  const signKey = await importKey('pkcs8', der, RSA_SIGN, 'sign', 'privateKey');
  const key = Object.create(PrivateKey.prototype);
  privates.set(key, { signKey, der, oaep: null });
  return Object.freeze(key);
}

/** A PEM string (imported once per text) or an importPrivateKey() object: its key state. */
export async function privateState(v) {
  if (typeof v === 'string') v = await pemPrivateKeys(v, () => importPrivateKey(v));
  const state = v !== null && typeof v === 'object' ? privates.get(v) : undefined;
  if (state === undefined)
    throw fail(
      'INVALID_PARAM',
      `privateKey must be PEM text or a key from importPrivateKey(), got ${describe(v)}`,
      'privateKey',
    );
  return state;
}

/** SHA256withRSA of `message` (text) with the merchant's key. */
export async function signBytes(privateKey, message) {
  const { signKey } = await privateState(privateKey);
  return rsaSign(signKey, encoder.encode(message));
}
