// The CLI's v3 commands (sign|verify|notify --api v3) and `mock fault(s)`, as a user runs
// them. Expected values come from elsewhere: the Authorization is recomputed and verified with
// node:crypto against the keys on disk, answers to verify are signed by the mock (or by
// node:crypto for the bad cases), and the callback `notify --api v3` sends is checked by a
// handler with wxpay-wasm/v3 verifyNotify and decrypted again with node:crypto.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createDecipheriv, createSign, createVerify, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import v3 from 'wxpay-wasm/v3';
import { runCli, startMock } from './helpers.mjs';

const dir = mkdtempSync(join(tmpdir(), 'wxpay-cliv3-'));
const keysDir = join(dir, 'keys');
let mock;
let keys;
before(async () => {
  mock = await startMock(['--quiet', '--keys-dir', keysDir, '--refund-delay', '-1']);
  keys = {
    ...JSON.parse(readFileSync(join(keysDir, 'wechatpay.json'), 'utf8')),
    privateKey: readFileSync(join(keysDir, 'apiclient_key.pem'), 'utf8'),
    merchantPublic: readFileSync(join(keysDir, 'apiclient_pub.pem'), 'utf8'),
    publicKey: readFileSync(join(keysDir, 'pub_key.pem'), 'utf8'),
    wechatPrivate: readFileSync(join(keysDir, 'wechatpay_private_key.pem'), 'utf8'),
  };
});
after(async () => {
  await mock?.stop();
  rmSync(dir, { recursive: true, force: true });
});

let seq = 0;
const uniq = (p) => `${p}${Date.now()}${seq++}`;
const file = (name, content) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

/** k="v" pairs of an Authorization value (the test's own reader). */
function authFields(value) {
  const m = /^WECHATPAY2-SHA256-RSA2048 (.*)$/.exec(value);
  assert.ok(m, value);
  return Object.fromEntries(
    m[1].split(',').map((p) => {
      const [, k, v] = /^([a-z_]+)="([^"]*)"$/.exec(p);
      return [k, v];
    }),
  );
}

const orderBody = (no) =>
  JSON.stringify({
    appid: keys.appid,
    mchid: keys.mchid,
    description: 'cli v3',
    out_trade_no: no,
    notify_url: 'http://127.0.0.1:9/notify',
    amount: { total: 100, currency: 'CNY' },
    payer: { openid: 'o-cli' },
  });

describe('help', () => {
  test('sign, verify, notify --help show the v3 usage; mock --help shows fault and faults', async () => {
    for (const cmd of ['sign', 'verify', 'notify']) {
      const r = await runCli([cmd, '--api', 'v3', '--help']);
      assert.equal(r.code, 0);
      assert.match(r.stdout, new RegExp(`wxpay-wasm ${cmd} --api v3`));
    }
    const m = await runCli(['mock', '--help']);
    assert.match(m.stdout, /mock fault --kind drop\|system_error\|slow/);
    assert.match(m.stdout, /mock faults \[--clear\]/);
  });
});

