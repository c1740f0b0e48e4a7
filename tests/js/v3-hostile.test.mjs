// wxpay-wasm/v3 under hostile input: each case must fail with its EXACT code, and the
// next good call must still work (the module stays healthy). Messages must never carry
// key material. Signed inputs come from node:crypto (support/v3-reference.mjs).
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import * as v3 from '../../pkg/v3/node/index.mjs';
import wxpayV2 from '../../pkg/node/index.cjs';
import {
  GENERATED as G,
  callbackBody,
  gcmEncrypt,
  rsaSign,
  responseMessage,
  signedHeaders,
} from './support/v3-reference.mjs';

const NOW = G.now;
const platform = {
  serial: G.certificates.platform.serial,
  priv: G.keys.platform.private_pkcs8,
  pem: G.certificates.platform.pem,
};
const pub = { serial: G.pub_key_id, priv: G.keys.pubkey.private_pkcs8, pem: G.keys.pubkey.public_spki };
const publicKeys = { [platform.serial]: platform.pem, [pub.serial]: pub.pem };
const KEY = G.api_v3_key;

const PLAIN = {
  mchid: G.mchid,
  appid: G.appid,
  out_trade_no: 'T1',
  transaction_id: '42',
  trade_state: 'SUCCESS',
  amount: { total: 100, payer_total: 100, currency: 'CNY' },
};
const BODY = callbackBody(PLAIN, KEY);
const HEADERS = signedHeaders(pub.priv, pub.serial, BODY, { timestamp: NOW });
const notifyOpts = { apiV3Key: KEY, publicKeys, now: NOW };

/** The good calls every bad one is followed by. */
async function healthy() {
  const n = await v3.verifyNotify(BODY, HEADERS, notifyOpts);
  assert.equal(n.paid, true);
  const h = await v3.authorization({
    mchId: G.mchid,
    serialNo: G.certificates.merchant.serial,
    privateKey: G.keys.merchant.private_pkcs8,
    method: 'GET',
    url: '/v3/certificates',
  });
  assert.match(h, /^WECHATPAY2-SHA256-RSA2048 /);
}
/** `promise` must reject with exactly `code`, as a WxPayError with no key material in its message. */
async function refuses(promise, code, label) {
  let err;
  try {
    await promise;
  } catch (e) {
    err = e;
  }
  assert.ok(err, `${label}: expected ${code}, it succeeded`);
  assert.ok(err instanceof v3.WxPayError, `${label}: not a WxPayError: ${err?.stack}`);
  assert.equal(err.code, code, `${label}: ${err.message}`);
  for (const secret of [
    KEY,
    G.keys.merchant.private_pkcs8.split('\n')[1],
    G.keys.pubkey.private_pkcs8.split('\n')[1],
  ]) {
    assert.ok(!err.message.includes(secret), `${label}: key material in the message`);
  }
  await healthy();
  return err;
}
const resign = (body, signer = pub, extra = {}) =>
  signedHeaders(signer.priv, signer.serial, body, { timestamp: NOW, ...extra });
/** A callback body with its resource changed by `f`, signed again (so only the resource is wrong). */
function withResource(f, signer = pub) {
  const outer = JSON.parse(BODY);
  f(outer.resource);
  const body = JSON.stringify(outer);
  return [body, resign(body, signer)];
}
const flipB64 = (b64, at) => {
  const bytes = Buffer.from(b64, 'base64');
  bytes[at < 0 ? bytes.length + at : at] ^= 1;
  return bytes.toString('base64');
};

test('one WxPayError class across wxpay-wasm and wxpay-wasm/v3', async () => {
  assert.equal(v3.WxPayError, wxpayV2.WxPayError);
  const err = await refuses(v3.verifySignature(BODY, {}, { publicKeys, now: NOW }), 'SIGN_MISSING', 'no headers');
  assert.ok(err instanceof wxpayV2.WxPayError);
});

