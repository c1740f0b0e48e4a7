// Sensitive fields (a name, a phone number) WeChat wants encrypted with its public key, or
// sends encrypted with the merchant's: RSA-OAEP with SHA-1 in the host's WebCrypto.
import { WxPayError } from '../core/index.js';
import { fail, str } from './args.js';
import { RSA_OAEP, base64, cache, importKey, needSubtle } from './crypto.js';
import { privateState, publicKey } from './keys.js';

const encoder = new TextEncoder();
const oaepPublicKeys = cache();

export async function encryptSensitive(plaintext, pem) {
  const data = encoder.encode(str(plaintext, 'plaintext'));
  const key = await publicKey(str(pem, 'publicKey'), RSA_OAEP, 'encrypt', oaepPublicKeys, 'publicKey');
  // RSAES-OAEP with SHA-1 carries at most k - 2*20 - 2 bytes.
  const room = key.algorithm.modulusLength / 8 - 42;
  if (data.length > room)
    throw fail(
      'INVALID_PARAM',
      `plaintext is ${data.length} UTF-8 bytes; RSA-OAEP with this ${key.algorithm.modulusLength}-bit key carries at most ${room}`,
      'plaintext',
    );
  return base64(new Uint8Array(await needSubtle().encrypt(RSA_OAEP, key, data)));
}

export async function decryptSensitive(ciphertext, privateKey) {
  let bytes;
  try {
    bytes = Uint8Array.from(atob(str(ciphertext, 'ciphertext')), (c) => c.charCodeAt(0));
  } catch (e) {
    if (e instanceof WxPayError) throw e;
    throw fail('DECRYPT_FAILED', 'ciphertext is not Base64', 'ciphertext');
  }
  const state = await privateState(privateKey);
  state.oaep ??= importKey('pkcs8', state.der, RSA_OAEP, 'decrypt', 'privateKey');
  const key = await state.oaep;
  let plain;
  try {
    plain = await needSubtle().decrypt(RSA_OAEP, key, bytes);
  } catch {
    throw fail('DECRYPT_FAILED', 'ciphertext does not decrypt with this private key (RSA-OAEP, SHA-1)', 'ciphertext');
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(plain);
  } catch {
    throw fail('DECRYPT_FAILED', 'the decrypted field is not UTF-8 text', 'ciphertext');
  }
}
