// The v3 mock's keys, on disk so any client (ours, WeChat's SDKs, a Python script) can use
// them. Read when present, created when absent, never overwritten:
//   apiclient_key.pem          the merchant's private key (PKCS#8); the client signs with it
//   apiclient_pub.pem          its public half; the mock verifies Authorization with it
//   pub_key.pem                the WeChat Pay public key; clients verify responses/callbacks with it
//   wechatpay_private_key.pem  its private half: the mock's own secret (WeChat never gives it out)
//   platform_cert.pem          the WeChat Pay platform certificate (X.509, self-signed, 5 years;
//                              certificate mode, also served encrypted by GET /v3/certificates)
//   platform_key.pem           its private key: the mock's secret
//   next_pub_key.pem, next_wechatpay_private_key.pem, next_platform_cert.pem, next_platform_key.pem
//                              the keys WeChat would switch to next: callbacks signed with them
//                              name a serial the merchant has not loaded (the `unknown-serial` kind)
//   wechatpay.json             { mchid, appid, serialNo, apiV3Key, publicKeyId, platformSerial,
//                                nextPublicKeyId, nextPlatformSerial }
// A folder made by an older mock (platformSerial null, no certificate) is completed: missing
// files and fields are added, nothing present is changed.
import {
  X509Certificate,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  randomInt,
} from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selfSignedCertificate } from './x509.mjs';

export const DEFAULT_MCHID = '1900000109';
export const DEFAULT_APPID = 'wxd930ea5d5a258f4f';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

const alnum = (n) => Array.from({ length: n }, () => ALNUM[randomInt(ALNUM.length)]).join('');
const newPublicKeyId = (mchid) => `PUB_KEY_ID_0${mchid}${randomBytes(8).toString('hex').toUpperCase()}`;

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
    writeFileSync(file, make(), { mode: /pub|cert/.test(name) ? 0o644 : 0o600 });
    created.push(name);
  }
  return readFileSync(file, 'utf8');
}

const spkiDer = (key) => (key.type === 'public' ? key : createPublicKey(key)).export({ type: 'spki', format: 'der' });

/** A key pair edited by hand must still be a pair, or every request would fail obscurely. */
function samePair(folder, privatePem, publicPem, pubName) {
  if (spkiDer(privatePem).compare(spkiDer(publicPem)) !== 0) {
    throw new Error(`${folder}: ${pubName} does not belong to its private key; delete ${pubName} to derive it again`);
  }
}

/** WeChat Pay public key (pub_key.pem, or next_…): { id, privateKey, pem }. */
function publicKeyPair(folder, prefix, id, created) {
  const priv = readOrCreate(folder, `${prefix}wechatpay_private_key.pem`, () => rsaPair().privateKey, created);
  const pub = readOrCreate(folder, `${prefix}pub_key.pem`, () => spkiPem(priv), created);
  samePair(folder, priv, pub, `${prefix}pub_key.pem`);
  return { id, privateKey: createPrivateKey(priv), pem: pub };
}
const spkiPem = (priv) => createPublicKey(priv).export({ type: 'spki', format: 'pem' });

/** A platform certificate and its key: { serial, privateKey, pem, cert (X509Certificate) }. */
function platformPair(folder, prefix, commonName, created) {
  const priv = readOrCreate(folder, `${prefix}platform_key.pem`, () => rsaPair().privateKey, created);
  const pem = readOrCreate(
    folder,
    `${prefix}platform_cert.pem`,
    () => selfSignedCertificate(priv, { commonName }).pem,
    created,
  );
  let cert;
  try {
    cert = new X509Certificate(pem);
  } catch (e) {
    throw new Error(
      `${folder}: ${prefix}platform_cert.pem is not an X.509 certificate (${e.message}); delete it to make a new one`,
    );
  }
  samePair(folder, priv, cert.publicKey, `${prefix}platform_cert.pem`);
  return { serial: cert.serialNumber.toUpperCase(), privateKey: createPrivateKey(priv), pem, cert };
}

/**
 * Loads (or creates) the keys in `dir`; with no dir, a new folder under the temp dir.
 * Returns { dir, created: [file names], config, merchantPublicKey, wechatPrivateKey,
 * wechatPublicPem, signers: { pubkey, cert, nextPubkey, nextCert } } — each signer
 * { serial, privateKey, pem } is a key WeChat signs with and the serial it names.
 */
