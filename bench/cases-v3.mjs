// The API v3 comparisons of issue 11: wxpay-wasm/v3 (pkg/v3/, built by
// `node scripts/build-pkg.mjs`) against the npm SDK wechatpay-node-v3 and a hand-written
// node:crypto loop, on the three calls a mini-program payment server makes per order:
// the request `Authorization` header, the payment callback (signature + AES-256-GCM) and
// the `wx.requestPayment` parameters. Every case's `check()` proves all three return the
// same thing from the same input before run.mjs times anything (and check.mjs runs the
// checks alone in `make test`). The v3 functions are async (WebCrypto does the RSA), so
// these cases are `async: true` and run.mjs awaits them.
//
// How wechatpay-node-v3 (2.2.1, dist/index.js) produces each result, read from its source:
// - Authorization: `buildAuthorization(method, url, body)` draws a nonce from Math.random
//   and the clock, then `getSignature(method, nonce, ts, url, body)` — the message
//   `METHOD\nURL\nTS\nNONCE\n` + `BODY\n` when the body is non-empty (+ `\n` for GET) —
//   signed by `sha256WithRsa` (crypto.createSign('RSA-SHA256').sign(pemString)), and
//   `getAuthorization(nonce, ts, signature)` writes the header. We call those two steps
//   with our nonce and timestamp, i.e. buildAuthorization with its random draws fixed.
//   (Its getSignature drops the trailing `\n` of an empty POST body, so the case uses a
//   real JSON body, which is what a JSAPI order sends.)
// - Callback: `verifySign({ timestamp, nonce, body, serial, signature })` looks the serial
//   up in the static `Pay.certificates` (filled by fetchCertificates; we preload it, as a
//   server does once), verifies `TS\nNONCE\nBODY\n` with createVerify, and returns a
//   boolean; it checks no time window and no probe prefix. Decryption is a separate
//   `decipher_gcm(ciphertext, associated_data, nonce, apiV3Key)` → JSON.parse. The peer
//   below is those two calls the way its README's handler chains them.
// - paySign: `transactions_jsapi` posts the order, then builds `{ appId, timeStamp,
//   nonceStr, package, signType: 'RSA' }` and `paySign = sign([appId, timeStamp,
//   nonceStr, package, ''].join('\n'))`. The peer is that block without the HTTP request.
// Ours: wxpay-wasm/v3 caches imported keys per PEM text (js/v3/api.js), so the "PEM string
// per call" row measures that cache, while wechatpay-node-v3 hands the PEM to createSign,
// which parses it on every call. The hand loops use KeyObjects parsed once: the floor.
import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  createSign,
  createVerify,
  generateKeyPairSync,
  randomBytes,
} from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import { PKG_URL } from './pkg.mjs';

const require = createRequire(import.meta.url);
/** The package's v3 entry as Node loads it (CommonJS build). */
export const V3_ENTRY = new URL('v3/node/index.cjs', PKG_URL);
const WxPay = require('wechatpay-node-v3');

// ---------------------------------------------------------------- keys and inputs

// Throwaway RSA-2048 keys made at run time: the merchant's (apiclient_key.pem) and the
// platform's (WeChat Pay public key, public-key mode). Fine for a benchmark, never for money.
const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const platform = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (k, type) => k.export({ type, format: 'pem' });
export const MERCHANT_KEY_PEM = pem(merchant.privateKey, 'pkcs8');
const MERCHANT_PUB_PEM = pem(merchant.publicKey, 'spki');
export const PLATFORM_PUB_PEM = pem(platform.publicKey, 'spki');

export const MCH_ID = '1900009191';
export const APPID = 'wxd678efh567hg6787';
export const SERIAL_NO = '408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB';
export const PUB_KEY_ID = 'PUB_KEY_ID_0119000091912025010100000000000001';
export const API_V3_KEY = 'a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6'; // 32 bytes, as the merchant platform sets it
const PREPAY_ID = 'wx201410272009395522657a690389285100';

/** A JSAPI order body, the request a mini-program payment starts with. */
export const ORDER_BODY = JSON.stringify({
  appid: APPID,
  mchid: MCH_ID,
  description: 'Image形象店-深圳腾大-QQ公仔',
  out_trade_no: '1217752501201407033233368018',
  notify_url: 'https://pay.example.com/wxpay/v3/notify',
  amount: { total: 100, currency: 'CNY' },
  payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
});
const ORDER_URL = '/v3/pay/transactions/jsapi';
const TIMESTAMP = '1554208460';
const NONCE = '593BEC0C930BF1AFEB40B4A08C8FB242';

/** `METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n`, WeChat's request message, written out. */
export const requestMessage = (method, url, ts, nonce, body) => `${method}\n${url}\n${ts}\n${nonce}\n${body}\n`;

