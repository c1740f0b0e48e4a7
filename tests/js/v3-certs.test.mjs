// Certificates in `publicKeys` (issue 26): used only under their own serial (refused when the
// keys are given, before any signature work) and only within notBefore … notAfter ± 300 s
// (CERT_EXPIRED); integers beyond ±(2^53−1) in a callback's resource refused (INVALID_FIELD).
// Certificates by Python `cryptography` (scripts/gen-v3-cert-vectors.py → tests/fixtures/v3/
// certs.json), cross-read here by node:crypto's X509Certificate; callbacks signed with
// node:crypto (RSA) and sealed with node:crypto (AES-256-GCM) over the exact bytes.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import * as v3 from '../../pkg/v3/node/index.mjs';
import { GENERATED as G, callbackBody, signedHeaders } from './support/v3-reference.mjs';

const C = JSON.parse(readFileSync(new URL('../fixtures/v3/certs.json', import.meta.url), 'utf8'));
const NOW = C.now;
const KEY = G.api_v3_key;
const PRIV = G.keys[C.key].private_pkcs8;
const cert = (name) => C.certificates[name];
const PLAIN = {
  mchid: G.mchid,
  appid: G.appid,
  out_trade_no: 'T1',
  trade_state: 'SUCCESS',
  amount: { total: 100, payer_total: 100, currency: 'CNY' },
};

/** A callback signed under `serial` at `now`, and the options that hold `publicKeys`. */
function callback(serial, publicKeys, { now = NOW, plain = PLAIN } = {}) {
  const body = callbackBody(plain, KEY);
  return {
    body,
    headers: signedHeaders(PRIV, serial, body, { timestamp: now }),
    opts: { apiV3Key: KEY, publicKeys, now },
  };
}
const good = () => {
  const c = cert('valid');
  return callback(c.serial, { [c.serial]: c.pem });
};
async function healthy() {
  const { body, headers, opts } = good();
  assert.equal((await v3.verifyNotify(body, headers, opts)).paid, true);
}
async function refuses(promise, code, check = () => true) {
  await assert.rejects(promise, (e) => {
    assert.equal(e.code, code, e.message);
    assert.ok(check(e), e.message);
    assert.doesNotMatch(e.message, /MII|-----END/); // no key material
    return true;
  });
  await healthy();
}

test('the fixtures as node:crypto reads them: serials and dates match what the generator wrote', () => {
  for (const [name, c] of Object.entries(C.certificates)) {
    const x = new X509Certificate(c.pem);
    assert.equal(x.serialNumber.toUpperCase().replace(/^0+/, ''), c.serial, name);
    assert.equal(Date.parse(x.validFrom) / 1000, c.not_before_unix, name);
    assert.equal(Date.parse(x.validTo) / 1000, c.not_after_unix, name);
  }
});

test('a certificate under its own serial verifies: high-bit, short and zero-nibble serials, any case', async () => {
  const cases = [
    ['valid', cert('valid').serial],
    ['valid', cert('valid').serial.toLowerCase()],
    ['short', 'A1B'],
    ['short', '0A1B'],
    ['zero_nibble', 'C95E9'],
    ['zero_nibble', '0C95E9'],
    ['ended_within_allowance', '4D01'],
    ['starts_within_allowance', '4D03'],
  ];
  for (const [name, serial] of cases) {
    const { body, headers, opts } = callback(serial, { [serial]: cert(name).pem });
    const n = await v3.verifyNotify(body, headers, opts);
    assert.equal(n.paid, true, `${name} as ${serial}`);
    assert.deepEqual(await v3.verifySignature(body, headers, { publicKeys: opts.publicKeys, now: NOW }), {
      serial,
      timestamp: NOW,
    });
  }
});

test('a certificate outside its validity is refused with CERT_EXPIRED, before the signature; a good call after', async () => {
  const cases = [
    ['expired', 'expired'],
    ['not_yet', 'not valid yet'],
    ['ended_beyond_allowance', 'expired'],
    ['starts_beyond_allowance', 'not valid yet'],
  ];
  for (const [name, word] of cases) {
    const c = cert(name);
    const { body, headers, opts } = callback(c.serial, { [c.serial]: c.pem });
    const check = (e) => e.field === 'Wechatpay-Serial' && e.message.includes(word) && e.message.includes(c.serial);
    await refuses(v3.verifyNotify(body, headers, opts), 'CERT_EXPIRED', check);
    await refuses(v3.verifySignature(body, headers, { publicKeys: opts.publicKeys, now: NOW }), 'CERT_EXPIRED', check);
    // Before the signature: a broken signature is still CERT_EXPIRED, not SIGN_MISMATCH.
    const forged = { ...headers, 'Wechatpay-Signature': Buffer.alloc(256, 1).toString('base64') };
    await refuses(v3.verifyNotify(body, forged, opts), 'CERT_EXPIRED');
  }
  // Judged at `now`: the 2050–2060 certificate (GeneralizedTime) verifies in 2055.
  const later = Date.UTC(2055, 0, 1) / 1000;
  const c = cert('not_yet');
  const { body, headers, opts } = callback(c.serial, { [c.serial]: c.pem }, { now: later });
  assert.equal((await v3.verifyNotify(body, headers, opts)).paid, true);
  // Without `now`, the clock: the 2020 certificate is expired today.
  const e = cert('expired');
  const today = callback(e.serial, { [e.serial]: e.pem }, { now: Math.floor(Date.now() / 1000) });
  await refuses(v3.verifyNotify(today.body, today.headers, { ...today.opts, now: undefined }), 'CERT_EXPIRED');
});

