// Hostile refund notifications (issue 5), kept in Node from the hostile suite (the rest of
// which runs in every runtime: tests/runtimes/suite/hostile.mjs) because the bad inputs are
// made with AES-256-ECB, which only node:crypto has here. Every case asserts the exact
// WxPayError code and then that a good call still works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

import wxpay from '../../pkg/node/index.mjs';
import { hostileKit } from '../runtimes/suite/hostile-kit.mjs';

const { KEY, rejects } = hostileKit(wxpay);

const VECTORS = JSON.parse(readFileSync(new URL('../fixtures/wxpay-v2-public.json', import.meta.url), 'utf8'));
const GOPAY = VECTORS.find((v) => v.id === 'gopay-refund-reqinfo'); // <root> plaintext, 32-character key
const ELIXIR = VECTORS.find((v) => v.id === 'elixir-refund-notify'); // a whole envelope
const refundEnvelope = (reqInfo) =>
  `<xml><return_code>SUCCESS</return_code><appid>wx2421b1c4370ec43b</appid><mch_id>10000100</mch_id><nonce_str>n</nonce_str><req_info><![CDATA[${reqInfo}]]></req_info></xml>`;

// ---------------------------------------------------------------------------------------
// Refund notifications: decryption is their only authenticity check. Bad inputs are made
// here with node:crypto (AES-256-ECB keyed by the lowercase hex MD5 of the API key as 32
// ASCII bytes), never with the package.

const aesKey = (key) => Buffer.from(createHash('md5').update(key, 'utf8').digest('hex'), 'ascii');
/** Raw AES-256-ECB over whole blocks: the test chooses the padding itself. */
function ecb(plain, key, keyBytes = aesKey(key)) {
  const c = createCipheriv('aes-256-ecb', keyBytes, null);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(plain), c.final()]);
}
const pkcs7 = (buf) => {
  const n = 16 - (buf.length % 16);
  return Buffer.concat([buf, Buffer.alloc(n, n)]);
};

