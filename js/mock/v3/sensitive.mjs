// Sensitive request fields (user_name, real_name, bank_account, a receiver's name): the merchant
// encrypts them with RSA-OAEP (SHA-1, MGF1-SHA-1) to the WeChat Pay key named in Wechatpay-Serial;
// the mock decrypts them with that key's private half, as WeChat would. `ctx` is the v3 context.
import { constants, privateDecrypt } from 'node:crypto';
import { V3Error, paramError } from './errors.mjs';

/** The keys this mode's merchant may encrypt to: { serial → private key }. */
function keysOf({ mode, signers }) {
  const list = mode === 'pubkey' ? [signers.pubkey] : mode === 'cert' ? [signers.cert] : [signers.pubkey, signers.cert];
  return new Map(list.map((s) => [s.serial.toUpperCase(), s.privateKey]));
}

/** The plaintext of an encrypted field at `field` (a JSON pointer), or WeChat's 400 naming it. */
export function decryptField(ctx, headers, ciphertext, field) {
  const serial = headers['wechatpay-serial'];
  if (!serial)
    throw new V3Error(
      400,
      'PARAM_ERROR',
      `参数错误: ${field} 已加密, 请求头须带 Wechatpay-Serial (the key it is encrypted to)`,
      {
        location: 'header',
        field: 'Wechatpay-Serial',
        issue: 'required with an encrypted field',
      },
    );
  const key = keysOf(ctx).get(String(serial).toUpperCase());
  if (!key)
    throw new V3Error(
      400,
      'PARAM_ERROR',
      `参数错误: Wechatpay-Serial ${serial} 不是微信支付公钥ID或平台证书序列号 (mode ${ctx.mode})`,
      {
        location: 'header',
        field: 'Wechatpay-Serial',
        issue: 'unknown serial',
      },
    );
  try {
    return privateDecrypt(
      { key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
      Buffer.from(String(ciphertext), 'base64'),
    ).toString('utf8');
  } catch {
    throw paramError(field, '解密失败: 应为用 Wechatpay-Serial 所指公钥 RSA-OAEP 加密后的 base64 (does not decrypt)');
  }
}
