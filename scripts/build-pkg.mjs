// Builds pkg/: the wasm (cargo → wasm-bindgen → wasm-opt) for Node and for browsers, and
// the package around it (entries, types, package.json). Run from the repo root:
//   node scripts/build-pkg.mjs
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync, statSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = join(root, 'pkg');
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });
const version = JSON.parse(execFileSync('cargo', ['metadata', '--no-deps', '--format-version', '1'], { cwd: root }))
  .packages.find((p) => p.name === 'wxpay-wasm').version;

/**
 * One wasm per API version: cargo builds the crate with only `feature`, and the artifact is
 * copied out at once because every feature set writes the same target path. Then
 * wasm-bindgen for Node and for browsers into `<base>/node` and `<base>/web`, and wasm-opt.
 */
function buildWasm(feature, base) {
  run('cargo', ['build', '--release', '--target', 'wasm32-unknown-unknown', '--lib', '--no-default-features', '--features', feature]);
  const built = join(root, `target/wasm32-unknown-unknown/release/wxpay_wasm_${feature}.wasm`);
  copyFileSync(join(root, 'target/wasm32-unknown-unknown/release/wxpay_wasm.wasm'), built);
  for (const [dir, target] of [['node', 'nodejs'], ['web', 'web']]) {
    const out = join(base, dir);
    run('wasm-bindgen', ['--target', target, '--out-dir', out, '--out-name', 'wxpay_wasm', '--no-typescript', built]);
    const wasm = join(out, 'wxpay_wasm_bg.wasm');
    // -Oz after wasm-bindgen, as wasm-bindgen's own docs advise; the features are the ones
    // Rust 1.95 emits for wasm32-unknown-unknown by default. --converge repeats the passes
    // until nothing shrinks, and the two sections stripped are metadata nothing reads at run
    // time (together ~0.25 KB gzipped; -Os was 1.6 KB larger raw, 0.03 KB smaller gzipped).
    run('wasm-opt', ['-Oz', '--converge', '--strip-producers', '--strip-target-features', '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
      '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue', wasm, '-o', wasm]);
    rmSync(join(out, '.gitignore'), { force: true });
  }
}

// WXPAY_REUSE_WASM=1 (after one full build): only the JS half is written again, for a quick
// edit-test loop on js/; the wasm already in pkg/ is kept.
const reuse = process.env.WXPAY_REUSE_WASM === '1' && ['node', 'v3/web', 'diagnose/web'].every((d) => existsSync(join(pkg, d, 'wxpay_wasm_bg.wasm')));
if (!reuse) {
  rmSync(pkg, { recursive: true, force: true });
  buildWasm('v2', pkg);
  // diagnoseSign: its own wasm (src/wasm/diagnose.rs), so a v2 server's does not carry it.
  buildWasm('diagnose-only', join(pkg, 'diagnose'));
  // wxpay-wasm/v3: its own wasm, so a v2 user's download does not grow.
  buildWasm('v3', join(pkg, 'v3'));
}

// ---------------------------------------------------------------- the JS half
//
// js/ is written as ES modules (js/core/*: what every API entry shares; js/v2/api.js: the
// v2 API). Each pkg/ module is one file made from them by `bundle`: imports between the
// bundled files are dropped (they share one scope), JSON imports are inlined, and imports
// of another pkg/ module are rewritten to `require` (CommonJS) or kept as `import`.
// pkg/core/ is that shared module, imported by every entry, so WxPayError is ONE class
// across `wxpay-wasm` and `wxpay-wasm/v3` in each runtime: Node (both entries' ESM files
// re-export their CommonJS file, which requires pkg/core/index.cjs) and browsers (each
// entry imports pkg/core/index.js).

const IMPORT = /^import\s+([\s\S]*?)\s+from\s+'([^']+)'(\s+with\s+\{[^}]*\})?;\n/gm;
const DECLARED = /^(?:export\s+)?(?:const|let|class|function)\s+(\w+)/gm;

