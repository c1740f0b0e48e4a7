// End-to-end tests of the debugging page's API v3 tab in Debian's Chromium. Keys are made
// here with node:crypto; every expected value (the signature check, the callback, its
// ciphertext) is computed here with node:crypto, never by the package under test.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, createSign, createVerify, generateKeyPairSync, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { DESKTOP, PHONE, SHOTS, openPage, startAll } from './helpers.mjs';

const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const platform = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PKCS8 = merchant.privateKey.export({ type: 'pkcs8', format: 'pem' });
const PKCS1 = merchant.privateKey.export({ type: 'pkcs1', format: 'pem' });
const PLATFORM_PUB = platform.publicKey.export({ type: 'spki', format: 'pem' });
const PUB_KEY_ID = 'PUB_KEY_ID_0119000091912025010100000000000001';
const API_V3_KEY = 'a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6';
const MCH_ID = '1900009191';
const SERIAL = '408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB';
const ORDER = JSON.stringify({
  appid: 'wxd678efh567hg6787',
  mchid: MCH_ID,
  description: '小程序 测试 ✓',
  out_trade_no: 'T20250101',
  notify_url: 'https://pay.example.com/notify',
  amount: { total: 1 },
  payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
});

/** A signed TRANSACTION.SUCCESS callback, made the way WeChat makes one. */
function callback({ now = Math.floor(Date.now() / 1000), signer = platform.privateKey, signature } = {}) {
  const resource = {
    mchid: MCH_ID,
    appid: 'wxd678efh567hg6787',
    out_trade_no: 'T20250101',
    transaction_id: '4200000000202501011234567890',
    trade_type: 'JSAPI',
    trade_state: 'SUCCESS',
    trade_state_desc: '支付成功',
    bank_type: 'OTHERS',
    attach: '附加 ✓',
    success_time: '2025-01-01T10:00:00+08:00',
    payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
    amount: { total: 1, payer_total: 1, currency: 'CNY', payer_currency: 'CNY' },
  };
  const nonce = randomBytes(6).toString('hex');
  const c = createCipheriv('aes-256-gcm', Buffer.from(API_V3_KEY), Buffer.from(nonce));
  c.setAAD(Buffer.from('transaction'));
  const ciphertext = Buffer.concat([c.update(JSON.stringify(resource)), c.final(), c.getAuthTag()]).toString('base64');
  const body = JSON.stringify({
    id: 'EV-2018022511223320873',
    create_time: '2025-01-01T10:00:01+08:00',
    resource_type: 'encrypt-resource',
    event_type: 'TRANSACTION.SUCCESS',
    summary: '支付成功',
    resource: {
      original_type: 'transaction',
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext,
      associated_data: 'transaction',
      nonce,
    },
  });
  const ts = String(now);
  const hn = randomBytes(16).toString('hex');
  const sig = signature ?? createSign('RSA-SHA256').update(`${ts}\n${hn}\n${body}\n`).sign(signer, 'base64');
  // Lower-case names, as Node's req.headers logs them; the page accepts any capitalisation.
  const headers = `wechatpay-timestamp: ${ts}\nwechatpay-nonce: ${hn}\nwechatpay-signature: ${sig}\nwechatpay-serial: ${PUB_KEY_ID}\nwechatpay-signature-type: WECHATPAY2-SHA256-RSA2048`;
  return { body, headers, resource };
}

let env;
let page;
let requests;
let problems;

before(async () => {
  env = await startAll();
  ({ page, requests, problems } = await openPage(env));
  await page.waitForSelector('body[data-v3="ready"]', { state: 'attached', timeout: 30000 });
  await page.click('.tabs button[data-tab="v3"]');
});
after(async () => {
  await env?.close();
});

const text = (sel) => page.textContent(sel).then((s) => s.trim());
const auth = (name) => `#v3AuthForm [name="${name}"]`;
const notify = (name) => `#v3NotifyForm [name="${name}"]`;

async function build(fields) {
  for (const [name, v] of Object.entries(fields)) {
    if (name === 'method') await page.selectOption(auth(name), v);
    else await page.fill(auth(name), v);
  }
  await page.click('#v3AuthRun');
  await page.waitForFunction(
    () => !document.getElementById('v3AuthOut').hidden || !document.getElementById('v3AuthError').hidden,
  );
}

async function verify(
  cb,
  { key = PLATFORM_PUB, serial = PUB_KEY_ID, apiV3Key = API_V3_KEY, expect = {}, atSendTime = false } = {},
) {
  await page.fill(notify('headers'), cb.headers);
  await page.fill(notify('body'), cb.body);
  await page.fill(notify('publicKey'), key);
  await page.fill(notify('serial'), serial);
  await page.fill(notify('apiV3Key'), apiV3Key);
  for (const name of ['appid', 'mchId', 'outTradeNo', 'total']) await page.fill(notify(name), expect[name] ?? '');
  await page.setChecked('#v3AtSendTime', atSendTime);
  await page.evaluate(() => {
    document.getElementById('v3Checks').replaceChildren();
  });
  await page.click('#v3NotifyRun');
  await page.waitForSelector('#v3Checks li');
  const states = {};
  for (const li of await page.locator('#v3Checks li').all())
    states[await li.getAttribute('data-check')] = await li.getAttribute('data-state');
  return states;
}

