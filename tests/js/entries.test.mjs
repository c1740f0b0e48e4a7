// The JS ↔ wasm seam as source: the runtime entries (js/v2/entries, js/v3/entries), the
// modules of js/ imported on their own (no bundle, no template), the boundary's helpers
// (js/core/boundary.js), and the CLI run from the source tree as from pkg/. Needs pkg/ built
// (node scripts/build-pkg.mjs, or --dev); expected values are written out from WeChat's
// rules and the documented formats, never taken from the code under test.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const js = (rel) => pathToFileURL(join(root, 'js', rel)).href;
const require = createRequire(import.meta.url);

test('every module of js/core, js/v2, js/v3 and js/miniprogram imports on its own, from the source tree', async () => {
  for (const dir of ['core', 'v2', 'v3', 'miniprogram']) {
    for (const file of readdirSync(join(root, 'js', dir)).filter((f) => f.endsWith('.js'))) {
      const mod = await import(js(`${dir}/${file}`));
      assert.ok(Object.keys(mod).length > 0, `js/${dir}/${file} exports something`);
    }
  }
});

test('js/v3/args.js checks arguments with no wasm loaded', async () => {
  const args = await import(js('v3/args.js'));
  assert.equal(args.nowSeconds(new Date(Date.UTC(2026, 0, 1))), 1767225600);
  assert.throws(
    () => args.nowSeconds(1767225600000),
    (e) => e.code === 'INVALID_PARAM' && e.field === 'now' && /milliseconds/.test(e.message),
  );
  assert.equal(args.seconds(12, 'timestamp'), '12');
  assert.throws(
    () => args.total(1.5),
    (e) => e.code === 'INVALID_PARAM' && e.field === 'total',
  );
  const headers = { 'Wechatpay-Serial': 'S', 'content-type': 'application/json', 'wechatpay-nonce': 'n' };
  assert.deepEqual(args.headerPairs(headers), ['Wechatpay-Serial', 'S', 'wechatpay-nonce', 'n']);
  assert.throws(
    () => args.headerPairs({ 'Wechatpay-Serial': ['a', 'b'] }),
    (e) => e.code === 'INVALID_PARAM',
  );
  assert.throws(
    () => args.keyMap({}),
    (e) => e.code === 'INVALID_PARAM' && e.field === 'publicKeys',
  );
  assert.deepEqual([...args.bodyBytes(new Uint8Array([1, 2]).buffer)], [1, 2]);
  assert.throws(
    () => args.checkOptions('verifyNotify', { apiv3Key: 'k' }),
    (e) => e.code === 'INVALID_PARAM' && /apiV3Key/.test(e.message),
  );
});

test('js/core/boundary.js: the field list has the documented format, and falls back to JSON', async () => {
  const { fieldList } = await import(js('core/boundary.js'));
  assert.equal(fieldList({ b: '中', a: 1 }, 'params'), '\0' + '2\0b\0中\0a\x001\0');
  assert.equal(fieldList({ a: '1', n: null, u: undefined }, 'params'), '\x001\0a\x001\0');
  // A bigint is not a field list's: JSON, with the bigint as its decimal text.
  assert.equal(fieldList({ a: 10n }, 'params'), '{"a":"10"}');
});

test('js/core/boundary.js: tuples are named by the table, and a length it does not fit is refused', async () => {
  const { namedTuples } = await import(js('core/boundary.js'));
  const named = namedTuples({ f: ['a', 'b'] });
  assert.deepEqual(named.one('f', [1, 2]), { a: 1, b: 2 });
  assert.deepEqual(named.many('f', [1, 2, 3, 4]), [
    { a: 1, b: 2 },
    { a: 3, b: 4 },
  ]);
  assert.throws(() => named.one('f', [1, 2, 3]), /returned/);
  assert.throws(() => named.one('g', []), /does not name/);
});

test('js/v3/wasm.js binds the built v3 wasm; its tuples arrive named', async () => {
  const boundary = await import(js('v3/wasm.js'));
  boundary.bindWasm(require(join(root, 'pkg/v3/node/wxpay_wasm.js')));
  // WeChat's rule for the message an Authorization signs: method, URL, timestamp, nonce and
  // body, each followed by a newline.
  const prepared = boundary.tuple('v3AuthPrepare', 'GET', '/v3/certificates', '', '1554208460', 'NONCE');
  assert.deepEqual(prepared, {
    message: 'GET\n/v3/certificates\n1554208460\nNONCE\n\n',
    timestamp: '1554208460',
    nonce: 'NONCE',
  });
  assert.deepEqual(boundary.tuple('v3NotifyReply', true, undefined), { status: '204', body: '' });
  // Its errors are WxPayError instances of the core the module imports.
  const { WxPayError } = await import(js('core/index.js'));
  assert.throws(
    () => boundary.tuple('v3PayPrepare', 'wx1', 'not a prepay id', '1', 'n'),
    (e) => e instanceof WxPayError,
  );
});