test('signature checks: changed body, other key, the certificate key under the public key id, unknown serial', async () => {
  await refuses(
    v3.verifyNotify(BODY.replace('"EV-1"', '"EV-2"'), HEADERS, notifyOpts),
    'SIGN_MISMATCH',
    'body changed after signing',
  );
  await refuses(v3.verifyNotify(Buffer.from(BODY + ' '), HEADERS, notifyOpts), 'SIGN_MISMATCH', 'trailing space');
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' });
  await refuses(
    v3.verifyNotify(BODY, resign(BODY, { ...pub, priv: other }), notifyOpts),
    'SIGN_MISMATCH',
    'another key',
  );
  await refuses(
    v3.verifyNotify(BODY, resign(BODY, { ...pub, priv: platform.priv }), notifyOpts),
    'SIGN_MISMATCH',
    'certificate key under PUB_KEY_ID',
  );
  await refuses(
    v3.verifyNotify(BODY, resign(BODY, { ...platform, priv: pub.priv }), notifyOpts),
    'SIGN_MISMATCH',
    'public key under the certificate serial',
  );
  await refuses(
    v3.verifyNotify(
      BODY,
      resign(BODY, { ...pub, serial: 'PUB_KEY_ID_0000000000000000000000000000000000' }),
      notifyOpts,
    ),
    'UNKNOWN_SERIAL',
    'unknown public key id',
  );
  const unknown = await refuses(
    v3.verifyNotify(BODY, resign(BODY, { ...platform, serial: '1234ABCD' }), notifyOpts),
    'UNKNOWN_SERIAL',
    'unknown certificate serial',
  );
  assert.equal(unknown.serial, '1234ABCD');
  // The signature of another message with the right key.
  const wrongMsg = rsaSign(pub.priv, responseMessage(NOW, 'other-nonce', BODY));
  await refuses(
    v3.verifyNotify(BODY, { ...HEADERS, 'Wechatpay-Signature': wrongMsg }, notifyOpts),
    'SIGN_MISMATCH',
    'signature over another nonce',
  );
  await refuses(
    v3.verifyNotify(BODY, { ...HEADERS, 'Wechatpay-Signature': 'bm90IGEgc2lnbmF0dXJl' }, notifyOpts),
    'SIGN_MISMATCH',
    'short signature',
  );
  await refuses(
    v3.verifyNotify(BODY, { ...HEADERS, 'Wechatpay-Signature': '!!!' }, notifyOpts),
    'SIGN_MISMATCH',
    'non-Base64 signature',
  );
});

test('WECHATPAY/SIGNTEST/ probes fail with SIGN_MISMATCH', async () => {
  for (const sig of [
    'WECHATPAY/SIGNTEST/',
    'WECHATPAY/SIGNTEST/abc',
    `WECHATPAY/SIGNTEST/${HEADERS['Wechatpay-Signature']}`,
  ]) {
    await refuses(
      v3.verifySignature(BODY, { ...HEADERS, 'Wechatpay-Signature': sig }, { publicKeys, now: NOW }),
      'SIGN_MISMATCH',
      `probe ${sig.slice(0, 25)}`,
    );
    await refuses(
      v3.verifyNotify(BODY, { ...HEADERS, 'Wechatpay-Signature': sig }, notifyOpts),
      'SIGN_MISMATCH',
      'probe notify',
    );
  }
});

test('timestamps: ±300 s pass, ±301 s fail with TIMESTAMP_SKEW, maxSkewSeconds moves the window', async () => {
  for (const d of [-300, 300]) {
    await v3.verifySignature(BODY, resign(BODY, pub, { timestamp: NOW + d }), { publicKeys, now: NOW });
  }
  for (const d of [-301, 301, -1e6]) {
    const err = await refuses(
      v3.verifySignature(BODY, resign(BODY, pub, { timestamp: NOW + d }), { publicKeys, now: NOW }),
      'TIMESTAMP_SKEW',
      `skew ${d}`,
    );
    assert.equal(err.skewSeconds, String(-d));
  }
  await refuses(
    v3.verifySignature(BODY, resign(BODY, pub, { timestamp: NOW + 61 }), { publicKeys, now: NOW, maxSkewSeconds: 60 }),
    'TIMESTAMP_SKEW',
    'maxSkewSeconds 60',
  );
  await v3.verifySignature(BODY, resign(BODY, pub, { timestamp: NOW + 60 }), {
    publicKeys,
    now: new Date(NOW * 1000),
    maxSkewSeconds: 60,
  });
  // Without `now`, the clock is used: the fixture's 2025 timestamp is far from it.
  await refuses(v3.verifySignature(BODY, HEADERS, { publicKeys }), 'TIMESTAMP_SKEW', 'real clock');
  await refuses(
    v3.verifySignature(BODY, resign(BODY, pub, { timestamp: 'abc' }), { publicKeys, now: NOW }),
    'INVALID_FIELD',
    'non-numeric timestamp',
  );
  await refuses(
    v3.verifySignature(BODY, HEADERS, { publicKeys, now: NOW * 1000 }),
    'INVALID_PARAM',
    'now in milliseconds',
  );
});

