// End-to-end tests of the debugging page's mini-program push tab in Debian's Chromium. Every
// push is made here with node:crypto in WeChat's safe-mode layout (16 random bytes, 4-byte
// big-endian length, message, appid; PKCS#7 to 32; AES-256-CBC; SHA-1 signatures over the
// sorted parts), never by the package under test; the page must check and open it, and refuse
// the hostile ones at the right check, without sending anything anywhere.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { PHONE, SHOTS, openPage, startAll } from './helpers.mjs';

const TOKEN = 'pushToken2026';
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const APPID = 'wxd930ea5d5a258f4f';
const MESSAGE = {
  ToUserName: 'gh_1cb25a16f968',
  FromUserName: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
  CreateTime: 1765108800,
  MsgType: 'event',
  Event: 'trade_manage_order_settlement',
  transaction_id: '4200000001202612071234567890',
  merchant_trade_no: 'O20261207 测试 ✓',
};

const sha1 = (...parts) => createHash('sha1').update(parts.sort().join('')).digest('hex');

/** WeChat's Encrypt of `text`; `pad` and `appid` can be spoiled for hostile cases. */
function encrypt(text, { appid = APPID, spoilPadding = false } = {}) {
  const key = Buffer.from(`${AES_KEY}=`, 'base64');
  const msg = Buffer.from(text, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(msg.length);
  const plain = Buffer.concat([randomBytes(16), len, msg, Buffer.from(appid)]);
  const n = 32 - (plain.length % 32);
  const padding = Buffer.alloc(n, spoilPadding ? 0 : n);
  const c = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  c.setAutoPadding(false);
  return Buffer.concat([c.update(Buffer.concat([plain, padding])), c.final()]).toString('base64');
}

/** A safe-mode push: { query, body }, JSON or XML. */
function push({ format = 'json', appid, spoilPadding, truncate = false, timestamp = '1765108800' } = {}) {
  const text =
    format === 'xml'
      ? `<xml>${Object.entries(MESSAGE)
          .map(([k, v]) => `<${k}>${typeof v === 'number' ? v : `<![CDATA[${v}]]>`}</${k}>`)
          .join('')}</xml>`
      : JSON.stringify(MESSAGE);
  let enc = encrypt(text, { appid, spoilPadding });
  if (truncate) enc = Buffer.from(enc, 'base64').subarray(0, 48).toString('base64');
  const nonce = '1320562132';
  const query = `/wechat/push?signature=${sha1(TOKEN, timestamp, nonce)}&timestamp=${timestamp}&nonce=${nonce}&openid=${MESSAGE.FromUserName}&encrypt_type=aes&msg_signature=${sha1(TOKEN, timestamp, nonce, enc)}`;
  const body =
    format === 'xml'
      ? `<xml><ToUserName><![CDATA[${MESSAGE.ToUserName}]]></ToUserName><Encrypt><![CDATA[${enc}]]></Encrypt></xml>`
      : JSON.stringify({ ToUserName: MESSAGE.ToUserName, Encrypt: enc });
  return { query, body };
}

let env;
let p;
before(async () => {
  env = await startAll();
  p = await openPage(env);
  await p.page.waitForSelector('body[data-mp="ready"]', { state: 'attached', timeout: 30000 });
  await p.page.click('[data-tab="mp"]');
});
after(async () => {
  await p?.context.close();
  await env?.close();
});

/** Fills the form and runs it: { states: {check: state}, verdict, code, message, reply }. */
async function run({ query, body, token = TOKEN, aes = AES_KEY, appid = APPID }) {
  const { page } = p;
  for (const [name, v] of Object.entries({ query, body, token, encodingAESKey: aes, appid }))
    await page.fill(`#mpForm [name="${name}"]`, v);
  await page.click('#mpRun');
  await page.waitForSelector('#mpOut:not([hidden])');
  return page.evaluate(() => ({
    states: Object.fromEntries(
      [...document.querySelectorAll('#mpChecks li')].map((li) => [li.dataset.check, li.dataset.state]),
    ),
    verdict: document.getElementById('mpVerdict').className,
    code: document.getElementById('mpVerdict').dataset.code,
    message: document.getElementById('mpMessage').textContent,
    reply: document.getElementById('mpReply').textContent,
  }));
}

const allPass = { chkMpQuery: 'pass', chkMpSign: 'pass', chkMpDecrypt: 'pass', chkMpAppid: 'pass', chkMpParse: 'pass' };

test('a safe-mode JSON push is verified and decrypted; the reply is success', async () => {
  const r = await run(push());
  assert.deepEqual(r.states, allPass);
  assert.equal(r.verdict, 'verdict ok');
  assert.deepEqual(JSON.parse(r.message), MESSAGE);
  assert.equal(r.reply, 'HTTP 200\n\nsuccess');
});

test('a safe-mode XML push is opened too (values as strings)', async () => {
  const r = await run(push({ format: 'xml' }));
  assert.deepEqual(r.states, allPass);
  const m = JSON.parse(r.message);
  assert.equal(m.Event, MESSAGE.Event);
  assert.equal(m.merchant_trade_no, MESSAGE.merchant_trade_no);
  assert.equal(m.CreateTime, String(MESSAGE.CreateTime));
});

test('hostile pushes are refused at their check, and the next good one works', async () => {
  const good = push();
  const cases = [
    [
      { ...good, query: good.query.replace(/msg_signature=[0-9a-f]+/, `msg_signature=${'0'.repeat(40)}`) },
      'chkMpSign',
      'SIGN_MISMATCH',
    ],
    [
      { ...good, query: good.query.replace('timestamp=1765108800', 'timestamp=1765108801') },
      'chkMpSign',
      'SIGN_MISMATCH',
    ],
    [{ ...good, token: 'otherToken1' }, 'chkMpSign', 'SIGN_MISMATCH'],
    [push({ appid: 'wx0000000000000000' }), 'chkMpAppid', 'APPID_MISMATCH'],
    [push({ spoilPadding: true }), 'chkMpDecrypt', 'DECRYPT_FAILED'],
    [push({ truncate: true }), 'chkMpDecrypt', 'DECRYPT_FAILED'],
  ];
  for (const [input, check, code] of cases) {
    const r = await run(input);
    assert.equal(r.states[check], 'fail', `${code} at ${check}: ${JSON.stringify(r.states)}`);
    assert.equal(r.code, code);
    assert.equal(r.verdict, 'verdict bad');
    assert.equal(r.message, '');
    assert.match(r.reply, /^HTTP 400/);
  }
  assert.deepEqual((await run(good)).states, allPass);
});

test('the URL check (GET with echostr) and a plaintext push', async () => {
  const ts = '1765108800';
  const nonce = '42';
  const echo = await run({
    query: `?signature=${sha1(TOKEN, ts, nonce)}&echostr=8141893651&timestamp=${ts}&nonce=${nonce}`,
    body: '',
    aes: '',
    appid: '',
  });
  assert.equal(echo.reply, 'HTTP 200\n\n8141893651');
  assert.equal(echo.states.chkMpSign, 'pass');
  assert.equal(echo.states.chkMpDecrypt, 'skip');
  const plain = await run({
    query: `signature=${sha1(TOKEN, ts, nonce)}&timestamp=${ts}&nonce=${nonce}`,
    body: JSON.stringify(MESSAGE),
    aes: '',
    appid: '',
  });
  assert.equal(plain.states.chkMpSign, 'pass');
  assert.equal(plain.states.chkMpDecrypt, 'skip');
  assert.deepEqual(JSON.parse(plain.message), MESSAGE);
});

test('nothing left the page, the keys are not saved by default, English works, the phone layout fits', async () => {
  const { page, requests, problems } = p;
  const origin = env.origin;
  assert.deepEqual(
    requests.filter((r) => !r.url.startsWith(origin)),
    [],
  );
  assert.ok(requests.every((r) => r.method === 'GET'));
  await page.click('#saveState');
  const saved = await page.evaluate(() => JSON.stringify(localStorage));
  assert.ok(!saved.includes(AES_KEY) && !saved.includes(TOKEN), 'the Token and EncodingAESKey are secrets');
  await page.click('#clearState');
  await page.click('#lang');
  assert.equal(await page.textContent('[data-tab="mp"]'), 'Mini-program push');
  assert.match(await page.textContent('#mpChecks li[data-check="chkMpSign"]'), /SHA-1/);
  await page.click('#lang');
  assert.deepEqual(problems, []);
  const phone = await openPage(env, PHONE);
  await phone.page.waitForSelector('body[data-mp="ready"]', { state: 'attached' });
  await phone.page.click('[data-tab="mp"]');
  const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  assert.equal(overflow, false);
  await phone.page.screenshot({ path: join(SHOTS, 'mp-phone.png') });
  await phone.context.close();
});
