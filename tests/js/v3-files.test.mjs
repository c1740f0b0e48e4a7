// The v3 client's files (issue 27, items 4 and 5): bills in both steps (plain and GZIP),
// downloads refused when tampered, truncated, of an unknown hash_type or on another origin,
// a 100 MB bill streamed in bounded memory, media uploads, complaint images; and the
// JavaScript SHA-1 and SM3 (js/v3/hash.js) against node:crypto. The fake WeChat here is a
// node:http server on 127.0.0.1 written with node:crypto only: it verifies every
// Authorization over the exact method, path+query and body it received (for an upload, the
// meta part's bytes as they arrived), signs its JSON answers with the platform key, and
// serves bills unsigned as WeChat does.
import assert from 'node:assert/strict';
import {
  constants,
  createCipheriv,
  createHash,
  createSign,
  createVerify,
  publicEncrypt,
  randomBytes,
} from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';

import wx3 from '../../pkg/v3/node/index.mjs';
import { hex, jsDigest } from '../../js/v3/hash.js';
import { PUB_KEY_ID, guideConfig } from './support/guide-config.mjs';

const { merchant, platform, config } = guideConfig({ apiV3Key: 'abcdefghijklmnopqrstuvwxyz012345' });
const MCHID = config.mchid;
const SERIAL = config.serialNo;
/** A client of the guide's merchant on the fake WeChat (`base`), with `extra` options. */
const clientOf = (extra) =>
  wx3.createClient({
    appid: config.appid,
    mchId: MCHID,
    serialNo: SERIAL,
    privateKey: config.privateKeyPem,
    apiV3Key: config.apiV3Key,
    publicKeys: config.publicKeys,
    baseUrl: base,
    ...extra,
  });
const sha1 = (b) => createHash('sha1').update(b).digest('hex');

// ---------------------------------------------------------------- the fake WeChat