export function loadV3Keys(dir, { mchid, appid } = {}) {
  const folder = dir || mkdtempSync(join(tmpdir(), 'wxpay-mock-keys-'));
  mkdirSync(folder, { recursive: true });
  const created = [];
  const merchantPem = readOrCreate(folder, 'apiclient_key.pem', () => rsaPair().privateKey, created);
  const merchantPub = readOrCreate(folder, 'apiclient_pub.pem', () => spkiPem(merchantPem), created);
  samePair(folder, merchantPem, merchantPub, 'apiclient_pub.pem');
  const jsonFile = join(folder, 'wechatpay.json');
  const m = mchid || DEFAULT_MCHID;
  const text = readOrCreate(
    folder,
    'wechatpay.json',
    () =>
      `${JSON.stringify(
        {
          mchid: m,
          appid: appid || DEFAULT_APPID,
          serialNo: randomBytes(20).toString('hex').toUpperCase(),
          apiV3Key: alnum(32),
          publicKeyId: newPublicKeyId(m),
        },
        null,
        2,
      )}\n`,
    created,
  );
  const config = parseConfig(text, jsonFile);
  const before = JSON.stringify(config);
  config.nextPublicKeyId ??= newPublicKeyId(config.mchid);
  if (config.nextPublicKeyId === config.publicKeyId)
    throw new Error(`${jsonFile}: "nextPublicKeyId" must differ from "publicKeyId"`);
  const pubkey = publicKeyPair(folder, '', config.publicKeyId, created);
  const nextPubkey = publicKeyPair(folder, 'next_', config.nextPublicKeyId, created);
  const cert = platformPair(folder, '', 'WeChat Pay mock platform certificate', created);
  const nextCert = platformPair(folder, 'next_', 'WeChat Pay mock platform certificate (next)', created);
  for (const [field, pair, file] of [
    ['platformSerial', cert, 'platform_cert.pem'],
    ['nextPlatformSerial', nextCert, 'next_platform_cert.pem'],
  ]) {
    config[field] ??= pair.serial;
    if (config[field].toUpperCase() !== pair.serial)
      throw new Error(
        `${jsonFile}: "${field}" ${config[field]} is not the serial of ${file} (${pair.serial}); fix or delete one of them`,
      );
  }
  if (JSON.stringify(config) !== before) {
    writeFileSync(jsonFile, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
    if (!created.includes('wechatpay.json')) created.push('wechatpay.json (completed)');
  }
  const signers = {
    pubkey: { serial: pubkey.id, privateKey: pubkey.privateKey, pem: pubkey.pem },
    nextPubkey: { serial: nextPubkey.id, privateKey: nextPubkey.privateKey, pem: nextPubkey.pem },
    cert: { serial: cert.serial, privateKey: cert.privateKey, pem: cert.pem, cert: cert.cert },
    nextCert: { serial: nextCert.serial, privateKey: nextCert.privateKey, pem: nextCert.pem, cert: nextCert.cert },
  };
  return {
    dir: folder,
    created,
    config,
    signers,
    merchantPublicKey: createPublicKey(merchantPub),
    wechatPrivateKey: pubkey.privateKey,
    wechatPublicPem: pubkey.pem,
  };
}

function parseConfig(text, file) {
  let c;
  try {
    c = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file} is not JSON: ${e.message}`);
  }
  if (c === null || typeof c !== 'object' || Array.isArray(c)) throw new Error(`${file}: must be a JSON object`);
  for (const k of ['mchid', 'appid', 'serialNo', 'apiV3Key', 'publicKeyId']) {
    if (typeof c[k] !== 'string' || !c[k]) throw new Error(`${file}: "${k}" must be a non-empty string`);
  }
  for (const k of ['platformSerial', 'nextPlatformSerial', 'nextPublicKeyId']) {
    if (c[k] === null)
      delete c[k]; // written as null by an older mock: filled in below
    else if (c[k] !== undefined && (typeof c[k] !== 'string' || !c[k]))
      throw new Error(`${file}: "${k}" must be a non-empty string when present`);
  }
  if (Buffer.byteLength(c.apiV3Key) !== 32)
    throw new Error(`${file}: "apiV3Key" must be 32 bytes (AES-256), got ${Buffer.byteLength(c.apiV3Key)}`);
  for (const k of ['publicKeyId', 'nextPublicKeyId']) {
    if (c[k] !== undefined && !c[k].startsWith('PUB_KEY_ID_'))
      throw new Error(`${file}: "${k}" must start with PUB_KEY_ID_`);
  }
  return c;
}
