// wxpay-wasm/v3 against an independent node:crypto implementation (support/v3-reference.mjs),
// both ways: what the package signs, node:crypto verifies; what node:crypto signs or
// encrypts (as WeChat would), the package verifies or decrypts. Thousands of generated
// cases, seeded (DIFF_SEED=… replays one run), in both key modes — platform certificates
// and `PUB_KEY_ID_…` public keys — with lower-case, original-case and `Headers` headers and
// Unicode bodies. Calls run in concurrent batches, as a server's would.
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import * as v3 from '../../pkg/v3/node/index.mjs';
import {
  GENERATED as G,
  authMessage,
  callbackBody,
  oaepDecrypt,
  oaepEncrypt,
  parseAuthorization,
  payMessage,
  randomText,
  rng,
  rsaSign,
  rsaVerify,
  signedHeaders,
} from './support/v3-reference.mjs';

const SEED = Number(process.env.DIFF_SEED ?? Date.now() % 1e9);
const N = Number(process.env.DIFF_CASES ?? 1500);
console.log(`v3 differential: seed ${SEED}, ${N} cases per direction`);
const next = rng(SEED);
const pick = (xs) => xs[Math.floor(next() * xs.length)];
const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));

// Merchant keys: two from the fixture (PKCS#8 and PKCS#1 text) and one made now.
const fresh = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
});
const merchants = [
  { priv: G.keys.merchant.private_pkcs8, pub: G.keys.merchant.public_spki },
  { priv: G.keys.merchant.private_pkcs1, pub: G.keys.merchant.public_spki },
  { priv: fresh.privateKey, pub: fresh.publicKey },
];
// Platform signers: two certificates (certificate mode) and two public keys (public-key mode).
const freshPub = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'pkcs1', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
const FRESH_ID = 'PUB_KEY_ID_0114232134912410000000000000000999';
const signers = [
  {
    serial: G.certificates.platform.serial,
    priv: G.keys.platform.private_pkcs8,
    verifyWith: G.certificates.platform.pem,
  },
  {
    serial: G.certificates.platform2.serial,
    priv: G.keys.platform2.private_pkcs8,
    verifyWith: G.certificates.platform2.pem,
  },
  { serial: G.pub_key_id, priv: G.keys.pubkey.private_pkcs8, verifyWith: G.keys.pubkey.public_spki },
  // An `RSA PUBLIC KEY` (PKCS#1) PEM as the map's value.
  { serial: FRESH_ID, priv: freshPub.privateKey, verifyWith: freshPub.publicKey },
];
const publicKeys = Object.fromEntries(signers.map((s) => [s.serial, s.verifyWith]));
const NOW = G.now;

async function batches(n, f, size = 64) {
  for (let i = 0; i < n; i += size) {
    const jobs = [];
    for (let j = i; j < Math.min(n, i + size); j++) jobs.push(f(j));
    await Promise.all(jobs);
  }
}
const pathPart = () => encodeURIComponent(randomText(next, 12)) || 'x';

test('authorization: ours signs, node:crypto verifies (random methods, urls, Unicode bodies)', async () => {
  const imported = await Promise.all(merchants.map((m) => v3.importPrivateKey(m.priv)));
  await batches(N, async (i) => {
    const m = int(0, merchants.length - 1);
    const method = pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
    const url = `/v3/${pathPart()}/${pathPart()}${next() < 0.5 ? `?mchid=${int(1, 1e9)}&q=${pathPart()}` : ''}`;
    const body = method === 'GET' ? '' : JSON.stringify({ description: randomText(next, 80), n: int(0, 1e6) });
    const timestamp = String(NOW + int(-1e6, 1e6));
    const givenNonce = next() < 0.5 ? randomBytes(16).toString('hex').toUpperCase() : undefined;
    const header = await v3.authorization({
      mchId: G.mchid,
      serialNo: G.certificates.merchant.serial,
      privateKey: next() < 0.5 ? merchants[m].priv : imported[m],
      method,
      url,
      body,
      timestamp,
      ...(givenNonce === undefined ? {} : { nonce: givenNonce }),
    });
    const f = parseAuthorization(header);
    assert.equal(f.mchid, G.mchid);
    assert.equal(f.serial_no, G.certificates.merchant.serial);
    assert.equal(f.timestamp, timestamp);
    if (givenNonce !== undefined) assert.equal(f.nonce_str, givenNonce);
    else assert.match(f.nonce_str, /^[0-9A-Za-z]{32}$/);
    // PKCS#1 v1.5 is deterministic: node:crypto's own signature must be the same bytes.
    const msg = authMessage(method, url, timestamp, f.nonce_str, body);
    assert.equal(f.signature, rsaSign(merchants[m].priv, msg), `case ${i}`);
    assert.ok(rsaVerify(merchants[m].pub, msg, f.signature));
  });
});