/** The Authorization's fields, verified with the merchant's public key over what was received. */
function checkAuthorization(req, url, body) {
  const m = /^WECHATPAY2-SHA256-RSA2048 (.*)$/.exec(req.headers.authorization ?? '');
  assert.ok(m, 'an Authorization header');
  const f = Object.fromEntries([...m[1].matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
  assert.equal(f.mchid, MCHID);
  assert.equal(f.serial_no, SERIAL);
  const message = `${req.method}\n${url}\n${f.timestamp}\n${f.nonce_str}\n${body}\n`;
  return createVerify('RSA-SHA256').update(message).verify(merchant.publicKey, f.signature, 'base64');
}

function signedJson(res, status, json, { key = platform.privateKey } = {}) {
  const body = JSON.stringify(json);
  const ts = String(Math.floor(Date.now() / 1000));
  const nonce = randomBytes(16).toString('hex');
  res.writeHead(status, {
    'content-type': 'application/json',
    'wechatpay-timestamp': ts,
    'wechatpay-nonce': nonce,
    'wechatpay-serial': PUB_KEY_ID,
    'wechatpay-signature': createSign('RSA-SHA256').update(`${ts}\n${nonce}\n${body}\n`).sign(key, 'base64'),
  });
  res.end(body);
}

/** What the fake serves: set per test. `file(res)` writes the download's answer. */
const wechat = { requests: [], billAnswer: null, file: null, upload: null, image: null };

function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

/** The parts of a multipart body, by the boundary its Content-Type names; each { headers, bytes }. */
function multipartParts(req, body) {
  const boundary = /boundary=([^;]+)/.exec(req.headers['content-type'])[1];
  const sep = Buffer.from(`--${boundary}`);
  const parts = [];
  let at = body.indexOf(sep);
  for (;;) {
    const start = at + sep.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(sep, start);
    const part = body.subarray(start + 2, next - 2); // after CRLF, before CRLF--boundary
    const split = part.indexOf('\r\n\r\n');
    parts.push({ headers: part.subarray(0, split).toString(), bytes: part.subarray(split + 4) });
    at = next;
  }
  return parts;
}

async function route(req, res) {
  const body = await readBody(req);
  const url = req.url;
  const verified = checkAuthorization(req, url, url.startsWith('/v3/merchant/media') ? '' : body.toString());
  wechat.requests.push({ method: req.method, url, verified, headers: req.headers });
  assert.equal(req.headers['wechatpay-serial'], PUB_KEY_ID, 'every request names the platform key in use');
  if (url.startsWith('/v3/bill/')) return signedJson(res, 200, wechat.billAnswer(url));
  if (url.startsWith('/v3/billdownload/file')) {
    if (!verified) return signedJson(res, 401, { code: 'SIGN_ERROR', message: 'bad signature' });
    return wechat.file(res, url);
  }
  if (url.startsWith('/v3/merchant/media/')) {
    const parts = multipartParts(req, body);
    const meta = parts[0].bytes.toString();
    wechat.upload = { parts, meta, verified: checkAuthorization(req, url, meta) };
    return signedJson(res, 200, { media_id: 'MEDIA_1' });
  }
  if (url.startsWith('/v3/merchant-service/images/')) return wechat.image(res, url);
  res.writeHead(404).end();
}

let server;
let base;
let client;
const other = { hits: 0 };
let otherServer;
let otherBase;

before(async () => {
  server = createServer((req, res) => route(req, res).catch((e) => res.destroy(e)));
  server.keepAliveTimeout = 60_000; // no socket closed under a client with retries: 0 between two tests
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}`;
  otherServer = createServer((_req, res) => {
    other.hits++;
    res.end('x');
  });
  await new Promise((r) => otherServer.listen(0, '127.0.0.1', r));
  otherBase = `http://127.0.0.1:${otherServer.address().port}`;
  client = clientOf({ retries: 0 });
});
after(() => {
  server.close();
  otherServer.close();
});

/** A bill of `n` records in WeChat's layout (backquoted values, a summary at the end). */
function billText(n) {
  const lines = ['交易时间,公众账号ID,商户号,微信订单号,商户订单号,订单金额'];
  for (let i = 0; i < n; i++)
    lines.push(
      `\`2026-12-06 10:${String(i % 60).padStart(2, '0')}:00,\`wxd678efh567hg6787,\`${MCHID},\`42000${i},\`order-${i},\`0.01`,
    );
  lines.push('总交易单数,应结订单总金额', `\`${n},\`${(n / 100).toFixed(2)}`);
  return `${lines.join('\r\n')}\r\n`;
}

/** Step 1's answer for `bytes` (the digest of `hashed`, default the bytes), step 2 serving `bytes`. */
function serveBill(bytes, { hashed = bytes, hashType = 'SHA1', downloadUrl } = {}) {
  wechat.requests = [];
  wechat.billAnswer = () => ({
    hash_type: hashType,
    hash_value: sha1(hashed),
    download_url: downloadUrl ?? `${base}/v3/billdownload/file?token=6XIv5TUPto7pByrTQKhd6kwvyKLG2uY2wMMR8cNXqaA`,
  });
  wechat.file = (res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(bytes);
  };
}

// ---------------------------------------------------------------- bills

describe('bills, both steps', () => {
  test('a plain trade bill: step 1 signed and verified, step 2 signed over its path+query, text returned', async () => {
    const text = billText(50);
    serveBill(Buffer.from(text));
    const got = await client.bill('tradebill', { bill_date: '2026-12-06', bill_type: 'ALL' });
    assert.equal(got, text);
    assert.deepEqual(
      wechat.requests.map((r) => [r.method, r.url, r.verified]),
      [
        ['GET', '/v3/bill/tradebill?bill_date=2026-12-06&bill_type=ALL', true],
        ['GET', '/v3/billdownload/file?token=6XIv5TUPto7pByrTQKhd6kwvyKLG2uY2wMMR8cNXqaA', true],
      ],
    );
  });

  test('a partner trade bill carries sub_mchid in its query; a fund flow bill its account_type', async () => {
    serveBill(Buffer.from(billText(3)));
    await client.bill('tradebill', { bill_date: '2026-12-06', sub_mchid: '1900000109' });
    assert.equal(wechat.requests[0].url, '/v3/bill/tradebill?bill_date=2026-12-06&sub_mchid=1900000109');
    serveBill(Buffer.from(billText(3)));
    await client.bill('fundflowbill', { bill_date: '2026-12-06', account_type: 'BASIC' });
    assert.equal(wechat.requests[0].url, '/v3/bill/fundflowbill?bill_date=2026-12-06&account_type=BASIC');
  });

  test('GZIP: the digest of the decompressed bill (WeChat’s docs) is accepted, and that of the .gz bytes', async () => {
    const text = billText(2000);
    const gz = gzipSync(Buffer.from(text));
    serveBill(gz, { hashed: Buffer.from(text) });
    assert.equal(await client.bill('tradebill', { bill_date: '2026-12-06', tar_type: 'GZIP' }), text);
    serveBill(gz, { hashed: gz });
    assert.equal(await client.bill('tradebill', { bill_date: '2026-12-06', tar_type: 'GZIP' }), text);
  });

  test('a tampered byte → HASH_MISMATCH, plain and GZIP', async () => {
    const text = Buffer.from(billText(100));
    const bad = Buffer.from(text);
    bad[500] ^= 1;
    serveBill(bad, { hashed: text });
    await assert.rejects(client.bill('tradebill', { bill_date: '2026-12-06' }), { code: 'HASH_MISMATCH' });
    const gz = gzipSync(bad);
    serveBill(gz, { hashed: text });
    await assert.rejects(client.bill('tradebill', { bill_date: '2026-12-06', tar_type: 'GZIP' }), {
      code: 'HASH_MISMATCH',
    });
    const gzBad = gzipSync(text);
    gzBad[40] ^= 0x10; // inside the deflate data: does not decompress, or not to the same text
    serveBill(gzBad, { hashed: text });
    await assert.rejects(client.bill('tradebill', { bill_date: '2026-12-06', tar_type: 'GZIP' }), {
      code: 'HASH_MISMATCH',
    });
  });

  test('a truncated bill is refused: HASH_MISMATCH when the answer ends early, a network error when it breaks', async () => {
    const text = Buffer.from(billText(100));
    serveBill(text.subarray(0, text.length - 10), { hashed: text });
    await assert.rejects(client.bill('tradebill', { bill_date: '2026-12-06' }), { code: 'HASH_MISMATCH' });
    const gz = gzipSync(text);
    serveBill(gz.subarray(0, gz.length - 12), { hashed: text });
    await assert.rejects(client.bill('tradebill', { bill_date: '2026-12-06', tar_type: 'GZIP' }), {
      code: 'HASH_MISMATCH',
    });
    serveBill(text, { hashed: text });
    wechat.file = (res) => {
      res.writeHead(200, { 'content-length': String(text.length) });
      res.write(text.subarray(0, 1000));
      setTimeout(() => res.destroy(), 20);
    };
    await assert.rejects(client.bill('tradebill', { bill_date: '2026-12-06' }), { code: 'NETWORK_ERROR' });
  });

  test('an unknown hash_type or a malformed hash_value → INVALID_FIELD, and nothing is downloaded', async () => {
    serveBill(Buffer.from('x'), { hashType: 'MD5' });
    await assert.rejects(client.bill('tradebill', { bill_date: '2026-12-06' }), {
      code: 'INVALID_FIELD',
      field: 'hash_type',
    });
    assert.equal(wechat.requests.length, 1);
    serveBill(Buffer.from('x'));
    wechat.billAnswer = () => ({
      hash_type: 'SHA1',
      hash_value: 'abc',
      download_url: `${base}/v3/billdownload/file?token=t`,
    });
    await assert.rejects(client.bill('tradebill', { bill_date: '2026-12-06' }), { field: 'hash_value' });
    assert.equal(wechat.requests.length, 1);
  });

  test('a download_url on another origin is refused before anything is signed or sent there', async () => {
    for (const url of [
      `${otherBase}/v3/billdownload/file?token=t`,
      `${base}.evil.example/v3/billdownload/file?token=t`,
      `https://api.mch.weixin.qq.com/v3/billdownload/file?token=t`,
    ]) {
      serveBill(Buffer.from('x'), { downloadUrl: url });
      await assert.rejects(client.bill('tradebill', { bill_date: '2026-12-06' }), {
        code: 'INVALID_PARAM',
        field: 'url',
      });
      assert.equal(wechat.requests.length, 1, url);
    }
    await assert.rejects(
      client.download(`${otherBase}/v3/billdownload/file?token=t`, { hashType: 'SHA1', hashValue: sha1('x') }),
      {
        code: 'INVALID_PARAM',
      },
    );
    assert.equal(other.hits, 0);
  });

  test('bad arguments are refused before any request', async () => {
    wechat.requests = [];
    const refusals = [
      [() => client.bill('nosuchbill', { bill_date: '2026-12-06' }), 'kind'],
      [() => client.bill('sub-merchant-fundflowbill', { bill_date: '2026-12-06' }), 'sub_mchid'],
      [() => client.bill('tradebill', { bill_date: '2026-12-06', account_type: 'BASIC' }), 'account_type'],
      [() => client.bill('tradebill', { bill_date: '20261206' }), 'bill_date'],
      [() => client.bill('tradebill', { bill_date: '2026-12-06', tar_type: 'ZIP' }), 'tar_type'],
      [() => client.bill('tradebill', { bill_date: '2026-12-06' }, { maxBytes: 0 }), 'maxBytes'],
      [() => client.bill('tradebill', { bill_date: '2026-12-06' }, { hashType: 'SHA1' }), 'hashType'],
      [() => client.download(`${base}/v3/billdownload/file?token=t`, { hashType: 'SHA1' }), 'hash_value'],
      [
        () => client.download(`${base}/v3/billdownload/file?token=t#x`, { hashType: 'SHA1', hashValue: sha1('') }),
        'url',
      ],
    ];
    for (const [call, field] of refusals) await assert.rejects(call(), { field }, field);
    assert.equal(wechat.requests.length, 0);
  });
});

// ---------------------------------------------------------------- downloads

describe('download and downloadStream', () => {
  test('download: a URL on the client origin or a /v3/ path, signed exactly; SM3 digests accepted', async () => {
    const bytes = randomBytes(100000);
    serveBill(bytes);
    const url = `${base}/v3/billdownload/file?token=a%2Bb&tartype=gzip`;
    assert.deepEqual(Buffer.from(await client.download(url, { hashType: 'SHA1', hashValue: sha1(bytes) })), bytes);
    assert.deepEqual(
      wechat.requests.map((r) => [r.url, r.verified]),
      [['/v3/billdownload/file?token=a%2Bb&tartype=gzip', true]],
    );
    const sm3 = createHash('sm3').update(bytes).digest('hex').toUpperCase();
    assert.deepEqual(
      Buffer.from(await client.download('/v3/billdownload/file?token=t', { hashType: 'SM3', hashValue: sm3 })),
      bytes,
    );
    await assert.rejects(
      client.download('/v3/billdownload/file?token=t', { hashType: 'SM3', hashValue: sha1(bytes) + '0'.repeat(24) }),
      {
        code: 'HASH_MISMATCH',
      },
    );
  });

  test('maxBytes: refused by Content-Length before reading, and while streaming without one', async () => {
    const bytes = randomBytes(5000);
    serveBill(bytes);
    await assert.rejects(
      client.download('/v3/billdownload/file?token=t', { hashType: 'SHA1', hashValue: sha1(bytes), maxBytes: 4999 }),
      {
        code: 'INPUT_TOO_LARGE',
      },
    );
    wechat.file = (res) => {
      res.writeHead(200); // chunked: no Content-Length
      res.write(bytes.subarray(0, 2500));
      res.end(bytes.subarray(2500));
    };
    await assert.rejects(
      client.download('/v3/billdownload/file?token=t', { hashType: 'SHA1', hashValue: sha1(bytes), maxBytes: 3000 }),
      {
        code: 'INPUT_TOO_LARGE',
      },
    );
  });

  test('a GZIP bill that expands past maxBytes is stopped (a small file must not expand without bound)', async () => {
    const big = Buffer.alloc(4 * 1024 * 1024, 0x41);
    serveBill(gzipSync(big), { hashed: big });
    await assert.rejects(
      client.bill('tradebill', { bill_date: '2026-12-06', tar_type: 'GZIP' }, { maxBytes: 1024 * 1024 }),
      {
        code: 'INPUT_TOO_LARGE',
      },
    );
  });

  test('a GZIP bill larger than maxBytes already compressed (no Content-Length) is stopped as it arrives', async () => {
    const text = randomBytes(10000); // incompressible: the .gz is larger than the file itself
    const gz = gzipSync(text);
    assert.ok(gz.length > 10010);
    serveBill(gz, { hashed: text });
    wechat.file = (res) => {
      res.writeHead(200); // chunked
      res.write(gz.subarray(0, 1000));
      res.end(gz.subarray(1000));
    };
    await assert.rejects(client.bill('tradebill', { bill_date: '2026-12-06', tar_type: 'GZIP' }, { maxBytes: 10010 }), {
      code: 'INPUT_TOO_LARGE',
    });
  });

  test('an error answer (signed JSON) is WeChat’s error, verified', async () => {
    serveBill(Buffer.from('x'));
    wechat.file = (res) => signedJson(res, 404, { code: 'NO_STATEMENT_EXIST', message: '账单不存在' });
    await assert.rejects(
      client.download('/v3/billdownload/file?token=t', { hashType: 'SHA1', hashValue: sha1('x') }),
      (e) => {
        assert.equal(e.errCode ?? e.code, 'NO_STATEMENT_EXIST');
        return true;
      },
    );
  });

  test('downloadStream: every chunk arrives, and a tampered file errors the stream at its end', async () => {
    const bytes = randomBytes(300000);
    const bad = Buffer.from(bytes);
    bad[299999] ^= 0x80;
    serveBill(bad, { hashed: bytes });
    const stream = client.downloadStream('/v3/billdownload/file?token=t', {
      hashType: 'SHA1',
      hashValue: sha1(bytes),
    });
    let seen = 0;
    await assert.rejects(
      (async () => {
        for await (const chunk of stream) seen += chunk.byteLength;
      })(),
      { code: 'HASH_MISMATCH' },
    );
    assert.equal(seen, bytes.length, 'the bytes flowed; the verdict came at the end');
  });
});

// ---------------------------------------------------------------- 100 MB

test('a 100 MB bill streamed: bounded memory, verified at the end', async () => {
  const SIZE = 100 * 1024 * 1024;
  const CHUNK = 64 * 1024;
  // The bill's bytes come from a counter, made chunk by chunk twice (digest, then serving):
  // neither side ever holds 100 MB.
  const chunkAt = (i) => {
    const b = Buffer.alloc(CHUNK, 0x60 + (i % 26));
    b.writeUInt32BE(i, 0);
    return b;
  };
  const n = SIZE / CHUNK;
  const h = createHash('sha1');
  for (let i = 0; i < n; i++) h.update(chunkAt(i));
  const digest = h.digest('hex');
  wechat.requests = [];
  wechat.billAnswer = () => ({
    hash_type: 'SHA1',
    hash_value: digest,
    download_url: `${base}/v3/billdownload/file?token=big`,
  });
  wechat.file = (res) => {
    res.writeHead(200, { 'content-length': String(SIZE) });
    let i = 0;
    const pump = () => {
      while (i < n) {
        if (!res.write(chunkAt(i++))) return res.once('drain', pump);
      }
      res.end();
    };
    pump();
  };
  globalThis.gc?.();
  const start = process.memoryUsage();
  let peakRss = start.rss;
  let peakHeap = start.heapUsed;
  let size = 0;
  const check = createHash('sha1');
  const stream = client.billStream('tradebill', { bill_date: '2026-12-06' });
  let k = 0;
  for await (const chunk of stream) {
    size += chunk.byteLength;
    check.update(chunk);
    if (++k % 64 === 0) {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    }
  }
  assert.equal(size, SIZE);
  assert.equal(check.digest('hex'), digest);
  const mb = (x) => (x / 1024 / 1024).toFixed(1);
  console.log(
    `100 MB bill: RSS ${mb(start.rss)} → peak ${mb(peakRss)} MiB (+${mb(peakRss - start.rss)}), heapUsed ${mb(start.heapUsed)} → peak ${mb(peakHeap)} MiB (+${mb(peakHeap - start.heapUsed)})`,
  );
  assert.ok(peakRss - start.rss < 64 * 1024 * 1024, `RSS grew by ${mb(peakRss - start.rss)} MiB`);
});

// ---------------------------------------------------------------- uploads

describe('upload', () => {
  test('an image: meta signed exactly as received, sha256 right, file bytes intact', async () => {
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(50000)]);
    const answer = await client.upload('/v3/merchant/media/upload', {
      filename: '商品图.png',
      data: new Uint8Array(png),
    });
    assert.deepEqual(answer, { media_id: 'MEDIA_1' });
    const { parts, meta, verified } = wechat.upload;
    assert.equal(verified, true, 'the Authorization verifies over the meta part bytes');
    assert.deepEqual(JSON.parse(meta), {
      filename: '商品图.png',
      sha256: createHash('sha256').update(png).digest('hex'),
    });
    assert.match(parts[0].headers, /name="meta"/);
    assert.match(parts[1].headers, /name="file"; filename="商品图.png"\r\nContent-Type: image\/png/);
    assert.deepEqual(parts[1].bytes, png);
  });

  test('a video from a Blob, to video_upload; a marketing image to its path', async () => {
    const mp4 = randomBytes(3 * 1024 * 1024);
    await client.upload(`${base}/v3/merchant/media/video_upload`, { filename: 'a.mp4', data: new Blob([mp4]) });
    assert.equal(wechat.upload.verified, true);
    assert.match(wechat.upload.parts[1].headers, /video\/mp4/);
    assert.deepEqual(wechat.upload.parts[1].bytes, mp4);
  });

  test('refused before reading the bytes: too large for the path, an unknown or wrong extension, bad names', async () => {
    class Unread extends Blob {
      arrayBuffer() {
        throw new Error('read');
      }
    }
    const big = new Unread([new Uint8Array(2 * 1024 * 1024 + 1)]);
    await assert.rejects(client.upload('/v3/merchant/media/upload', { filename: 'a.jpg', data: big }), {
      code: 'INPUT_TOO_LARGE',
    });
    await assert.rejects(client.upload('/v3/merchant/media/upload', { filename: 'a.gif', data: new Uint8Array(1) }), {
      field: 'filename',
    });
    await assert.rejects(client.upload('/v3/merchant/media/upload', { filename: 'a.mp4', data: new Uint8Array(1) }), {
      field: 'filename',
    });
    await assert.rejects(client.upload('/v3/merchant/media/upload', { filename: 'a".jpg', data: new Uint8Array(1) }), {
      field: 'filename',
    });
    await assert.rejects(client.upload('/v3/merchant/media/upload', { filename: 'a.jpg', data: 'text' }), {
      field: 'data',
    });
    await assert.rejects(
      client.upload('/v3/merchant/media/upload', { filename: 'a.jpg', data: new Uint8Array(1), x: 1 }),
      { field: 'x' },
    );
    await assert.rejects(
      client.upload(`${otherBase}/v3/merchant/media/upload`, { filename: 'a.jpg', data: new Uint8Array(1) }),
      { field: 'url' },
    );
    assert.equal(other.hits, 0);
  });
});

