// docs/guide/client.md's v2 and v3 client blocks (after `<!-- tested: client-v2 -->` and
// `<!-- tested: client-v3 -->`), run as written against the package's mock (`wxpay-wasm mock`,
// a child process on a free loopback port). docs-types.test.mjs compiles the same blocks.
//
// What the test does to a block: it uncomments the block's `// baseUrl: 'http://127.0.0.1:9080'`
// line with the mock's port, transpiles the TypeScript (ts.transpileModule: types removed,
// nothing else) and appends `export { pay, … }` so it can read what the block computed. The
// block runs as an ES module in its own process, in a folder where `wxpay-wasm` is the built
// pkg/ and the files it reads are the mock's key material:
// - v2: WXPAY_KEY is the mock's --key; apiclient_cert.pem / apiclient_key.pem a throwaway pair
//   made with openssl (the mock serves plain http, where the client only requires one to be
//   configured). `log`, which the block's ts-preamble declares, records the client's events;
//   when the unified order succeeds it pays the order through `wxpay-wasm mock pay` (the payer,
//   between the order and the refund), synchronously, before the block goes on.
// - v3: the folder is the mock's --keys-dir. Its wechatpay.json is written first with the ids
//   the block names (serialNo, the PUB_KEY_ID_…, appid, mchid): the mock keeps a wechatpay.json
//   it finds and makes the keys around it, so the block's ids are the ones the mock checks.
// Then the mock's control interface (GET /_mock/…) says what the calls did, and the `pay`
// object's paySign is verified with node:crypto from WeChat's documented rules.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { read, taggedBlock } from './support/markdown.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(root, 'pkg/cli/cli.mjs');
const DOC = join(root, 'docs/guide/client.md');
const KEY = '192006250b4c09247ec02edce69f6a2d'; // WeChat's documented sample key
const dirs = [];
const mocks = [];

after(async () => {
  await Promise.all(mocks.map(stopMock));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A temp folder whose node_modules/wxpay-wasm is the built package. */
function blockDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(join(root, 'pkg'), join(dir, 'node_modules/wxpay-wasm'), 'dir');
  return dir;
}

/** `wxpay-wasm mock` on a free loopback port: { url, lines, process }. */
function startMock(args) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [CLI, 'mock', '--port', '0', '--exit-after', '120', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, WXPAY_KEY: '' },
    });
    const mock = { process: p, lines: [] };
    mocks.push(mock);
    const onData = (d) => {
      for (const line of String(d).split('\n').filter(Boolean)) {
        mock.lines.push(line);
        const m = !mock.url && /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
        if (m) resolve(Object.assign(mock, { url: m[1] }));
      }
    };
    p.stdout.on('data', onData);
    p.stderr.on('data', onData);
    p.on('exit', (code) => reject(new Error(`mock exited (${code}):\n${mock.lines.join('\n')}`)));
    setTimeout(() => reject(new Error(`mock did not start:\n${mock.lines.join('\n')}`)), 15000).unref();
  });
}

function stopMock({ process: p }) {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  return new Promise((r) => {
    p.once('exit', r);
    p.kill('SIGTERM');
  });
}

/**
 * The block after `<!-- tested: NAME -->`, as the test runs it: the `// baseUrl:` line for the
 * mock uncommented with the mock's address, TypeScript's types removed, `exports` appended.
 */
function runnable(name, mockUrl, exports) {
  const block = taggedBlock(read(DOC), name);
  const baseUrl = /^(\s*)\/\/ (baseUrl: )'http:\/\/127\.0\.0\.1:9080'/gm;
  assert.equal(block.match(baseUrl)?.length, 1, `${name}: one "// baseUrl: 'http://127.0.0.1:9080'" line for the mock`);
  const code = block.replace(baseUrl, `$1$2'${mockUrl}'`);
  const { outputText, diagnostics } = ts.transpileModule(code, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    reportDiagnostics: true,
  });
  assert.deepEqual(diagnostics, [], `${name} does not transpile`);
  return `${outputText}\nexport { ${exports.join(', ')} };\n`;
}

