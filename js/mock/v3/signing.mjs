// The mock's v3 signatures: the merchant's Authorization checked with node:crypto against the
// merchant public key on disk (never with the package's own verify code: the mock judges our
// client, so it must not share its mistakes), and WeChat's four Wechatpay-* headers made with
// the WeChat Pay key of the mode (--v3-keys). `ctx` is the v3 mock's context (see ../v3.mjs).
import { createSign, createVerify, randomBytes, randomInt } from 'node:crypto';
import { V3Error } from './errors.mjs';

export const SCHEMA = 'WECHATPAY2-SHA256-RSA2048';
export const MAX_SKEW_S = 300;
/** The key modes of --v3-keys. */
export const V3_KEY_MODES = Object.freeze(['pubkey', 'cert', 'migrating']);
/** WeChat's probes carry a signature that must not verify; a handler that accepts one checks nothing. */
export const PROBE_PREFIX = 'WECHATPAY/SIGNTEST/';

/** Authorization: WECHATPAY2-SHA256-RSA2048 k="v",… → { mchid, nonce_str, signature, timestamp, serial_no }. */
export function parseAuthorization(header) {
  if (typeof header !== 'string' || !header.startsWith(`${SCHEMA} `)) return null;
  const out = {};
  for (const part of header.slice(SCHEMA.length + 1).split(',')) {
    const m = /^\s*([a-z_]+)="([^"]*)"\s*$/.exec(part);
    if (!m || m[1] in out) return null;
    out[m[1]] = m[2];
  }
  return out;
}

/**
 * The key an answer is signed with. migrating: the public key when the request names it in
 * Wechatpay-Serial (what WeChat does for a merchant who announced it can verify with the
 * public key), else the certificate.
 */
export function responseSigner({ mode, signers }, headers) {
  if (mode === 'pubkey') return signers.pubkey;
  if (mode === 'cert') return signers.cert;
  const named = headers['wechatpay-serial'];
  return typeof named === 'string' && named.startsWith('PUB_KEY_ID_') ? signers.pubkey : signers.cert;
}

/** The key a callback attempt is signed with; migrating: either, at random, as during WeChat's switch. */
export function callbackSigner({ mode, signers }, { next = false } = {}) {
  const cert = mode === 'cert' || (mode === 'migrating' && randomInt(2) === 1);
  if (next) return cert ? signers.nextCert : signers.nextPubkey;
  return cert ? signers.cert : signers.pubkey;
}

/** The four headers WeChat signs an answer or a callback with: ts\nnonce\nbody\n, RSA-SHA256. */
export function signatureHeaders(
  ctx,
  body,
  {
    timestamp = Math.floor(Date.now() / 1000),
    signer = ctx.signers.pubkey,
    privateKey = signer.privateKey,
    probe = false,
  } = {},
) {
  const nonce = randomBytes(16).toString('hex');
  const sig = probe
    ? `${PROBE_PREFIX}${randomBytes(48).toString('base64')}`
    : createSign('RSA-SHA256').update(`${timestamp}\n${nonce}\n${body}\n`, 'utf8').sign(privateKey, 'base64');
  return {
    'Wechatpay-Timestamp': String(timestamp),
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Signature': sig,
    'Wechatpay-Serial': signer.serial,
  };
}

/** The signature headers of an answer to a request with these headers (the mode's response key). */
export const responseHeaders = (ctx, body, requestHeaders) =>
  signatureHeaders(ctx, body, { signer: responseSigner(ctx, requestHeaders) });

/** WeChat's checks of the merchant's signature, first failure wins. */
export function authenticate({ cfg, keys }, method, pathAndQuery, headers, bodyText) {
  const header = headers.authorization;
  if (!header) throw new V3Error(401, 'SIGN_ERROR', '签名错误: 缺少 Authorization 请求头 (no Authorization header)');
  const a = parseAuthorization(header);
  if (!a)
    throw new V3Error(
      401,
      'SIGN_ERROR',
      `签名错误: Authorization 应为 ${SCHEMA} mchid="…",nonce_str="…",signature="…",timestamp="…",serial_no="…"`,
    );
  const missing = ['mchid', 'nonce_str', 'signature', 'timestamp', 'serial_no'].filter((k) => !a[k]);
  if (missing.length) throw new V3Error(401, 'SIGN_ERROR', `签名错误: Authorization 缺少 ${missing.join(', ')}`);
  if (a.mchid !== cfg.mchid)
    throw new V3Error(401, 'SIGN_ERROR', `签名错误: mchid ${a.mchid} 不是本商户 (the mock serves mchid ${cfg.mchid})`);
  if (a.serial_no.toUpperCase() !== cfg.serialNo.toUpperCase())
    throw new V3Error(
      401,
      'SIGN_ERROR',
      `签名错误: 商户证书序列号 ${a.serial_no} 不存在 (unknown serial_no; the mock knows ${cfg.serialNo})`,
    );
  if (!/^\d{1,12}$/.test(a.timestamp))
    throw new V3Error(401, 'SIGN_ERROR', `签名错误: timestamp 应为 Unix 秒 (got ${a.timestamp})`);
  const skew = Math.floor(Date.now() / 1000) - Number(a.timestamp);
  if (Math.abs(skew) > MAX_SKEW_S)
    throw new V3Error(
      401,
      'SIGN_ERROR',
      `签名错误: timestamp 与当前时间相差 ${skew} 秒, 超过 ${MAX_SKEW_S} 秒 (request expired or clock skewed)`,
    );
  const message = `${method}\n${pathAndQuery}\n${a.timestamp}\n${a.nonce_str}\n${bodyText}\n`;
  let ok = false;
  try {
    ok = createVerify('RSA-SHA256').update(message, 'utf8').verify(keys.merchantPublicKey, a.signature, 'base64');
  } catch {
    ok = false;
  }
  if (!ok)
    throw new V3Error(
      401,
      'SIGN_ERROR',
      '签名错误: 签名与商户私钥 (apiclient_key.pem) 的计算结果不符 (signature does not verify over METHOD\\nURL\\nTIMESTAMP\\nNONCE\\nBODY\\n)',
    );
  return a;
}
