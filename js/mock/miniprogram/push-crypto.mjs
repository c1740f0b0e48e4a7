// The message push's cryptography, written here with node:crypto and independent of the
// package's Rust (the mock judges the package, so it must not share its mistakes). WeChat's
// layout (消息推送 安全模式): key = base64(EncodingAESKey + "="), 32 bytes, IV = its first 16;
// plaintext = 16 random bytes ‖ msg length (4 bytes, big-endian) ‖ msg ‖ appid, PKCS#7-padded to
// 32-byte blocks, AES-256-CBC; Encrypt = base64. signature = SHA-1 of the sorted, concatenated
// token, timestamp and nonce; msg_signature the same with Encrypt added to the four.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const BLOCK = 32;

/** The AES key of an EncodingAESKey (43 characters of base64 without its "="). */
export function aesKey(encodingAESKey) {
  if (!/^[A-Za-z0-9+/]{43}$/.test(encodingAESKey ?? ''))
    throw new Error('encodingAESKey must be 43 characters of [A-Za-z0-9+/]');
  return Buffer.from(`${encodingAESKey}=`, 'base64');
}

/** SHA-1 hex of the parts sorted as strings and joined, WeChat's signature and msg_signature. */
export const sha1Signature = (...parts) => createHash('sha1').update(parts.map(String).sort().join('')).digest('hex');

/** base64(AES-256-CBC(random16 ‖ len ‖ msg ‖ appid)), padded to 32. `random` for fixed vectors. */
export function encryptMessage(msg, { encodingAESKey, appid }, random = randomBytes(16)) {
  const key = aesKey(encodingAESKey);
  const body = Buffer.from(msg, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  const plain = Buffer.concat([random, len, body, Buffer.from(appid, 'utf8')]);
  const pad = BLOCK - (plain.length % BLOCK);
  const c = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  c.setAutoPadding(false);
  return Buffer.concat([c.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), c.final()]).toString('base64');
}

/** The inverse, with every check: padding, length, appid. Throws on any mismatch. */
export function decryptMessage(encrypt, { encodingAESKey, appid }) {
  const key = aesKey(encodingAESKey);
  const d = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  d.setAutoPadding(false);
  const plain = Buffer.concat([d.update(Buffer.from(encrypt, 'base64')), d.final()]);
  const pad = plain[plain.length - 1];
  if (!(pad >= 1 && pad <= BLOCK) || !plain.subarray(plain.length - pad).every((b) => b === pad))
    throw new Error('bad PKCS#7 padding');
  const unpadded = plain.subarray(0, plain.length - pad);
  if (unpadded.length < 20) throw new Error('too short');
  const len = unpadded.readUInt32BE(16);
  if (20 + len > unpadded.length) throw new Error('length past the end');
  const got = unpadded.subarray(20 + len).toString('utf8');
  if (got !== appid) throw new Error(`appid ${got} is not ${appid}`);
  return unpadded.subarray(20, 20 + len).toString('utf8');
}
