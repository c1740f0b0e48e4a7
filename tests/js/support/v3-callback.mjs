// A v3 callback as WeChat sends it, built with node:crypto only (never with the package), for
// v3-callbacks and docs-callbacks: the resource sealed with AES-256-GCM under the APIv3 key
// (associated data = its original type), the body signed RSA-SHA256 over `TS\nNONCE\nBODY\n`.
import { createCipheriv, createSign, randomBytes } from 'node:crypto';

/**
 * `{ body, headers }` (lower-case header names) of a callback of `eventType` whose resource is
 * `plain`, sealed with `key`, signed by `signer` (a private key) and naming `serial`.
 */
export function signedCallback(eventType, plain, { key, signer, serial, original = 'transaction' }) {
  const nonce = randomBytes(6).toString('hex');
  const c = createCipheriv('aes-256-gcm', Buffer.from(key), Buffer.from(nonce));
  c.setAAD(Buffer.from(original));
  const ciphertext = Buffer.concat([c.update(JSON.stringify(plain)), c.final(), c.getAuthTag()]).toString('base64');
  const body = JSON.stringify({
    id: `EV-${randomBytes(4).toString('hex')}`,
    create_time: '2026-12-07T20:00:00+08:00',
    resource_type: 'encrypt-resource',
    event_type: eventType,
    summary: 's',
    resource: { original_type: original, algorithm: 'AEAD_AES_256_GCM', ciphertext, associated_data: original, nonce },
  });
  const ts = String(Math.floor(Date.now() / 1000));
  const hn = randomBytes(16).toString('hex');
  const signature = createSign('RSA-SHA256').update(`${ts}\n${hn}\n${body}\n`).sign(signer, 'base64');
  const headers = {
    'wechatpay-timestamp': ts,
    'wechatpay-nonce': hn,
    'wechatpay-signature': signature,
    'wechatpay-serial': serial,
    'content-type': 'application/json',
  };
  return { body, headers };
}
