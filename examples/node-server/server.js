// Runs the merchant server from environment variables (README.md lists them).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from './app.js';

const env = process.env;
const need = (name) => {
  if (!env[name]) {
    console.error(`set ${name} (see README.md)`);
    process.exit(2);
  }
  return env[name];
};

/**
 * v3: the folder laid out like the mock's --keys-dir: wechatpay.json, apiclient_key.pem, and
 * WeChat's key by WXPAY_V3_VERIFY: pub_key.pem (pubkey, the default), platform_cert.pem (cert),
 * or both (while WeChat switches the merchant from the certificate to the public key).
 */
function v3Keys(dir, verify) {
  if (!['pubkey', 'cert', 'both'].includes(verify)) {
    console.error(`WXPAY_V3_VERIFY must be pubkey, cert or both, not ${verify}`);
    process.exit(2);
  }
  const info = JSON.parse(readFileSync(join(dir, 'wechatpay.json'), 'utf8'));
  const keys = {
    serialNo: info.serialNo,
    apiV3Key: info.apiV3Key,
    privateKey: readFileSync(join(dir, 'apiclient_key.pem'), 'utf8'),
  };
  if (verify !== 'cert')
    Object.assign(keys, { publicKeyId: info.publicKeyId, publicKey: readFileSync(join(dir, 'pub_key.pem'), 'utf8') });
  if (verify !== 'pubkey')
    Object.assign(keys, {
      platformSerial: info.platformSerial,
      platformCert: readFileSync(join(dir, 'platform_cert.pem'), 'utf8'),
    });
  return keys;
}
/** An optional non-negative integer variable (the client's timeout and retries). */
const int = (name) => {
  if (env[name] === undefined || env[name] === '') return undefined;
  const n = Number(env[name]);
  if (!Number.isSafeInteger(n) || n < 0) {
    console.error(`${name} must be a non-negative integer, not ${env[name]}`);
    process.exit(2);
  }
  return n;
};

const api = env.WXPAY_API ?? 'v2';
if (api !== 'v2' && api !== 'v3') {
  console.error(`WXPAY_API must be v2 or v3, not ${api}`);
  process.exit(2);
}
const port = Number(env.PORT ?? 3000);
const app = await createApp({
  api,
  appid: need('WXPAY_APPID'),
  mchId: need('WXPAY_MCH_ID'),
  key: api === 'v2' ? need('WXPAY_KEY') : undefined,
  v3: api === 'v3' ? v3Keys(need('WXPAY_V3_KEYS_DIR'), env.WXPAY_V3_VERIFY ?? 'pubkey') : undefined,
  timeoutMs: int('WXPAY_TIMEOUT_MS'),
  retries: int('WXPAY_RETRIES'),
  signType: env.WXPAY_SIGN_TYPE ?? 'MD5',
  baseUrl: env.WXPAY_BASE_URL ?? 'https://api.mch.weixin.qq.com',
  notifyBaseUrl: env.NOTIFY_BASE_URL,
  databaseUrl: env.DATABASE_URL,
  dbFile: env.DB_FILE ?? 'shop.db',
  orderTtlSeconds: Number(env.ORDER_TTL_SECONDS ?? 900),
  reconcileAfterSeconds: Number(env.RECONCILE_AFTER_SECONDS ?? 60),
  certFile: env.WXPAY_CERT_FILE,
  keyFile: env.WXPAY_CERT_KEY_FILE,
  // The mini-program (login, shipping, push): on when MP_SECRET is set.
  miniprogram: env.MP_SECRET
    ? {
        secret: env.MP_SECRET,
        baseUrl: env.MP_BASE_URL,
        pushToken: env.MP_PUSH_TOKEN,
        pushAesKey: env.MP_PUSH_AES_KEY,
      }
    : undefined,
});

const url = await app.listen(port, env.HOST ?? '127.0.0.1');
console.log(
  `[shop] listening on ${url} — WeChat Pay ${api} at ${env.WXPAY_BASE_URL ?? 'https://api.mch.weixin.qq.com'}, orders in ${env.DATABASE_URL ? 'PostgreSQL' : (env.DB_FILE ?? 'shop.db')}`,
);

const every = Number(env.RECONCILE_INTERVAL_SECONDS ?? 60);
const timer =
  every > 0
    ? setInterval(() => app.reconcile().catch((e) => console.error(`[shop] reconcile: ${e.message}`)), every * 1000)
    : undefined;

const stop = async (why) => {
  console.log(`[shop] stopping (${why})`);
  clearInterval(timer);
  await app.close();
  process.exit(0);
};
process.once('SIGINT', () => stop('SIGINT'));
process.once('SIGTERM', () => stop('SIGTERM'));
if (env.EXIT_AFTER_SECONDS) setTimeout(() => stop('EXIT_AFTER_SECONDS'), Number(env.EXIT_AFTER_SECONDS) * 1000).unref();