// ---------------------------------------------------------------- complaint images

describe('complaintImage', () => {
  const jpeg = randomBytes(20000);
  test('by media_id (percent-encoded into its segment) or by URL; unsigned bytes accepted', async () => {
    wechat.image = (res) => {
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      res.end(jpeg);
    };
    wechat.requests = [];
    assert.deepEqual(Buffer.from(await client.complaintImage('ChsyMDAw+/==')), jpeg);
    assert.deepEqual(Buffer.from(await client.complaintImage('/9j/ChsyMDAw')), jpeg);
    assert.deepEqual(
      Buffer.from(await client.complaintImage(`${base}/v3/merchant-service/images/ChsyMDAw%3D%3D`)),
      jpeg,
    );
    assert.deepEqual(
      wechat.requests.map((r) => [r.url, r.verified]),
      [
        ['/v3/merchant-service/images/ChsyMDAw%2B%2F%3D%3D', true],
        ['/v3/merchant-service/images/%2F9j%2FChsyMDAw', true],
        ['/v3/merchant-service/images/ChsyMDAw%3D%3D', true],
      ],
    );
  });

  test('an answer that carries a signature must verify', async () => {
    wechat.image = (res) => {
      const ts = String(Math.floor(Date.now() / 1000));
      const nonce = 'n0';
      const sig = createSign('RSA-SHA256')
        .update(Buffer.concat([Buffer.from(`${ts}\n${nonce}\n`), jpeg, Buffer.from('\n')]))
        .sign(merchant.privateKey, 'base64');
      res.writeHead(200, {
        'wechatpay-timestamp': ts,
        'wechatpay-nonce': nonce,
        'wechatpay-serial': PUB_KEY_ID,
        'wechatpay-signature': sig,
      });
      res.end(jpeg);
    };
    await assert.rejects(client.complaintImage('abc'), (e) => e instanceof wx3.WxPayError);
    await assert.rejects(client.complaintImage(`${base}/v3/other/abc`), { field: 'media_id' });
  });
});

