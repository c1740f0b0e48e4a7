// 单个子商户资金账单 (issue 27, item 4): client.bill('sub-merchant-fundflowbill', …) against
// the fake WeChat (support/fake-wechat-v3.mjs: every request's Authorization verified with
// node:crypto). The parts are made here with node:crypto, as WeChat documents them (see
// js/v3/sub-bills.js for the sources): each part's bill (gzipped first with GZIP) encrypted
// with AES-256-GCM under a random 32-character key and a 16-character nonce, no associated
// data, the tag after the ciphertext; the key RSA-OAEP (SHA-1) encrypted to the MERCHANT's
// public key; hash_value the SHA1 of the original (decompressed) part.
import assert from 'node:assert/strict';
import { constants, createCipheriv, createHash, publicEncrypt, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';

import { fakeClient, fakeMerchant } from './support/fake-v3-client.mjs';
import { rsaPair, startFakeWeChat } from './support/fake-wechat-v3.mjs';

const SUB = '1900000110';
const merchant = fakeMerchant();
const sha1 = (b) => createHash('sha1').update(b).digest('hex');
const state = { parts: [], files: new Map(), answer: null };
let fake;
let client;

/** A part as WeChat serves it: { entry (for download_bill_list), file (the ciphertext bytes) }. */
function sealPart(seq, text, { gzip = false } = {}) {
  const key = randomBytes(16).toString('hex'); // 32 characters: the AES-256 key's bytes
  const nonce = randomBytes(8).toString('hex'); // 16 characters, as in WeChat's example
  const plain = Buffer.from(text);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(key), Buffer.from(nonce));
  const file = Buffer.concat([cipher.update(gzip ? gzipSync(plain) : plain), cipher.final(), cipher.getAuthTag()]);
  const encryptKey = publicEncrypt(
    { key: merchant.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
    Buffer.from(key),
  ).toString('base64');
  const token = randomBytes(8).toString('hex');
  const entry = {
    bill_sequence: seq,
    download_url: `${fake.url}/v3/billdownload/file?token=${token}`,
    encrypt_key: encryptKey,
    hash_type: 'SHA1',
    hash_value: sha1(plain),
    nonce,
  };
  return { entry, file, token };
}

/** Serves these parts (in the given list order) for the next bill. */
function serve(parts) {
  state.files = new Map(parts.map((p) => [p.token, p.file]));
  state.answer = { download_bill_count: parts.length, download_bill_list: parts.map((p) => p.entry) };
}

const csv = (tag, n) =>
  `记账时间,微信支付业务单号,资金流水单号\n${Array.from({ length: n }, (_, i) => `\`2026-12-06 10:00:${String(i % 60).padStart(2, '0')},\`${tag}${i},\`F${i}`).join('\n')}\n`;

before(async () => {
  fake = await startFakeWeChat({
    merchant,
    routes: {
      'GET /v3/bill/sub-merchant-fundflowbill': () => ({ json: state.answer }),
      'GET /v3/billdownload/file': (req) => ({
        unsigned: true,
        headers: { 'content-type': 'application/octet-stream' },
        body: state.files.get(req.query.token),
      }),
    },
  });
  client = fakeClient(fake, merchant);
});
after(() => fake.close());

const query = { sub_mchid: SUB, bill_date: '2026-12-06', account_type: 'BASIC' };

describe('sub-merchant-fundflowbill', () => {
  test('one part: both steps signed, the decrypted bill returned exactly; algorithm added to the query', async () => {
    const text = csv('A', 40);
    serve([sealPart(1, text)]);
    const from = fake.requests.length;
    assert.equal(await client.bill('sub-merchant-fundflowbill', query), text);
    const reqs = fake.requests.slice(from);
    assert.deepEqual(
      reqs.map((r) => [r.url.split('?')[0], r.verified]),
      [
        ['/v3/bill/sub-merchant-fundflowbill', true],
        ['/v3/billdownload/file', true],
      ],
    );
    assert.equal(
      reqs[0].url,
      `/v3/bill/sub-merchant-fundflowbill?sub_mchid=${SUB}&bill_date=2026-12-06&account_type=BASIC&algorithm=AEAD_AES_256_GCM`,
    );
  });

  test('two parts, listed out of order: joined in bill_sequence order (text and stream)', async () => {
    const one = csv('P1-', 30);
    const two = csv('P2-', 20);
    const parts = [sealPart(2, two), sealPart(1, one)];
    serve(parts);
    assert.equal(await client.bill('sub-merchant-fundflowbill', query), one + two);
    serve(parts);
    const chunks = [];
    for await (const c of client.billStream('sub-merchant-fundflowbill', query)) chunks.push(Buffer.from(c));
    assert.equal(Buffer.concat(chunks).toString(), one + two);
  });

  test('GZIP: decrypted, then gunzipped; the hash is the original bill’s', async () => {
    const text = csv('G', 500);
    serve([sealPart(1, text, { gzip: true })]);
    const got = await client.bill('sub-merchant-fundflowbill', { ...query, tar_type: 'GZIP' });
    assert.equal(got, text);
  });

  test('a changed ciphertext byte → DECRYPT_FAILED (the GCM tag)', async () => {
    const p = sealPart(1, csv('T', 10));
    p.file[5] ^= 1;
    serve([p]);
    await assert.rejects(client.bill('sub-merchant-fundflowbill', query), { code: 'DECRYPT_FAILED' });
    const q = sealPart(1, csv('T', 10));
    q.file = q.file.subarray(0, q.file.length - 1); // cut short: the tag is wrong
    serve([q]);
    await assert.rejects(client.bill('sub-merchant-fundflowbill', query), { code: 'DECRYPT_FAILED' });
  });

  test('a hash_value that is not the decrypted bill’s → HASH_MISMATCH', async () => {
    const p = sealPart(1, csv('H', 10));
    p.entry.hash_value = sha1('another bill');
    serve([p]);
    await assert.rejects(client.bill('sub-merchant-fundflowbill', query), { code: 'HASH_MISMATCH' });
  });

  test('an encrypt_key for another key pair → DECRYPT_FAILED; a malformed answer → INVALID_FIELD', async () => {
    const p = sealPart(1, csv('K', 3));
    p.entry.encrypt_key = publicEncrypt(
      { key: rsaPair().publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
      Buffer.from('k'.repeat(32)),
    ).toString('base64');
    serve([p]);
    await assert.rejects(client.bill('sub-merchant-fundflowbill', query), { code: 'DECRYPT_FAILED' });
    const a = sealPart(1, csv('S', 3));
    const b = sealPart(1, csv('S', 3));
    serve([a, b]); // two parts numbered 1
    await assert.rejects(client.bill('sub-merchant-fundflowbill', query), {
      code: 'INVALID_FIELD',
      field: 'bill_sequence',
    });
    serve([a]);
    state.answer.download_bill_count = 2;
    await assert.rejects(client.bill('sub-merchant-fundflowbill', query), {
      code: 'INVALID_FIELD',
      field: 'download_bill_count',
    });
  });

  test('bad queries are refused before any request: SM4_GCM, missing sub_mchid or account_type', () => {
    const from = fake.requests.length;
    for (const [q, field] of [
      [{ ...query, algorithm: 'SM4_GCM' }, 'algorithm'],
      [{ ...query, algorithm: 'AES' }, 'algorithm'],
      [{ bill_date: '2026-12-06', account_type: 'BASIC' }, 'sub_mchid'],
      [{ sub_mchid: SUB, bill_date: '2026-12-06' }, 'account_type'],
      [{ ...query, bill_type: 'ALL' }, 'bill_type'],
    ])
      assert.throws(() => client.billStream('sub-merchant-fundflowbill', q), { code: 'INVALID_PARAM', field });
    assert.equal(fake.requests.length, from);
  });

  test('maxBytes bounds the parts in all → INPUT_TOO_LARGE', async () => {
    serve([sealPart(1, csv('M', 50)), sealPart(2, csv('N', 50))]);
    const limit = Buffer.byteLength(csv('M', 50)) + 100;
    await assert.rejects(client.bill('sub-merchant-fundflowbill', query, { maxBytes: limit }), {
      code: 'INPUT_TOO_LARGE',
    });
  });
});