test('missing or doubled headers', async () => {
  for (const name of ['Wechatpay-Signature', 'Wechatpay-Serial', 'Wechatpay-Timestamp', 'Wechatpay-Nonce']) {
    const h = { ...HEADERS };
    delete h[name];
    await refuses(v3.verifyNotify(BODY, h, notifyOpts), 'SIGN_MISSING', `no ${name}`);
    await refuses(v3.verifyNotify(BODY, { ...h, [name]: '' }, notifyOpts), 'SIGN_MISSING', `empty ${name}`);
  }
  await refuses(
    v3.verifyNotify(BODY, { ...HEADERS, 'wechatpay-serial': platform.serial }, notifyOpts),
    'DUPLICATE_FIELD',
    'Wechatpay-Serial twice, two cases',
  );
  await refuses(
    v3.verifyNotify(BODY, { ...HEADERS, 'Wechatpay-Serial': [pub.serial, pub.serial] }, notifyOpts),
    'INVALID_PARAM',
    'array header',
  );
  await refuses(v3.verifyNotify(BODY, null, notifyOpts), 'INVALID_PARAM', 'headers null');
  await refuses(v3.verifyNotify(BODY, 'x', notifyOpts), 'INVALID_PARAM', 'headers string');
});

test('resource tampering under a valid signature: ciphertext, tag, nonce, associated_data, algorithm', async () => {
  const cases = [
    [
      'ciphertext byte',
      (r) => {
        r.ciphertext = flipB64(r.ciphertext, 0);
      },
    ],
    [
      'tag byte',
      (r) => {
        r.ciphertext = flipB64(r.ciphertext, -1);
      },
    ],
    [
      'tag cut off',
      (r) => {
        r.ciphertext = Buffer.from(r.ciphertext, 'base64').subarray(0, -16).toString('base64');
      },
    ],
    [
      'nonce',
      (r) => {
        r.nonce = r.nonce.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'));
      },
    ],
    [
      'associated_data',
      (r) => {
        r.associated_data = 'certificate';
      },
    ],
    [
      'associated_data dropped',
      (r) => {
        delete r.associated_data;
      },
    ],
    [
      'ciphertext not Base64',
      (r) => {
        r.ciphertext = '***';
      },
    ],
  ];
  for (const [label, f] of cases) {
    const [body, headers] = withResource(f);
    await refuses(v3.verifyNotify(body, headers, notifyOpts), 'DECRYPT_FAILED', label);
  }
  const [body, headers] = withResource((r) => {
    r.algorithm = 'AEAD_AES_128_GCM';
  });
  await refuses(v3.verifyNotify(body, headers, notifyOpts), 'DECRYPT_FAILED', 'other algorithm');
  // A resource without the members WeChat always writes is not the document expected.
  for (const [label, f] of [
    [
      'no ciphertext',
      (r) => {
        delete r.ciphertext;
      },
    ],
    [
      'empty ciphertext',
      (r) => {
        r.ciphertext = '';
      },
    ],
    [
      'no nonce',
      (r) => {
        delete r.nonce;
      },
    ],
    [
      'numeric associated_data',
      (r) => {
        r.associated_data = 1;
      },
    ],
  ]) {
    const [b, h] = withResource(f);
    await refuses(v3.verifyNotify(b, h, notifyOpts), 'INVALID_JSON', label);
  }
});