/**
 * Bundles `files` (repo-relative, in order) into one module body. `external` maps an
 * import source (as written in the files) to `{ cjs, esm }` paths of another pkg/ module.
 * Returns the body per format and the names the files export.
 */
function bundle(files, external = {}) {
  const bodies = { cjs: '', esm: '' };
  const exported = [];
  const declared = new Set();
  // Several files may import from one external module (the client's modules and the API all
  // import the core): one import per source at the top, the names merged, or the bundle
  // would declare a binding twice.
  const externals = new Map(); // source → Set of "name" / "name as alias"
  const outer = (from, what) => {
    const names = what.replace(/^\{|\}$/g, '').split(',').map((n) => n.trim().replace(/\s+/g, ' ')).filter(Boolean);
    if (!/^\{[\s\S]*\}$/.test(what.trim())) throw new Error(`import ${what} from ${from}: only named imports of another pkg/ module are bundled`);
    if (!externals.has(from)) externals.set(from, new Set());
    for (const n of names) externals.get(from).add(n);
  };
  for (const file of files) {
    const abs = join(root, file);
    const src = readFileSync(abs, 'utf8');
    for (const m of src.matchAll(DECLARED)) {
      if (declared.has(m[1])) throw new Error(`${file}: ${m[1]} is declared twice in one bundle`);
      declared.add(m[1]);
    }
    for (const format of ['cjs', 'esm']) {
      let out = src.replace(IMPORT, (_, what, from, attrs) => {
        const target = join(dirname(abs), from);
        if (attrs) return `const ${what} = ${readFileSync(target, 'utf8').trim()};\n`; // JSON
        if (external[from]) {
          if (format === 'esm') outer(from, what);
          return '';
        }
        if (!files.some((f) => join(root, f) === target)) throw new Error(`${file}: import of ${from} is not in the bundle`);
        return '';
      });
      out = out.replace(/^export\s+\{([^}]*)\};?\n/gm, (_, names) => {
        if (format === 'cjs') exported.push(...names.split(',').map((n) => n.trim()).filter(Boolean));
        return '';
      });
      out = out.replace(/^export\s+(const|let|class|function)\s+(\w+)/gm, (_, kind, name) => {
        if (format === 'cjs') exported.push(name);
        return `${kind} ${name}`;
      });
      if (/^export /m.test(out)) throw new Error(`${file}: an export form bundle does not handle`);
      bodies[format] += `// ---- ${file}\n${out}`;
    }
  }
  for (const [from, names] of externals) {
    const list = [...names];
    bodies.esm = `import { ${list.join(', ')} } from '${external[from].esm}';\n${bodies.esm}`;
    bodies.cjs = `const { ${list.map((n) => n.replace(/ as /, ': ')).join(', ')} } = require('${external[from].cjs}');\n${bodies.cjs}`;
  }
  return { ...bodies, exported, declared };
}

/** The client's family-neutral modules (issue 13), bundled into every family's entries before its own client.js and api.js. */
const CLIENT_FILES = ['js/client/retry.js', 'js/client/transport.js', 'js/client/notify.js', 'js/client/options.js', 'js/client/fields.js'];
/** Each family's own client modules, in order, bundled between CLIENT_FILES and its api.js. */
const FAMILY_CLIENT_FILES = {
  'js/v2/api.js': ['js/v2/client-calls.js', 'js/v2/client-recovery.js', 'js/v2/client.js'],
  'js/v3/api.js': ['js/v3/client-keys.js', 'js/v3/client-request.js', 'js/v3/client-calls.js', 'js/v3/client.js'],
};

const banner = (from) => `// Generated by scripts/build-pkg.mjs from ${from}. Do not edit.\n`;

