// Independent references for the portable suite, in plain JavaScript and WebCrypto so they
// run in every runtime (no node:crypto, no fs): MD5 (RFC 1321) and SHA-256 (FIPS 180-4)
// written out here, HMAC (RFC 2104) over them, WeChat's v2 signing rule, and RSA PKCS#1 v1.5
// verification with crypto.subtle. Nothing here imports the package under test. The
// fixtures are imported as JSON modules, which every runtime and bundler here reads.
import CASES_JSON from '../../fixtures/wxpay-v2-public.json' with { type: 'json' };
import GENERATED_JSON from '../../fixtures/v3/generated.json' with { type: 'json' };
import OFFICIAL_JSON from '../../fixtures/v3/official.json' with { type: 'json' };
import CERTS_JSON from '../../fixtures/v3/certs.json' with { type: 'json' };

export const CASES = CASES_JSON;
export const GENERATED = GENERATED_JSON;
export const OFFICIAL = OFFICIAL_JSON;
/** Certificates with chosen serials and validity (scripts/gen-v3-cert-vectors.py, Python `cryptography`). */
export const CERTS = CERTS_JSON;

const utf8 = (s) => new TextEncoder().encode(s);
const hex = (bytes) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');

// ---------------------------------------------------------------- MD5 (RFC 1321)
const MD5_S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
const MD5_K = Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) >>> 0);

/** MD5 of `bytes` (Uint8Array) as 16 bytes. */
export function md5(bytes) {
  const padded = new Uint8Array((((bytes.length + 8) >> 6) + 1) * 64);
  padded.set(bytes);
  padded[bytes.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, (bytes.length * 8) >>> 0, true);
  view.setUint32(padded.length - 4, Math.floor(bytes.length / 2 ** 29), true);
  let [a0, b0, c0, d0] = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
  for (let off = 0; off < padded.length; off += 64) {
    const m = Array.from({ length: 16 }, (_, i) => view.getUint32(off + i * 4, true));
    let [a, b, c, d] = [a0, b0, c0, d0];
    for (let i = 0; i < 64; i++) {
      let f;
      let g;
      if (i < 16) {
        f = (b & c) | (~b & d);
        g = i;
      } else if (i < 32) {
        f = (d & b) | (~d & c);
        g = (5 * i + 1) % 16;
      } else if (i < 48) {
        f = b ^ c ^ d;
        g = (3 * i + 5) % 16;
      } else {
        f = c ^ (b | ~d);
        g = (7 * i) % 16;
      }
      const s = MD5_S[(i >> 4) * 4 + (i % 4)];
      const sum = (a + f + MD5_K[i] + m[g]) >>> 0;
      [a, d, c] = [d, c, b];
      b = (b + ((sum << s) | (sum >>> (32 - s)))) >>> 0;
    }
    a0 = (a0 + a) >>> 0;
    b0 = (b0 + b) >>> 0;
    c0 = (c0 + c) >>> 0;
    d0 = (d0 + d) >>> 0;
  }
  const out = new DataView(new ArrayBuffer(16));
  [a0, b0, c0, d0].forEach((w, i) => {
    out.setUint32(i * 4, w, true);
  });
  return new Uint8Array(out.buffer);
}

// ---------------------------------------------------------------- SHA-256 (FIPS 180-4)
const SHA_K = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
];

/** SHA-256 of `bytes` (Uint8Array) as 32 bytes. */
export function sha256(bytes) {
  const padded = new Uint8Array((((bytes.length + 8) >> 6) + 1) * 64);
  padded.set(bytes);
  padded[bytes.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(bytes.length / 2 ** 29));
  view.setUint32(padded.length - 4, (bytes.length * 8) >>> 0);
  const h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
  const rotr = (x, n) => (x >>> n) | (x << (32 - n));
  const w = new Array(64);
  for (let off = 0; off < padded.length; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(off + i * 4);
    for (let i = 16; i < 64; i++) {
      const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
      const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) >>> 0;
    }
    let [a, b, c, d, e, f, g, hh] = h;
    for (let i = 0; i < 64; i++) {
      const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + SHA_K[i] + w[i]) >>> 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
      [hh, g, f, e, d, c, b, a] = [g, f, e, (d + t1) >>> 0, c, b, a, (t1 + t2) >>> 0];
    }
    [a, b, c, d, e, f, g, hh].forEach((v, i) => {
      h[i] = (h[i] + v) >>> 0;
    });
  }
  const out = new DataView(new ArrayBuffer(32));
  h.forEach((v, i) => {
    out.setUint32(i * 4, v);
  });
  return new Uint8Array(out.buffer);
}

/** HMAC-SHA256 (RFC 2104) of `message` under `key` (both Uint8Array). */
export function hmacSha256(key, message) {
  const k = new Uint8Array(64);
  k.set(key.length > 64 ? sha256(key) : key);
  const pad = (x) => k.map((b) => b ^ x);
  const inner = sha256(Uint8Array.from([...pad(0x36), ...message]));
  return sha256(Uint8Array.from([...pad(0x5c), ...inner]));
}