test('APIv3 key: wrong key DECRYPT_FAILED, wrong length INVALID_PARAM', async () => {
  await refuses(
    v3.verifyNotify(BODY, HEADERS, { ...notifyOpts, apiV3Key: G.other_api_v3_key }),
    'DECRYPT_FAILED',
    'wrong APIv3 key',
  );
  await refuses(
    v3.verifyNotify(BODY, HEADERS, { ...notifyOpts, apiV3Key: KEY.slice(1) }),
    'INVALID_PARAM',
    '31-byte key',
  );
  await refuses(v3.decryptResource(JSON.parse(BODY).resource, `${KEY}x`), 'INVALID_PARAM', '33-byte key');
  await refuses(
    v3.decryptResource(JSON.parse(BODY).resource, G.other_api_v3_key),
    'DECRYPT_FAILED',
    'decryptResource wrong key',
  );
  await refuses(v3.verifyNotify(BODY, HEADERS, { publicKeys, now: NOW }), 'INVALID_PARAM', 'no apiV3Key');
});

test('expectations: appid, mchId, outTradeNo, total', async () => {
  await v3.verifyNotify(BODY, HEADERS, { ...notifyOpts, appid: G.appid, mchId: G.mchid, outTradeNo: 'T1', total: 100 });
  await refuses(
    v3.verifyNotify(BODY, HEADERS, { ...notifyOpts, appid: 'wx0000000000000000' }),
    'APPID_MISMATCH',
    'appid',
  );
  await refuses(v3.verifyNotify(BODY, HEADERS, { ...notifyOpts, mchId: '1900000000' }), 'MCH_ID_MISMATCH', 'mchId');
  await refuses(
    v3.verifyNotify(BODY, HEADERS, { ...notifyOpts, outTradeNo: 'T2' }),
    'OUT_TRADE_NO_MISMATCH',
    'outTradeNo',
  );
  await refuses(v3.verifyNotify(BODY, HEADERS, { ...notifyOpts, total: 101 }), 'AMOUNT_MISMATCH', 'total');
  await refuses(v3.verifyNotify(BODY, HEADERS, { ...notifyOpts, total: '100' }), 'INVALID_PARAM', 'total as string');
  // An expectation the resource cannot meet because the field is absent.
  const noAmount = callbackBody({ ...PLAIN, amount: undefined }, KEY);
  await refuses(
    v3.verifyNotify(noAmount, resign(noAmount), { ...notifyOpts, total: 100 }),
    'AMOUNT_MISMATCH',
    'no amount',
  );
});

test('a signed envelope member named `paid` cannot set the paid flag; the result keeps the envelope as sent', async () => {
  const failed = callbackBody({ ...PLAIN, trade_state: 'PAYERROR' }, KEY);
  const outer = { paid: true, ...JSON.parse(failed), extra: { n: 12345678901234567890, s: 'é\u0000' } };
  const body = JSON.stringify(outer);
  const n = await v3.verifyNotify(body, resign(body), notifyOpts);
  assert.equal(n.paid, false);
  // Members in the order sent, `paid` moved to the end, `resource` decrypted in its place.
  assert.deepEqual(Object.keys(n), [...Object.keys(outer).filter((k) => k !== 'paid'), 'paid']);
  assert.deepEqual(n.resource, { ...PLAIN, trade_state: 'PAYERROR' });
  assert.deepEqual(n.extra, outer.extra);
  // A Buffer body gives the same object as the string.
  assert.deepEqual(await v3.verifyNotify(Buffer.from(body), resign(body), notifyOpts), n);
});

test('not JSON: the body and the decrypted resource', async () => {
  for (const body of ['', 'not json', '{"id":1', '[]', '{"id":"a","id":"b"}']) {
    await refuses(
      v3.verifyNotify(body, resign(body), notifyOpts),
      body === '{"id":"a","id":"b"}' ? 'INVALID_JSON' : 'INVALID_JSON',
      `body ${JSON.stringify(body)}`,
    );
  }
  const outer = JSON.parse(BODY);
  outer.resource.ciphertext = gcmEncrypt(
    KEY,
    outer.resource.nonce,
    outer.resource.associated_data,
    'plain text, not JSON',
  );
  const body = JSON.stringify(outer);
  await refuses(v3.verifyNotify(body, resign(body), notifyOpts), 'INVALID_JSON', 'resource not JSON');
  await refuses(
    v3.verifyNotify(Buffer.from([0x7b, 0xff, 0x7d]), resign(Buffer.from([0x7b, 0xff, 0x7d])), notifyOpts),
    'INVALID_JSON',
    'invalid UTF-8',
  );
});

