// wxpay-wasm/miniprogram's cryptography against an independent implementation (issue 29):
// tests/python/miniprogram_reference.py seals pushes and computes xpay signatures with
// Python's `cryptography` and hmac/hashlib; the package must open those pushes and agree on
// every signature, and Python must open the replies the package seals. Then hostile pushes
// (forged msg_signature, another appid inside, bad padding, truncated, replayed with another
// timestamp or nonce) are refused with their exact codes, and the next good call works.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createCipheriv, createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as mp from '../../pkg/miniprogram/node/index.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const SCRIPT = join(here, '../python/miniprogram_reference.py');
const python = (args, input) => JSON.parse(execFileSync('python3', [SCRIPT, ...args], { input, maxBuffer: 64 << 20 }));
let hasPython = true;
try {
  execFileSync('python3', ['-c', 'import cryptography']);
} catch {
  hasPython = false;
}
const skip = hasPython ? false : 'python3 with the cryptography package is not installed';
const CASES = hasPython ? python(['gen', '20261207', '60']) : [];

const keysOf = (c) => ({ token: c.token, encodingAESKey: c.encodingAESKey, appid: c.appid });
const safeRequest = (c, over = {}) => ({
  query: {
    signature: c.signature,
    timestamp: c.timestamp,
    nonce: c.nonce,
    encrypt_type: 'aes',
    msg_signature: c.msg_signature,
    ...over.query,
  },
  body: JSON.stringify({ ToUserName: 'gh_x', Encrypt: over.encrypt ?? c.encrypt }),
});

test('pushes sealed by Python open to the same message (JSON and XML bodies)', { skip }, () => {
  for (const c of CASES) {
    assert.deepEqual(mp.decryptPush(safeRequest(c), keysOf(c)), JSON.parse(c.message));
    const xml = `<xml><ToUserName><![CDATA[gh_x]]></ToUserName><Encrypt><![CDATA[${c.encrypt}]]></Encrypt></xml>`;
    const viaXml = mp.decryptPush({ query: safeRequest(c).query, body: new TextEncoder().encode(xml) }, keysOf(c));
    assert.deepEqual(viaXml, JSON.parse(c.message));
  }
});

test('replies sealed by the package open in Python to the same message', { skip }, () => {
  const items = CASES.map((c) => ({
    ...keysOf(c),
    query: {},
    body: mp.encryptPush(JSON.parse(c.message), { ...keysOf(c), timestamp: c.timestamp, nonce: c.nonce }),
  }));
  const opened = python(['open'], JSON.stringify(items));
  opened.forEach((o, i) => {
    assert.equal(o.signatureOk, true, `case ${i}`);
    assert.deepEqual(JSON.parse(o.message), JSON.parse(CASES[i].message));
  });
  // pushRequest (what the mock sends) opens in Python too.
  const reqs = CASES.slice(0, 10).map((c) => ({ ...keysOf(c), ...mp.pushRequest(c.message, keysOf(c)) }));
  for (const [i, o] of python(['open'], JSON.stringify(reqs)).entries()) assert.equal(o.message, CASES[i].message);
});

test('URL signature and both xpay signatures agree with Python', { skip }, () => {
  for (const c of CASES) {
    const query = { signature: c.signature, timestamp: c.timestamp, nonce: c.nonce, echostr: 'echo-1' };
    assert.equal(mp.verifyPushUrl(query, c.token), 'echo-1');
    assert.equal(mp.verifyPushUrl(new URLSearchParams(query), c.token), 'echo-1');
    const s = mp.xpaySignatures({ appKey: c.appKey, sessionKey: c.sessionKey, uri: c.uri, body: c.body });
    assert.deepEqual(s, { paySig: c.paySig, signature: c.userSignature });
  }
});

const codeOf = (f) => {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof mp.WxPayError, `${e}`);
    return e.code;
  }
  return 'no error';
};

/** AES-256-CBC by node:crypto with our own framing, for envelopes Python's script would not make. */
function sealRaw(c, plain, { pad = true } = {}) {
  const key = Buffer.from(`${c.encodingAESKey}=`, 'base64');
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  let data = plain;
  if (pad) {
    const n = 32 - (plain.length % 32);
    data = Buffer.concat([plain, Buffer.alloc(n, n)]);
  }
  const enc = Buffer.concat([cipher.update(data), cipher.final()]).toString('base64');
  const sig = createHash('sha1').update([c.token, c.timestamp, c.nonce, enc].sort().join('')).digest('hex');
  return { enc, sig };
}