test('the browser, Worker and Node ESM entries export what the CommonJS entry does', async () => {
  const esbuild = await import(pathToFileURL(join(root, 'node_modules/esbuild/lib/main.js')).href);
  for (const base of ['pkg', 'pkg/v3', 'pkg/miniprogram']) {
    const cjs = Object.keys(require(join(root, base, 'node/index.cjs'))).sort();
    for (const entry of ['node/index.mjs', 'web/index.js', 'web/workerd.js']) {
      // The export names as esbuild reads them from the built file, without running it.
      const r = await esbuild.build({
        entryPoints: [join(root, base, entry)],
        bundle: false,
        write: false,
        metafile: true,
        format: 'esm',
        outdir: '/tmp',
        logLevel: 'silent',
      });
      const names = Object.values(r.metafile.outputs)[0]
        .exports.filter((n) => n !== 'default')
        .sort();
      assert.deepEqual(names, cjs, `${base}/${entry}`);
    }
  }
});

test('the entries are the source files: pkg/ says where each came from', () => {
  for (const [out, from] of [
    ['pkg/node/index.cjs', 'js/v2/entries/node.cjs'],
    ['pkg/web/workerd.js', 'js/v2/entries/workerd.js'],
    ['pkg/v3/web/index.js', 'js/v3/entries/web.js'],
    ['pkg/miniprogram/node/index.cjs', 'js/miniprogram/entries/node.cjs'],
    ['pkg/miniprogram/web/workerd.js', 'js/miniprogram/entries/workerd.js'],
    ['pkg/core/index.cjs', 'js/core/node.cjs'],
  ]) {
    assert.ok(
      readFileSync(join(root, out), 'utf8').startsWith(`// Generated by scripts/build-pkg.mjs from ${from}.`),
      out,
    );
  }
  const manifest = JSON.parse(readFileSync(join(root, 'pkg/package.json'), 'utf8'));
  const template = JSON.parse(readFileSync(join(root, 'js/package.template.json'), 'utf8'));
  assert.deepEqual({ ...manifest, version: template.version }, template);
  assert.match(manifest.description, /v2 and v3/);
});

test('the CLI runs from the source tree exactly as from pkg/', () => {
  const run = (cli, args) => execFileSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8' });
  for (const args of [['--help'], ['sign', '--help'], ['verify', '--help']]) {
    const fromPkg = run('pkg/cli/cli.mjs', args);
    assert.ok(fromPkg.length > 100, `${args.join(' ')} prints its help`);
    assert.equal(run('js/cli.mjs', args), fromPkg, args.join(' '));
  }
  // A command that calls the package: WeChat's published example, sign 9A0A8659….
  const sign = [
    'sign',
    '--key',
    '192006250b4c09247ec02edce69f6a2d',
    'appid=wxd930ea5d5a258f4f',
    'mch_id=10000100',
    'device_info=1000',
    'body=test',
    'nonce_str=ibuaiVcKdpRxkhJA',
  ];
  assert.equal(run('js/cli.mjs', sign), run('pkg/cli/cli.mjs', sign));
  assert.match(run('js/cli.mjs', sign), /9A0A8659F005D6984697E2CA0A9CF3B7/);
});

test('js/miniprogram/wasm.js binds the built mini-program wasm; its errors arrive as WxPayError', async () => {
  const boundary = await import(js('miniprogram/wasm.js'));
  const { WxPayError } = await import(js('core/index.js'));
  boundary.bindWasm(require(join(root, 'pkg/miniprogram/node/wxpay_wasm.js')));
  // SHA-1 of "1700000000123456tok" (sorted: digits sort before letters), as `printf … | sha1sum` gives.
  assert.equal(
    boundary.call('mpSignature', ['tok', '1700000000', '123456']),
    'ae0691b9659496dc26402485c1cbd2f28b57f1dc',
  );
  assert.throws(
    () => boundary.call('mpVerifySignature', ['tok', '1', 'n'], '0'.repeat(40), 'signature'),
    (e) => e instanceof WxPayError && e.code === 'SIGN_MISMATCH' && e.field === 'signature',
  );
  assert.throws(
    () => boundary.call('mpCheckKey', 'short'),
    (e) => e instanceof WxPayError && e.field === 'encodingAESKey',
  );
});

test('the mini-program exports live in their own wasm only: the v2 and v3 wasm do not carry them', () => {
  const mpNames = Object.keys(require(join(root, 'pkg/miniprogram/node/wxpay_wasm.js'))).filter((n) =>
    n.startsWith('mp'),
  );
  assert.ok(mpNames.includes('mpOpen') && mpNames.includes('mpPaySig'), mpNames.join(', '));
  for (const base of ['pkg/node', 'pkg/v3/node', 'pkg/diagnose/node']) {
    const names = Object.keys(require(join(root, base, 'wxpay_wasm.js')));
    assert.deepEqual(
      names.filter((n) => n.startsWith('mp')),
      [],
      base,
    );
    // Nor the mini-program error codes' names (compiled only with the `miniprogram` feature).
    assert.ok(!readFileSync(join(root, base, 'wxpay_wasm_bg.wasm')).includes('LOGIN_CODE_INVALID'), base);
  }
});
