// AEAD_AES_256_GCM with the APIv3 key, as WeChat encrypts platform certificates and callback
// resources (the nonce is 12 ASCII digits, the key the 32 ASCII bytes of the APIv3 key).
import { createCipheriv } from 'node:crypto';
import { digits } from '../util.mjs';

/** { algorithm, nonce, associated_data, ciphertext } of `plaintext` under `apiV3Key`. */
export function aead(apiV3Key, plaintext, associatedData) {
  const nonce = digits(12);
  const c = createCipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(nonce, 'utf8'));
  c.setAAD(Buffer.from(associatedData, 'utf8'));
  const ct = Buffer.concat([c.update(plaintext, 'utf8'), c.final(), c.getAuthTag()]);
  return { algorithm: 'AEAD_AES_256_GCM', nonce, associated_data: associatedData, ciphertext: ct.toString('base64') };
}

/** A callback's `resource`: the same, with original_type first as WeChat writes it. */
export const encryptResource = (apiV3Key, plaintext, originalType) => ({
  original_type: originalType,
  ...aead(apiV3Key, plaintext, originalType),
});