test('hostile pushes are refused with their codes; the next good call works', { skip }, () => {
  const c = CASES[0];
  const k = keysOf(c);
  const good = () => assert.deepEqual(mp.decryptPush(safeRequest(c), k), JSON.parse(c.message));
  const flip = (s, i) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
  const cases = [
    [
      'forged msg_signature',
      () => mp.decryptPush(safeRequest(c, { query: { msg_signature: flip(c.msg_signature, 5) } }), k),
      'SIGN_MISMATCH',
    ],
    [
      'replayed with another timestamp',
      () => mp.decryptPush(safeRequest(c, { query: { timestamp: String(Number(c.timestamp) + 1) } }), k),
      'SIGN_MISMATCH',
    ],
    [
      'replayed with another nonce',
      () => mp.decryptPush(safeRequest(c, { query: { nonce: `${c.nonce}1` } }), k),
      'SIGN_MISMATCH',
    ],
    [
      'no msg_signature',
      () => mp.decryptPush(safeRequest(c, { query: { msg_signature: undefined } }), k),
      'SIGN_MISSING',
    ],
    ['another token', () => mp.decryptPush(safeRequest(c), { ...k, token: `${c.token}x` }), 'SIGN_MISMATCH'],
    [
      'plaintext push to a safe-mode server',
      () =>
        mp.decryptPush(
          { query: { signature: c.signature, timestamp: c.timestamp, nonce: c.nonce }, body: c.message },
          k,
        ),
      'SIGN_MISSING',
    ],
  ];
  const frame = (msg, appid) => {
    const m = Buffer.from(msg);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(m.length);
    return Buffer.concat([Buffer.alloc(16, 7), len, m, Buffer.from(appid)]);
  };
  const signed = (raw) => safeRequest(c, { encrypt: raw.enc, query: { msg_signature: raw.sig } });
  // Correctly signed (an attacker holding the token but not the key cannot, but the checks must hold anyway).
  const otherAppid = sealRaw(c, frame(c.message, 'wx0000000000000000'));
  cases.push(['another appid inside', () => mp.decryptPush(signed(otherAppid), k), 'APPID_MISMATCH']);
  const badPad = sealRaw(
    c,
    Buffer.concat([frame('{}', c.appid), Buffer.alloc(32 - ((20 + 2 + c.appid.length) % 32), 0)]),
    { pad: false },
  );
  cases.push(['bad padding', () => mp.decryptPush(signed(badPad), k), 'DECRYPT_FAILED']);
  const longLen = frame('{}', c.appid);
  longLen.writeUInt32BE(5000, 16);
  cases.push(['length beyond the data', () => mp.decryptPush(signed(sealRaw(c, longLen)), k), 'DECRYPT_FAILED']);
  const whole = sealRaw(c, frame(c.message, c.appid));
  const cut = Buffer.from(whole.enc, 'base64').subarray(0, 32).toString('base64');
  const cutSig = createHash('sha1').update([c.token, c.timestamp, c.nonce, cut].sort().join('')).digest('hex');
  cases.push(['truncated', () => mp.decryptPush(signed({ enc: cut, sig: cutSig }), k), 'DECRYPT_FAILED']);
  cases.push([
    'not JSON',
    () => mp.decryptPush({ query: safeRequest(c).query, body: 'Encrypt=1' }, k),
    'INVALID_PARAM',
  ]);
  cases.push([
    'XML with an entity',
    () =>
      mp.decryptPush(
        { query: safeRequest(c).query, body: '<!DOCTYPE x [<!ENTITY e "x">]><xml><Encrypt>&e;</Encrypt></xml>' },
        k,
      ),
    'XML_FORBIDDEN',
  ]);
  cases.push(['too large', () => mp.decryptPush(safeRequest(c), { ...k, maxBytes: 10 }), 'INPUT_TOO_LARGE']);
  cases.push([
    'wrong EncodingAESKey form',
    () => mp.decryptPush(safeRequest(c), { ...k, encodingAESKey: 'short' }),
    'INVALID_PARAM',
  ]);
  cases.push(['unknown option', () => mp.decryptPush(safeRequest(c), { ...k, appId: 'x' }), 'INVALID_PARAM']);
  for (const [name, f, code] of cases) {
    assert.equal(codeOf(f), code, name);
    good();
  }
  // URL check: forged signature and missing echostr.
  const q = { signature: c.signature, timestamp: c.timestamp, nonce: c.nonce, echostr: 'e' };
  assert.equal(
    codeOf(() => mp.verifyPushUrl({ ...q, signature: flip(c.signature, 0) }, c.token)),
    'SIGN_MISMATCH',
  );
  assert.equal(
    codeOf(() => mp.verifyPushUrl({ ...q, timestamp: '1' }, c.token)),
    'SIGN_MISMATCH',
  );
  assert.equal(
    codeOf(() => mp.verifyPushUrl({ ...q, echostr: undefined }, c.token)),
    'MISSING_FIELD',
  );
  assert.equal(mp.verifyPushUrl(`/push?${new URLSearchParams(q)}`, c.token), 'e');
});

test('plaintext mode (no encodingAESKey) checks signature and returns the body', { skip }, () => {
  const c = CASES[1];
  const query = { signature: c.signature, timestamp: c.timestamp, nonce: c.nonce };
  assert.deepEqual(mp.decryptPush({ query, body: c.message }, { token: c.token }), JSON.parse(c.message));
  assert.equal(
    codeOf(() => mp.decryptPush({ query: { ...query, nonce: 'x' }, body: c.message }, { token: c.token })),
    'SIGN_MISMATCH',
  );
  // An encrypted push to a server without the key: said plainly.
  assert.equal(
    codeOf(() => mp.decryptPush(safeRequest(c), { token: c.token })),
    'INVALID_PARAM',
  );
});
