// The wxpay-wasm CLI as a user runs it: exit codes, WxPayError codes in messages, and
// signs recomputed with node:crypto. Also the example server's own entry (server.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { APPID, KEY, MCH_ID, call, hmacSign, md5Sign, readXml, runCli, startMock, waitFor } from './helpers.mjs';

const fields = { appid: APPID, mch_id: MCH_ID, nonce_str: 'abc', body: '测试', total_fee: '1' };
const kv = (f) => Object.entries(f).map(([k, v]) => `${k}=${v}`);

test('--help for every command, exit 0; no command → usage, exit 2', async () => {
  for (const cmd of ['mock', 'notify', 'sign', 'verify']) {
    const r = await runCli([cmd, '--help']);
    assert.equal(r.code, 0, cmd);
    assert.match(r.stdout, new RegExp(`wxpay-wasm ${cmd}`));
  }
  assert.equal((await runCli([])).code, 2);
  const bad = await runCli(['frobnicate']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown command/);
});

test('an unknown flag is refused, exit 2, for every v2 command and the mock (nothing silently ignored)', async () => {
  for (const args of [
    ['sign', '--key', KEY, '--sign-typ', 'HMAC-SHA256', 'a=1'],
    ['verify', '--key', KEY, '--signtype', 'MD5', 'a=1', 'sign=X'],
    ['notify', '--key', KEY, '--url', 'http://127.0.0.1:9/', '--sign-tpye', 'MD5', 'a=1'],
    ['mock', '--key', KEY, '--prot', '0'],
    ['mock', 'pay', 'X1', '--no-notfy', 'yes'],
  ]) {
    const r = await runCli(args);
    assert.equal(r.code, 2, args.join(' '));
    const flag = args.find((a) => /^--(sign-typ|signtype|sign-tpye|prot|no-notfy)$/.test(a));
    assert.match(r.stderr, new RegExp(`INVALID_PARAM: .*does not take ${flag}`), args.join(' '));
  }
});

test('sign: k=v, JSON and XML on stdin, HMAC-SHA256, --xml', async () => {
  assert.equal((await runCli(['sign', '--key', KEY, ...kv(fields)])).stdout.trim(), md5Sign(fields));
  assert.equal(
    (await runCli(['sign', '--key', KEY], { input: JSON.stringify(fields) })).stdout.trim(),
    md5Sign(fields),
  );
  const fromEnv = await runCli(['sign', '--sign-type', 'HMAC-SHA256', ...kv(fields)], { env: { WXPAY_KEY: KEY } });
  assert.equal(fromEnv.stdout.trim(), hmacSign(fields));
  const xml = (await runCli(['sign', '--key', KEY, '--xml', ...kv(fields)])).stdout;
  const parsed = readXml(xml);
  assert.equal(parsed.sign, md5Sign(fields));
  assert.equal((await runCli(['sign', '--key', KEY], { input: xml })).stdout.trim(), md5Sign(fields));
});

test('sign errors: no key → INVALID_PARAM exit 2; bad value → WxPayError code, exit 1', async () => {
  const noKey = await runCli(['sign', ...kv(fields)]);
  assert.equal(noKey.code, 2);
  assert.match(noKey.stderr, /INVALID_PARAM: the API key is missing/);
  const badType = await runCli(['sign', '--key', KEY, '--sign-type', 'SHA1', 'a=1']);
  assert.equal(badType.code, 2);
  const badXml = await runCli(['sign', '--key', KEY], { input: '<xml><a>1</a><a>2</a></xml>' });
  assert.equal(badXml.code, 1);
  assert.match(badXml.stderr, /wxpay-wasm sign: [A-Z_]+: /);
  const notKv = await runCli(['sign', '--key', KEY, 'oops']);
  assert.equal(notKv.code, 2);
});