test('a certificate filed under another serial is refused when the keys are given, whichever serial signs', async () => {
  const v = cert('valid');
  const wrong = { [v.serial]: v.pem, A1B: cert('zero_nibble').pem };
  const { body, headers } = callback(v.serial, wrong);
  const check = (e) =>
    e.field === 'publicKeys' &&
    e.message.includes('"A1B"') &&
    e.message.includes('C95E9') &&
    !e.message.includes('MII');
  await refuses(v3.verifyNotify(body, headers, { apiV3Key: KEY, publicKeys: wrong, now: NOW }), 'INVALID_PARAM', check);
  await refuses(v3.verifySignature(body, headers, { publicKeys: wrong, now: NOW }), 'INVALID_PARAM', check);
  // Before any signature work: headers with no signature at all get the same answer.
  await refuses(v3.verifySignature(body, {}, { publicKeys: wrong, now: NOW }), 'INVALID_PARAM', check);
  // One digit off, and the serial of another certificate of the same key.
  for (const serial of ['F576A1B2C3D4E5F60718293A4B5C6D7F', '4D01']) {
    const s = callback(serial, { [serial]: v.pem });
    await refuses(v3.verifyNotify(s.body, s.headers, s.opts), 'INVALID_PARAM', (e) => e.message.includes(v.serial));
  }
});

test('a PUB_KEY_ID_… given a CERTIFICATE is refused: public-key mode takes WeChat public key', async () => {
  const { body, headers, opts } = callback(G.pub_key_id, { [G.pub_key_id]: cert('valid').pem });
  await refuses(v3.verifyNotify(body, headers, opts), 'INVALID_PARAM', (e) => e.field === 'publicKeys');
  // The same key as a PUBLIC KEY under the PUB_KEY_ID_ verifies.
  const ok = callback(G.pub_key_id, { [G.pub_key_id]: G.keys[C.key].public_spki });
  assert.equal((await v3.verifyNotify(ok.body, ok.headers, ok.opts)).paid, true);
});

test('an integer beyond ±(2^53−1) in the callback is refused (INVALID_JSON, where), 2^53−1 is kept exact', async () => {
  const v = cert('valid');
  const keys = { [v.serial]: v.pem };
  const text = (total, payer = 100) =>
    `{"mchid":"${G.mchid}","appid":"${G.appid}","out_trade_no":"T1","trade_state":"SUCCESS","amount":{"total":${total},"payer_total":${payer},"currency":"CNY"}}`;
  const safe = (e) => /MAX_SAFE_INTEGER/.test(e.message) && /decrypted resource/.test(e.message);
  for (const plain of [
    text('9007199254740993'),
    text('9007199254740992'),
    text('100', '-9007199254740993'),
    text('100000000000000000000000000000'),
  ]) {
    const { body, headers, opts } = callback(v.serial, keys, { plain });
    await refuses(v3.verifyNotify(body, headers, opts), 'INVALID_JSON', safe);
    // With a `total` expectation too: refused before it is compared.
    await refuses(v3.verifyNotify(body, headers, { ...opts, total: 100 }), 'INVALID_JSON', safe);
  }
  const { body, headers, opts } = callback(v.serial, keys, { plain: text('9007199254740991', '-9007199254740991') });
  const n = await v3.verifyNotify(body, headers, opts);
  assert.equal(n.resource.amount.total, Number.MAX_SAFE_INTEGER);
  assert.equal(n.resource.amount.payer_total, -Number.MAX_SAFE_INTEGER);
  const refund = callback(v.serial, keys, {
    plain: `{"mchid":"${G.mchid}","out_trade_no":"T1","refund_status":"SUCCESS","amount":{"total":100,"refund":9007199254740993}}`,
  });
  await refuses(v3.verifyNotify(refund.body, refund.headers, refund.opts), 'INVALID_JSON', safe);
  // The envelope is not checked: WeChat's carries no number, and v3-hostile.test.mjs keeps a
  // signed envelope member as sent.
});