// ---------------------------------------------------------------- the JavaScript digests

test('JavaScript SHA-1 and SM3 equal node:crypto on random inputs, fed in random pieces', () => {
  let seed = 7;
  const rand = (n) => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed % n;
  };
  const lengths = [0, 1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 4096, 65537];
  for (let i = 0; i < 40; i++) lengths.push(rand(20000));
  for (const name of ['SHA1', 'SM3']) {
    for (const n of lengths) {
      const data = randomBytes(n);
      const d = jsDigest(name);
      for (let at = 0; at < n; ) {
        const k = Math.min(n - at, 1 + rand(300));
        d.update(data.subarray(at, at + k));
        at += k;
      }
      assert.equal(
        hex(d.digest()),
        createHash(name === 'SHA1' ? 'sha1' : 'sm3')
          .update(data)
          .digest('hex'),
        `${name} ${n}`,
      );
    }
  }
});

test('SM3 of "abc" and of the 64-byte example is GB/T 32905-2016’s', () => {
  const sm3 = (s) => {
    const d = jsDigest('SM3');
    d.update(new TextEncoder().encode(s));
    return hex(d.digest());
  };
  assert.equal(sm3('abc'), '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  assert.equal(sm3('abcd'.repeat(16)), 'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
  const d = jsDigest('SHA1');
  d.update(new TextEncoder().encode('abc'));
  assert.equal(hex(d.digest()), 'a9993e364706816aba3e25717850c26c9cd0d89d'); // FIPS 180 example
});

// ---------------------------------------------------------------- the guide's blocks

const GUIDE = new URL('../../docs/guide/bills-and-files.md', import.meta.url);

/** The guide's tested blocks, by name, in order; every mark is followed by a js block. */
function guideBlocks() {
  const md = readFileSync(GUIDE, 'utf8');
  const blocks = [...md.matchAll(/<!-- tested: (files-[\w-]+) -->\n```js\n([\s\S]*?)\n```/g)].map((m) => ({
    name: m[1],
    code: m[2],
  }));
  assert.deepEqual(
    blocks.map((b) => b.name),
    [...md.matchAll(/<!-- tested: ([^ ]+) -->/g)].map((m) => m[1]),
  );
  return blocks;
}

/** The blocks as one async function: `import … from 'wxpay-wasm/v3'` read from the package, node: imports made dynamic. */
function runBlocks(blocks, given) {
  const body = blocks
    .map(
      ({ name, code }) =>
        `// --- ${name}\n${code
          .replace(/^import \{([^}]+)\} from 'wxpay-wasm\/v3';$/gm, 'const {$1} = v3;')
          .replace(/^import \{([^}]+)\} from '(node:[\w/]+)';$/gm, "const {$1} = await import('$2');")}`,
    )
    .join('\n');
  assert.ok(!/^import /m.test(body), 'only wxpay-wasm/v3 and node: modules are imported');
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
  return new AsyncFunction('v3', ...Object.keys(given), body)(wx3, ...Object.values(given));
}

describe('docs/guide/bills-and-files.md, run as written', () => {
  const text = billText(300);
  const gz = gzipSync(Buffer.from(text));
  const png = new Uint8Array(Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(1000)]));
  const dir = mkdtempSync(join(tmpdir(), 'wxpay-files-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const given = (billPath, logs) => ({
    config: { ...config, baseUrl: base },
    billPath,
    png,
    mediaUrl: `${base}/v3/merchant-service/images/ChsyMDAw%3D%3D`,
    console: { log: (...a) => logs.push(a.join(' ')) },
  });
  /**
   * The sub-merchant bill as WeChat documents it (js/v3/sub-bills.js): AES-256-GCM under a
   * 32-character key RSA-OAEP-encrypted to the merchant key, no associated data, the tag last.
   */
  function sealedSubBill() {
    const key = randomBytes(16).toString('hex');
    const nonce = randomBytes(8).toString('hex');
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(key), Buffer.from(nonce));
    const file = Buffer.concat([cipher.update(text), cipher.final(), cipher.getAuthTag()]);
    const oaep = { key: merchant.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' };
    const entry = {
      bill_sequence: 1,
      download_url: `${base}/v3/billdownload/file?token=sub`,
      encrypt_key: publicEncrypt(oaep, Buffer.from(key)).toString('base64'),
      hash_type: 'SHA1',
      hash_value: sha1(Buffer.from(text)),
      nonce,
    };
    return { file, answer: { download_bill_count: 1, download_bill_list: [entry] } };
  }
  /** Bills with tar_type=GZIP come gzipped; `tamper` changes one byte of the plain one. */
  function serveGuide({ tamper = false } = {}) {
    const plain = Buffer.from(text);
    if (tamper) plain[100] ^= 1;
    wechat.requests = [];
    const sub = sealedSubBill();
    wechat.billAnswer = (url) =>
      url.startsWith('/v3/bill/sub-merchant-fundflowbill?')
        ? sub.answer
        : {
            hash_type: 'SHA1',
            hash_value: sha1(Buffer.from(text)),
            download_url: `${base}/v3/billdownload/file?token=${url.includes('tar_type=GZIP') ? 'gz' : 'plain'}`,
          };
    wechat.file = (res, url) => res.end(url.endsWith('token=sub') ? sub.file : url.endsWith('token=gz') ? gz : plain);
    wechat.image = (res) => res.end(png);
  }

  test('every block runs against the fake WeChat, and the streamed bill lands whole', async () => {
    serveGuide();
    const logs = [];
    const billPath = join(dir, 'fundflow.csv');
    await runBlocks(guideBlocks(), given(billPath, logs));
    assert.deepEqual(logs, [
      '交易时间 300 orders',
      `${Buffer.byteLength(text)} bytes, verified`,
      'uploaded as MEDIA_1',
      `${png.length} bytes of image`,
      `${text.length} characters, decrypted and verified`,
    ]);
    assert.equal(readFileSync(billPath, 'utf8'), text);
    assert.equal(wechat.upload.verified, true);
  });

  test('the streaming block with a tampered bill: HASH_MISMATCH, and neither the file nor its .part is left', async () => {
    serveGuide({ tamper: true });
    const billPath = join(dir, 'tampered.csv');
    const blocks = guideBlocks().filter((b) => b.name === 'files-client' || b.name === 'files-stream');
    await assert.rejects(runBlocks(blocks, given(billPath, [])), { code: 'HASH_MISMATCH' });
    assert.equal(existsSync(billPath), false);
    assert.equal(existsSync(`${billPath}.part`), false);
  });
});

