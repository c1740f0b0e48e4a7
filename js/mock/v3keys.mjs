// The v3 mock's keys, on disk so any client (ours, WeChat's SDKs, a Python script) can use
// them. Read when present, created when absent, never overwritten:
//   apiclient_key.pem          the merchant's private key (PKCS#8); the client signs with it
//   apiclient_pub.pem          its public half; the mock verifies Authorization with it
//   pub_key.pem                the WeChat Pay public key; clients verify responses/callbacks with it
//   wechatpay_private_key.pem  its private half: the mock's own secret (WeChat never gives it out)
//   wechatpay.json             { mchid, appid, serialNo, apiV3Key, publicKeyId, platformSerial }
// Public-key mode only for now: platformSerial is null until the platform-certificate mode
// (platform_cert.pem, /v3/certificates) is written.
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const DEFAULT_MCHID = '1900000109';
export const DEFAULT_APPID = 'wxd930ea5d5a258f4f';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

const alnum = (n) => Array.from({ length: n }, () => ALNUM[randomInt(ALNUM.length)]).join('');

function rsaPair() {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

/** Writes `name` with `make()` unless it exists; returns its text. Secrets (private keys, the APIv3 key) get mode 0600. */
function readOrCreate(dir, name, make, created) {
  const file = join(dir, name);
  if (!existsSync(file)) {
    writeFileSync(file, make(), { mode: name.includes('pub') ? 0o644 : 0o600 });
    created.push(name);
  }
  return readFileSync(file, 'utf8');
}

/**
 * Loads (or creates) the keys in `dir`; with no dir, a new folder under the temp dir.
 * Returns { dir, created: [file names], config, merchantPublicKey, wechatPrivateKey, wechatPublicPem }.
 */
export function loadV3Keys(dir, { mchid, appid } = {}) {
  const folder = dir || mkdtempSync(join(tmpdir(), 'wxpay-mock-keys-'));
  mkdirSync(folder, { recursive: true });
  const created = [];
  const merchantPem = readOrCreate(folder, 'apiclient_key.pem', () => rsaPair().privateKey, created);
  const merchantPub = readOrCreate(folder, 'apiclient_pub.pem', () => createPublicKey(merchantPem).export({ type: 'spki', format: 'pem' }), created);
  const wechatPriv = readOrCreate(folder, 'wechatpay_private_key.pem', () => rsaPair().privateKey, created);
  const wechatPub = readOrCreate(folder, 'pub_key.pem', () => createPublicKey(wechatPriv).export({ type: 'spki', format: 'pem' }), created);
  const json = readOrCreate(folder, 'wechatpay.json', () => `${JSON.stringify({
    mchid: mchid || DEFAULT_MCHID,
    appid: appid || DEFAULT_APPID,
    serialNo: randomBytes(20).toString('hex').toUpperCase(),
    apiV3Key: alnum(32),
    publicKeyId: `PUB_KEY_ID_0${mchid || DEFAULT_MCHID}${randomBytes(8).toString('hex').toUpperCase()}`,
    platformSerial: null,
  }, null, 2)}\n`, created);
  const config = parseConfig(json, join(folder, 'wechatpay.json'));
  const merchantPublicKey = createPublicKey(merchantPub);
  const wechatPrivateKey = createPrivateKey(wechatPriv);
  // A key pair edited by hand must still be a pair, or every request would fail obscurely.
  if (createPublicKey(merchantPem).export({ type: 'spki', format: 'der' }).compare(merchantPublicKey.export({ type: 'spki', format: 'der' })) !== 0) {
    throw new Error(`${folder}: apiclient_pub.pem is not the public half of apiclient_key.pem; delete apiclient_pub.pem to derive it again`);
  }
  if (createPublicKey(wechatPrivateKey).export({ type: 'spki', format: 'der' }).compare(createPublicKey(wechatPub).export({ type: 'spki', format: 'der' })) !== 0) {
    throw new Error(`${folder}: pub_key.pem is not the public half of wechatpay_private_key.pem; delete pub_key.pem to derive it again`);
  }
  return { dir: folder, created, config, merchantPublicKey, wechatPrivateKey, wechatPublicPem: wechatPub };
}

function parseConfig(text, file) {
  let c;
  try { c = JSON.parse(text); } catch (e) { throw new Error(`${file} is not JSON: ${e.message}`); }
  for (const k of ['mchid', 'appid', 'serialNo', 'apiV3Key', 'publicKeyId']) {
    if (typeof c[k] !== 'string' || !c[k]) throw new Error(`${file}: "${k}" must be a non-empty string`);
  }
  if (Buffer.byteLength(c.apiV3Key) !== 32) throw new Error(`${file}: "apiV3Key" must be 32 bytes (AES-256), got ${Buffer.byteLength(c.apiV3Key)}`);
  if (!c.publicKeyId.startsWith('PUB_KEY_ID_')) throw new Error(`${file}: "publicKeyId" must start with PUB_KEY_ID_`);
  return c;
}
