// The package as users get it: `npm pack`, install the tarball into an empty folder, then
// require it, import it and type-check a TypeScript user against the shipped .d.ts.
import assert from 'node:assert/strict';
import { TSC, TSC_STRICT } from './support/tsc.mjs';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const pkgDir = join(here, '../../pkg');
let dir;
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { cwd: dir, encoding: 'utf8', ...opts });

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'wxpay-pack-'));
  const tgz = run('npm', ['pack', pkgDir, '--pack-destination', dir, '--silent']).trim().split('\n').pop();
  writeFileSync(join(dir, 'package.json'), '{"name":"consumer","private":true}');
  run('npm', ['install', '--no-audit', '--no-fund', '--offline', join(dir, tgz)]);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const SIGN =
  "sign({appid:'wxd930ea5d5a258f4f',mch_id:'10000100',device_info:'1000',body:'test',nonce_str:'ibuaiVcKdpRxkhJA'},'192006250b4c09247ec02edce69f6a2d')";

test('package.json: exports map, types, files, sideEffects', () => {
  const pj = JSON.parse(readFileSync(join(dir, 'node_modules/wxpay-wasm/package.json'), 'utf8'));
  assert.equal(pj.name, 'wxpay-wasm');
  assert.equal(pj.sideEffects, false);
  assert.ok(pj.types && pj.files);
  // The conditions in the order resolvers must meet them (docs/guide/runtimes/), the same
  // for both API families, and every target shipped in the tarball.
  for (const entry of ['.', './v3', './miniprogram']) {
    const map = pj.exports[entry];
    assert.deepEqual(
      Object.keys(map),
      ['types', 'workerd', 'deno', 'bun', 'node', 'browser', 'import', 'default'],
      entry,
    );
    for (const runtime of ['bun', 'node'])
      assert.deepEqual(Object.keys(map[runtime]), ['import', 'require'], `${entry} ${runtime}`);
    const targets = Object.values(map).flatMap((v) => (typeof v === 'string' ? [v] : Object.values(v)));
    for (const t of targets)
      assert.ok(existsSync(join(dir, 'node_modules/wxpay-wasm', t)), `${entry}: ${t} is in the package`);
  }
  for (const sub of ['./wasm', './v3/wasm', './diagnose/wasm', './miniprogram/wasm']) {
    assert.match(pj.exports[sub].default, /web\/wxpay_wasm_bg\.wasm$/);
    for (const file of Object.values(pj.exports[sub]))
      assert.ok(existsSync(join(dir, 'node_modules/wxpay-wasm', file)), file);
  }
});

test('require() works with no init call', () => {
  const out = run('node', [
    '-e',
    `const { sign, WxPayError } = require('wxpay-wasm'); console.log(${SIGN}, typeof WxPayError)`,
  ]);
  assert.equal(out.trim(), '9A0A8659F005D6984697E2CA0A9CF3B7 function');
});

test('import works with no init call', () => {
  const out = run('node', [
    '--input-type=module',
    '-e',
    `import { sign } from 'wxpay-wasm'; import wx from 'wxpay-wasm'; console.log(${SIGN}, typeof wx.verifyNotify)`,
  ]);
  assert.equal(out.trim(), '9A0A8659F005D6984697E2CA0A9CF3B7 function');
});

test('the browser entry needs init(), which is idempotent', () => {
  const script = `
    import { readFileSync } from 'node:fs';
    const entry = new URL('./node_modules/wxpay-wasm/web/index.js', 'file://${dir}/');
    const wx = await import(entry);
    let early; try { wx.sign({a:'1'}, 'k'); } catch (e) { early = e.code; }
    const bytes = readFileSync(new URL('./wxpay_wasm_bg.wasm', entry));
    await Promise.all([wx.init(bytes), wx.init(bytes)]);
    await wx.init();
    console.log(early, wx.${SIGN});`;
  const out = run('node', ['--input-type=module', '-e', script]);
  assert.equal(out.trim(), 'INVALID_PARAM 9A0A8659F005D6984697E2CA0A9CF3B7');
});

test('diagnoseSign: its own wasm, loaded at the first call in Node, by initDiagnose() in the browser entry', () => {
  const DIAG =
    "diagnoseSign({appid:'wxd930ea5d5a258f4f',mch_id:'10000100',device_info:'1000',body:'test',nonce_str:'ibuaiVcKdpRxkhJA'},'192006250b4c09247ec02edce69f6a2d','9a0a8659f005d6984697e2ca0a9cf3b7').cause";
  assert.equal(
    run('node', ['-e', `const wx = require('wxpay-wasm'); console.log(wx.${DIAG})`]).trim(),
    'LOWERCASE_HEX',
  );
  const script = `
    import { readFileSync } from 'node:fs';
    const entry = new URL('./node_modules/wxpay-wasm/web/index.js', 'file://${dir}/');
    const wx = await import(entry);
    await wx.init(readFileSync(new URL('./wxpay_wasm_bg.wasm', entry)));
    let early; try { wx.${DIAG}; } catch (e) { early = e.code + ' ' + /initDiagnose/.test(e.message); }
    let wrong; try { await wx.initDiagnose(new Uint8Array(8)); } catch (e) { wrong = e.name; }
    const bytes = readFileSync(new URL('../diagnose/web/wxpay_wasm_bg.wasm', entry));
    await Promise.all([wx.initDiagnose(bytes), wx.initDiagnose(bytes)]);
    console.log(early, wrong, wx.${DIAG});`;
  // A failed load is not kept: after bytes that are no wasm, the right bytes still load.
  assert.equal(
    run('node', ['--input-type=module', '-e', script]).trim(),
    'INVALID_PARAM true CompileError LOWERCASE_HEX',
  );
});

