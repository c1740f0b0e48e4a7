// Small pieces the mock shares: WeChat's time formats (Beijing time), identifiers shaped
// like WeChat's, the notification retry schedule, and the refund-notification cipher.
import { createCipheriv, createDecipheriv, createHash, randomInt } from 'node:crypto';

/** Seconds WeChat waits before each retry of an unacknowledged notification (15 retries). */
export const RETRY_SCHEDULE_S = Object.freeze([
  15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600,
]);

const BEIJING_OFFSET_MS = 8 * 3600 * 1000;

/** WeChat writes times in Beijing time whatever the server's zone; `iso` is yyyy-MM-ddTHH:mm:ss. */
function beijingIso(ms) {
  return new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 19);
}

/** yyyyMMddHHmmss, as in time_end / time_expire. */
export function compactTime(ms = Date.now()) {
  return beijingIso(ms).replace(/[-T:]/g, '');
}

/** yyyy-MM-dd HH:mm:ss, as in a refund's success_time and bills. */
export function spacedTime(ms = Date.now()) {
  return beijingIso(ms).replace('T', ' ');
}

/** yyyyMMdd, the bill date of an instant. */
export function billDate(ms) {
  return compactTime(ms).slice(0, 8);
}

/** Milliseconds for a yyyyMMddHHmmss Beijing time, or NaN when malformed. */
export function parseCompactTime(s) {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(s ?? '');
  if (!m) return NaN;
  return Date.UTC(+m[1], m[2] - 1, +m[3], +m[4], +m[5], +m[6]) - BEIJING_OFFSET_MS;
}

export function digits(n) {
  let s = '';
  while (s.length < n) s += String(randomInt(0, 10));
  return s;
}

export const newTransactionId = () => `4200000${digits(3)}${billDate(Date.now())}${digits(10)}`;
export const newPrepayId = () => `wx${compactTime().slice(2)}${digits(16)}`;
export const newRefundId = () => `5030${digits(25)}`;

const md5Hex = (s) => createHash('md5').update(s, 'utf8').digest('hex');

/** The refund-notification cipher key: the lowercase hex MD5 of the API key, as 32 ASCII bytes. */
function refundKey(apiKey) {
  return Buffer.from(md5Hex(apiKey), 'ascii');
}

/** base64(AES-256-ECB(plaintext)) with PKCS#7 padding, as WeChat fills `req_info`. */
export function encryptReqInfo(plaintext, apiKey) {
  const c = createCipheriv('aes-256-ecb', refundKey(apiKey), null);
  return Buffer.concat([c.update(plaintext, 'utf8'), c.final()]).toString('base64');
}

export function decryptReqInfo(reqInfo, apiKey) {
  const d = createDecipheriv('aes-256-ecb', refundKey(apiKey), null);
  return Buffer.concat([d.update(Buffer.from(reqInfo, 'base64')), d.final()]).toString('utf8');
}

/** The `<root>` plaintext of a refund notification, one CDATA element a line, names sorted like WeChat's. */
export function refundRootXml(fields) {
  const lines = Object.keys(fields)
    .sort()
    .filter((k) => fields[k] !== undefined && fields[k] !== '')
    .map((k) => `<${k}><![CDATA[${String(fields[k])}]]></${k}>`);
  return `<root>\n${lines.join('\n')}\n</root>`;
}

/**
 * A key as logs show it, by the one rule of the core's `mask_key` (src/core/error.rs) and the
 * page's (www/mask.js): counted in characters (code points), a key of 6 or fewer is all `*`;
 * a longer one keeps its first and last two characters with one `*` for each in between.
 */
export function maskKey(key) {
  const c = Array.from(key);
  return c.length <= 6
    ? '*'.repeat(c.length)
    : c.slice(0, 2).join('') + '*'.repeat(c.length - 4) + c.slice(-2).join('');
}
