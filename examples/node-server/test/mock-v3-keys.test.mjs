// The v3 mock's key modes (--v3-keys pubkey | cert | migrating), GET /v3/certificates and the
// v3 control kinds (probe, unknown-serial, wrong-amount, fail, refund completion). Every
// signature is judged by node:crypto with the key the mode says (never by the mock's code),
// the certificate by node:crypto's X509Certificate and Python `cryptography`, and the
// package's parseCertificates / verifySignature / verifyNotify must accept what is genuine and
// refuse the rest with their codes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate, createDecipheriv, createPrivateKey, createSign, createVerify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import v3 from 'wxpay-wasm/v3';
import { pythonCryptographySkip, runCli, startMock, waitFor } from './helpers.mjs';

const dir = mkdtempSync(join(tmpdir(), 'wxpay-v3keys-'));
const keysDir = join(dir, 'keys');
const mocks = {};
let keys;
let shop;
const received = [];

const read = (f) => readFileSync(join(keysDir, f), 'utf8');
before(async () => {
  // One keys folder, three mocks: the modes differ in which key signs, not in the keys.
  for (const mode of ['pubkey', 'cert', 'migrating']) {
    mocks[mode] = await startMock([
      '--quiet',
      '--keys-dir',
      keysDir,
      '--v3-keys',
      mode,
      '--time-scale',
      '0.001',
      '--refund-delay',
      '-1',
    ]);
  }
  keys = {
    ...JSON.parse(read('wechatpay.json')),
    privateKey: read('apiclient_key.pem'),
    publicKey: read('pub_key.pem'),
    cert: read('platform_cert.pem'),
    nextPublicKey: read('next_pub_key.pem'),
    nextCert: read('next_platform_cert.pem'),
  };
  shop = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push({ url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204);
      res.end();
    });
  });
  await new Promise((r) => shop.listen(0, '127.0.0.1', r));
});
after(async () => {
  for (const m of Object.values(mocks)) await m.stop();
  await new Promise((r) => {
    shop?.closeAllConnections?.();
    shop ? shop.close(r) : r();
  });
  rmSync(dir, { recursive: true, force: true });
});

let seq = 0;
const uniq = (p) => `${p}${Date.now()}${seq++}`;
const notifyUrl = (path = 'pay') => `http://127.0.0.1:${shop.address().port}/${path}`;

/** node:crypto's verdict on a WeChat signature (ts\nnonce\nbody\n) with `key` (PUBLIC KEY or CERTIFICATE PEM). */
function signedBy(key, headers, body) {
  const h = headers instanceof Headers ? Object.fromEntries(headers) : headers;
  const message = `${h['wechatpay-timestamp']}\n${h['wechatpay-nonce']}\n${body}\n`;
  try {
    return createVerify('RSA-SHA256').update(message).verify(key, h['wechatpay-signature'], 'base64');
  } catch {
    return false;
  }
}