// ---------------------------------------------------------------- the same without node:crypto

test('everything above again in a Node without node:crypto (the Deno/Bun/Workers/browser path: the JavaScript SHA-1 and SM3)', {
  skip: process.env.WXPAY_FILES_WEBCRYPTO === '1' && 'this is that run',
}, () => {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const { NODE_TEST_CONTEXT: _, ...childEnv } = process.env; // a run of its own, not a subtest of this one
  const r = spawnSync(
    process.execPath,
    ['--import', './support/webcrypto-only.mjs', '--test', '--test-reporter=tap', 'v3-files.test.mjs'],
    { cwd: here, env: { ...childEnv, WXPAY_FILES_WEBCRYPTO: '1' }, encoding: 'utf8', timeout: 240_000 },
  );
  const out = r.stdout + r.stderr;
  assert.equal(r.status, 0, out.slice(-3000));
  assert.match(out, /# fail 0/);
  assert.match(out, /# webcrypto RSA calls: [1-9]/, 'the WebCrypto path really ran');
  const figure = /# 100 MB bill: .*/.exec(out);
  if (figure) console.log(`${figure[0].slice(2)} (JavaScript SHA-1)`);
});

// ---------------------------------------------------------------- retries and silences

test('a gateway’s unsigned 502 before the file is retried (a reading call); a body that falls silent → TIMEOUT, a slow reader does not', async () => {
  const patient = clientOf({
    retries: 2, // a kept-alive socket the server closed meanwhile may cost one attempt too
    backoffMs: 0,
    timeoutMs: 300,
  });
  const bytes = randomBytes(1000);
  serveBill(bytes);
  let attempts = 0;
  wechat.file = (res) => {
    if (++attempts === 1) return res.writeHead(502).end('Bad Gateway');
    res.end(bytes);
  };
  assert.deepEqual(
    Buffer.from(await patient.download('/v3/billdownload/file?token=t', { hashType: 'SHA1', hashValue: sha1(bytes) })),
    bytes,
  );
  assert.equal(attempts, 2, 'the 502, then the file');
  wechat.file = (res) => {
    res.writeHead(200);
    res.write(bytes.subarray(0, 100)); // then nothing, the connection open
    setTimeout(() => res.end(), 1500);
  };
  const started = Date.now();
  await assert.rejects(
    patient.download('/v3/billdownload/file?token=t', { hashType: 'SHA1', hashValue: sha1(bytes) }),
    {
      code: 'TIMEOUT',
    },
  );
  assert.ok(Date.now() - started < 1200, 'the silence, not the transfer, was timed');
  const large = randomBytes(4 * 1024 * 1024);
  serveBill(large);
  const stream = patient.downloadStream('/v3/billdownload/file?token=t', {
    hashType: 'SHA1',
    hashValue: sha1(large),
  });
  let n = 0;
  let paused = false;
  for await (const chunk of stream) {
    n += chunk.byteLength;
    if (!paused) {
      paused = true;
      await new Promise((r) => setTimeout(r, 600)); // a consumer busy for twice timeoutMs mid-file
    }
  }
  assert.equal(n, large.length, 'a slow consumer is not the network falling silent');
});

test('the stream methods return a ReadableStream at once: bad arguments throw, WeChat’s refusal is the stream’s error', async () => {
  wechat.requests = [];
  assert.throws(() => client.billStream('nosuchbill', { bill_date: '2026-12-06' }), { field: 'kind' });
  assert.throws(
    () => client.downloadStream(`${otherBase}/v3/billdownload/file?token=t`, { hashType: 'SHA1', hashValue: sha1('') }),
    { field: 'url' },
  );
  const stream = client.billStream('tradebill', { bill_date: '2026-12-06' });
  assert.ok(stream instanceof ReadableStream);
  assert.equal(wechat.requests.length, 0, 'nothing sent before the first read');
  serveBill(Buffer.from('x'));
  wechat.file = (res) => signedJson(res, 404, { code: 'NO_STATEMENT_EXIST', message: '账单不存在' });
  await assert.rejects(stream.getReader().read(), (e) => (e.errCode ?? e.code) === 'NO_STATEMENT_EXIST');
  assert.equal(other.hits, 0);
});
