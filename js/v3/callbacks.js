// What WeChat sends a v3 merchant: signed answers and callbacks verified, their encrypted
// resources opened, platform certificates read, and the answer to a callback. The core
// prepares and checks (src/wasm/v3.rs over src/v3/verify.rs, notify.rs, certs.rs); the host
// verifies the RSA signature and opens the AES-256-GCM resource (crypto.js).
import { describe } from '../core/index.js';
import {
  bodyBytes,
  checkOptions,
  fail,
  headerPairs,
  keyMap,
  nowSeconds,
  optional,
  required,
  skew,
  str,
  total,
} from './args.js';
import { RSA_SIGN, aesGcmOpen, cache, importKey, rsaVerify } from './crypto.js';
import { checkValidity, verificationKey } from './keys.js';
import { call, tuple, tuples, wasm } from './wasm.js';

const verifyKeys = cache();
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Shared by verifySignature and verifyNotify: prepare in Rust, verify in the host's crypto. */
async function verified(bytes, headers, o) {
  if (o.publicKeys === undefined)
    throw fail('INVALID_PARAM', 'option `publicKeys` (serial or PUB_KEY_ID_… → PEM) is required', 'publicKeys');
  const keys = keyMap(o.publicKeys);
  // Every key is read before any signature work: a certificate filed under another serial
  // is refused now, whichever serial this callback names.
  for (const [s, pem] of keys) verificationKey(s, pem);
  const now = nowSeconds(o.now);
  const max = skew(o.maxSkewSeconds);
  const pairs = headerPairs(headers);
  const { serial, timestamp, message, signature } = tuple('v3VerifyPrepare', pairs, bytes, [...keys.keys()], now, max);
  const pem = keys.get(serial);
  const k = verificationKey(serial, pem);
  checkValidity(k, serial, now ?? Math.floor(Date.now() / 1000));
  const key = await verifyKeys(pem, () =>
    importKey('spki', k.spki, RSA_SIGN, 'verify', `publicKeys[${JSON.stringify(serial)}]`),
  );
  const ok = await rsaVerify(key, signature, message);
  if (!ok)
    throw fail(
      'SIGN_MISMATCH',
      `Wechatpay-Signature does not verify with the key for serial ${serial}: the body was changed, or another key signed it`,
    );
  return { serial, timestamp };
}

export async function verifySignature(body, headers, opts) {
  const o = checkOptions('verifySignature', opts);
  return verified(bodyBytes(body), headers, o);
}

export async function verifyNotify(body, headers, opts) {
  const o = checkOptions('verifyNotify', opts);
  const bytes = bodyBytes(body);
  const apiV3Key = required(o, 'apiV3Key');
  const expect = [optional(o, 'appid'), optional(o, 'mchId'), optional(o, 'outTradeNo'), total(o.total)];
  await verified(bytes, headers, o);
  const sealed = tuple('v3NotifyOpen', bytes, apiV3Key);
  const plain = await aesGcmOpen(apiV3Key, sealed);
  const paid = call(() => wasm.v3NotifyFinish(sealed.eventType, plain, ...expect));
  // The core has checked both texts (UTF-8, JSON, no member twice, the expectations),
  // so V8's JSON.parse builds the result: what the core's Notification::to_json writes.
  const out = JSON.parse(utf8.decode(bytes));
  out.resource = JSON.parse(utf8.decode(plain));
  delete out.paid;
  out.paid = paid;
  return out;
}

export async function decryptResource(resource, apiV3Key) {
  if (resource === null || typeof resource !== 'object' || Array.isArray(resource)) {
    throw fail(
      'INVALID_PARAM',
      `resource must be the callback's resource object, got ${describe(resource)}`,
      'resource',
    );
  }
  const json = JSON.stringify(resource);
  const key = str(apiV3Key, 'apiV3Key');
  const plain = await aesGcmOpen(key, tuple('v3SealedResource', json, key));
  return call(() => wasm.v3ResourceText(plain));
}

export async function parseCertificates(body, apiV3Key) {
  const bytes = bodyBytes(body);
  const key = str(apiV3Key, 'apiV3Key');
  const plains = [];
  for (const sealed of tuples('v3CertificatesOpen', bytes, key)) plains.push((await aesGcmOpen(key, sealed)) ?? null);
  return JSON.parse(call(() => wasm.v3CertificatesFinish(bytes, key, plains)));
}

/** The answer to a callback: `{ status, headers, body }` for the host's response. */
export async function notifyReply(ok = true, message) {
  if (typeof ok !== 'boolean') throw fail('INVALID_PARAM', `ok must be a boolean, got ${describe(ok)}`, 'ok');
  const { status, body } = tuple('v3NotifyReply', ok, message === undefined ? undefined : str(message, 'message'));
  return { status: Number(status), headers: body === '' ? {} : { 'Content-Type': 'application/json' }, body };
}
