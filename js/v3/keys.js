// wxpay-wasm/v3's keys: the merchant's private key (imported once, held behind an opaque
// object) and the platform's public keys, each imported once per PEM text. The core reads
// the PEM (src/v3/keys.rs, through src/wasm/v3.rs); the host's crypto imports the DER.
import { describe } from '../core/index.js';
import { fail, str } from './args.js';
import { RSA_SIGN, cache, importKey, rsaSign } from './crypto.js';
import { call, tuple, wasm } from './wasm.js';

const encoder = new TextEncoder();
const pemPrivateKeys = cache();

/**
 * The clock allowance (s) around a certificate's notBefore … notAfter: the same 5 minutes as
 * the default Wechatpay-Timestamp window, the disagreement between WeChat's clock and ours
 * that a callback is already allowed; a larger one would keep a retired key alive longer.
 */
export const CERT_ALLOWANCE_S = 300;

/** `{ spki, serial, notBefore, notAfter }` per PEM text, read once by the core (bounded like the key caches). */
const readKeys = new Map();
function readKey(pem) {
  let k = readKeys.get(pem);
  if (k === undefined) {
    k = tuple('v3VerificationKey', pem);
    if (readKeys.size >= 64) readKeys.delete(readKeys.keys().next().value);
    readKeys.set(pem, k);
  }
  return k;
}

/** The same serial: case and leading zeros aside (openssl and Node write `0C95…`, WeChat `C95…`). */
const bare = (s) => s.replace(/^0+/, '').toUpperCase();

/**
 * The key `publicKeys` files under `serial`, read by the core (src/v3/keys.rs
 * `verification_key`): `{ spki, serial, notBefore, notAfter }`, the serial `''` and the
 * validity -2^63 … 2^63 s for a public key. A certificate is used only under its own serial,
 * and a PUB_KEY_ID_… names WeChat's public key, never a certificate: both refused here
 * (INVALID_PARAM, field publicKeys), when the keys are given.
 */
export function verificationKey(serial, pem) {
  const k = readKey(pem);
  if (k.serial === '') return k;
  const filed = `publicKeys[${JSON.stringify(serial.slice(0, 80))}]`;
  if (serial.startsWith('PUB_KEY_ID_'))
    throw fail(
      'INVALID_PARAM',
      `${filed} is a CERTIFICATE (serial ${k.serial}); a PUB_KEY_ID_… takes WeChat's public key (pub_key.pem, -----BEGIN PUBLIC KEY-----), and a platform certificate is filed under its own serial`,
      'publicKeys',
    );
  if (bare(serial) !== bare(k.serial))
    throw fail(
      'INVALID_PARAM',
      `${filed} is the certificate with serial ${k.serial}: a certificate is used only under its own serial (the Wechatpay-Serial it signs under)`,
      'publicKeys',
    );
  return k;
}

/** Refuses (CERT_EXPIRED) a certificate used outside notBefore … notAfter ± CERT_ALLOWANCE_S at `now` (Unix s). */
export function checkValidity(k, serial, now) {
  const early = now + CERT_ALLOWANCE_S < k.notBefore;
  if (!early && now - CERT_ALLOWANCE_S <= k.notAfter) return;
  const iso = (t) => new Date(t * 1000).toISOString();
  throw fail(
    'CERT_EXPIRED',
    `the platform certificate ${serial} is valid from ${iso(k.notBefore)} to ${iso(k.notAfter)}: at ${iso(now)} it is ${early ? 'not valid yet' : 'expired'} (${CERT_ALLOWANCE_S} s allowed); download the current certificates (GET /v3/certificates) or use WeChat's public key (PUB_KEY_ID_…)`,
    'Wechatpay-Serial',
  );
}

/** SPKI DER from the core (PUBLIC KEY, RSA PUBLIC KEY or CERTIFICATE PEM), imported once per PEM text into `store`. */
export const publicKey = (pem, alg, usage, store, what) =>
  store(pem, () => importKey('spki', readKey(pem).spki, alg, usage, what));

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