/**
 * A signed TRANSACTION.SUCCESS callback of about `bytes` bytes: the resource encrypted with
 * AES-256-GCM under the APIv3 key (tag appended, as WeChat does), the body signed by the
 * platform key over `TS\nNONCE\nBODY\n` with the current time. `attach` pads it out.
 */
export function makeCallback(bytes = 1024, now = Math.floor(Date.now() / 1000)) {
  const resource = {
    mchid: MCH_ID,
    appid: APPID,
    out_trade_no: '1217752501201407033233368018',
    transaction_id: '4200000000202501012345678901',
    trade_type: 'JSAPI',
    trade_state: 'SUCCESS',
    trade_state_desc: '支付成功',
    bank_type: 'CMC',
    attach: '',
    success_time: '2025-01-01T10:34:56+08:00',
    payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
    amount: { total: 100, payer_total: 100, currency: 'CNY', payer_currency: 'CNY' },
  };
  const encrypt = (plain) => {
    const nonce = randomBytes(6).toString('hex'); // 12 characters, like WeChat's
    const c = createCipheriv('aes-256-gcm', Buffer.from(API_V3_KEY), Buffer.from(nonce));
    c.setAAD(Buffer.from('transaction'));
    const ct = Buffer.concat([c.update(plain, 'utf8'), c.final(), c.getAuthTag()]);
    return {
      original_type: 'transaction',
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext: ct.toString('base64'),
      associated_data: 'transaction',
      nonce,
    };
  };
  const envelope = (res) =>
    JSON.stringify({
      id: 'EV-2018022511223320873',
      create_time: '2025-01-01T10:34:57+08:00',
      resource_type: 'encrypt-resource',
      event_type: 'TRANSACTION.SUCCESS',
      summary: '支付成功',
      resource: res,
    });
  // Base64 grows 4/3 per byte of attach: fill in one step, then top up to the size.
  resource.attach = 'a'.repeat(
    Math.max(0, Math.floor(((bytes - envelope(encrypt(JSON.stringify(resource))).length) * 3) / 4)),
  );
  while (envelope(encrypt(JSON.stringify(resource))).length < bytes - 3) resource.attach += 'a';
  const body = envelope(encrypt(JSON.stringify(resource)));
  const timestamp = String(now);
  const nonce = randomBytes(16).toString('hex').toUpperCase();
  const signature = createSign('RSA-SHA256')
    .update(`${timestamp}\n${nonce}\n${body}\n`)
    .sign(platform.privateKey, 'base64');
  const headers = {
    'Wechatpay-Timestamp': timestamp,
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Signature': signature,
    'Wechatpay-Serial': PUB_KEY_ID,
    'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
  };
  return { body, headers, resource };
}

// ---------------------------------------------------------------- peers

/** wechatpay-node-v3 configured with a serial_no (so it parses no merchant certificate). */
const pay = new WxPay({
  appid: APPID,
  mchid: MCH_ID,
  publicKey: Buffer.from(MERCHANT_PUB_PEM),
  privateKey: Buffer.from(MERCHANT_KEY_PEM),
  serial_no: SERIAL_NO,
  key: API_V3_KEY,
});
WxPay.certificates[PUB_KEY_ID] = PLATFORM_PUB_PEM; // what fetchCertificates would have stored

function peerAuthorization(method, url, ts, nonce, body) {
  return pay.getAuthorization(nonce, ts, pay.getSignature(method, nonce, ts, url, body));
}

/** The peer's callback handling: verifySign, then decipher_gcm of the resource. */
async function peerVerifyNotify(body, headers) {
  const ok = await pay.verifySign({
    timestamp: headers['Wechatpay-Timestamp'],
    nonce: headers['Wechatpay-Nonce'],
    body,
    serial: headers['Wechatpay-Serial'],
    signature: headers['Wechatpay-Signature'],
  });
  if (!ok) throw new Error('verifySign: false');
  const r = JSON.parse(body).resource;
  return pay.decipher_gcm(r.ciphertext, r.associated_data, r.nonce, API_V3_KEY);
}

function peerPayParams(timeStamp, nonceStr) {
  const data = { appId: APPID, timeStamp, nonceStr, package: `prepay_id=${PREPAY_ID}`, signType: 'RSA', paySign: '' };
  data.paySign = pay.sign([data.appId, data.timeStamp, data.nonceStr, data.package, ''].join('\n'));
  return data;
}

// What a careful hand-written server does with node:crypto: keys parsed once into KeyObjects.
const handKey = createPrivateKey(MERCHANT_KEY_PEM);
const handPub = { [PUB_KEY_ID]: createPublicKey(PLATFORM_PUB_PEM) };
const handApiKey = Buffer.from(API_V3_KEY);

