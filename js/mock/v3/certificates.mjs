// GET /v3/certificates: the platform certificates, each encrypted with the APIv3 key
// (associated_data "certificate"); a merchant on the public key has none, as at WeChat.
import { aead } from './cipher.mjs';
import { V3Error, paramError } from './errors.mjs';
import { rfc3339 } from './views.mjs';

/** What WeChat answers GET /v3/certificates for a merchant on the public key (no platform certificate). */
const NO_CERTIFICATE = '无可用的平台证书，请在商户平台-API安全申请使用微信支付公钥';

export function certificates({ mode, cfg, signers }, query) {
  if (mode === 'pubkey')
    throw new V3Error(
      404,
      'RESOURCE_NOT_EXISTS',
      `${NO_CERTIFICATE} (the mock runs --v3-keys pubkey: verify with pub_key.pem, ${cfg.publicKeyId})`,
    );
  const alg = query.get('algorithm_type');
  if (alg !== null && alg !== 'RSA')
    throw paramError('algorithm_type', `只支持 RSA (the mock has RSA certificates only, got ${alg})`, 'query', alg);
  const c = signers.cert.cert;
  return {
    status: 200,
    json: {
      data: [
        {
          serial_no: signers.cert.serial,
          effective_time: rfc3339(Date.parse(c.validFrom)),
          expire_time: rfc3339(Date.parse(c.validTo)),
          encrypt_certificate: aead(cfg.apiV3Key, signers.cert.pem, 'certificate'),
        },
      ],
    },
  };
}