/**
 * Runs `block.mjs` in `dir` in its own process, after `setup` (a module that defines what the
 * block's preamble declares); resolves with what the runner printed: { exports, events }.
 */
function runBlock(dir, env, setup = '') {
  writeFileSync(
    join(dir, 'run.mjs'),
    `${setup}
const m = await import('./block.mjs');
process.stdout.write(JSON.stringify({ exports: { ...m }, events: globalThis.events ?? [] }));
`,
  );
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['run.mjs'], { cwd: dir, env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => {
      out += d;
    });
    p.stderr.on('data', (d) => {
      err += d;
    });
    const timer = setTimeout(() => p.kill(), 20000);
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(JSON.parse(out));
      else reject(new Error(`the block failed (${signal ?? code}):\n${err}${out}`));
    });
  });
}

/** What the block writes for a field (`out_trade_no: 'T…'`), so the test follows the doc's values. */
function named(block, re, what) {
  const m = re.exec(block);
  assert.ok(m, `the block names no ${what}`);
  return m[1];
}

async function control(mock, path) {
  const res = await fetch(`${mock.url}/_mock/${path}`);
  const json = await res.json();
  assert.equal(res.status, 200, `GET /_mock/${path}: ${JSON.stringify(json)}`);
  return json;
}

test('client.md v2 block: order, payment params, query, refund and reconcile against the mock', async () => {
  const dir = blockDir('wxpay-docs-client-v2-');
  const block = taggedBlock(read(DOC), 'client-v2');
  const no = named(block, /out_trade_no: '(\w+)'/, 'out_trade_no');
  const refundNo = named(block, /out_refund_no: '(\w+)'/, 'out_refund_no');
  const appid = named(block, /appid: '(\w+)'/, 'appid');
  const mock = await startMock([
    '--key',
    KEY,
    '--mch-id',
    named(block, /mchId: '(\d+)'/, 'mchId'),
    '--appid',
    appid,
    '--refund-delay',
    '-1',
    '--keys-dir',
    join(dir, 'mock-keys'),
  ]);
  const subject = ['-subj', '/CN=1900000109', '-keyout', 'apiclient_key.pem', '-out', 'apiclient_cert.pem'];
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', ...subject], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  writeFileSync(join(dir, 'block.mjs'), runnable('client-v2', mock.url, ['pay', 'order', 'truth']));
  // The block's `log`: records the events; the unified order placed, the payer pays it.
  const setup = `import { execFileSync } from 'node:child_process';
const pay = [${JSON.stringify(CLI)}, 'mock', 'pay', '--no-notify', '--url', ${JSON.stringify(mock.url)}];
globalThis.events = [];
globalThis.log = {
  info(e) {
    globalThis.events.push(e);
    if (e.api !== 'unifiedOrder' || e.outcome !== 'ok') return;
    try {
      execFileSync(process.execPath, [...pay, e.ref], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (err) {
      process.stderr.write(\`mock pay \${e.ref} failed: \${err.stderr}\`);
      process.exit(3);
    }
  },
};`;
  const { exports, events } = await runBlock(dir, { WXPAY_KEY: KEY }, setup);
  const { pay, order, truth } = exports;

  const placed = await control(mock, `orders/${no}`);
  assert.equal(placed.total_fee, '100');
  assert.equal(placed.openid, 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o');
  assert.equal(placed.notify_url, 'https://shop.example.com/wxpay/notify');
  assert.ok(placed.paid_at > 0, 'paid (by the payer in log.info)');
  assert.deepEqual(placed.refunds, [refundNo]);
  const refund = await control(mock, `refunds/${refundNo}`);
  assert.equal(refund.out_trade_no, no);
  assert.equal(refund.total_fee, '100');
  assert.equal(refund.refund_fee, '100');

  assert.equal(pay.package, `prepay_id=${placed.prepay_id}`);
  assert.equal(pay.appId, appid);
  assert.equal(pay.signType, 'MD5');
  // WeChat's rule: the fields but paySign, sorted, k=v joined by &, then &key=KEY; MD5, upper-case hex.
  assert.deepEqual(Object.keys(pay).sort(), ['appId', 'nonceStr', 'package', 'paySign', 'signType', 'timeStamp']);
  const signed = `appId=${pay.appId}&nonceStr=${pay.nonceStr}&package=${pay.package}&signType=MD5&timeStamp=${pay.timeStamp}`;
  assert.equal(pay.paySign, createHash('md5').update(`${signed}&key=${KEY}`).digest('hex').toUpperCase());
  assert.equal(order.out_trade_no, no);
  assert.equal(order.trade_state, 'SUCCESS');
  assert.equal(truth.exists, true);
  assert.equal(truth.totalFee, 100);
  assert.deepEqual(
    truth.refunds.map((r) => [r.outRefundNo, r.refundId, r.refundFee]),
    [[refundNo, refund.refund_id, 100]],
  );
  assert.deepEqual(
    events.map((e) => `${e.api} ${e.ref} ${e.outcome}`),
    [
      `unifiedOrder ${no} ok`,
      `orderQuery ${no} ok`,
      `refund ${refundNo} ok`,
      `orderQuery ${no} ok`, // reconcile: the order,
      `refundQuery ${no} ok`, // then its refunds
    ],
    'onEvent → log.info saw each call, once',
  );
});

test('client.md v3 block: order, payment params and query against the mock', async () => {
  const dir = blockDir('wxpay-docs-client-v3-');
  const block = taggedBlock(read(DOC), 'client-v3');
  const ids = {
    mchid: named(block, /mchId: '(\d+)'/, 'mchId'),
    appid: named(block, /appid: '(\w+)'/, 'appid'),
    serialNo: named(block, /serialNo: '(\w+)'/, 'serialNo'),
    publicKeyId: named(block, /(PUB_KEY_ID_\w+):/, 'PUB_KEY_ID_…'),
  };
  const no = named(block, /out_trade_no: '(\w+)'/, 'out_trade_no');
  const apiV3Key = randomBytes(16).toString('hex');
  writeFileSync(join(dir, 'wechatpay.json'), JSON.stringify({ ...ids, apiV3Key }), { mode: 0o600 });
  const mock = await startMock(['--key', KEY, '--keys-dir', dir, '--refund-delay', '-1']);
  writeFileSync(join(dir, 'block.mjs'), runnable('client-v3', mock.url, ['pay', 'order']));
  const { exports } = await runBlock(dir, { WXPAY_APIV3_KEY: apiV3Key });
  const { pay, order } = exports;

  const placed = await control(mock, `orders/${no}`);
  assert.equal(placed.api, 'v3');
  assert.equal(placed.description, 'Tea');
  assert.equal(placed.notify_url, 'https://shop.example.com/wxpay/v3/notify');
  assert.equal(placed.query.amount.total, 100);
  assert.equal(placed.query.payer.openid, 'o1');
  assert.equal(order.out_trade_no, no);
  assert.equal(order.trade_state, 'NOTPAY');
  assert.equal(order.amount.total, 100);

  assert.equal(pay.package, `prepay_id=${placed.prepay_id}`);
  assert.equal(pay.appId, ids.appid);
  assert.equal(pay.signType, 'RSA');
  // WeChat's rule: RSA-SHA256 over appId\ntimeStamp\nnonceStr\npackage\n, base64; the merchant's key.
  const merchantKey = createPublicKey(readFileSync(join(dir, 'apiclient_pub.pem'), 'utf8'));
  const message = `${pay.appId}\n${pay.timeStamp}\n${pay.nonceStr}\n${pay.package}\n`;
  assert.ok(
    verify('sha256', Buffer.from(message), merchantKey, Buffer.from(pay.paySign, 'base64')),
    'paySign verifies with the merchant public key',
  );
});