test('verify: valid → exit 0, tampered → exit 1, no sign → SIGN_MISSING', async () => {
  const good = { ...fields, sign: md5Sign(fields) };
  const ok = await runCli(['verify', '--key', KEY, ...kv(good)]);
  assert.equal(ok.code, 0);
  assert.equal(ok.stdout.trim(), 'valid');
  const bad = await runCli(['verify', '--key', KEY, ...kv({ ...good, total_fee: '2' })]);
  assert.equal(bad.code, 1);
  assert.equal(bad.stdout.trim(), 'invalid');
  const hmac = { ...fields, sign: hmacSign(fields) };
  assert.equal((await runCli(['verify', '--key', KEY], { input: JSON.stringify(hmac) })).code, 0);
  const missing = await runCli(['verify', '--key', KEY, ...kv(fields)]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /SIGN_MISSING/);
});

test('notify: posts a signed notification and prints the reply; FAIL reply → exit 1', async () => {
  const received = [];
  let answer = 'SUCCESS';
  const server = createServer((req, res) => {
    let b = '';
    req.on('data', (c) => {
      b += c;
    });
    req.on('end', () => {
      received.push(b);
      res.end(`<xml><return_code>${answer}</return_code></xml>`);
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}/wxpay/notify`;
  try {
    const args = [
      'notify',
      '--url',
      url,
      '--key',
      KEY,
      `appid=${APPID}`,
      `mch_id=${MCH_ID}`,
      'out_trade_no=T1',
      'total_fee=100',
      'transaction_id=4200000001',
    ];
    const ok = await runCli(args);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /HTTP 200/);
    const f = readXml(received[0]);
    assert.equal(f.sign, md5Sign(f));
    assert.equal(f.result_code, 'SUCCESS');
    answer = 'FAIL';
    const fail = await runCli(args);
    assert.equal(fail.code, 1);
    assert.match(fail.stderr, /did not acknowledge/);
    const invalid = await runCli(['notify', '--url', url, '--key', KEY, 'appid=x']);
    assert.equal(invalid.code, 1);
    assert.match(invalid.stderr, /MISSING_FIELD|INVALID_FIELD/);
  } finally {
    server.close();
  }
});

test('mock control subcommands and the example server entry (server.js) end to end', async () => {
  const mock = await startMock(['--time-scale', '0.001']);
  const env = {
    ...process.env,
    PORT: '0',
    WXPAY_APPID: APPID,
    WXPAY_MCH_ID: MCH_ID,
    WXPAY_KEY: KEY,
    WXPAY_BASE_URL: mock.url,
    DB_FILE: ':memory:',
    RECONCILE_INTERVAL_SECONDS: '0',
    EXIT_AFTER_SECONDS: '120',
  };
  const shop = spawn(process.execPath, [fileURLToPath(new URL('../server.js', import.meta.url))], { env });
  try {
    const shopUrl = await new Promise((resolve, reject) => {
      let out = '';
      shop.stdout.on('data', (d) => {
        out += d;
        const m = /listening on (http:\S+)/.exec(out);
        if (m) resolve(m[1]);
      });
      shop.on('exit', (c) => reject(new Error(`server.js exited ${c}: ${out}`)));
    });
    const created = await call(shopUrl, 'POST', '/orders', { openid: 'o-cli', total_fee: 1 });
    assert.equal(created.status, 201);
    const no = created.body.out_trade_no;
    const paid = await runCli(['mock', 'pay', no, '--url', mock.url]);
    assert.equal(paid.code, 0, paid.stderr);
    await waitFor(async () => (await call(shopUrl, 'GET', `/orders/${no}`)).body.state === 'PAID', 'PAID');
    const again = await runCli(['mock', 'pay', no, '--url', mock.url]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /cannot pay order .* it is SUCCESS/);
    const orders = JSON.parse((await runCli(['mock', 'orders', '--url', mock.url])).stdout);
    assert.ok(orders.some((o) => o.out_trade_no === no && o.notify_state === 'acknowledged'));
    const forged = await runCli(['mock', 'notify', no, '--kind', 'forged', '--url', mock.url]);
    assert.equal(JSON.parse(forged.stdout).replies[0].ok, false);
    const nomock = await runCli(['mock', 'orders', '--url', 'http://127.0.0.1:9']);
    assert.equal(nomock.code, 1);
    assert.match(nomock.stderr, /no mock at/);
  } finally {
    shop.kill('SIGTERM');
    await mock.stop();
  }
});