// pkg/core: the modules js/core/index.js lists, in its order.
const coreFiles = [...readFileSync(join(root, 'js/core/index.js'), 'utf8').matchAll(/^export \* from '\.\/(.+)';$/gm)]
  .map((m) => `js/core/${m[1]}`);
const core = bundle(coreFiles);
mkdirSync(join(pkg, 'core'), { recursive: true });
writeFileSync(join(pkg, 'core/index.cjs'), `${banner('js/core')}'use strict';\n${core.cjs}
module.exports = { ${core.exported.join(', ')} };
`);
writeFileSync(join(pkg, 'core/index.js'), `${banner('js/core')}${core.esm}
export { ${core.exported.join(', ')} };
`);

/**
 * The browser and Worker entries' `initDiagnose()` and the `diagnosis` hook createApi calls:
 * diagnoseSign's wasm is imported on demand (`load`: an expression of `input` that resolves
 * to the initialised glue), so a page or Worker that never diagnoses never fetches it.
 */
const webDiagnosis = (load) => `let diagnosisGlue = null;
let diagnosisLoading;
/** Loads diagnoseSign's own wasm once; later calls return the same promise. */
export function initDiagnose(input) {
  // A failed load (a wrong URL, the network) is not kept: the next call tries again.
  diagnosisLoading ??= ${load}.then((glue) => { diagnosisGlue = glue; }, (e) => { diagnosisLoading = undefined; throw e; });
  return diagnosisLoading;
}
const diagnosis = () => {
  if (diagnosisGlue === null) throw new WxPayError('INVALID_PARAM', 'diagnoseSign has its own wasm in browsers and Workers: await initDiagnose() first');
  return diagnosisGlue;
};
`;

/**
 * Writes one API family's entries: `<dir>/node/index.cjs` + `index.mjs` and
 * `<dir>/web/index.js`, around the wasm-bindgen glue already in `<dir>/node` and
 * `<dir>/web`. `source` is the family's module (it exports `createApi`); `coreRel` is
 * the path from `<dir>/node` (and `<dir>/web`) to pkg/core.
 */
function writeEntries(dir, source, coreRel, diagnose = false) {
  const api = bundle([...CLIENT_FILES, ...FAMILY_CLIENT_FILES[source], source], {
    '../core/index.js': { cjs: `${coreRel}/index.cjs`, esm: `${coreRel}/index.js` },
  });
  writeFileSync(join(dir, 'node/index.cjs'), `${banner(source)}'use strict';\n${api.cjs}
const api = createApi(require('./wxpay_wasm.js')${diagnose ? `, () => require('../diagnose/node/wxpay_wasm.js')` : ''});
/** Node loads the module synchronously; init() exists so universal code can await it. */
api.init = () => Promise.resolve();
${diagnose ? `/** diagnoseSign's wasm loads at its first call in Node; this exists for universal code. */
api.initDiagnose = () => Promise.resolve();
` : ''}module.exports = api;
`);

  // Names come from the CommonJS entry itself, so the ESM and browser entries cannot drift.
  const names = Object.keys(createRequire(import.meta.url)(join(dir, 'node/index.cjs')));
  // Names the browser entry already binds at top level (declared in the source or imported
  // from the core: WxPayError, ERROR_CODES, API_PATHS …) are exported as they are.
  const bound = new Set([...api.declared, ...core.exported]);
  const fns = names.filter((n) => n !== 'init' && n !== 'initDiagnose' && !bound.has(n));
  const own = names.filter((n) => bound.has(n));

  // createRequire, not `import api from './index.cjs'`: importing CommonJS makes Node scan the
  // whole bundle with cjs-module-lexer for its export names (~30 ms of a fresh process's
  // start-up, measured with --cpu-prof); require()'s module is the same object, so
  // WxPayError stays one class across require and import.
  writeFileSync(join(dir, 'node/index.mjs'), `${banner(source)}import { createRequire } from 'node:module';
const api = createRequire(import.meta.url)('./index.cjs');
export const { ${names.join(', ')} } = api;
export default api;
`);

  writeFileSync(join(dir, 'web/index.js'), `${banner(source)}import initWasm, * as wasm from './wxpay_wasm.js';
${api.esm}
let loaded = false;
let loading;
// Calls before init() get a clear error instead of a TypeError from inside the glue.
const raw = new Proxy(wasm, {
  get(target, name) {
    if (!loaded) throw new WxPayError('INVALID_PARAM', 'wxpay-wasm is not initialised yet: await init() first');
    return target[name];
  },
});
/** Loads the wasm once; later calls return the same promise. */
export function init(input) {
  loading ??= initWasm(input === undefined ? undefined : { module_or_path: input }).then(() => { loaded = true; });
  return loading;
}
${diagnose ? webDiagnosis(`import('../diagnose/web/wxpay_wasm.js').then(async (glue) => {
    await glue.default(input === undefined ? undefined : { module_or_path: input });
    return glue;
  })`) : ''}const api = createApi(raw${diagnose ? ', diagnosis' : ''});
api.init = init;
${diagnose ? 'api.initDiagnose = initDiagnose;\n' : ''}export const { ${fns.join(', ')} } = api;
export { ${own.join(', ')} };
export default api;
`);

  writeWorkerdEntry(dir, source, api, fns, own, diagnose);
}

