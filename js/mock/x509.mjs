// A self-signed X.509 v3 certificate for the mock's WeChat Pay platform certificate, written
// in DER by hand and signed with node:crypto: node:crypto can read certificates but not make
// them, and the mock must run wherever the package runs (no openssl CLI needed). Only what
// a platform certificate needs: a positive 20-byte serial, RSA-SHA256, a validity window,
// basicConstraints CA:FALSE and keyUsage digitalSignature. Readers (node:crypto
// X509Certificate, Python `cryptography`, the package's own parser) judge the result.
import { createPublicKey, createSign, randomBytes } from 'node:crypto';

const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
const OID = { C: '2.5.4.6', O: '2.5.4.10', OU: '2.5.4.11', CN: '2.5.4.3' };

function length(n) {
  if (n < 0x80) return Buffer.from([n]);
  const bytes = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag, ...parts) => {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
};
const seq = (...parts) => tlv(0x30, ...parts);
const integer = (bytes) => tlv(0x02, bytes[0] & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);

function oid(dotted) {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [40 * a + b];
  for (const n of rest) {
    const base128 = [];
    for (let v = n; ; v = Math.floor(v / 128)) {
      base128.unshift((v % 128) | (base128.length ? 0x80 : 0));
      if (v < 128) break;
    }
    out.push(...base128);
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime until 2049, GeneralizedTime after, as RFC 5280 requires. */
function time(ms) {
  const iso = new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return Number(iso.slice(0, 4)) < 2050
    ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`))
    : tlv(0x18, Buffer.from(`${iso}Z`));
}

const name = (pairs) =>
  seq(
    ...pairs.map(([k, v]) =>
      tlv(0x31, seq(oid(OID[k]), k === 'C' ? tlv(0x13, Buffer.from(v)) : tlv(0x0c, Buffer.from(v, 'utf8')))),
    ),
  );

/** A 20-byte serial whose first byte is 0x10..0x7f: positive and without a leading zero, so its hex is always 40 digits. */
export function newSerial() {
  const b = randomBytes(20);
  b[0] = 0x10 | (b[0] & 0x6f);
  return b;
}

/**
 * DER → PEM of a self-signed certificate for `privateKey` (a KeyObject or PEM), valid from a
 * minute ago for `years`. Returns { pem, serial (40 upper-case hex digits) }.
 */
export function selfSignedCertificate(privateKey, { commonName, years = 5, now = Date.now() } = {}) {
  const serial = newSerial();
  const algorithm = seq(oid(SHA256_WITH_RSA), tlv(0x05));
  const subject = name([
    ['C', 'CN'],
    ['O', 'wxpay-wasm mock'],
    ['OU', 'WeChat Pay mock platform'],
    ['CN', commonName],
  ]);
  const notBefore = now - 60 * 1000;
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + years);
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const extensions = tlv(
    0xa3,
    seq(
      seq(oid('2.5.29.19'), tlv(0x01, Buffer.from([0xff])), tlv(0x04, seq())), // basicConstraints, critical, CA:FALSE
      seq(oid('2.5.29.15'), tlv(0x01, Buffer.from([0xff])), tlv(0x04, tlv(0x03, Buffer.from([0x07, 0x80])))), // keyUsage digitalSignature
    ),
  );
  const tbs = seq(
    tlv(0xa0, integer(Buffer.from([2]))),
    integer(serial),
    algorithm,
    subject,
    seq(time(notBefore), time(notAfter.getTime())),
    subject,
    spki,
    extensions,
  );
  const signature = createSign('RSA-SHA256').update(tbs).sign(privateKey);
  const der = seq(tbs, algorithm, tlv(0x03, Buffer.from([0]), signature));
  const b64 = der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return {
    pem: `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`,
    serial: serial.toString('hex').toUpperCase(),
  };
}