test('TypeScript user type-checks against the shipped .d.ts', () => {
  copyFileSync(join(here, 'usage.ts'), join(dir, 'usage.ts'));
  run('node', [TSC, ...TSC_STRICT, 'usage.ts']);
});

// ---------------------------------------------------------------- wxpay-wasm/v3

const V3_CHECK = `(async () => {
  const h = await v3.authorization({ mchId: '1900000109', serialNo: 'ABC123', privateKey: PEM, method: 'GET', url: '/v3/certificates', timestamp: '1', nonce: 'n' });
  console.log(h.split('signature=')[0], typeof v3.WxPayError, v3.WxPayError === v2.WxPayError);
})().catch((e) => { console.error(e); process.exit(1); });`;

test('wxpay-wasm/v3: package.json exports ./v3 like .', () => {
  const pj = JSON.parse(readFileSync(join(dir, 'node_modules/wxpay-wasm/package.json'), 'utf8'));
  const strip = (m) => JSON.parse(JSON.stringify(m).replaceAll('./v3/', './'));
  assert.deepEqual(strip(pj.exports['./v3']), { ...pj.exports['.'], types: './index.d.ts' });
  assert.ok(pj.files.includes('v3/'));
});

const PEM_SRC = `JSON.parse(require('fs').readFileSync(${JSON.stringify(join(here, '../fixtures/v3/generated.json'))}, 'utf8')).keys.merchant.private_pkcs1`;
const WANT =
  'WECHATPAY2-SHA256-RSA2048 mchid="1900000109",nonce_str="n",timestamp="1",serial_no="ABC123", function true';

test('wxpay-wasm/v3 works with require()', () => {
  const out = run('node', [
    '-e',
    `const v3 = require('wxpay-wasm/v3'); const v2 = require('wxpay-wasm'); const PEM = ${PEM_SRC}; ${V3_CHECK}`,
  ]);
  assert.equal(out.trim(), WANT);
});

test('wxpay-wasm/v3 works with import, and shares WxPayError with require', () => {
  const script = `import * as v3 from 'wxpay-wasm/v3'; import v2 from 'wxpay-wasm'; import { createRequire } from 'node:module';
    const require = createRequire(import.meta.url); const PEM = ${PEM_SRC};
    if (require('wxpay-wasm/v3').WxPayError !== v3.WxPayError) throw new Error('two classes');
    ${V3_CHECK}`;
  const out = run('node', ['--input-type=module', '-e', script]);
  assert.equal(out.trim(), WANT);
});

test('TypeScript user of wxpay-wasm/v3 type-checks (strict, with @ts-expect-error negatives)', () => {
  copyFileSync(join(here, 'usage-v3.ts'), join(dir, 'usage-v3.ts'));
  run('node', [TSC, ...TSC_STRICT, 'usage-v3.ts']);
});

// ---------------------------------------------------------------- wxpay-wasm/miniprogram

const MP_CHECK = `const s = mp.xpaySignatures({ appKey: 'appkey', uri: '/xpay/query_user_balance', body: '{"a":1}' });
  const echo = mp.verifyPushUrl({ signature: 'ae0691b9659496dc26402485c1cbd2f28b57f1dc', timestamp: '1700000000', nonce: '123456', echostr: 'ok' }, 'tok');
  console.log(s.paySig, echo, typeof mp.createMiniProgram, mp.WxPayError === v2.WxPayError);`;
// HMAC-SHA256("appkey", "/xpay/query_user_balance&{"a":1}") by Python's hmac (tests/python).
const MP_WANT = '9d2d553a7515c3ceebe747e506bb2525f9830a3c9b5318db993e7e90c566d2e7 ok function true';

test('wxpay-wasm/miniprogram: exported like ., works with require() and import, one WxPayError', () => {
  const pj = JSON.parse(readFileSync(join(dir, 'node_modules/wxpay-wasm/package.json'), 'utf8'));
  const strip = (m) => JSON.parse(JSON.stringify(m).replaceAll('./miniprogram/', './'));
  assert.deepEqual(strip(pj.exports['./miniprogram']), { ...pj.exports['.'], types: './index.d.ts' });
  assert.ok(pj.files.includes('miniprogram/'));
  const cjs = run('node', [
    '-e',
    `const mp = require('wxpay-wasm/miniprogram'); const v2 = require('wxpay-wasm'); ${MP_CHECK}`,
  ]);
  assert.equal(cjs.trim(), MP_WANT);
  const esm = run('node', [
    '--input-type=module',
    '-e',
    `import * as mp from 'wxpay-wasm/miniprogram'; import v2 from 'wxpay-wasm'; ${MP_CHECK}`,
  ]);
  assert.equal(esm.trim(), MP_WANT);
});

test('TypeScript user of wxpay-wasm/miniprogram type-checks (strict, with @ts-expect-error negatives)', () => {
  copyFileSync(join(here, 'usage-miniprogram.ts'), join(dir, 'usage-miniprogram.ts'));
  run('node', [TSC, ...TSC_STRICT, 'usage-miniprogram.ts']);
});