/**
 * `<dir>/web/workerd.js`, the "workerd" condition (Cloudflare Workers, wrangler, miniflare):
 * there the `.wasm` import is a compiled WebAssembly.Module (wrangler's default rule for
 * `*.wasm`), so the instance is made synchronously at import, with no fetch of a URL (a
 * Worker has no file URL to fetch). The same web glue and pkg/core as web/index.js, so
 * WxPayError is still one class across both entries.
 */
function writeWorkerdEntry(dir, source, api, fns, own, diagnose) {
  writeFileSync(join(dir, 'web/workerd.js'), `${banner(source)}import wasmModule from './wxpay_wasm_bg.wasm';
import { initSync } from './wxpay_wasm.js';
import * as wasm from './wxpay_wasm.js';
${api.esm}
initSync({ module: wasmModule });
${diagnose ? webDiagnosis(`Promise.all([import('../diagnose/web/wxpay_wasm_bg.wasm'), import('../diagnose/web/wxpay_wasm.js')]).then(([m, glue]) => {
    glue.initSync({ module: m.default });
    return glue;
  })`) : ''}const api = createApi(wasm${diagnose ? ', diagnosis' : ''});
/** The wasm is instantiated at import; init() exists so universal code can await it. */
export function init() {
  return Promise.resolve();
}
api.init = init;
${diagnose ? 'api.initDiagnose = initDiagnose;\n' : ''}export const { ${fns.join(', ')} } = api;
export { ${own.join(', ')} };
export default api;
`);
}

writeEntries(pkg, 'js/v2/api.js', '../core', true);
writeEntries(join(pkg, 'v3'), 'js/v3/api.js', '../../core');
copyFileSync(join(root, 'js/v3/index.d.ts'), join(pkg, 'v3/index.d.ts'));

copyFileSync(join(root, 'js/index.d.ts'), join(pkg, 'index.d.ts'));
// The declarations both index.d.ts import (js/types: the shared ones and the contract's tables).
cpSync(join(root, 'js/types'), join(pkg, 'types'), { recursive: true });
writeFileSync(join(pkg, 'wasm.d.ts'), `${banner('scripts/build-pkg.mjs')}/** The web build's wasm as a URL, for a bundler that imports it as a file (esbuild \`--loader:.wasm=file\`): pass it to init() (\`wxpay-wasm/diagnose/wasm\`: to initDiagnose()). */
declare const wasmUrl: string;
export default wasmUrl;
`);
copyFileSync(join(root, 'README.md'), join(pkg, 'README.md'));
// The CLI and mock server (issue 7): pkg/cli/cli.mjs imports ../node/index.mjs.
cpSync(join(root, 'js/mock'), join(pkg, 'cli/mock'), { recursive: true });
copyFileSync(join(root, 'js/cli.mjs'), join(pkg, 'cli/cli.mjs'));
// js/cli/*.mjs: the CLI's other modules (v3.mjs: sign|verify|notify --api v3), beside cli.mjs.
cpSync(join(root, 'js/cli'), join(pkg, 'cli'), { recursive: true });
chmodSync(join(pkg, 'cli/cli.mjs'), 0o755);

