// The keys the v3 client verifies WeChat's signatures with: WeChat Pay public keys
// (PUB_KEY_ID_…) or platform certificates by serial. In certificate mode they are downloaded
// again from /v3/certificates when one nears its expiry or an unknown serial signs, but not
// more often than once a minute (a forger's unknown serial must not cause a download storm).
// `c` is the client's context (see client.js); `c.ring` the state made by createKeyring.
import { WxPayError, isPlainObject } from '../core/index.js';
import { requestV3 } from './client-request.js';
import { verificationKey } from './keys.js';

/** Certificate mode: download again when a certificate expires within this many seconds. */
const REFRESH_BEFORE_S = 24 * 3600;
/** …but not more often than this (an unknown serial from a forger must not cause a download storm). */
const REFRESH_MIN_INTERVAL_MS = 60 * 1000;

/** Option `publicKeys`: a plain object or Map of serial → PEM, at least one. */
function publicKeysOption(v) {
  const entries = v instanceof Map ? [...v] : isPlainObject(v) ? Object.entries(v) : null;
  if (entries === null || entries.length === 0) {
    throw new WxPayError(
      'INVALID_PARAM',
      'createClient: option `publicKeys` is required: { PUB_KEY_ID_…: pub_key.pem } (public-key mode) or { serial: platform certificate PEM } (certificate mode)',
      { field: 'publicKeys' },
    );
  }
  for (const [serial, pem] of entries) {
    if (typeof serial !== 'string' || serial === '' || typeof pem !== 'string')
      throw new WxPayError('INVALID_PARAM', 'publicKeys must map non-empty serials to PEM text', {
        field: 'publicKeys',
      });
  }
  return new Map(entries);
}

/**
 * A certificate's notAfter (ms) as the core reads it (in every runtime), only to refresh in
 * time; undefined for a public key or a PEM the core cannot read (the verification that uses
 * it refuses it, with the reason: see js/v3/keys.js).
 */
function notAfter(serial, pem) {
  try {
    const k = verificationKey(serial, pem);
    return k.serial === '' ? undefined : k.notAfter * 1000;
  } catch {
    return undefined;
  }
}

/** The key ring's state: `keys` (serial → PEM), their expiry, and when they were last downloaded. */
function createKeyring(keys, refreshBeforeMs) {
  return {
    keys,
    certMode: [...keys.keys()].some((s) => !s.startsWith('PUB_KEY_ID_')),
    expiry: new Map([...keys].map(([s, pem]) => [s, notAfter(s, pem)])),
    refreshBeforeMs,
    lastRefresh: 0,
    refreshing: null,
  };
}

/** Certificate mode: fetch /v3/certificates (verified with the keys held) and merge it; one download at a time. */
function refreshKeys(c) {
  const ring = c.ring;
  ring.lastRefresh = Date.now();
  ring.refreshing ??= downloadCertificates(c).finally(() => {
    ring.refreshing = null;
  });
  return ring.refreshing;
}

async function maybeRefresh(c) {
  const ring = c.ring;
  if (!ring.certMode || Date.now() - ring.lastRefresh < REFRESH_MIN_INTERVAL_MS) return;
  const soonest = Math.min(...[...ring.expiry.values()].filter((t) => t !== undefined));
  if (soonest - Date.now() < ring.refreshBeforeMs) await refreshKeys(c).catch(() => {}); // the keys held may still verify
}

/** Verifies a signed answer or callback (`fn(publicKeys)`); an unknown serial in certificate mode refreshes once. */
async function verifyWith(c, fn) {
  const ring = c.ring;
  await maybeRefresh(c);
  try {
    return await fn(Object.fromEntries(ring.keys));
  } catch (e) {
    if (
      !(
        ring.certMode &&
        e instanceof WxPayError &&
        e.code === 'UNKNOWN_SERIAL' &&
        Date.now() - ring.lastRefresh >= REFRESH_MIN_INTERVAL_MS
      )
    )
      throw e;
    await refreshKeys(c);
    return fn(Object.fromEntries(ring.keys));
  }
}

/** The newest certificate valid now (latest notBefore), or undefined. */
function newestValid(ring, nowS) {
  let best;
  for (const [serial, pem] of ring.keys) {
    let k;
    try {
      k = verificationKey(serial, pem);
    } catch {
      continue; // a PEM the core cannot read signs nothing and encrypts nothing
    }
    if (k.notBefore <= nowS && nowS <= k.notAfter && (best === undefined || k.notBefore > best.notBefore))
      best = { serial, pem, notBefore: k.notBefore };
  }
  return best && { serial: best.serial, pem: best.pem };
}

/**
 * The platform key requests name in Wechatpay-Serial and sensitive fields are encrypted
 * with: `{ serial, pem }`. Public-key mode: the first PUB_KEY_ID_… given (WeChat's public
 * key does not rotate by itself; preferred when certificates are held too, as WeChat asks
 * during a migration). Certificate mode: the newest certificate valid now, the list
 * downloaded first when none is (not more often than REFRESH_MIN_INTERVAL_MS).
 */
async function platformKey(c) {
  const ring = c.ring;
  for (const [serial, pem] of ring.keys) if (serial.startsWith('PUB_KEY_ID_')) return { serial, pem };
  const nowS = Math.floor(Date.now() / 1000);
  let key = newestValid(ring, nowS);
  if (key === undefined && Date.now() - ring.lastRefresh >= REFRESH_MIN_INTERVAL_MS) {
    await refreshKeys(c);
    key = newestValid(ring, Math.floor(Date.now() / 1000));
  }
  if (key === undefined)
    throw new WxPayError(
      'CERT_EXPIRED',
      "no platform certificate held is valid now, and /v3/certificates gave none: a request cannot name a key in Wechatpay-Serial (give a current certificate, or WeChat Pay's public key PUB_KEY_ID_…)",
      { field: 'Wechatpay-Serial' },
    );
  return key;
}

/** GET /v3/certificates, verified with the keys held, decrypted, merged into them. */
async function downloadCertificates(c) {
  const ring = c.ring;
  ring.lastRefresh = Date.now();
  const json = await requestV3(
    c,
    'certificates',
    Promise.resolve({ method: 'GET', url: '/v3/certificates', body: '' }),
  );
  // The signature was checked over the raw bytes; the core decrypts each encrypt_certificate.
  const certs = await c.v3.parseCertificates(JSON.stringify(json), c.apiV3Key);
  for (const [serial, cert] of Object.entries(certs)) {
    ring.keys.set(serial, cert.pem);
    ring.expiry.set(serial, notAfter(serial, cert.pem) ?? Date.parse(cert.expireTime));
  }
  return certs;
}

export {
  REFRESH_BEFORE_S,
  REFRESH_MIN_INTERVAL_MS,
  publicKeysOption,
  notAfter,
  createKeyring,
  verifyWith,
  downloadCertificates,
  platformKey,
};