async function call(mode, method, url, body = '', extraHeaders = {}) {
  const authorization = await v3.authorization({
    mchId: keys.mchid,
    serialNo: keys.serialNo,
    privateKey: keys.privateKey,
    method,
    url,
    body,
  });
  const res = await fetch(`${mocks[mode].url}${url}`, {
    method,
    body: method === 'POST' ? body : undefined,
    headers: { 'content-type': 'application/json', authorization, ...extraHeaders },
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : undefined };
}
const control = async (mode, path, body = {}) => {
  const r = await fetch(`${mocks[mode].url}/_mock/${path}`, { method: 'POST', body: JSON.stringify(body) });
  return { status: r.status, json: await r.json() };
};
async function paidOrder(mode, { notify = false, total = 100 } = {}) {
  const no = uniq('k');
  const body = JSON.stringify({
    appid: keys.appid,
    mchid: keys.mchid,
    description: 'keys',
    out_trade_no: no,
    notify_url: notifyUrl(),
    amount: { total, currency: 'CNY' },
    payer: { openid: 'o-k' },
  });
  assert.equal((await call(mode, 'POST', '/v3/pay/transactions/jsapi', body)).status, 200);
  assert.equal((await control(mode, `orders/${no}/pay`, { notify })).status, 200);
  return no;
}
/** The callbacks of one control request: sent now, collected from the shop. */
async function notify(mode, no, body) {
  const start = received.length;
  const r = await control(mode, `orders/${no}/notify`, body);
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return received.slice(start);
}
const queryUrl = (no) => `/v3/pay/transactions/out-trade-no/${no}?mchid=${keys.mchid}`;

describe('the platform certificate on disk', () => {
  test('a real X.509 certificate: serial in wechatpay.json, upper-case hex; valid 5 years from creation; self-signed by platform_key.pem', () => {
    const c = new X509Certificate(keys.cert);
    assert.equal(c.serialNumber.toUpperCase(), keys.platformSerial);
    assert.match(keys.platformSerial, /^[0-9A-F]{40}$/);
    const from = Date.parse(c.validFrom);
    const to = Date.parse(c.validTo);
    assert.ok(Math.abs(from - Date.now()) < 3600e3, `valid from about now, got ${c.validFrom}`);
    const years = (to - from) / (365.25 * 24 * 3600e3);
    assert.ok(years > 4.99 && years < 5.01, `5 years, got ${years}`);
    assert.ok(c.verify(c.publicKey), 'self-signed');
    const proof = createSign('RSA-SHA256')
      .update('x')
      .sign(createPrivateKey(read('platform_key.pem')), 'base64');
    assert.ok(
      createVerify('RSA-SHA256').update('x').verify(keys.cert, proof, 'base64'),
      "platform_key.pem is the certificate's key",
    );
    const next = new X509Certificate(keys.nextCert);
    assert.equal(next.serialNumber.toUpperCase(), keys.nextPlatformSerial);
    assert.notEqual(keys.nextPlatformSerial, keys.platformSerial);
    assert.match(keys.nextPublicKeyId, /^PUB_KEY_ID_/);
    assert.notEqual(keys.nextPublicKeyId, keys.publicKeyId);
  });

  test('an older keys folder (platformSerial null, no certificate) is completed, its keys kept', async () => {
    const old = join(dir, 'old');
    const first = await startMock(['--quiet', '--keys-dir', old]);
    await first.stop();
    const cfg = JSON.parse(readFileSync(join(old, 'wechatpay.json'), 'utf8'));
    for (const f of [
      'platform_cert.pem',
      'platform_key.pem',
      'next_platform_cert.pem',
      'next_platform_key.pem',
      'next_pub_key.pem',
      'next_wechatpay_private_key.pem',
    ])
      rmSync(join(old, f));
    const { writeFileSync } = await import('node:fs');
    const { platformSerial: _p, nextPlatformSerial: _n, nextPublicKeyId: _i, ...older } = cfg;
    writeFileSync(join(old, 'wechatpay.json'), JSON.stringify({ ...older, platformSerial: null }));
    const second = await startMock(['--quiet', '--keys-dir', old]);
    await second.stop();
    const now = JSON.parse(readFileSync(join(old, 'wechatpay.json'), 'utf8'));
    for (const k of ['mchid', 'serialNo', 'apiV3Key', 'publicKeyId']) assert.equal(now[k], cfg[k], k);
    assert.equal(
      new X509Certificate(readFileSync(join(old, 'platform_cert.pem'))).serialNumber.toUpperCase(),
      now.platformSerial,
    );
    assert.ok(
      second.lines.some((l) => l.includes('wechatpay.json (completed)')),
      second.lines.join('\n'),
    );
  });

  test('--v3-keys refuses an unknown mode (exit 2)', async () => {
    await assert.rejects(
      startMock(['--quiet', '--keys-dir', keysDir, '--v3-keys', 'certificate']),
      /exited with 2[\s\S]*--v3-keys must be one of pubkey, cert, migrating/,
    );
  });
});

describe('--v3-keys pubkey (default)', () => {
  test('answers are signed by pub_key.pem under PUB_KEY_ID_…, not by the certificate', async () => {
    const r = await call('pubkey', 'GET', queryUrl(uniq('none')));
    assert.equal(r.headers.get('wechatpay-serial'), keys.publicKeyId);
    assert.ok(signedBy(keys.publicKey, r.headers, r.text));
    assert.ok(!signedBy(keys.cert, r.headers, r.text));
  });

  test('GET /v3/certificates: 404 RESOURCE_NOT_EXISTS, as WeChat answers a merchant without a platform certificate (signed)', async () => {
    const r = await call('pubkey', 'GET', '/v3/certificates');
    assert.equal(r.status, 404);
    assert.equal(r.json.code, 'RESOURCE_NOT_EXISTS');
    assert.match(r.json.message, /平台证书/);
    assert.ok(signedBy(keys.publicKey, r.headers, r.text));
    assert.equal((await v3.parseErrorResponse(r.status, r.text)).errCode, 'RESOURCE_NOT_EXISTS');
  });
});

describe('--v3-keys cert', () => {
  test('GET /v3/certificates: the platform certificate, encrypted with the APIv3 key, signed by itself; parseCertificates agrees', async () => {
    const r = await call('cert', 'GET', '/v3/certificates?algorithm_type=RSA');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get('wechatpay-serial'), keys.platformSerial);
    assert.ok(signedBy(keys.cert, r.headers, r.text), 'node:crypto verifies it with platform_cert.pem');
    assert.ok(!signedBy(keys.publicKey, r.headers, r.text));
    const [entry, ...more] = r.json.data;
    assert.equal(more.length, 0);
    assert.equal(entry.serial_no, keys.platformSerial);
    const enc = entry.encrypt_certificate;
    assert.equal(enc.algorithm, 'AEAD_AES_256_GCM');
    assert.equal(enc.associated_data, 'certificate');
    const ct = Buffer.from(enc.ciphertext, 'base64');
    const d = createDecipheriv('aes-256-gcm', Buffer.from(keys.apiV3Key), Buffer.from(enc.nonce));
    d.setAAD(Buffer.from('certificate'));
    d.setAuthTag(ct.subarray(-16));
    const pem = Buffer.concat([d.update(ct.subarray(0, -16)), d.final()]).toString('utf8');
    assert.equal(pem, keys.cert, 'the decrypted certificate is platform_cert.pem');
    const x = new X509Certificate(pem);
    assert.equal(x.serialNumber.toUpperCase(), entry.serial_no);
    assert.match(entry.effective_time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    assert.equal(Date.parse(entry.effective_time), Date.parse(x.validFrom));
    assert.equal(Date.parse(entry.expire_time), Date.parse(x.validTo));

    const certs = await v3.parseCertificates(r.text, keys.apiV3Key);
    assert.deepEqual(Object.keys(certs), [keys.platformSerial]);
    assert.equal(certs[keys.platformSerial].pem, keys.cert);
    const v = await v3.verifySignature(r.text, r.headers, {
      publicKeys: { [keys.platformSerial]: certs[keys.platformSerial].pem },
    });
    assert.equal(v.serial, keys.platformSerial);
    const sm2 = await call('cert', 'GET', '/v3/certificates?algorithm_type=SM2');
    assert.equal(sm2.status, 400);
    assert.equal(sm2.json.code, 'PARAM_ERROR');
  });

  test('answers and the payment callback are signed by the certificate; verifyNotify accepts the callback with the downloaded certificate', async () => {
    const no = await paidOrder('cert');
    const q = await call('cert', 'GET', queryUrl(no), '', { 'Wechatpay-Serial': keys.publicKeyId });
    assert.equal(
      q.headers.get('wechatpay-serial'),
      keys.platformSerial,
      "cert mode ignores the request's Wechatpay-Serial",
    );
    assert.ok(signedBy(keys.cert, q.headers, q.text));
    const [cb] = await notify('cert', no, { kind: 'once' });
    assert.equal(cb.headers['wechatpay-serial'], keys.platformSerial);
    assert.ok(signedBy(keys.cert, cb.headers, cb.body));
    const n = await v3.verifyNotify(cb.body, cb.headers, {
      apiV3Key: keys.apiV3Key,
      publicKeys: { [keys.platformSerial]: keys.cert },
      outTradeNo: no,
      total: 100,
    });
    assert.equal(n.paid, true);
    await assert.rejects(
      v3.verifyNotify(cb.body, cb.headers, {
        apiV3Key: keys.apiV3Key,
        publicKeys: { [keys.publicKeyId]: keys.publicKey },
      }),
      (e) => e.code === 'UNKNOWN_SERIAL',
    );
  });

  test('unknown-serial: signed by next_platform_cert.pem, refused as UNKNOWN_SERIAL until the merchant loads it', async () => {
    const no = await paidOrder('cert');
    const [cb] = await notify('cert', no, { kind: 'unknown-serial' });
    assert.equal(cb.headers['wechatpay-serial'], keys.nextPlatformSerial);
    assert.ok(signedBy(keys.nextCert, cb.headers, cb.body), 'genuinely signed by the next certificate');
    const publicKeys = { [keys.platformSerial]: keys.cert };
    await assert.rejects(
      v3.verifyNotify(cb.body, cb.headers, { apiV3Key: keys.apiV3Key, publicKeys }),
      (e) => e.code === 'UNKNOWN_SERIAL',
    );
    const n = await v3.verifyNotify(cb.body, cb.headers, {
      apiV3Key: keys.apiV3Key,
      publicKeys: { ...publicKeys, [keys.nextPlatformSerial]: keys.nextCert },
    });
    assert.equal(n.resource.out_trade_no, no);
  });
});

describe('--v3-keys migrating', () => {
  test('answers: by the public key when the request sends Wechatpay-Serial: PUB_KEY_ID_…, else by the certificate', async () => {
    const no = uniq('none');
    const plain = await call('migrating', 'GET', queryUrl(no));
    assert.equal(plain.headers.get('wechatpay-serial'), keys.platformSerial);
    assert.ok(signedBy(keys.cert, plain.headers, plain.text));
    const asked = await call('migrating', 'GET', queryUrl(no), '', { 'Wechatpay-Serial': keys.publicKeyId });
    assert.equal(asked.headers.get('wechatpay-serial'), keys.publicKeyId);
    assert.ok(signedBy(keys.publicKey, asked.headers, asked.text));
    const list = await call('migrating', 'GET', '/v3/certificates');
    assert.equal(list.status, 200, 'the certificate is still served while migrating');
    assert.equal(list.json.data[0].serial_no, keys.platformSerial);
  });

  test('40 callbacks: both keys occur, and Wechatpay-Serial always names the key that signed', async () => {
    const no = await paidOrder('migrating');
    const got = [];
    for (let i = 0; i < 2; i++) got.push(...(await notify('migrating', no, { kind: 'duplicate', count: 20 })));
    assert.equal(got.length, 40);
    const bySerial = { [keys.publicKeyId]: keys.publicKey, [keys.platformSerial]: keys.cert };
    const other = { [keys.publicKeyId]: keys.cert, [keys.platformSerial]: keys.publicKey };
    const counts = { [keys.publicKeyId]: 0, [keys.platformSerial]: 0 };
    for (const cb of got) {
      const serial = cb.headers['wechatpay-serial'];
      assert.ok(serial in bySerial, `serial ${serial}`);
      counts[serial]++;
      assert.ok(signedBy(bySerial[serial], cb.headers, cb.body), 'signed by the key its serial names');
      assert.ok(!signedBy(other[serial], cb.headers, cb.body), 'and not by the other one');
      await v3.verifyNotify(cb.body, cb.headers, { apiV3Key: keys.apiV3Key, publicKeys: bySerial, outTradeNo: no });
    }
    // Each key has probability 2^-40 of never occurring: a failure here is a bug, not luck.
    assert.ok(counts[keys.publicKeyId] > 0 && counts[keys.platformSerial] > 0, JSON.stringify(counts));
  });
});

describe('v3 control kinds', () => {
  const publicKeys = () => ({ [keys.publicKeyId]: keys.publicKey });

  test('probe: Wechatpay-Signature WECHATPAY/SIGNTEST/…, refused by verifyNotify (SIGN_MISMATCH)', async () => {
    for (const mode of ['pubkey', 'cert']) {
      const [cb] = await notify(mode, await paidOrder(mode), { kind: 'probe' });
      assert.match(cb.headers['wechatpay-signature'], /^WECHATPAY\/SIGNTEST\//);
      const pk = mode === 'pubkey' ? publicKeys() : { [keys.platformSerial]: keys.cert };
      await assert.rejects(
        v3.verifyNotify(cb.body, cb.headers, { apiV3Key: keys.apiV3Key, publicKeys: pk }),
        (e) => e.code === 'SIGN_MISMATCH' && /probe/.test(e.message),
        mode,
      );
    }
  });

  test('unknown-serial (pubkey mode): signed by next_pub_key.pem under its own PUB_KEY_ID_…; UNKNOWN_SERIAL until loaded', async () => {
    const no = await paidOrder('pubkey');
    const [cb] = await notify('pubkey', no, { kind: 'unknown-serial' });
    assert.equal(cb.headers['wechatpay-serial'], keys.nextPublicKeyId);
    assert.ok(signedBy(keys.nextPublicKey, cb.headers, cb.body));
    await assert.rejects(
      v3.verifyNotify(cb.body, cb.headers, { apiV3Key: keys.apiV3Key, publicKeys: publicKeys() }),
      (e) => e.code === 'UNKNOWN_SERIAL',
    );
    await v3.verifyNotify(cb.body, cb.headers, {
      apiV3Key: keys.apiV3Key,
      publicKeys: { ...publicKeys(), [keys.nextPublicKeyId]: keys.nextPublicKey },
    });
  });

  test('wrong-amount: genuinely signed, another amount: only the amount check (AMOUNT_MISMATCH) refuses it', async () => {
    const no = await paidOrder('pubkey');
    const [cb] = await notify('pubkey', no, { kind: 'wrong-amount', amount: 1 });
    assert.ok(signedBy(keys.publicKey, cb.headers, cb.body));
    const loose = await v3.verifyNotify(cb.body, cb.headers, { apiV3Key: keys.apiV3Key, publicKeys: publicKeys() });
    assert.equal(loose.resource.amount.total, 1);
    await assert.rejects(
      v3.verifyNotify(cb.body, cb.headers, { apiV3Key: keys.apiV3Key, publicKeys: publicKeys(), total: 100 }),
      (e) => e.code === 'AMOUNT_MISMATCH',
    );
    const same = await control('pubkey', `orders/${no}/notify`, { kind: 'wrong-amount', amount: 100 });
    assert.equal(same.status, 400, "the order's own amount is not a wrong amount");
  });

  test('refund completion: REFUND.SUCCESS / REFUND.ABNORMAL / REFUND.CLOSED, decrypted with associated_data "refund"', async () => {
    for (const status of ['SUCCESS', 'ABNORMAL', 'CLOSED']) {
      const no = await paidOrder('pubkey');
      const rno = uniq(`R${status[0]}`);
      const body = JSON.stringify({
        out_trade_no: no,
        out_refund_no: rno,
        notify_url: notifyUrl('refund'),
        amount: { refund: 40, total: 100, currency: 'CNY' },
      });
      assert.equal((await call('pubkey', 'POST', '/v3/refund/domestic/refunds', body)).json.status, 'PROCESSING');
      const start = received.length;
      const done = await control('pubkey', `refunds/${rno}/complete`, { status });
      assert.equal(done.status, 200, JSON.stringify(done.json));
      await waitFor(() => received.slice(start).find((x) => x.url === '/refund'), `the ${status} refund callback`);
      const cb = received.slice(start).find((x) => x.url === '/refund');
      assert.ok(signedBy(keys.publicKey, cb.headers, cb.body));
      const outer = JSON.parse(cb.body);
      assert.equal(outer.event_type, `REFUND.${status}`);
      const res = outer.resource;
      assert.equal(res.associated_data, 'refund');
      assert.equal(res.original_type, 'refund');
      const ct = Buffer.from(res.ciphertext, 'base64');
      const d = createDecipheriv('aes-256-gcm', Buffer.from(keys.apiV3Key), Buffer.from(res.nonce));
      d.setAAD(Buffer.from('refund'));
      d.setAuthTag(ct.subarray(-16));
      const plain = JSON.parse(Buffer.concat([d.update(ct.subarray(0, -16)), d.final()]).toString('utf8'));
      assert.equal(plain.refund_status, status);
      assert.equal(plain.out_refund_no, rno);
      assert.equal(plain.amount.refund, 40);
      assert.equal(plain.success_time === undefined, status !== 'SUCCESS', 'success_time only for SUCCESS');
      const n = await v3.verifyNotify(cb.body, cb.headers, {
        apiV3Key: keys.apiV3Key,
        publicKeys: publicKeys(),
        mchId: keys.mchid,
        outTradeNo: no,
      });
      assert.equal(n.resource.refund_status, status);
      assert.equal(n.paid, false);
      assert.equal((await call('pubkey', 'GET', `/v3/refund/domestic/refunds/${rno}`)).json.status, status);
      const trade = (await call('pubkey', 'GET', queryUrl(no))).json.trade_state;
      assert.equal(
        trade,
        status === 'SUCCESS' ? 'REFUND' : 'SUCCESS',
        'a refund that did not succeed gives the order back',
      );
      assert.equal(
        (await control('pubkey', `refunds/${rno}/complete`, { status })).status,
        409,
        'a refund completes once',
      );
      const again = received.length;
      const once = await control('pubkey', `refunds/${rno}/notify`, { kind: 'once' });
      assert.equal(once.status, 200);
      assert.equal(JSON.parse(received[again].body).event_type, `REFUND.${status}`);
    }
    const no = await paidOrder('pubkey');
    const rno = uniq('RX');
    await call(
      'pubkey',
      'POST',
      '/v3/refund/domestic/refunds',
      JSON.stringify({ out_trade_no: no, out_refund_no: rno, amount: { refund: 1, total: 100, currency: 'CNY' } }),
    );
    assert.equal(
      (await control('pubkey', `refunds/${rno}/complete`, { status: 'REFUNDCLOSE' })).status,
      400,
      'v2 status names are not v3 ones',
    );
    assert.equal(
      (await control('pubkey', `refunds/${rno}/notify`, { kind: 'once' })).status,
      409,
      'a PROCESSING refund has no callback yet',
    );
  });

  test('the CLI drives the v3 kinds: mock notify --kind probe, mock complete-refund --status (v3 names only)', async () => {
    const no = await paidOrder('pubkey');
    const start = received.length;
    const r = await runCli(['mock', 'notify', no, '--kind', 'probe', '--url', mocks.pubkey.url]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).kind, 'probe');
    assert.match(received[start].headers['wechatpay-signature'], /^WECHATPAY\/SIGNTEST\//);
    const rno = uniq('RC');
    await call(
      'pubkey',
      'POST',
      '/v3/refund/domestic/refunds',
      JSON.stringify({ out_trade_no: no, out_refund_no: rno, amount: { refund: 1, total: 100, currency: 'CNY' } }),
    );
    const bad = await runCli(['mock', 'complete-refund', rno, '--status', 'CHANGE', '--url', mocks.pubkey.url]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /SUCCESS, ABNORMAL, CLOSED/);
    const ok = await runCli(['mock', 'complete-refund', rno, '--status', 'ABNORMAL', '--url', mocks.pubkey.url]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).status, 'ABNORMAL');
  });

  test('fail: the v3 order is PAYERROR, no callback is posted (WeChat notifies TRANSACTION.SUCCESS only)', async () => {
    const no = uniq('f');
    const body = JSON.stringify({
      appid: keys.appid,
      mchid: keys.mchid,
      description: 'f',
      out_trade_no: no,
      notify_url: notifyUrl(),
      amount: { total: 5, currency: 'CNY' },
      payer: { openid: 'o' },
    });
    await call('pubkey', 'POST', '/v3/pay/transactions/jsapi', body);
    const start = received.length;
    assert.equal((await control('pubkey', `orders/${no}/fail`)).status, 200);
    const q = await call('pubkey', 'GET', queryUrl(no));
    assert.equal(q.json.trade_state, 'PAYERROR');
    assert.ok(q.json.trade_state_desc);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(received.length, start);
    assert.equal((await control('pubkey', `orders/${no}/pay`)).status, 409, 'a failed order cannot be paid');
  });
});

describe('an independent client: Python cryptography in certificate mode', () => {
  const script = fileURLToPath(new URL('./v3_client.py', import.meta.url));
  const skip = pythonCryptographySkip();

  test('downloads /v3/certificates, decrypts it with AESGCM, checks the X.509 serial and validity, verifies answers with the certificate', {
    skip,
  }, () => {
    const r = spawnSync('python3', [script, mocks.cert.url, keysDir, uniq('pyc'), 'cert'], {
      encoding: 'utf8',
      timeout: 60000,
    });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1));
    assert.equal(out.certificate_serial, keys.platformSerial);
    assert.equal(out.certificate_matches_file, true);
    assert.ok(out.validity_days > 5 * 365 - 1 && out.validity_days < 5 * 366 + 1, String(out.validity_days));
    assert.equal(out.verified, 4, 'the certificate list and three answers verified with the downloaded certificate');
    assert.equal(out.create, 200);
    assert.equal(out.tampered_refused, true);
  });
});