test('authorization: default timestamp is now and nonces differ', async () => {
  const before = Math.floor(Date.now() / 1000);
  const seen = new Set();
  for (let i = 0; i < 50; i++) {
    const f = parseAuthorization(
      await v3.authorization({
        mchId: G.mchid,
        serialNo: G.certificates.merchant.serial,
        privateKey: merchants[0].priv,
        method: 'GET',
        url: '/v3/certificates',
      }),
    );
    assert.ok(Number(f.timestamp) >= before && Number(f.timestamp) <= Math.floor(Date.now() / 1000));
    seen.add(f.nonce_str);
  }
  assert.equal(seen.size, 50);
});

test('verifySignature: node:crypto signs responses in both modes, ours verifies; one changed byte fails both', async () => {
  await batches(N, async (i) => {
    const s = pick(signers);
    const body = next() < 0.1 ? '' : JSON.stringify({ text: randomText(next, 200), amount: int(0, 1e9) });
    const timestamp = NOW + int(-300, 300);
    const style = pick(['original', 'lower', 'Headers']);
    let headers = signedHeaders(s.priv, s.serial, body, { timestamp, lower: style === 'lower' });
    if (style === 'Headers') headers = new Headers(headers);
    const asBytes = next() < 0.5;
    const got = await v3.verifySignature(asBytes ? Buffer.from(body) : body, headers, { publicKeys, now: NOW });
    assert.deepEqual(got, { serial: s.serial, timestamp }, `case ${i}`);
    if (i % 5 === 0 && body.length > 0) {
      const bytes = Buffer.from(body);
      bytes[int(0, bytes.length - 1)] ^= 1 << int(0, 6);
      const sig =
        style === 'Headers'
          ? headers.get('wechatpay-signature')
          : (headers['Wechatpay-Signature'] ?? headers['wechatpay-signature']);
      assert.equal(
        rsaVerify(
          s.verifyWith,
          Buffer.concat([
            Buffer.from(`${timestamp}\n`),
            Buffer.from(
              style === 'Headers'
                ? headers.get('wechatpay-nonce')
                : (headers['Wechatpay-Nonce'] ?? headers['wechatpay-nonce']),
            ),
            Buffer.from('\n'),
            bytes,
            Buffer.from('\n'),
          ]),
          sig,
        ),
        false,
      );
      await assert.rejects(
        v3.verifySignature(bytes, headers, { publicKeys, now: NOW }),
        { code: 'SIGN_MISMATCH' },
        `case ${i}`,
      );
    }
  });
});