function handAuthorization(method, url, ts, nonce, body) {
  const sig = createSign('RSA-SHA256')
    .update(requestMessage(method, url, ts, nonce, body))
    .sign(handKey, 'base64');
  return `WECHATPAY2-SHA256-RSA2048 mchid="${MCH_ID}",nonce_str="${nonce}",timestamp="${ts}",serial_no="${SERIAL_NO}",signature="${sig}"`;
}

/** Headers present, probe refused, 300 s window, key by serial, signature, then AES-256-GCM. */
function handVerifyNotify(body, headers) {
  const ts = headers['Wechatpay-Timestamp'];
  const nonce = headers['Wechatpay-Nonce'];
  const sig = headers['Wechatpay-Signature'];
  const key = handPub[headers['Wechatpay-Serial']];
  if (!ts || !nonce || !sig) throw new Error('SIGN_MISSING');
  if (sig.startsWith('WECHATPAY/SIGNTEST/')) throw new Error('probe');
  if (Math.abs(Date.now() / 1000 - Number(ts)) > 300) throw new Error('TIMESTAMP_SKEW');
  if (!key) throw new Error('UNKNOWN_SERIAL');
  if (!createVerify('RSA-SHA256').update(`${ts}\n${nonce}\n${body}\n`).verify(key, sig, 'base64'))
    throw new Error('SIGN_MISMATCH');
  const cb = JSON.parse(body);
  const r = cb.resource;
  const ct = Buffer.from(r.ciphertext, 'base64');
  const d = createDecipheriv('aes-256-gcm', handApiKey, Buffer.from(r.nonce));
  d.setAAD(Buffer.from(r.associated_data));
  d.setAuthTag(ct.subarray(ct.length - 16));
  const plain = Buffer.concat([d.update(ct.subarray(0, ct.length - 16)), d.final()]);
  return { ...cb, resource: JSON.parse(plain.toString('utf8')) };
}

function handPayParams(timeStamp, nonceStr) {
  const pkg = `prepay_id=${PREPAY_ID}`;
  const paySign = createSign('RSA-SHA256')
    .update(`${APPID}\n${timeStamp}\n${nonceStr}\n${pkg}\n`)
    .sign(handKey, 'base64');
  return { appId: APPID, timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign };
}

/** Random draws like the peer's, so the hand loop pays for a fresh nonce too. */
const freshNonce = () => randomBytes(16).toString('hex');
const nowStr = () => String(Math.floor(Date.now() / 1000));

// ---------------------------------------------------------------- cases

/**
 * The v3 cases, or none with `reason` when this tree has no v3 entry yet (no
 * src/wasm/v3.rs). Once src/wasm/v3.rs exists a missing pkg/v3 is an error: build it.
 */
export function v3Cases() {
  const hasV3Source = existsSync(new URL('../src/wasm/v3.rs', import.meta.url));
  if (!existsSync(V3_ENTRY)) {
    if (hasV3Source) throw new Error(`${V3_ENTRY.pathname} is missing: run node scripts/build-pkg.mjs first`);
    return { cases: [], reason: 'this tree has no v3 entry yet (src/wasm/v3.rs absent)' };
  }
  return { cases: build(require(V3_ENTRY.pathname)) };
}