/**
 * The exports map: one entry per API family, the same conditions for each, in the order a
 * resolver tries them (the first key whose condition it has wins):
 * - workerd (wrangler/miniflare, which also set "worker" and "browser"): the wasm as a module;
 * - deno, bun, node: the Node build, synchronous (Deno and Bun read the wasm with node:fs
 *   like Node; Deno also sets "node", Bun "node" too, but name them so the choice is ours);
 * - browser, import, default: the web build for browsers and bundlers (Vite, webpack,
 *   Rollup, esbuild with platform=browser), which load the wasm from
 *   `new URL('wxpay_wasm_bg.wasm', import.meta.url)`; Vite and webpack emit it as an asset.
 * `./wasm`, `./v3/wasm` and `./diagnose/wasm` name the browser wasm files, for a bundler that
 * does not follow `new URL(…, import.meta.url)` (esbuild): import it as a file URL and pass
 * it to init() (initDiagnose() for the last).
 */
const family = (base, types) => ({
  types,
  workerd: `${base}/web/workerd.js`,
  deno: `${base}/node/index.mjs`,
  bun: { import: `${base}/node/index.mjs`, require: `${base}/node/index.cjs` },
  node: { import: `${base}/node/index.mjs`, require: `${base}/node/index.cjs` },
  browser: `${base}/web/index.js`,
  import: `${base}/web/index.js`,
  default: `${base}/web/index.js`,
});
const EXPORTS = {
  '.': family('.', './index.d.ts'),
  './v3': family('./v3', './v3/index.d.ts'),
  './wasm': { types: './wasm.d.ts', default: './web/wxpay_wasm_bg.wasm' },
  './v3/wasm': { types: './wasm.d.ts', default: './v3/web/wxpay_wasm_bg.wasm' },
  './diagnose/wasm': { types: './wasm.d.ts', default: './diagnose/web/wxpay_wasm_bg.wasm' },
  './package.json': './package.json',
};

writeFileSync(join(pkg, 'package.json'), JSON.stringify({
  name: 'wxpay-wasm',
  version,
  description: 'WeChat Pay API v2 (mini-program payments) in Rust/WebAssembly: sign, unified-order XML, notification verification',
  license: 'MIT',
  types: './index.d.ts',
  main: './node/index.cjs',
  module: './web/index.js',
  exports: EXPORTS,
  bin: { 'wxpay-wasm': './cli/cli.mjs' },
  files: ['index.d.ts', 'wasm.d.ts', 'types/', 'core/', 'node/', 'web/', 'diagnose/', 'cli/', 'v3/', 'README.md'],
  sideEffects: false,
  engines: { node: '>=20' },
  keywords: ['wechat', 'wechatpay', 'weixin', 'pay', 'wasm', '微信支付', '小程序支付'],
}, null, 2) + '\n');

for (const [name, dir] of [['wasm (v2, wxpay-wasm)', 'node'], ['wasm (v3, wxpay-wasm/v3)', 'v3/node'], ['wasm (diagnoseSign, loaded on demand)', 'diagnose/node']]) {
  const wasm = readFileSync(join(pkg, dir, 'wxpay_wasm_bg.wasm'));
  console.log(`pkg/ built: ${name} ${wasm.length} bytes, ${gzipSync(wasm, { level: 9 }).length} gzipped`);
}