test('verifyNotify: node:crypto signs and encrypts callbacks (payments and refunds), ours decrypts and checks', async () => {
  const n = Math.ceil(N / 2);
  await batches(n, async (i) => {
    const s = pick(signers);
    const refund = next() < 0.3;
    const state = pick(['SUCCESS', 'SUCCESS', 'NOTPAY', 'CLOSED', 'REFUND']);
    const total = int(1, 1e8);
    const out_trade_no = `T${int(1, 1e12)}${randomBytes(3).toString('hex')}`;
    const plain = refund
      ? {
          mchid: G.mchid,
          out_trade_no,
          transaction_id: `42${int(1, 1e9)}`,
          out_refund_no: `R${i}`,
          refund_id: `50${i}`,
          refund_status: 'SUCCESS',
          amount: { total, refund: int(1, total), payer_total: total, payer_refund: 1 },
          user_received_account: randomText(next, 20),
        }
      : {
          mchid: G.mchid,
          appid: G.appid,
          out_trade_no,
          transaction_id: `42${int(1, 1e9)}`,
          trade_type: 'JSAPI',
          trade_state: state,
          attach: randomText(next, 40),
          payer: { openid: 'o' + randomBytes(8).toString('hex') },
          amount: { total, payer_total: total, currency: 'CNY', payer_currency: 'CNY' },
        };
    const eventType = refund ? pick(['REFUND.SUCCESS', 'REFUND.ABNORMAL', 'REFUND.CLOSED']) : 'TRANSACTION.SUCCESS';
    const body = callbackBody(plain, G.api_v3_key, {
      eventType,
      aad: refund ? 'refund' : 'transaction',
      id: `EV-${i}`,
    });
    const timestamp = NOW + int(-300, 300);
    const headers = signedHeaders(s.priv, s.serial, body, { timestamp, lower: next() < 0.5 });
    const expect = { mchId: G.mchid, outTradeNo: out_trade_no, total, ...(refund ? {} : { appid: G.appid }) };
    const got = await v3.verifyNotify(next() < 0.5 ? Buffer.from(body) : body, headers, {
      apiV3Key: G.api_v3_key,
      publicKeys,
      now: NOW,
      ...expect,
    });
    assert.deepEqual(got.resource, plain, `case ${i}`);
    assert.equal(got.event_type, eventType);
    assert.equal(got.id, `EV-${i}`);
    assert.equal(got.paid, !refund && eventType === 'TRANSACTION.SUCCESS' && state === 'SUCCESS');
  });
});

test('requestPaymentParams: ours signs, node:crypto verifies and makes the same paySign', async () => {
  const key = await v3.importPrivateKey(merchants[2].priv);
  await batches(N, async (i) => {
    const prepayId = `wx${int(1, 1e9)}${randomBytes(8).toString('hex')}`;
    const opts = { appId: G.appid, prepayId, privateKey: i % 2 ? key : merchants[2].priv };
    if (next() < 0.5) {
      opts.timeStamp = String(NOW + i);
      opts.nonceStr = randomBytes(16).toString('hex');
    }
    const p = await v3.requestPaymentParams(opts);
    assert.equal(p.package, `prepay_id=${prepayId}`);
    assert.equal(p.signType, 'RSA');
    if (opts.timeStamp) {
      assert.equal(p.timeStamp, opts.timeStamp);
      assert.equal(p.nonceStr, opts.nonceStr);
    }
    const msg = payMessage(p.appId, p.timeStamp, p.nonceStr, p.package);
    assert.equal(p.paySign, rsaSign(merchants[2].priv, msg), `case ${i}`);
    assert.ok(rsaVerify(merchants[2].pub, msg, p.paySign));
  });
});

test('sensitive fields: ours encrypts → node:crypto decrypts; node:crypto encrypts → ours decrypts', async () => {
  const key = await v3.importPrivateKey(merchants[2].priv);
  await batches(Math.ceil(N / 5), async (i) => {
    const text = randomText(next, 60) || '张三';
    const s = pick(signers);
    assert.equal(oaepDecrypt(s.priv, await v3.encryptSensitive(text, s.verifyWith)), text, `case ${i}`);
    const c = oaepEncrypt(merchants[2].pub, text);
    assert.equal(await v3.decryptSensitive(c, i % 2 ? key : merchants[2].priv), text, `case ${i}`);
  });
});

test('decryptResource: node:crypto AES-256-GCM with random nonces, associated data and Unicode plaintexts', async () => {
  const { gcmEncrypt } = await import('./support/v3-reference.mjs');
  for (let i = 0; i < N; i++) {
    const plain = randomText(next, 300);
    const nonce = randomBytes(6).toString('hex');
    const aad = next() < 0.3 ? '' : randomText(next, 20);
    const resource = {
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext: gcmEncrypt(G.api_v3_key, nonce, aad, plain),
      nonce,
      associated_data: aad,
    };
    assert.equal(await v3.decryptResource(resource, G.api_v3_key), plain, `case ${i}`);
  }
});
