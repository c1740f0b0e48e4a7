// Runs the merchant server from environment variables (README lists them).
import { createApp } from './app.js';

const env = process.env;
const need = (name) => {
  if (!env[name]) {
    console.error(`set ${name} (see README.md)`);
    process.exit(2);
  }
  return env[name];
};

const port = Number(env.PORT ?? 3000);
const app = createApp({
  appid: need('WXPAY_APPID'),
  mchId: need('WXPAY_MCH_ID'),
  key: need('WXPAY_KEY'),
  signType: env.WXPAY_SIGN_TYPE ?? 'MD5',
  baseUrl: env.WXPAY_BASE_URL ?? 'https://api.mch.weixin.qq.com',
  notifyBaseUrl: env.NOTIFY_BASE_URL,
  dbFile: env.DB_FILE ?? 'shop.db',
  orderTtlSeconds: Number(env.ORDER_TTL_SECONDS ?? 900),
  reconcileAfterSeconds: Number(env.RECONCILE_AFTER_SECONDS ?? 60),
  certFile: env.WXPAY_CERT_FILE,
  keyFile: env.WXPAY_CERT_KEY_FILE,
});

const url = await app.listen(port, env.HOST ?? '127.0.0.1');
console.log(`[shop] listening on ${url} — WeChat at ${env.WXPAY_BASE_URL ?? 'https://api.mch.weixin.qq.com'}`);

const every = Number(env.RECONCILE_INTERVAL_SECONDS ?? 60);
const timer = every > 0 ? setInterval(() => app.reconcile().catch((e) => console.error(`[shop] reconcile: ${e.message}`)), every * 1000) : undefined;

const stop = async (why) => {
  console.log(`[shop] stopping (${why})`);
  clearInterval(timer);
  await app.close();
  process.exit(0);
};
process.once('SIGINT', () => stop('SIGINT'));
process.once('SIGTERM', () => stop('SIGTERM'));
if (env.EXIT_AFTER_SECONDS) setTimeout(() => stop('EXIT_AFTER_SECONDS'), Number(env.EXIT_AFTER_SECONDS) * 1000).unref();