describe('v3 tab: Authorization header', () => {
  test('the header verifies with node:crypto over the message the page shows (PKCS#8, fixed timestamp and nonce)', async () => {
    await build({
      mchId: MCH_ID,
      serialNo: SERIAL,
      privateKey: PKCS8,
      method: 'POST',
      url: '/v3/pay/transactions/jsapi',
      body: ORDER,
      timestamp: '1554208460',
      nonce: '593BEC0C930BF1AFEB40B4A08C8FB242',
    });
    const message = `POST\n/v3/pay/transactions/jsapi\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n${ORDER}\n`;
    assert.equal(await page.textContent('#v3AuthMessage'), message);
    assert.equal(await text('#v3AuthLiteral'), JSON.stringify(message));
    const header = await text('#v3AuthHeader');
    const m = header.match(
      /^WECHATPAY2-SHA256-RSA2048 mchid="1900009191",nonce_str="593BEC0C930BF1AFEB40B4A08C8FB242",timestamp="1554208460",serial_no="408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB",signature="([A-Za-z0-9+/=]+)"$/,
    );
    assert.ok(m, header);
    assert.ok(createVerify('RSA-SHA256').update(message).verify(merchant.publicKey, m[1], 'base64'));
    // PKCS#1 v1.5 is deterministic: node:crypto's own signature is the same string.
    assert.equal(m[1], createSign('RSA-SHA256').update(message).sign(merchant.privateKey, 'base64'));
  });

  test('a PKCS#1 key, a GET with a query, and a generated timestamp and nonce', async () => {
    await build({
      privateKey: PKCS1,
      method: 'GET',
      url: '/v3/pay/transactions/out-trade-no/T20250101?mchid=1900009191',
      body: '',
      timestamp: '',
      nonce: '',
    });
    const header = await text('#v3AuthHeader');
    const f = Object.fromEntries([...header.matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    assert.match(f.timestamp, /^\d{10}$/);
    assert.ok(Math.abs(Number(f.timestamp) - Date.now() / 1000) < 120);
    assert.ok(f.nonce_str.length >= 16, f.nonce_str);
    const message = `GET\n/v3/pay/transactions/out-trade-no/T20250101?mchid=1900009191\n${f.timestamp}\n${f.nonce_str}\n\n`;
    assert.equal(await page.textContent('#v3AuthMessage'), message);
    assert.ok(createVerify('RSA-SHA256').update(message).verify(merchant.publicKey, f.signature, 'base64'));
  });

  test('a key that is not PEM shows INVALID_PARAM, and the next good call works', async () => {
    await build({ privateKey: 'not a key', method: 'POST', body: ORDER });
    assert.ok(await page.isVisible('#v3AuthError'));
    assert.match(await text('#v3AuthError'), /INVALID_PARAM/);
    assert.ok(!(await text('#v3AuthError')).includes('not a key'), 'the key text is not echoed');
    await build({ privateKey: PKCS8, timestamp: '1554208460', nonce: 'abc' });
    assert.ok(await page.isHidden('#v3AuthError'));
    assert.match(await text('#v3AuthHeader'), /^WECHATPAY2-SHA256-RSA2048 /);
  });
});

describe('v3 tab: callback', () => {
  test('a genuine callback (node:crypto) verifies, decrypts and matches the order', async () => {
    const cb = callback();
    const states = await verify(cb, {
      expect: { appid: 'wxd678efh567hg6787', mchId: MCH_ID, outTradeNo: 'T20250101', total: '1' },
    });
    assert.deepEqual(states, {
      chkV3Headers: 'pass',
      chkV3Probe: 'pass',
      chkV3Skew: 'pass',
      chkV3Serial: 'pass',
      chkV3Sign: 'pass',
      chkV3Decrypt: 'pass',
      chkV3Expect: 'pass',
      chkV3Paid: 'pass',
    });
    assert.deepEqual(JSON.parse(await text('#v3Resource')), cb.resource);
    assert.match(await page.getAttribute('#v3Verdict', 'class'), /\bok\b/);
    assert.match(await text('#v3Reply'), /^HTTP 20[04]\b/);
  });

  test('a body changed after signing shows SIGN_MISMATCH at the signature check, nothing decrypted', async () => {
    const cb = callback();
    const states = await verify({ ...cb, body: cb.body.replace('"summary":"支付成功"', '"summary":"支付失败"') });
    assert.equal(states.chkV3Headers, 'pass');
    assert.equal(states.chkV3Skew, 'pass');
    assert.equal(states.chkV3Serial, 'pass');
    assert.equal(states.chkV3Sign, 'fail');
    assert.equal(states.chkV3Decrypt, 'skip');
    assert.equal(states.chkV3Paid, 'skip');
    assert.equal(await page.getAttribute('#v3Verdict', 'data-code'), 'SIGN_MISMATCH');
    assert.match(await page.textContent('#v3Checks li[data-check="chkV3Sign"]'), /SIGN_MISMATCH/);
    assert.equal(await text('#v3Resource'), '');
    const reply = await text('#v3Reply');
    assert.match(reply, /^HTTP [45]\d\d\b/);
    assert.equal(JSON.parse(reply.slice(reply.indexOf('{'))).code, 'FAIL');
  });

  test('another key, a probe, an old timestamp, a wrong amount, an unknown serial: each at its own check', async () => {
    let s = await verify(callback({ signer: other.privateKey }));
    assert.equal(s.chkV3Sign, 'fail');
    s = await verify(callback({ signature: `WECHATPAY/SIGNTEST/${randomBytes(32).toString('base64')}` }));
    assert.equal(s.chkV3Probe, 'fail');
    assert.equal(await page.getAttribute('#v3Verdict', 'data-code'), 'SIGN_MISMATCH');
    const old = callback({ now: Math.floor(Date.now() / 1000) - 301 });
    s = await verify(old);
    assert.equal(s.chkV3Skew, 'fail');
    assert.equal(await page.getAttribute('#v3Verdict', 'data-code'), 'TIMESTAMP_SKEW');
    s = await verify(old, { atSendTime: true });
    assert.equal(s.chkV3Paid, 'pass', 'checked against its own time, an old genuine callback verifies');
    s = await verify(callback(), { expect: { total: '2' } });
    assert.equal(s.chkV3Decrypt, 'pass');
    assert.equal(s.chkV3Expect, 'fail');
    assert.equal(await page.getAttribute('#v3Verdict', 'data-code'), 'AMOUNT_MISMATCH');
    s = await verify(callback(), { serial: 'PUB_KEY_ID_0000000000000000000000000000000000' });
    assert.equal(s.chkV3Serial, 'fail');
    assert.equal(await page.getAttribute('#v3Verdict', 'data-code'), 'UNKNOWN_SERIAL');
    s = await verify(callback(), { apiV3Key: 'b'.repeat(32) });
    assert.equal(s.chkV3Sign, 'pass');
    assert.equal(s.chkV3Decrypt, 'fail');
    assert.equal(await page.getAttribute('#v3Verdict', 'data-code'), 'DECRYPT_FAILED');
  });
});

describe('v3 tab: keys stay local', () => {
  test('no request carries a key, and saving leaves the v3 keys out unless asked', async () => {
    for (const r of requests) {
      assert.equal(new URL(r.url).origin, env.origin, r.url);
      for (const secret of [API_V3_KEY, PKCS8.split('\n')[1], PKCS1.split('\n')[1]]) {
        assert.ok(!r.url.includes(secret) && !(r.body || '').includes(secret), `a key in ${r.url}`);
      }
    }
    await page.click('#saveState');
    const saved = await page.evaluate(() => localStorage.getItem('wxpay-wasm-debug'));
    assert.ok(saved.includes(MCH_ID), 'the other v3 inputs are saved');
    assert.ok(!saved.includes(API_V3_KEY) && !saved.includes(PKCS8.split('\n')[1]), 'no v3 key saved');
    await page.click('#clearState');
  });

  test('no console errors or warnings', () => {
    assert.deepEqual(problems, []);
  });
});

describe('v3 tab: screenshots', () => {
  for (const [label, viewport, english] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
    ['phone-en', PHONE, true],
  ]) {
    test(`${label}: header built, a tampered callback refused`, async () => {
      const { page: p, context, problems: issues } = await openPage(env, viewport);
      await p.waitForSelector('body[data-v3="ready"]', { state: 'attached', timeout: 30000 });
      if (english) await p.click('#lang');
      await p.click('.tabs button[data-tab="v3"]');
      await p.fill(auth('privateKey'), PKCS8);
      await p.fill(auth('timestamp'), '1554208460');
      await p.fill(auth('nonce'), '593BEC0C930BF1AFEB40B4A08C8FB242');
      await p.click('#v3AuthRun');
      await p.waitForSelector('#v3AuthOut:not([hidden])');
      const cb = callback();
      await p.fill(notify('headers'), cb.headers);
      await p.fill(notify('body'), cb.body.replace('支付成功', '支付失败'));
      await p.fill(notify('publicKey'), PLATFORM_PUB);
      await p.fill(notify('serial'), PUB_KEY_ID);
      await p.fill(notify('apiV3Key'), API_V3_KEY);
      await p.click('#v3NotifyRun');
      await p.waitForSelector('#v3Checks li');
      const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `v3 at ${label} width scrolls sideways by ${overflow}px`);
      await p.screenshot({ path: join(SHOTS, `v3-${label}.png`), fullPage: true });
      // And the genuine one, for the success view.
      await p.fill(notify('body'), cb.body);
      await p.click('#v3NotifyRun');
      await p.waitForSelector('#v3Verdict.ok');
      await p.locator('#v3NotifyOut').screenshot({ path: join(SHOTS, `v3-ok-${label}.png`) });
      assert.deepEqual(issues, []);
      await context.close();
    });
  }
});