// ---------------------------------------------------------------- WeChat Pay v2

const byteOrder = (a, b) => {
  const x = utf8(a);
  const y = utf8(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
};

/** WeChat's documented rule: non-empty fields but `sign`, by byte order, `&key=`, MD5 or HMAC-SHA256, upper-case hex. */
export function referenceSign(params, key, signType = 'MD5') {
  const text =
    Object.keys(params)
      .filter((k) => k !== 'sign' && params[k] !== undefined && params[k] !== null && params[k] !== '')
      .sort(byteOrder)
      .map((k) => `${k}=${params[k]}`)
      .join('&') + `&key=${key}`;
  return hex(signType === 'MD5' ? md5(utf8(text)) : hmacSha256(utf8(key), utf8(text))).toUpperCase();
}

/** A case's fields: its params, or its XML read by a minimal regex reader (not the package). */
export function fieldsOf(c) {
  if (c.params) return { ...c.params };
  const out = {};
  const body = c.xml.replace(/^[\s\S]*?<xml>/, '').replace(/<\/xml>[\s\S]*$/, '');
  for (const m of body.matchAll(/<([A-Za-z0-9_]+)>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))<\/\1>/g)) {
    out[m[1]] = m[2] ?? m[3];
  }
  return out;
}

// ---------------------------------------------------------------- WeChat Pay v3

export const fromBase64 = (b64) => Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
const derOf = (pem) => fromBase64(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''));

/** The DER element at `at`: its content's start and end, and the element's end. */
function derElement(der, at) {
  let len = der[at + 1];
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[at + 2 + i];
    start += n;
  }
  return { tag: der[at], start, end: start + len };
}

/** SubjectPublicKeyInfo of an X.509 certificate (RFC 5280: the 6th field of tbsCertificate, or 7th with [0] version). */
function spkiOfCertificate(der) {
  const tbs = derElement(der, derElement(der, 0).start);
  let at = tbs.start;
  const fields = [];
  while (at < tbs.end) {
    const e = derElement(der, at);
    fields.push([at, e.end]);
    at = e.end;
  }
  const hasVersion = der[fields[0][0]] === 0xa0;
  const [from, to] = fields[hasVersion ? 6 : 5];
  return der.slice(from, to);
}

/** Verifies an RSA-SHA256 PKCS#1 v1.5 signature with crypto.subtle; `pem` is a public key or a certificate. */
export async function rsaVerify(pem, message, signatureB64) {
  const spki = pem.includes('CERTIFICATE') ? spkiOfCertificate(derOf(pem)) : derOf(pem);
  const key = await crypto.subtle.importKey('spki', spki, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, [
    'verify',
  ]);
  return crypto.subtle.verify(
    'RSASSA-PKCS1-v1_5',
    key,
    fromBase64(signatureB64),
    typeof message === 'string' ? utf8(message) : message,
  );
}

const toBase64 = (bytes) => btoa(Array.from(new Uint8Array(bytes), (b) => String.fromCharCode(b)).join(''));

/** SHA256withRSA (PKCS#1 v1.5) of `message` with crypto.subtle and a PKCS#8 private key, Base64. */
export async function rsaSign(pkcs8Pem, message) {
  const key = await crypto.subtle.importKey(
    'pkcs8',
    derOf(pkcs8Pem),
    { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return toBase64(await crypto.subtle.sign('RSASSA-PKCS1-v1_5', key, utf8(message)));
}

/** AES-256-GCM with crypto.subtle: Base64 of ciphertext and tag, as WeChat seals a resource. */
export async function gcmSeal(key, nonce, aad, plaintext) {
  const k = await crypto.subtle.importKey('raw', utf8(key), 'AES-GCM', false, ['encrypt']);
  return toBase64(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv: utf8(nonce), additionalData: utf8(aad) }, k, utf8(plaintext)),
  );
}

/** Decrypts RSA-OAEP (SHA-1, as WeChat uses) with crypto.subtle and a PKCS#8 private key. */
export async function oaepDecrypt(pkcs8Pem, b64) {
  const key = await crypto.subtle.importKey('pkcs8', derOf(pkcs8Pem), { name: 'RSA-OAEP', hash: 'SHA-1' }, false, [
    'decrypt',
  ]);
  return new TextDecoder().decode(await crypto.subtle.decrypt({ name: 'RSA-OAEP' }, key, fromBase64(b64)));
}

/** Splits `WECHATPAY2-SHA256-RSA2048 k="v",…` into its fields. */
export function parseAuthorization(header) {
  const m = /^WECHATPAY2-SHA256-RSA2048 (.*)$/.exec(header);
  if (!m) throw new Error(`not a v3 Authorization: ${header}`);
  const fields = {};
  for (const part of m[1].matchAll(/(\w+)="([^"]*)"/g)) fields[part[1]] = part[2];
  return fields;
}
