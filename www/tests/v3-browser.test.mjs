// wxpay-wasm/v3's browser build (pkg/v3/web) in headless Chromium: the vectors and a set of
// hostile cases run in the page with the browser's own WebCrypto; the page returns what
// it computed and Node asserts it against the fixtures and node:crypto.
import assert from 'node:assert/strict';
import { createCipheriv, createSign, createVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, startAll } from './helpers.mjs';

const G = JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/v3/generated.json'), 'utf8'));
let env;
let page;
const problems = [];

before(async () => {
  env = await startAll();
  page = await (await env.browser.newContext()).newPage();
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  // Any same-origin document will do: the module is imported into it below.
  await page.goto(`${env.origin}/pkg/package.json`);
  await page.evaluate(async () => {
    const v3 = await import('/pkg/v3/web/index.js');
    let early;
    try {
      await v3.authorization({});
    } catch (e) {
      early = e.code;
    }
    await v3.init();
    window.v3 = v3;
    window.earlyCode = early;
  });
});
after(async () => {
  await env?.close();
});

const responseMessage = (ts, nonce, body) => `${ts}\n${nonce}\n${body}\n`;
const sign = (pem, msg) => createSign('RSA-SHA256').update(msg).sign(pem, 'base64');

test('the browser entry needs init() and then uses the browser WebCrypto', async () => {
  assert.equal(await page.evaluate(() => window.earlyCode), 'INVALID_PARAM');
  assert.equal(await page.evaluate(() => typeof crypto.subtle.sign), 'function');
});