/** The cases for a loaded v3 module (exported so a test can hand in another build). */
export function build(v3) {
  const TARGET = 'wechatpay-node-v3';
  // Issue 15: no slower than the SDK, and within 1.1× of the hand-written node:crypto loop.
  const targets = (hand) => [
    { vs: TARGET, ratio: 1.0 },
    { vs: hand, ratio: 1 / 1.1 },
  ];
  let imported;
  const key = async () => (imported ??= await v3.importPrivateKey(MERCHANT_KEY_PEM));
  const authOpts = (privateKey) => ({
    mchId: MCH_ID,
    serialNo: SERIAL_NO,
    privateKey,
    method: 'POST',
    url: ORDER_URL,
    body: ORDER_BODY,
    timestamp: TIMESTAMP,
    nonce: NONCE,
  });
  const authPeers = {
    [TARGET]: () => peerAuthorization('POST', ORDER_URL, TIMESTAMP, NONCE, ORDER_BODY),
    'node:crypto by hand (KeyObject)': () => handAuthorization('POST', ORDER_URL, TIMESTAMP, NONCE, ORDER_BODY),
  };
  const checkAuthorization = async (name, ours) => {
    const want = authPeers['node:crypto by hand (KeyObject)']();
    const sig = want.match(/signature="([^"]+)"/)[1];
    assert.ok(
      createVerify('RSA-SHA256')
        .update(requestMessage('POST', ORDER_URL, TIMESTAMP, NONCE, ORDER_BODY))
        .verify(MERCHANT_PUB_PEM, sig, 'base64'),
      `${name}: reference`,
    );
    assert.equal(await ours(), want, `${name}: ours`);
    assert.equal(authPeers[TARGET](), want, `${name}: ${TARGET}`);
  };

  // The callback is remade by check(), right before it is timed, so its timestamp is fresh.
  let cb = makeCallback(1024);
  const expect = { appid: APPID, mchId: MCH_ID, outTradeNo: '1217752501201407033233368018', total: 100 };
  const notifyOpts = () => ({ apiV3Key: API_V3_KEY, publicKeys: { [PUB_KEY_ID]: PLATFORM_PUB_PEM }, ...expect });

  const payOpts = { appId: APPID, prepayId: PREPAY_ID };

  return [
    {
      name: 'v3 authorization (key from importPrivateKey)',
      async: true,
      targets: targets('node:crypto by hand (KeyObject)'),
      ours: async () => v3.authorization(authOpts(await key())),
      peers: authPeers,
      check() {
        return checkAuthorization(this.name, this.ours);
      },
    },
    {
      name: 'v3 authorization (PEM string per call)',
      async: true,
      targets: targets('node:crypto by hand (KeyObject)'),
      ours: () => v3.authorization(authOpts(MERCHANT_KEY_PEM)),
      peers: authPeers,
      check() {
        return checkAuthorization(this.name, this.ours);
      },
    },
    {
      name: `v3 verifyNotify ${cb.body.length} B callback`,
      async: true,
      targets: targets('node:crypto by hand'),
      ours: () => v3.verifyNotify(cb.body, cb.headers, notifyOpts()),
      peers: {
        [TARGET]: () => peerVerifyNotify(cb.body, cb.headers),
        'node:crypto by hand': () => handVerifyNotify(cb.body, cb.headers),
      },
      async check() {
        cb = makeCallback(1024);
        assert.ok(cb.body.length >= 1000 && cb.body.length <= 1100, `callback size ${cb.body.length}`);
        const { paid, resource, ...rest } = await this.ours();
        assert.equal(paid, true, 'ours: paid');
        assert.deepEqual(resource, cb.resource, 'ours: decrypted resource');
        const hand = handVerifyNotify(cb.body, cb.headers);
        assert.deepEqual({ ...rest, resource }, hand, 'ours: envelope');
        assert.deepEqual(await peerVerifyNotify(cb.body, cb.headers), cb.resource, TARGET);
        // A body changed after signing: every implementation must refuse it.
        const bad = cb.body.replace('"summary":"支付成功"', '"summary":"支付成功 "');
        assert.notEqual(bad, cb.body);
        await assert.rejects(
          v3.verifyNotify(bad, cb.headers, notifyOpts()),
          (e) => e.code === 'SIGN_MISMATCH',
          'ours accepts a changed body',
        );
        await assert.rejects(peerVerifyNotify(bad, cb.headers), /verifySign: false/, TARGET);
        assert.throws(() => handVerifyNotify(bad, cb.headers), /SIGN_MISMATCH/, 'hand');
      },
    },
    {
      // All three draw a fresh timeStamp and nonceStr per call, as a server does.
      name: 'v3 requestPaymentParams',
      async: true,
      targets: targets('node:crypto by hand (KeyObject)'),
      ours: async () => v3.requestPaymentParams({ ...payOpts, privateKey: await key() }),
      peers: {
        [TARGET]: () => peerPayParams(nowStr(), Math.random().toString(36).substr(2, 15)),
        'node:crypto by hand (KeyObject)': () => handPayParams(nowStr(), freshNonce()),
      },
      async check() {
        const { timeStamp, nonceStr } = this.peers[TARGET]();
        const want = handPayParams(timeStamp, nonceStr);
        const msg = `${APPID}\n${timeStamp}\n${nonceStr}\nprepay_id=${PREPAY_ID}\n`;
        assert.ok(createVerify('RSA-SHA256').update(msg).verify(MERCHANT_PUB_PEM, want.paySign, 'base64'), 'reference');
        const ours = await v3.requestPaymentParams({ ...payOpts, privateKey: await key(), timeStamp, nonceStr });
        assert.deepEqual({ ...ours }, want, 'ours');
        assert.deepEqual(peerPayParams(timeStamp, nonceStr), want, TARGET);
        const fresh = await this.ours();
        assert.match(fresh.timeStamp, /^\d{10}$/);
        assert.match(fresh.nonceStr, /^[A-Za-z0-9]{16,32}$/);
        assert.ok(
          createVerify('RSA-SHA256')
            .update(`${APPID}\n${fresh.timeStamp}\n${fresh.nonceStr}\n${fresh.package}\n`)
            .verify(MERCHANT_PUB_PEM, fresh.paySign, 'base64'),
          'ours fresh',
        );
      },
    },
  ];
}