/** Each case: what, a req_info (base64), the key to decrypt it with. */
function badReqInfos({ req_info: good, key, expected_plaintext: plain }) {
  const raw = Buffer.from(good, 'base64');
  const flip = (i) => {
    const b = Buffer.from(raw);
    b[i] ^= 0x01;
    return b.toString('base64');
  };
  const padded = (pad) => ecb(Buffer.concat([Buffer.from(plain, 'utf8'), pad]), key).toString('base64');
  const body = Buffer.from(plain, 'utf8');
  const room = 16 - (body.length % 16);
  return [
    ['bad base64: a character outside the alphabet', `${good.slice(0, 8)}*${good.slice(9)}`, key],
    ['bad base64: URL-safe alphabet', good.replace(/\+/g, '-').replace(/\//g, '_'), key],
    ['bad base64: padding removed or added', good.endsWith('=') ? good.replace(/=+$/, '') : `${good}====`, key],
    ['bad base64: a line break inside', `${good.slice(0, 20)}\n${good.slice(20)}`, key],
    ['bad base64: empty', '', key],
    ['wrong key', good, `${key}x`],
    [
      'wrong key: the MD5 hex in upper case as the AES key',
      ecb(pkcs7(body), key, Buffer.from(aesKey(key).toString('ascii').toUpperCase(), 'ascii')).toString('base64'),
      key,
    ],
    [
      'wrong key: the raw MD5 digest twice as the AES key',
      ecb(pkcs7(body), key, Buffer.concat(Array(2).fill(createHash('md5').update(key).digest()))).toString('base64'),
      key,
    ],
    ['flipped byte: first of the last block', flip(raw.length - 16), key],
    ['flipped byte: last of the last block', flip(raw.length - 1), key],
    ['flipped byte: middle of the last block', flip(raw.length - 8), key],
    ['truncated block: 5 bytes short', raw.subarray(0, raw.length - 5).toString('base64'), key],
    ['truncated block: one byte', raw.subarray(0, 1).toString('base64'), key],
    ['one extra byte', Buffer.concat([raw, Buffer.from([0])]).toString('base64'), key],
    [
      'bad padding: none (whole blocks of text)',
      ecb(Buffer.concat([body, Buffer.alloc(room, 0x20)]), key).toString('base64'),
      key,
    ],
    ['bad padding: pad byte 0', padded(Buffer.alloc(room, 0)), key],
    ['bad padding: pad byte 17', padded(Buffer.alloc(room, 17)), key],
    [
      'bad padding: last byte 4, the three before it 5',
      padded(Buffer.concat([Buffer.alloc(room + 15, 5), Buffer.from([4])])),
      key,
    ],
    [
      'bad padding: last byte 16, the block not all 16',
      padded(Buffer.concat([Buffer.alloc(room + 15, 0x41), Buffer.from([16])])),
      key,
    ],
    ['valid padding, not UTF-8', ecb(pkcs7(Buffer.from([0xff, 0xfe, 0x3c])), key).toString('base64'), key],
  ];
}

test('decryptReqInfo and decryptRefundNotify: bad base64, wrong key, flipped, truncated and badly padded data are DECRYPT_FAILED, and the next good call works', () => {
  const goodReq = () => assert.equal(wxpay.decryptReqInfo(GOPAY.req_info, GOPAY.key), GOPAY.expected_plaintext);
  const goodNotify = () =>
    assert.equal(wxpay.decryptRefundNotify(ELIXIR.xml, { key: ELIXIR.key }).return_code, 'SUCCESS');
  goodReq();
  goodNotify();
  for (const v of VECTORS.filter((x) => x.kind === 'refund_notify' && x.req_info)) {
    for (const [what, reqInfo, key] of badReqInfos(v)) {
      if (reqInfo === '') {
        // An empty req_info is an absent one in an envelope (MISSING_FIELD); alone, it is no ciphertext.
        rejects(() => wxpay.decryptReqInfo(reqInfo, key), 'DECRYPT_FAILED', `${v.id}: ${what}`);
        rejects(
          () => wxpay.decryptRefundNotify(refundEnvelope(reqInfo), { key }),
          'MISSING_FIELD',
          `${v.id}: ${what} (envelope)`,
        );
        continue;
      }
      rejects(() => wxpay.decryptReqInfo(reqInfo, key), 'DECRYPT_FAILED', `${v.id}: ${what}`);
      goodReq();
      rejects(
        () => wxpay.decryptRefundNotify(refundEnvelope(reqInfo), { key }),
        'DECRYPT_FAILED',
        `${v.id}: ${what} (envelope)`,
      );
      goodNotify();
    }
  }
  // Decrypts, but is not the <root> document a notification must carry.
  for (const [what, plain] of [
    ['JSON', '{"a":3}'],
    ['another root', '<foo><bar>123</bar></foo>'],
    ['DOCTYPE', '<!DOCTYPE root [<!ENTITY x SYSTEM "file:///etc/passwd">]><root><a>&x;</a></root>'],
    ['empty', ''],
    ['truncated', '<root><a>1</a>'],
    ['the <xml> root', '<xml><a>1</a></xml>'],
  ]) {
    const reqInfo = ecb(pkcs7(Buffer.from(plain, 'utf8')), KEY).toString('base64');
    assert.equal(wxpay.decryptReqInfo(reqInfo, KEY), plain, `${what}: decryptReqInfo returns any plaintext as it is`);
    rejects(
      () => wxpay.decryptRefundNotify(refundEnvelope(reqInfo), { key: KEY }),
      'DECRYPT_FAILED',
      `plaintext ${what} (envelope)`,
    );
    goodNotify();
  }
  // An envelope field the plaintext contradicts: the envelope is not covered by the key.
  const forged = ecb(
    pkcs7(Buffer.from('<root><mch_id>999</mch_id><refund_status>SUCCESS</refund_status></root>')),
    KEY,
  ).toString('base64');
  rejects(
    () => wxpay.decryptRefundNotify(refundEnvelope(forged), { key: KEY }),
    'DUPLICATE_FIELD',
    'mch_id differs inside and out',
  );
  rejects(
    () => wxpay.decryptRefundNotify(refundEnvelope(GOPAY.req_info), { key: GOPAY.key, mchId: '1' }),
    'MCH_ID_MISMATCH',
    'expected mch_id',
  );
  rejects(
    () => wxpay.decryptRefundNotify(refundEnvelope(GOPAY.req_info), { key: GOPAY.key, appid: 'wx1' }),
    'APPID_MISMATCH',
    'expected appid',
  );
  rejects(
    () =>
      wxpay.decryptRefundNotify('<xml><return_code>FAIL</return_code><return_msg>x</return_msg></xml>', { key: KEY }),
    'RETURN_FAIL',
    'return_code FAIL',
  );
  rejects(
    () => wxpay.decryptRefundNotify('<xml><return_code>SUCCESS</return_code></xml>', { key: KEY }),
    'MISSING_FIELD',
    'no req_info',
  );
  rejects(() => wxpay.decryptReqInfo(GOPAY.req_info, ''), 'INVALID_PARAM', 'empty key');
  goodReq();
  goodNotify();
});