test('vectors in Chromium: authorization, paySign, responses and callbacks, certificates, AEAD, OAEP', async () => {
  const out = await page.evaluate(async (G) => {
    const { v3 } = window;
    const pk = {
      [G.certificates.platform.serial]: G.certificates.platform.pem,
      [G.certificates.platform2.serial]: G.certificates.platform2.pem,
      [G.pub_key_id]: G.keys.pubkey.public_spki,
    };
    const key = await v3.importPrivateKey(G.keys.merchant.private_pkcs1);
    const headers = [];
    for (const a of G.authorization) {
      headers.push(
        await v3.authorization({
          mchId: G.mchid,
          serialNo: G.certificates.merchant.serial,
          privateKey: key,
          method: a.method,
          url: a.url,
          body: a.body,
          timestamp: a.timestamp,
          nonce: a.nonce,
        }),
      );
    }
    const pays = [];
    for (const p of G.pay_sign) {
      pays.push(
        (
          await v3.requestPaymentParams({
            appId: p.app_id,
            prepayId: p.package.slice(10),
            privateKey: G.keys.merchant.private_pkcs8,
            timeStamp: p.time_stamp,
            nonceStr: p.nonce_str,
          })
        ).paySign,
      );
    }
    const verified = [];
    for (const r of G.responses) {
      const lower = Object.fromEntries(r.headers.map(([k, v]) => [k.toLowerCase(), v]));
      verified.push(
        await v3.verifySignature(new TextEncoder().encode(r.body), new Headers(r.headers), {
          publicKeys: pk,
          now: G.now,
        }),
      );
      await v3.verifySignature(r.body, lower, { publicKeys: pk, now: G.now });
    }
    const notified = [];
    for (const c of G.callbacks) {
      const n = await v3.verifyNotify(c.body, Object.fromEntries(c.headers), {
        apiV3Key: G.api_v3_key,
        publicKeys: pk,
        now: G.now,
        mchId: c.expect.mchid,
        outTradeNo: c.expect.out_trade_no,
      });
      notified.push({ resource: n.resource, paid: n.paid, event_type: n.event_type });
    }
    const certs = await v3.parseCertificates(G.certificates_response.body, G.api_v3_key);
    const aead = [];
    for (const a of G.aead)
      aead.push(
        await v3.decryptResource(
          {
            algorithm: 'AEAD_AES_256_GCM',
            ciphertext: a.ciphertext,
            nonce: a.nonce,
            associated_data: a.associated_data,
          },
          a.key,
        ),
      );
    const oaep = [];
    for (const o of G.oaep) oaep.push(await v3.decryptSensitive(o.ciphertext, G.keys[o.key].private_pkcs8));
    const encrypted = await v3.encryptSensitive('张三', G.keys.merchant.public_spki);
    const reply = await v3.notifyReply(false, 'bad');
    return { headers, pays, verified, notified, certs, aead, oaep, encrypted, reply };
  }, G);
  assert.deepEqual(
    out.headers,
    G.authorization.map((a) => a.header),
  );
  assert.deepEqual(
    out.pays,
    G.pay_sign.map((p) => p.pay_sign),
  );
  assert.deepEqual(
    out.verified,
    G.responses.map((r) => ({ serial: r.serial, timestamp: r.timestamp })),
  );
  assert.deepEqual(
    out.notified,
    G.callbacks.map((c) => ({ resource: JSON.parse(c.plaintext), paid: c.paid, event_type: c.event_type })),
  );
  assert.deepEqual(Object.keys(out.certs).sort(), G.certificates_response.certs.map((c) => c.serial).sort());
  assert.deepEqual(
    out.aead,
    G.aead.map((a) => a.plaintext),
  );
  assert.deepEqual(
    out.oaep,
    G.oaep.map((o) => o.plaintext),
  );
  const { privateDecrypt, constants } = await import('node:crypto');
  assert.equal(
    privateDecrypt(
      { key: G.keys.merchant.private_pkcs8, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
      Buffer.from(out.encrypted, 'base64'),
    ).toString(),
    '张三',
  );
  assert.deepEqual(out.reply, {
    status: 500,
    headers: { 'Content-Type': 'application/json' },
    body: '{"code":"FAIL","message":"bad"}',
  });
});

test('node:crypto signs, Chromium verifies; Chromium signs, node:crypto verifies (200 each)', async () => {
  const s = { serial: G.pub_key_id, priv: G.keys.pubkey.private_pkcs8 };
  const cases = Array.from({ length: 200 }, (_, i) => {
    const body = JSON.stringify({ i, text: `支付成功 ${'😀'.repeat(i % 7)} ${i}` });
    const nonce = `n${i}`;
    const ts = G.now - 150 + i;
    return {
      body,
      headers: {
        'wechatpay-timestamp': String(ts),
        'wechatpay-nonce': nonce,
        'wechatpay-serial': s.serial,
        'wechatpay-signature': sign(s.priv, responseMessage(ts, nonce, body)),
      },
      ts,
    };
  });
  const out = await page.evaluate(
    async ({ G, cases }) => {
      const { v3 } = window;
      const pk = { [G.pub_key_id]: G.keys.pubkey.public_spki };
      const verified = await Promise.all(
        cases.map((c) => v3.verifySignature(c.body, c.headers, { publicKeys: pk, now: G.now })),
      );
      const key = await v3.importPrivateKey(G.keys.merchant.private_pkcs8);
      const signed = await Promise.all(
        cases.map((c, i) =>
          v3.authorization({
            mchId: G.mchid,
            serialNo: G.certificates.merchant.serial,
            privateKey: key,
            method: 'POST',
            url: `/v3/pay/transactions/jsapi?i=${i}`,
            body: c.body,
            timestamp: String(c.ts),
            nonce: `N${i}`,
          }),
        ),
      );
      return { verified, signed };
    },
    { G, cases },
  );
  assert.deepEqual(
    out.verified.map((v) => v.timestamp),
    cases.map((c) => c.ts),
  );
  out.signed.forEach((h, i) => {
    const sig = /signature="([^"]+)"/.exec(h)[1];
    const msg = `POST\n/v3/pay/transactions/jsapi?i=${i}\n${cases[i].ts}\nN${i}\n${cases[i].body}\n`;
    assert.ok(createVerify('RSA-SHA256').update(msg).verify(G.keys.merchant.public_spki, sig, 'base64'), `case ${i}`);
  });
});