test('huge bodies are refused before they are copied', async () => {
  const huge = 'x'.repeat(2 * 1024 * 1024);
  await refuses(v3.verifyNotify(huge, HEADERS, notifyOpts), 'INPUT_TOO_LARGE', 'huge string');
  await refuses(
    v3.verifySignature(Buffer.alloc(2 * 1024 * 1024, 0x20), HEADERS, { publicKeys, now: NOW }),
    'INPUT_TOO_LARGE',
    'huge Buffer',
  );
  await refuses(v3.parseCertificates(huge, KEY), 'INPUT_TOO_LARGE', 'huge certificates body');
});

test('bad PEMs and keys', async () => {
  const bad = [
    ['not a PEM', 'hello'],
    ['empty', ''],
    ['EC private key', G.bad_keys.ec_pkcs8],
    ['encrypted PKCS#8', G.bad_keys.encrypted_pkcs8],
    ['a public key as private key', G.keys.merchant.public_spki],
    ['a certificate as private key', G.certificates.merchant.pem],
    ['truncated body', G.keys.merchant.private_pkcs8.replace(/\n[^\n]+\n-----END/, '\n-----END')],
    ['garbage Base64', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'],
  ];
  for (const [label, pem] of bad) {
    await refuses(v3.importPrivateKey(pem), 'INVALID_PARAM', `importPrivateKey: ${label}`);
    await refuses(
      v3.authorization({
        mchId: G.mchid,
        serialNo: G.certificates.merchant.serial,
        privateKey: pem,
        method: 'GET',
        url: '/v3/certificates',
      }),
      'INVALID_PARAM',
      `authorization: ${label}`,
    );
  }
  for (const [label, pem] of [
    ['not a PEM', 'hello'],
    ['EC public key', G.bad_keys.ec_public],
    ['a private key as public key', G.keys.pubkey.private_pkcs8],
    ['garbage', '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n'],
  ]) {
    await refuses(
      v3.verifyNotify(BODY, HEADERS, { ...notifyOpts, publicKeys: { [pub.serial]: pem } }),
      'INVALID_PARAM',
      `publicKeys: ${label}`,
    );
    await refuses(v3.encryptSensitive('x', pem), 'INVALID_PARAM', `encryptSensitive: ${label}`);
  }
  await refuses(
    v3.authorization({
      mchId: G.mchid,
      serialNo: G.certificates.merchant.serial,
      privateKey: {},
      method: 'GET',
      url: '/v3/certificates',
    }),
    'INVALID_PARAM',
    'privateKey {}',
  );
  await refuses(v3.verifyNotify(BODY, HEADERS, { ...notifyOpts, publicKeys: {} }), 'INVALID_PARAM', 'publicKeys empty');
  await refuses(
    v3.verifyNotify(BODY, HEADERS, { ...notifyOpts, publicKeys: { [pub.serial]: 42 } }),
    'INVALID_PARAM',
    'publicKeys value not a string',
  );
});

test('strict options: unknown names refused with a suggestion', async () => {
  const err = await refuses(
    v3.verifyNotify(BODY, HEADERS, { ...notifyOpts, outTradeno: 'T1' }),
    'INVALID_PARAM',
    'outTradeno',
  );
  assert.match(err.message, /outTradeNo/);
  await refuses(v3.verifySignature(BODY, HEADERS, { publicKeys, now: NOW, maxSkew: 5 }), 'INVALID_PARAM', 'maxSkew');
  await refuses(
    v3.authorization({
      mchid: G.mchid,
      serialNo: 'AB',
      privateKey: G.keys.merchant.private_pkcs8,
      method: 'GET',
      url: '/v3/x',
    }),
    'INVALID_PARAM',
    'mchid',
  );
  await refuses(
    v3.requestPaymentParams({
      appId: G.appid,
      prepayId: 'wx1',
      privateKey: G.keys.merchant.private_pkcs8,
      timestamp: '1',
    }),
    'INVALID_PARAM',
    'timestamp for timeStamp',
  );
  await refuses(v3.verifySignature(BODY, HEADERS, null), 'INVALID_PARAM', 'options null');
  await refuses(v3.verifySignature(BODY, HEADERS, new Map()), 'INVALID_PARAM', 'options a Map');
});

test('request signing refuses what WeChat would read differently (option values: INVALID_PARAM)', async () => {
  const base = { mchId: G.mchid, serialNo: G.certificates.merchant.serial, privateKey: G.keys.merchant.private_pkcs8 };
  await refuses(v3.authorization({ ...base, method: 'get', url: '/v3/x' }), 'INVALID_PARAM', 'lower-case method');
  await refuses(
    v3.authorization({ ...base, method: 'GET', url: 'https://api.mch.weixin.qq.com/v3/x' }),
    'INVALID_PARAM',
    'absolute url',
  );
  await refuses(
    v3.authorization({ ...base, method: 'GET', url: '/v3/x', body: '{}' }),
    'INVALID_PARAM',
    'GET with a body',
  );
  await refuses(
    v3.authorization({ ...base, method: 'GET', url: '/v3/x', nonce: 'a"b' }),
    'INVALID_PARAM',
    'quote in nonce',
  );
  await refuses(
    v3.authorization({ ...base, mchId: '12"3', method: 'GET', url: '/v3/x' }),
    'INVALID_PARAM',
    'quote in mchId',
  );
  await refuses(
    v3.authorization({ ...base, method: 'GET', url: '/v3/x', timestamp: -1 }),
    'INVALID_PARAM',
    'negative timestamp',
  );
  await refuses(v3.authorization({ ...base, method: 'GET' }), 'INVALID_PARAM', 'no url');
  await refuses(
    v3.requestPaymentParams({ appId: G.appid, privateKey: base.privateKey }),
    'INVALID_PARAM',
    'no prepayId',
  );
});

test('sensitive fields: wrong key, tampered and oversized', async () => {
  const c = await v3.encryptSensitive('张三', G.keys.merchant.public_spki);
  assert.equal(await v3.decryptSensitive(c, G.keys.merchant.private_pkcs8), '张三');
  await refuses(v3.decryptSensitive(c, G.keys.other.private_pkcs8), 'DECRYPT_FAILED', 'another private key');
  await refuses(v3.decryptSensitive(flipB64(c, 5), G.keys.merchant.private_pkcs8), 'DECRYPT_FAILED', 'tampered');
  await refuses(v3.decryptSensitive('%%%', G.keys.merchant.private_pkcs8), 'DECRYPT_FAILED', 'not Base64');
  await refuses(v3.encryptSensitive('x'.repeat(215), G.keys.merchant.public_spki), 'INVALID_PARAM', '215 bytes');
  await v3.encryptSensitive('x'.repeat(214), G.keys.merchant.public_spki);
});

test('a thousand mixed bad calls leave the module healthy', async () => {
  const bad = [
    () => v3.verifyNotify(BODY, { ...HEADERS, 'Wechatpay-Signature': 'WECHATPAY/SIGNTEST/x' }, notifyOpts),
    () => v3.verifyNotify(BODY, HEADERS, { ...notifyOpts, apiV3Key: G.other_api_v3_key }),
    () => v3.verifyNotify('{', resign('{'), notifyOpts),
    () => v3.importPrivateKey('-----BEGIN PRIVATE KEY-----\n////\n-----END PRIVATE KEY-----'),
    () => v3.decryptResource({ algorithm: 'AEAD_AES_256_GCM', ciphertext: 'AAAA', nonce: 'n' }, KEY),
  ];
  const results = await Promise.allSettled(Array.from({ length: 1000 }, (_, i) => bad[i % bad.length]()));
  assert.ok(results.every((r) => r.status === 'rejected' && r.reason instanceof v3.WxPayError));
  await healthy();
});