describe('sign --api v3', () => {
  test('with fixed timestamp and nonce it prints the parameters and signature node:crypto computes', async () => {
    const body = orderBody('T1');
    const ts = String(Math.floor(Date.now() / 1000));
    const nonce = 'n0nce5ce5ce5ce5ce5ce5ce5ce5ce5ce';
    const r = await runCli([
      'sign',
      '--api',
      'v3',
      '--method',
      'POST',
      '--url',
      '/v3/pay/transactions/jsapi',
      '--body',
      body,
      '--keys-dir',
      keysDir,
      '--timestamp',
      ts,
      '--nonce',
      nonce,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const sig = createSign('RSA-SHA256')
      .update(`POST\n/v3/pay/transactions/jsapi\n${ts}\n${nonce}\n${body}\n`)
      .sign(keys.privateKey, 'base64');
    // WeChat reads the parameters by name, in any order: compare them as a map.
    assert.deepEqual(authFields(r.stdout.trim()), {
      mchid: keys.mchid,
      nonce_str: nonce,
      signature: sig,
      timestamp: ts,
      serial_no: keys.serialNo,
    });
    // The same from --mchid/--serial-no/--private-key, and from --body-file.
    const bodyFile = file('order.json', body);
    const r2 = await runCli([
      'sign',
      '--api',
      'v3',
      '--method',
      'POST',
      '--url',
      'https://api.mch.weixin.qq.com/v3/pay/transactions/jsapi',
      '--body-file',
      bodyFile,
      '--mchid',
      keys.mchid,
      '--serial-no',
      keys.serialNo,
      '--private-key',
      join(keysDir, 'apiclient_key.pem'),
      '--timestamp',
      ts,
      '--nonce',
      nonce,
    ]);
    assert.equal(r2.code, 0, r2.stderr);
    assert.equal(r2.stdout, r.stdout);
  });

  test('the printed header verifies with the merchant public key and the mock accepts it', async () => {
    const no = uniq('cli');
    const body = orderBody(no);
    const r = await runCli([
      'sign',
      '--api',
      'v3',
      '--method',
      'POST',
      '--url',
      '/v3/pay/transactions/jsapi',
      '--body',
      body,
      '--keys-dir',
      keysDir,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const a = authFields(r.stdout.trim());
    assert.match(a.nonce_str, /^[0-9A-Za-z]{32}$/);
    assert.ok(Math.abs(Number(a.timestamp) - Date.now() / 1000) < 30);
    assert.ok(
      createVerify('RSA-SHA256')
        .update(`POST\n/v3/pay/transactions/jsapi\n${a.timestamp}\n${a.nonce_str}\n${body}\n`)
        .verify(keys.merchantPublic, a.signature, 'base64'),
    );
    const res = await fetch(`${mock.url}/v3/pay/transactions/jsapi`, {
      method: 'POST',
      body,
      headers: { authorization: r.stdout.trim(), 'content-type': 'application/json' },
    });
    assert.equal(res.status, 200, await res.clone().text());
    assert.match((await res.json()).prepay_id, /^wx/);
  });

  test("bad usage exits 2; a bad value is the package's WxPayError, exit 1", async () => {
    const base = ['sign', '--api', 'v3', '--keys-dir', keysDir];
    const cases = [
      [[...base, '--url', '/v3/x'], 2, /--method is required/],
      [[...base, '--method', 'GET'], 2, /--url is required/],
      [[...base, '--method', 'GET', '--url', '/v3/x', '--colour', 'red'], 2, /does not take --colour/],
      [['sign', '--api', 'v4', '--method', 'GET', '--url', '/v3/x'], 2, /--api must be v2 or v3/],
      [['sign', '--api', 'v3', '--method', 'GET', '--url', '/v3/x'], 2, /give --keys-dir DIR, or --mchid/],
      [[...base, '--method', 'GET', '--url', '/v3/x', '--mchid', '1'], 2, /not both/],
      [
        ['sign', '--api', 'v3', '--method', 'GET', '--url', '/v3/x', '--keys-dir', join(dir, 'nowhere')],
        2,
        /cannot read .*wechatpay\.json/,
      ],
      [[...base, '--method', 'FETCH', '--url', '/v3/x'], 1, /wxpay-wasm sign: INVALID_PARAM: /],
    ];
    for (const [args, code, msg] of cases) {
      const r = await runCli(args);
      assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, msg);
    }
  });
});

describe('verify --api v3', () => {
  /** A real mock answer, saved as curl -D would (status line, headers) plus the body file. */
  async function answer(no) {
    const url = `/v3/pay/transactions/out-trade-no/${no}?mchid=${keys.mchid}`;
    const authorization = await v3.authorization({
      mchId: keys.mchid,
      serialNo: keys.serialNo,
      privateKey: keys.privateKey,
      method: 'GET',
      url,
    });
    const res = await fetch(`${mock.url}${url}`, { headers: { authorization, accept: 'application/json' } });
    const text = await res.text();
    const lines = [`HTTP/1.1 ${res.status} OK`, ...[...res.headers].map(([k, v]) => `${k}: ${v}`), ''];
    return { res, text, headersFile: file(`${no}.headers`, lines.join('\r\n')), bodyFile: file(`${no}.body`, text) };
  }

  /** Headers signed by node:crypto with WeChat's key: for the cases the mock never sends. */
  function signedHeaders(body, { ts = Math.floor(Date.now() / 1000), serial = keys.publicKeyId } = {}) {
    const nonce = randomBytes(16).toString('hex');
    const sig = createSign('RSA-SHA256').update(`${ts}\n${nonce}\n${body}\n`).sign(keys.wechatPrivate, 'base64');
    return [
      `Wechatpay-Timestamp: ${ts}`,
      `Wechatpay-Nonce: ${nonce}`,
      `Wechatpay-Signature: ${sig}`,
      `Wechatpay-Serial: ${serial}`,
    ];
  }

  test('a mock answer: OK from a headers file, from --header flags, from JSON, with --public-key', async () => {
    const { res, headersFile, bodyFile } = await answer(uniq('none'));
    assert.equal(res.status, 404);
    const ok = await runCli([
      'verify',
      '--api',
      'v3',
      '--headers',
      headersFile,
      '--body',
      bodyFile,
      '--keys-dir',
      keysDir,
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout.trim(), 'OK');
    const flags = ['timestamp', 'nonce', 'signature', 'serial'].flatMap((h) => [
      '--header',
      `Wechatpay-${h[0].toUpperCase()}${h.slice(1)}: ${res.headers.get(`wechatpay-${h}`)}`,
    ]);
    assert.equal(
      (await runCli(['verify', '--api', 'v3', ...flags, '--body', bodyFile, '--keys-dir', keysDir])).stdout.trim(),
      'OK',
    );
    const json = file('h.json', JSON.stringify(Object.fromEntries(res.headers)));
    assert.equal(
      (
        await runCli(['verify', '--api', 'v3', '--headers', json, '--body', bodyFile, '--keys-dir', keysDir])
      ).stdout.trim(),
      'OK',
    );
    const pk = await runCli([
      'verify',
      '--api',
      'v3',
      '--headers',
      headersFile,
      '--body',
      bodyFile,
      '--public-key',
      join(keysDir, 'pub_key.pem'),
      '--public-key-id',
      keys.publicKeyId,
    ]);
    assert.equal(pk.stdout.trim(), 'OK', pk.stderr);
  });

  test("the guide's shell example: sign for curl, curl -D, verify the saved answer", {
    skip: spawnSync('curl', ['--version']).error ? 'no curl' : false,
  }, async () => {
    const no = uniq('curl');
    const create = orderBody(no);
    const auth = await runCli([
      'sign',
      '--api',
      'v3',
      '--method',
      'POST',
      '--url',
      '/v3/pay/transactions/jsapi',
      '--body',
      create,
      '--keys-dir',
      keysDir,
    ]);
    assert.equal(
      (
        await fetch(`${mock.url}/v3/pay/transactions/jsapi`, {
          method: 'POST',
          body: create,
          headers: { authorization: auth.stdout.trim() },
        })
      ).status,
      200,
    );
    const url = `/v3/pay/transactions/out-trade-no/${no}?mchid=${keys.mchid}`;
    const get = await runCli(['sign', '--api', 'v3', '--method', 'GET', '--url', url, '--keys-dir', keysDir]);
    const h = join(dir, 'curl.h');
    const b = join(dir, 'curl.json');
    const c = spawnSync(
      'curl',
      ['-s', '-D', h, '-o', b, '-H', `Authorization: ${get.stdout.trim()}`, `${mock.url}${url}`],
      { encoding: 'utf8' },
    );
    assert.equal(c.status, 0, c.stderr);
    assert.equal(JSON.parse(readFileSync(b, 'utf8')).trade_state, 'NOTPAY');
    const v = await runCli(['verify', '--api', 'v3', '--headers', h, '--body', b, '--keys-dir', keysDir]);
    assert.equal(v.stdout.trim(), 'OK', v.stderr);
  });

  test('tampered body → SIGN_MISMATCH; other serial → UNKNOWN_SERIAL; 301 s old → TIMESTAMP_SKEW; all exit 1', async () => {
    const { text, headersFile } = await answer(uniq('none'));
    const tampered = await runCli([
      'verify',
      '--api',
      'v3',
      '--headers',
      headersFile,
      '--body',
      file('t.body', text.replace('ORDER_NOT_EXIST', 'ORDER_NOT_EXISTS')),
      '--keys-dir',
      keysDir,
    ]);
    assert.equal(tampered.code, 1);
    assert.equal(tampered.stdout.trim(), 'SIGN_MISMATCH');
    assert.match(tampered.stderr, /wxpay-wasm verify: SIGN_MISMATCH: /);
    const body = file('b.json', '{"a":1}');
    const serial = await runCli([
      'verify',
      '--api',
      'v3',
      ...signedHeaders('{"a":1}', { serial: 'PUB_KEY_ID_OTHER' }).flatMap((h) => ['--header', h]),
      '--body',
      body,
      '--keys-dir',
      keysDir,
    ]);
    assert.equal(serial.stdout.trim(), 'UNKNOWN_SERIAL', serial.stderr);
    const stale = await runCli([
      'verify',
      '--api',
      'v3',
      ...signedHeaders('{"a":1}', { ts: Math.floor(Date.now() / 1000) - 301 }).flatMap((h) => ['--header', h]),
      '--body',
      body,
      '--keys-dir',
      keysDir,
    ]);
    assert.equal(stale.stdout.trim(), 'TIMESTAMP_SKEW', stale.stderr);
    const fresh = await runCli([
      'verify',
      '--api',
      'v3',
      ...signedHeaders('{"a":1}', { ts: Math.floor(Date.now() / 1000) - 200 }).flatMap((h) => ['--header', h]),
      '--body',
      body,
      '--keys-dir',
      keysDir,
    ]);
    assert.equal(fresh.stdout.trim(), 'OK', fresh.stderr);
  });

  test('usage errors exit 2', async () => {
    const body = file('u.json', '{}');
    for (const [args, msg] of [
      [['--headers', file('u.h', 'x: 1'), '--keys-dir', keysDir], /--body FILE is required/],
      [['--body', body, '--keys-dir', keysDir], /no headers/],
      [['--header', 'nocolon', '--body', body, '--keys-dir', keysDir], /expected "Name: value"/],
      [['--header', 'a: 1', '--header', 'A: 2', '--body', body, '--keys-dir', keysDir], /given twice/],
      [['--header', 'a: 1', '--body', body], /--public-key FILE and --public-key-id/],
      [['--header', 'a: 1', '--body', body, '--public-key', 'x', '--notify'], /--notify needs --keys-dir/],
    ]) {
      const r = await runCli(['verify', '--api', 'v3', ...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, msg);
    }
  });
});

describe('notify --api v3', () => {
  let server;
  let url;
  const received = [];
  let status = 200;
  before(async () => {
    server = createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', async () => {
        const raw = Buffer.concat(chunks);
        const rec = { raw, headers: req.headers };
        try {
          rec.notify = await v3.verifyNotify(raw, req.headers, {
            apiV3Key: keys.apiV3Key,
            publicKeys: { [keys.publicKeyId]: keys.publicKey },
            mchId: keys.mchid,
          });
        } catch (e) {
          rec.error = e.code;
        }
        received.push(rec);
        res.writeHead(rec.error ? 400 : status, { 'content-type': 'application/json' });
        res.end(
          rec.error ? JSON.stringify({ code: 'FAIL', message: rec.error }) : status === 204 ? '' : '{"code":"SUCCESS"}',
        );
      });
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${server.address().port}/wxpay/v3/notify`;
  });
  after(() => server.close());

  /** The resource decrypted with node:crypto alone (AES-256-GCM, tag = last 16 bytes). */
  function decrypt(raw) {
    const { resource } = JSON.parse(raw.toString('utf8'));
    assert.equal(resource.algorithm, 'AEAD_AES_256_GCM');
    const ct = Buffer.from(resource.ciphertext, 'base64');
    const d = createDecipheriv('aes-256-gcm', Buffer.from(keys.apiV3Key), Buffer.from(resource.nonce));
    d.setAAD(Buffer.from(resource.associated_data));
    d.setAuthTag(ct.subarray(-16));
    return JSON.parse(Buffer.concat([d.update(ct.subarray(0, -16)), d.final()]).toString('utf8'));
  }

  test('TRANSACTION.SUCCESS: the handler verifies it with verifyNotify; node:crypto decrypts the same resource', async () => {
    const no = uniq('N');
    const r = await runCli([
      'notify',
      '--api',
      'v3',
      '--url',
      url,
      '--out-trade-no',
      no,
      '--amount',
      '123',
      '--keys-dir',
      keysDir,
      '--attach',
      'a1',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^HTTP 200\n\{"code":"SUCCESS"\}/);
    const rec = received.at(-1);
    assert.equal(rec.error, undefined);
    assert.equal(rec.notify.event_type, 'TRANSACTION.SUCCESS');
    assert.equal(rec.notify.paid, true);
    assert.equal(rec.notify.resource.out_trade_no, no);
    assert.equal(rec.notify.resource.amount.total, 123);
    assert.equal(rec.headers['wechatpay-serial'], keys.publicKeyId);
    const plain = decrypt(rec.raw);
    assert.deepEqual(
      {
        no: plain.out_trade_no,
        total: plain.amount.total,
        state: plain.trade_state,
        appid: plain.appid,
        attach: plain.attach,
      },
      { no, total: 123, state: 'SUCCESS', appid: keys.appid, attach: 'a1' },
    );
    assert.match(plain.transaction_id, /^4200/);
    // What it sent, checked again by the CLI's own verify --notify.
    const headers = file(
      'n.headers',
      Object.entries(rec.headers)
        .filter(([k]) => k.startsWith('wechatpay-'))
        .map(([k, v]) => `${k}: ${v}`)
        .join('\n'),
    );
    const v = await runCli([
      'verify',
      '--api',
      'v3',
      '--notify',
      '--headers',
      headers,
      '--body',
      file('n.body', rec.raw),
      '--keys-dir',
      keysDir,
    ]);
    assert.equal(v.code, 0, v.stderr);
    assert.equal(JSON.parse(v.stdout.slice(v.stdout.indexOf('\n') + 1)).resource.out_trade_no, no);
  });

  test('REFUND.SUCCESS with --refund; a 204 counts as acknowledged', async () => {
    status = 204;
    try {
      const r = await runCli([
        'notify',
        '--api',
        'v3',
        '--kind',
        'REFUND.SUCCESS',
        '--url',
        url,
        '--out-trade-no',
        'NR1',
        '--amount',
        '100',
        '--refund',
        '40',
        '--out-refund-no',
        'RF1',
        '--keys-dir',
        keysDir,
      ]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^HTTP 204/);
    } finally {
      status = 200;
    }
    const rec = received.at(-1);
    assert.equal(rec.notify.event_type, 'REFUND.SUCCESS');
    assert.equal(rec.notify.paid, false);
    const plain = decrypt(rec.raw);
    assert.deepEqual(
      [plain.out_refund_no, plain.refund_status, plain.amount.total, plain.amount.refund],
      ['RF1', 'SUCCESS', 100, 40],
    );
    assert.equal(JSON.parse(rec.raw).resource.associated_data, 'refund');
  });

  test('a handler answering 500 → exit 1 "did not acknowledge"; bad usage → exit 2', async () => {
    status = 500;
    try {
      const r = await runCli([
        'notify',
        '--api',
        'v3',
        '--url',
        url,
        '--out-trade-no',
        'X1',
        '--amount',
        '1',
        '--keys-dir',
        keysDir,
      ]);
      assert.equal(r.code, 1);
      assert.match(r.stdout, /^HTTP 500/);
      assert.match(r.stderr, /did not acknowledge/);
    } finally {
      status = 200;
    }
    const base = ['notify', '--api', 'v3', '--url', url, '--keys-dir', keysDir, '--out-trade-no', 'X'];
    for (const [args, msg] of [
      [[...base], /--amount is required/],
      [[...base, '--amount', '1.5'], /--amount must be a positive integer in fen/],
      [
        [...base, '--amount', '1', '--kind', 'TRANSACTION.CLOSED'],
        /--kind must be TRANSACTION\.SUCCESS or REFUND\.SUCCESS/,
      ],
      [[...base, '--amount', '1', '--refund', '1'], /go with --kind REFUND\.SUCCESS/],
      [[...base, '--amount', '1', '--kind', 'REFUND.SUCCESS', '--refund', '2'], /more than --amount/],
      [
        ['notify', '--api', 'v3', '--url', url, '--keys-dir', dir, '--out-trade-no', 'X', '--amount', '1'],
        /not a mock keys folder/,
      ],
    ]) {
      const r = await runCli(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, msg);
    }
    const nobody = await runCli([
      'notify',
      '--api',
      'v3',
      '--url',
      'http://127.0.0.1:9/x',
      '--out-trade-no',
      'X',
      '--amount',
      '1',
      '--keys-dir',
      keysDir,
    ]);
    assert.equal(nobody.code, 1);
    assert.match(nobody.stderr, /cannot reach/);
  });
});

describe('mock fault / mock faults', () => {
  test('queue, list, clear from the CLI; the mock applies them; bad values are refused', async () => {
    const q = await runCli(['mock', 'fault', '--kind', 'drop', '--count', '2', '--url', mock.url]);
    assert.equal(q.code, 0, q.stderr);
    assert.deepEqual(JSON.parse(q.stdout).queued, {
      id: JSON.parse(q.stdout).queued.id,
      kind: 'drop',
      count: 2,
      after: false,
    });
    const s = await runCli(['mock', 'fault', '--kind', 'slow', '--delay-ms', '20', '--after', '--url', mock.url]);
    assert.deepEqual(JSON.parse(s.stdout).queued.delayMs, 20);
    assert.equal(JSON.parse(s.stdout).queued.after, true);
    const list = JSON.parse((await runCli(['mock', 'faults', '--url', mock.url])).stdout);
    assert.deepEqual(
      list.queue.map((f) => [f.kind, f.count]),
      [
        ['drop', 2],
        ['slow', 1],
      ],
    );
    const authorization = await v3.authorization({
      mchId: keys.mchid,
      serialNo: keys.serialNo,
      privateKey: keys.privateKey,
      method: 'GET',
      url: `/v3/pay/transactions/out-trade-no/X?mchid=${keys.mchid}`,
    });
    await assert.rejects(
      fetch(`${mock.url}/v3/pay/transactions/out-trade-no/X?mchid=${keys.mchid}`, { headers: { authorization } }),
    );
    const after1 = JSON.parse((await runCli(['mock', 'faults', '--url', mock.url])).stdout);
    assert.equal(after1.fired.drop, 1);
    assert.equal(after1.queue[0].count, 1);
    const cleared = await runCli(['mock', 'faults', '--clear', '--url', mock.url]);
    assert.equal(JSON.parse(cleared.stdout).cleared, 2);
    assert.deepEqual(JSON.parse((await runCli(['mock', 'faults', '--url', mock.url])).stdout).queue, []);
    const bad = await runCli(['mock', 'fault', '--kind', 'explode', '--url', mock.url]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /wxpay-wasm mock fault: kind must be one of drop, system_error, slow/);
    const badCount = await runCli(['mock', 'fault', '--kind', 'drop', '--count', 'x', '--url', mock.url]);
    assert.equal(badCount.code, 1);
    assert.match(badCount.stderr, /count must be an integer/);
    const noKind = await runCli(['mock', 'fault', '--url', mock.url]);
    assert.equal(noKind.code, 2);
    assert.match(noKind.stderr, /mock fault needs --kind/);
  });
});
