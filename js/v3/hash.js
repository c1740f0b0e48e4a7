// Incremental SHA-1 and SM3 in JavaScript, for the digest WeChat gives a downloaded bill
// (`hash_type` SHA1, or SM3 where the answer says so). WebCrypto has no incremental digest
// (crypto.subtle.digest takes the whole input at once) and no SM3 at all, so a 100 MB bill
// streamed through Deno, Bun, Workers or a browser is hashed here, 64 bytes at a time, in
// bounded memory. On Node the client uses node:crypto's createHash instead (client-files.js);
// tests/js/v3-files.test.mjs holds both implementations here to node:crypto on random inputs,
// and SM3 to GB/T 32905-2016's example ('abc').
//
// Both are Merkle–Damgård over 64-byte blocks with the same padding (0x80, zeros, the bit
// length as a 64-bit big-endian integer), so one buffer-and-pad wrapper serves both; each
// algorithm is only its initial state and its compression function.

const rotl = (x, n) => (x << n) | (x >>> (32 - n));

/** SHA-1's compression of one block (`w`: 80 words, the first 16 filled) into `h`. */
function sha1Block(h, w) {
  for (let i = 16; i < 80; i++) w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
  let [a, b, c, d, e] = h;
  for (let i = 0; i < 80; i++) {
    let f;
    let k;
    if (i < 20) {
      f = (b & c) | (~b & d);
      k = 0x5a827999;
    } else if (i < 40) {
      f = b ^ c ^ d;
      k = 0x6ed9eba1;
    } else if (i < 60) {
      f = (b & c) | (b & d) | (c & d);
      k = 0x8f1bbcdc;
    } else {
      f = b ^ c ^ d;
      k = 0xca62c1d6;
    }
    const t = (rotl(a, 5) + f + e + k + w[i]) | 0;
    e = d;
    d = c;
    c = rotl(b, 30);
    b = a;
    a = t;
  }
  h[0] = (h[0] + a) | 0;
  h[1] = (h[1] + b) | 0;
  h[2] = (h[2] + c) | 0;
  h[3] = (h[3] + d) | 0;
  h[4] = (h[4] + e) | 0;
}

const p0 = (x) => x ^ rotl(x, 9) ^ rotl(x, 17);
const p1 = (x) => x ^ rotl(x, 15) ^ rotl(x, 23);
/** SM3's T_j rotated left by j mod 32, for every round (GB/T 32905-2016, 5.3.3). */
const SM3_T = Array.from({ length: 64 }, (_, j) => rotl(j < 16 ? 0x79cc4519 : 0x7a879d8a, j % 32));

/** SM3's message expansion and compression of one block (`w`: 68 words, the first 16 filled) into `v`. */
function sm3Block(v, w) {
  for (let j = 16; j < 68; j++) w[j] = p1(w[j - 16] ^ w[j - 9] ^ rotl(w[j - 3], 15)) ^ rotl(w[j - 13], 7) ^ w[j - 6];
  let [a, b, c, d, e, f, g, h] = v;
  for (let j = 0; j < 64; j++) {
    const a12 = rotl(a, 12);
    const ss1 = rotl((a12 + e + SM3_T[j]) | 0, 7);
    const ss2 = ss1 ^ a12;
    const ff = j < 16 ? a ^ b ^ c : (a & b) | (a & c) | (b & c);
    const gg = j < 16 ? e ^ f ^ g : (e & f) | (~e & g);
    const tt1 = (ff + d + ss2 + (w[j] ^ w[j + 4])) | 0;
    const tt2 = (gg + h + ss1 + w[j]) | 0;
    d = c;
    c = rotl(b, 9);
    b = a;
    a = tt1;
    h = g;
    g = rotl(f, 19);
    f = e;
    e = p0(tt2);
  }
  v[0] ^= a;
  v[1] ^= b;
  v[2] ^= c;
  v[3] ^= d;
  v[4] ^= e;
  v[5] ^= f;
  v[6] ^= g;
  v[7] ^= h;
}

const ALGORITHMS = {
  SHA1: { iv: [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0], words: 80, block: sha1Block },
  SM3: {
    iv: [0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e],
    words: 68,
    block: sm3Block,
  },
};

/**
 * An incremental digest: `update(bytes)` any number of times, then `digest()` (once) → the
 * hash's bytes. `name`: 'SHA1' or 'SM3'. Memory: one 64-byte block and the word schedule.
 */
export function jsDigest(name) {
  const alg = ALGORITHMS[name];
  const state = Int32Array.from(alg.iv);
  const w = new Int32Array(alg.words);
  const buf = new Uint8Array(64);
  let used = 0; // bytes waiting in buf
  let total = 0; // bytes hashed so far (exact up to 2^53)
  const compress = (bytes, at) => {
    for (let i = 0; i < 16; i++, at += 4)
      w[i] = (bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3];
    alg.block(state, w);
  };
  function update(bytes) {
    let i = 0;
    total += bytes.length;
    if (used > 0) {
      const take = Math.min(64 - used, bytes.length);
      buf.set(bytes.subarray(0, take), used);
      used += take;
      i = take;
      if (used < 64) return;
      compress(buf, 0);
      used = 0;
    }
    for (; i + 64 <= bytes.length; i += 64) compress(bytes, i);
    buf.set(bytes.subarray(i), 0);
    used = bytes.length - i;
  }
  function digest() {
    const bits = total * 8;
    const tail = new Uint8Array(used < 56 ? 64 - used : 128 - used);
    tail[0] = 0x80;
    const n = tail.length;
    // The length in bits, 64-bit big-endian: high word then low word.
    const hi = Math.floor(bits / 0x100000000);
    tail[n - 8] = hi >>> 24;
    tail[n - 7] = hi >>> 16;
    tail[n - 6] = hi >>> 8;
    tail[n - 5] = hi;
    tail[n - 4] = bits >>> 24;
    tail[n - 3] = bits >>> 16;
    tail[n - 2] = bits >>> 8;
    tail[n - 1] = bits;
    total -= tail.length; // update() counts the padding; the length is already written
    update(tail);
    const out = new Uint8Array(state.length * 4);
    for (let i = 0; i < state.length; i++) {
      out[i * 4] = state[i] >>> 24;
      out[i * 4 + 1] = state[i] >>> 16;
      out[i * 4 + 2] = state[i] >>> 8;
      out[i * 4 + 3] = state[i];
    }
    return out;
  }
  return { update, digest };
}

/** Lower-case hex of bytes. */
export function hex(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
  return s;
}

/**
 * Whether two hex digests are equal, case-insensitively, in time that depends only on the
 * expected one's length (every character is visited whatever the difference): a network
 * observer of when the download is refused learns nothing about which byte differed.
 */
export function sameHex(actual, expected) {
  const a = actual.toLowerCase();
  const e = expected.toLowerCase();
  let diff = a.length ^ e.length;
  for (let i = 0; i < e.length; i++) diff |= (a.charCodeAt(i) | 0) ^ e.charCodeAt(i);
  return diff === 0;
}

/** The hash_type names WeChat uses, as accepted here. */
export const HASH_TYPES = Object.freeze(Object.keys(ALGORITHMS));