test('hostile cases in Chromium: exact codes, and a good call after each', async () => {
  const pub = { serial: G.pub_key_id, priv: G.keys.pubkey.private_pkcs8 };
  const plain = JSON.stringify({
    mchid: G.mchid,
    appid: G.appid,
    out_trade_no: 'T1',
    trade_state: 'SUCCESS',
    amount: { total: 100 },
  });
  const enc = (nonce, aad, text) => {
    const c = createCipheriv('aes-256-gcm', Buffer.from(G.api_v3_key), Buffer.from(nonce));
    c.setAAD(Buffer.from(aad));
    return Buffer.concat([c.update(text), c.final(), c.getAuthTag()]).toString('base64');
  };
  const envelope = (resource) =>
    JSON.stringify({
      id: 'EV',
      create_time: 't',
      resource_type: 'encrypt-resource',
      event_type: 'TRANSACTION.SUCCESS',
      summary: 's',
      resource,
    });
  const good = envelope({
    algorithm: 'AEAD_AES_256_GCM',
    ciphertext: enc('abcdefabcdef', 'transaction', plain),
    nonce: 'abcdefabcdef',
    associated_data: 'transaction',
    original_type: 'transaction',
  });
  const tampered = envelope({
    algorithm: 'AEAD_AES_256_GCM',
    ciphertext: enc('abcdefabcdef', 'transaction', plain),
    nonce: 'abcdefabcdeg',
    associated_data: 'transaction',
    original_type: 'transaction',
  });
  const headersFor = (body, ts = G.now, signature) => ({
    'Wechatpay-Timestamp': String(ts),
    'Wechatpay-Nonce': 'x',
    'Wechatpay-Serial': pub.serial,
    'Wechatpay-Signature': signature ?? sign(pub.priv, responseMessage(ts, 'x', body)),
  });
  const cases = [
    ['changed body', `${good} `, headersFor(good), {}, 'SIGN_MISMATCH'],
    ['probe', good, headersFor(good, G.now, 'WECHATPAY/SIGNTEST/abc'), {}, 'SIGN_MISMATCH'],
    ['301 s', good, headersFor(good, G.now - 301), {}, 'TIMESTAMP_SKEW'],
    ['unknown serial', good, { ...headersFor(good), 'Wechatpay-Serial': 'PUB_KEY_ID_X' }, {}, 'UNKNOWN_SERIAL'],
    ['no signature', good, { ...headersFor(good), 'Wechatpay-Signature': undefined }, {}, 'SIGN_MISSING'],
    ['tampered nonce', tampered, headersFor(tampered), {}, 'DECRYPT_FAILED'],
    ['wrong APIv3 key', good, headersFor(good), { apiV3Key: G.other_api_v3_key }, 'DECRYPT_FAILED'],
    ['amount', good, headersFor(good), { total: 101 }, 'AMOUNT_MISMATCH'],
    ['strict options', good, headersFor(good), { totalFee: 1 }, 'INVALID_PARAM'],
    [
      'bad public key',
      good,
      headersFor(good),
      { publicKeys: { [pub.serial]: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----' } },
      'INVALID_PARAM',
    ],
  ];
  const out = await page.evaluate(
    async ({ G, cases, good, goodHeaders }) => {
      const { v3 } = window;
      const base = { apiV3Key: G.api_v3_key, publicKeys: { [G.pub_key_id]: G.keys.pubkey.public_spki }, now: G.now };
      const results = [];
      for (const [label, body, headers, extra] of cases) {
        const h = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined));
        let code = 'OK';
        let sameClass = false;
        try {
          await v3.verifyNotify(body, h, { ...base, ...extra });
        } catch (e) {
          code = e.code;
          sameClass = e instanceof v3.WxPayError;
        }
        const after = await v3.verifyNotify(good, goodHeaders, base);
        results.push({ label, code, sameClass, after: after.paid });
      }
      return results;
    },
    { G, cases, good, goodHeaders: headersFor(good) },
  );
  for (const [i, r] of out.entries()) {
    assert.equal(r.code, cases[i][4], r.label);
    assert.ok(r.sameClass, `${r.label}: a WxPayError`);
    assert.equal(r.after, true, `${r.label}: the good call after it`);
  }
  assert.deepEqual(problems, []);
});
