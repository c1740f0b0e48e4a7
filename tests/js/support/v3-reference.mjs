// An independent WeChat Pay v3 implementation with node:crypto, written from the protocol
// text (issue 11 / WeChat's docs), for the v3 tests to compare the package against. Nothing
// here imports the package under test.
import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  createSign,
  createVerify,
  constants,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  X509Certificate,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
export const GENERATED = JSON.parse(readFileSync(join(root, 'tests/fixtures/v3/generated.json'), 'utf8'));
export const OFFICIAL = JSON.parse(readFileSync(join(root, 'tests/fixtures/v3/official.json'), 'utf8'));

/** `METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n` */
export const authMessage = (method, url, ts, nonce, body) => `${method}\n${url}\n${ts}\n${nonce}\n${body}\n`;
/** `TIMESTAMP\nNONCE\nBODY\n` over the body bytes (a Buffer keeps non-UTF-8 bytes exact). */
export const responseMessage = (ts, nonce, body) =>
  Buffer.concat([Buffer.from(`${ts}\n${nonce}\n`), Buffer.from(body), Buffer.from('\n')]);
export const payMessage = (appId, ts, nonce, pkg) => `${appId}\n${ts}\n${nonce}\n${pkg}\n`;

export function rsaSign(privatePem, message) {
  return createSign('RSA-SHA256').update(message).sign(privatePem, 'base64');
}
export function rsaVerify(publicPemOrCert, message, signatureB64) {
  const key = publicPemOrCert.includes('CERTIFICATE')
    ? new X509Certificate(publicPemOrCert).publicKey
    : createPublicKey(publicPemOrCert);
  return createVerify('RSA-SHA256').update(message).verify(key, signatureB64, 'base64');
}

// The header parser is shared with the portable suite's reference.
export { parseAuthorization } from '../../runtimes/suite/reference.mjs';

export function gcmEncrypt(key, nonce, aad, plaintext) {
  const c = createCipheriv('aes-256-gcm', Buffer.from(key), Buffer.from(nonce));
  c.setAAD(Buffer.from(aad));
  const out = Buffer.concat([c.update(Buffer.from(plaintext)), c.final(), c.getAuthTag()]);
  return out.toString('base64');
}
export function gcmDecrypt(key, nonce, aad, ciphertextB64) {
  const all = Buffer.from(ciphertextB64, 'base64');
  const d = createDecipheriv('aes-256-gcm', Buffer.from(key), Buffer.from(nonce));
  d.setAAD(Buffer.from(aad));
  d.setAuthTag(all.subarray(all.length - 16));
  return Buffer.concat([d.update(all.subarray(0, all.length - 16)), d.final()]).toString('utf8');
}

export const oaepEncrypt = (publicPemOrCert, plaintext) =>
  publicEncrypt(
    {
      key: publicPemOrCert.includes('CERTIFICATE') ? new X509Certificate(publicPemOrCert).publicKey : publicPemOrCert,
      padding: constants.RSA_PKCS1_OAEP_PADDING,
      oaepHash: 'sha1',
    },
    Buffer.from(plaintext),
  ).toString('base64');
export const oaepDecrypt = (privatePem, b64) =>
  privateDecrypt(
    { key: createPrivateKey(privatePem), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
    Buffer.from(b64, 'base64'),
  ).toString('utf8');

/** Headers WeChat would send with `body`, signed by `privatePem` under `serial`. */
export function signedHeaders(
  privatePem,
  serial,
  body,
  { timestamp, nonce = randomBytes(16).toString('hex'), lower = false, signature } = {},
) {
  const sig = signature ?? rsaSign(privatePem, responseMessage(timestamp, nonce, body));
  const h = {
    'Wechatpay-Timestamp': String(timestamp),
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Signature': sig,
    'Wechatpay-Serial': serial,
  };
  return lower ? Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v])) : h;
}

/** A callback body with `plain` (an object) encrypted under `apiV3Key` as WeChat does. */
export function callbackBody(
  plain,
  apiV3Key,
  { eventType = 'TRANSACTION.SUCCESS', nonce = randomBytes(6).toString('hex'), aad = 'transaction', id = 'EV-1' } = {},
) {
  const text = typeof plain === 'string' ? plain : JSON.stringify(plain);
  return JSON.stringify({
    id,
    create_time: '2025-01-01T08:00:00+08:00',
    resource_type: 'encrypt-resource',
    event_type: eventType,
    summary: '支付成功',
    resource: {
      original_type: 'transaction',
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext: gcmEncrypt(apiV3Key, nonce, aad, text),
      associated_data: aad,
      nonce,
    },
  });
}

/** A deterministic PRNG so a failing case can be replayed from its seed. */
export function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const ALPHABET = 'abcAZ09 -_/?=&"\\\n\t{}[]:,.😀支付成功ümlaut\u00a0';
export function randomText(next, max = 64) {
  const chars = [...ALPHABET];
  let s = '';
  const n = Math.floor(next() * max);
  for (let i = 0; i < n; i++) s += chars[Math.floor(next() * chars.length)];
  return s;
}
