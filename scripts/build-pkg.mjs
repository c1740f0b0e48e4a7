// Builds pkg/, the npm package: the wasm (cargo → wasm-bindgen → wasm-opt) for Node and for
// browsers, and the JS around it (js/ bundled by esbuild, types, package.json). From the repo
// root, after `npm ci` once (it installs esbuild, pinned in ./package.json; this script runs
// `npm ci` itself when node_modules/esbuild is missing):
//
//   node scripts/build-pkg.mjs         the release build: four wasm files, optimised (minutes)
//   node scripts/build-pkg.mjs --dev   a debug build for a fast loop (`make check`): cargo
//                                      without --release, no wasm-opt; the same pkg/ layout,
//                                      larger and slower wasm, never to be published
//   WXPAY_REUSE_WASM=1 node scripts/build-pkg.mjs
//                                      only the JS half (seconds): the wasm already in pkg/ is
//                                      kept, for an edit-test loop on js/ (after one full build)
//
// What goes where (docs/development/boundary.md has the picture): js/core → pkg/core (one
// module every entry imports, so WxPayError is one class), js/v2/entries/* → pkg/node,
// pkg/web; js/v3/entries/* → pkg/v3/node, pkg/v3/web; js/cli.mjs, js/cli/, js/mock/ →
// pkg/cli; js/miniprogram/entries/* → pkg/miniprogram/node, pkg/miniprogram/web;
// js/package.template.json → pkg/package.json.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = join(root, 'pkg');
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });
const esbuild = await loadEsbuild();
const version = JSON.parse(
  execFileSync('cargo', ['metadata', '--no-deps', '--format-version', '1'], { cwd: root }),
).packages.find((p) => p.name === 'wxpay-wasm').version;

/** `--dev`: debug wasm for a fast loop (see the top of this file). */
const dev = process.argv.slice(2).includes('--dev');
const unknown = process.argv.slice(2).filter((a) => a !== '--dev');
if (unknown.length > 0) throw new Error(`build-pkg.mjs: unknown argument ${unknown[0]} (only --dev)`);

/**
 * One wasm per API version: cargo builds the crate with only `feature`, and the artifact is
 * copied out at once because every feature set writes the same target path (under
 * $CARGO_TARGET_DIR when it is set, as cargo does). Then
 * wasm-bindgen for Node and for browsers into `<base>/node` and `<base>/web`, and wasm-opt
 * (not for --dev: it is most of a release build's time, and a debug wasm is for tests only).
 */
function buildWasm(feature, base) {
  const target = process.env.CARGO_TARGET_DIR ? resolve(root, process.env.CARGO_TARGET_DIR) : join(root, 'target');
  const out = join(target, 'wasm32-unknown-unknown', dev ? 'debug' : 'release');
  run('cargo', [
    'build',
    ...(dev ? [] : ['--release']),
    '--target',
    'wasm32-unknown-unknown',
    '--lib',
    '--no-default-features',
    '--features',
    feature,
  ]);
  const built = join(out, `wxpay_wasm_${feature}.wasm`);
  copyFileSync(join(out, 'wxpay_wasm.wasm'), built);
  for (const [dir, kind] of [
    ['node', 'nodejs'],
    ['web', 'web'],
  ]) {
    const glue = join(base, dir);
    run('wasm-bindgen', ['--target', kind, '--out-dir', glue, '--out-name', 'wxpay_wasm', '--no-typescript', built]);
    rmSync(join(glue, '.gitignore'), { force: true });
    if (dev) continue;
    const wasm = join(glue, 'wxpay_wasm_bg.wasm');
    // -Oz after wasm-bindgen, as wasm-bindgen's own docs advise; the features are the ones
    // Rust 1.95 emits for wasm32-unknown-unknown by default. --converge repeats the passes
    // until nothing shrinks, and the two sections stripped are metadata nothing reads at run
    // time (together ~0.25 KB gzipped; -Os was 1.6 KB larger raw, 0.03 KB smaller gzipped).
    run('wasm-opt', [
      '-Oz',
      '--converge',
      '--strip-producers',
      '--strip-target-features',
      '--enable-bulk-memory',
      '--enable-nontrapping-float-to-int',
      '--enable-sign-ext',
      '--enable-mutable-globals',
      '--enable-reference-types',
      '--enable-multivalue',
      wasm,
      '-o',
      wasm,
    ]);
  }
}

// WXPAY_REUSE_WASM=1: only the JS half is written again when pkg/ has all four wasm files
// (else everything is built); the wasm already in pkg/ is kept, release or --dev.
const reuse =
  process.env.WXPAY_REUSE_WASM === '1' &&
  ['node', 'v3/web', 'diagnose/web', 'miniprogram/web'].every((d) => existsSync(join(pkg, d, 'wxpay_wasm_bg.wasm')));
if (!reuse) {
  rmSync(pkg, { recursive: true, force: true });
  buildWasm('v2', pkg);
  // diagnoseSign: its own wasm (src/wasm/diagnose.rs), so a v2 server's does not carry it.
  buildWasm('diagnose-only', join(pkg, 'diagnose'));
  // wxpay-wasm/v3: its own wasm, so a v2 user's download does not grow.
  buildWasm('v3', join(pkg, 'v3'));
  // wxpay-wasm/miniprogram (issue 29): message push and xpay, a wasm of its own too.
  buildWasm('miniprogram', join(pkg, 'miniprogram'));
}

// ---------------------------------------------------------------- the JS half

/** esbuild from ./node_modules, installed from the lock file first when it is missing. */
async function loadEsbuild() {
  if (!existsSync(join(root, 'node_modules/esbuild/package.json'))) {
    run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error']);
  }
  return import(pathToFileURL(join(root, 'node_modules/esbuild/lib/main.js')).href);
}

const banner = (from) => `// Generated by scripts/build-pkg.mjs from ${from}. Do not edit.`;
const CORE_DIR = join(root, 'js/core');

/**
 * esbuild's resolution for one output file `out`: the shared core (any module of js/core,
 * imported by a family's module) stays a separate module, imported at its pkg/ path relative
 * to `out` (`index.cjs` from CommonJS, `index.js` from ESM); the wasm-bindgen glue and the
 * `.wasm` files, which the entries name relative to their place in pkg/, are left as written.
 */
function pkgResolver(out, format) {
  const core = relative(dirname(out), join(pkg, 'core', format === 'cjs' ? 'index.cjs' : 'index.js'));
  return {
    name: 'wxpay-pkg',
    setup(build) {
      build.onResolve({ filter: /wxpay_wasm(_bg)?\.(js|wasm)$/ }, (a) => ({ path: a.path, external: true }));
      build.onResolve({ filter: /^\.\.?\// }, (a) => {
        const target = join(a.resolveDir, a.path);
        if (out.startsWith(join(pkg, 'core')) || !target.startsWith(CORE_DIR + sep)) return undefined;
        return { path: core.startsWith('.') ? core : `./${core}`, external: true };
      });
    },
  };
}

/**
 * Bundles the source `entry` (repo-relative) into `out` (an absolute path in pkg/); returns
 * the names the output exports (from esbuild's metafile, so nothing is run to learn them).
 */
/**
 * js/contract.json as one bundle sees it (`family`: core, v2, v3 or miniprogram): the shared
 * core keeps what every family reads through it (codes, detail names, limits), and each
 * family's entry inlines only its own endpoints, option names and causes, which its modules
 * import from the JSON directly. Run from js/, every module reads the whole file; the
 * package's bundles read the same values, each without the other families' tables (so the
 * v2 download does not carry v3's, issue 27).
 */
const CONTRACT_FILE = join(root, 'js/contract.json');
const CONTRACT_FULL = JSON.parse(readFileSync(CONTRACT_FILE, 'utf8'));

function contractView(family) {
  const full = CONTRACT_FULL;
  if (family === 'core') return { codes: full.codes, details: full.details, limits: full.limits };
  const own = (table) => (table[family] === undefined ? {} : { [family]: table[family] });
  const view = { client: own(full.client), endpoints: own(full.endpoints), functions: own(full.functions) };
  return family === 'v2' ? { ...view, causes: full.causes } : view;
}

function contractPlugin(family) {
  const file = CONTRACT_FILE;
  return {
    name: 'wxpay-contract',
    setup(build) {
      build.onLoad({ filter: /contract\.json$/ }, (a) =>
        a.path === file ? { contents: JSON.stringify(contractView(family)), loader: 'json' } : undefined,
      );
    },
  };
}

async function bundle(entry, out, format, family = 'core') {
  const result = await esbuild.build({
    entryPoints: [join(root, entry)],
    outfile: out,
    bundle: true,
    format,
    platform: 'neutral',
    // The syntax as written (the package supports Node >= 20 and today's browsers) and the
    // messages' non-ASCII text as written, not as \u escapes.
    target: 'esnext',
    charset: 'utf8',
    external: ['node:*'],
    banner: { js: banner(entry) },
    plugins: [pkgResolver(out, format), contractPlugin(family)],
    metafile: true,
    logLevel: 'warning',
  });
  return Object.values(result.metafile.outputs)[0].exports;
}

// package.json: js/package.template.json with the crate's version (Cargo.toml's). Its
// exports map has one entry per API family, the same conditions for each, in the order a
// resolver tries them (the first key whose condition it has wins):
// - workerd (wrangler/miniflare, which also set "worker" and "browser"): the wasm as a module;
// - deno, bun, node: the Node build, synchronous (Deno and Bun read the wasm with node:fs
//   like Node; Deno also sets "node", Bun "node" too, but name them so the choice is ours);
// - browser, import, default: the web build for browsers and bundlers (Vite, webpack,
//   Rollup, esbuild with platform=browser), which load the wasm from
//   `new URL('wxpay_wasm_bg.wasm', import.meta.url)`; Vite and webpack emit it as an asset.
// `./wasm`, `./v3/wasm` and `./diagnose/wasm` name the browser wasm files, for a bundler that
// does not follow `new URL(…, import.meta.url)` (esbuild): import it as a file URL and pass
// it to init() (initDiagnose() for the last). Its `imports` are the CLI's names for its own
// modules (`#cli/…`, `#mock/…`), which the root package.json maps to js/ for a run from the
// source tree. Written first: it also tells Node that pkg/'s .js files are CommonJS unless
// they say otherwise (the root package.json says "module" for js/).
const manifest = JSON.parse(readFileSync(join(root, 'js/package.template.json'), 'utf8'));
mkdirSync(pkg, { recursive: true });
writeFileSync(join(pkg, 'package.json'), JSON.stringify({ ...manifest, version }, null, 2) + '\n');

// pkg/core: what every entry shares.
await bundle('js/core/node.cjs', join(pkg, 'core/index.cjs'), 'cjs');
await bundle('js/core/index.js', join(pkg, 'core/index.js'), 'esm');

/**
 * One API family's four entries around the wasm-bindgen glue already in `<dir>/node` and
 * `<dir>/web`, from `js/<family>/entries/`. Then the names check: the ESM entries must
 * export what the CommonJS entry does.
 */
async function writeEntries(family, dir) {
  const from = `js/${family}/entries`;
  await bundle(`${from}/node.cjs`, join(dir, 'node/index.cjs'), 'cjs', family);
  const cjs = Object.keys(createRequire(import.meta.url)(join(dir, 'node/index.cjs')))
    .sort()
    .join(', ');
  for (const [source, out] of [
    ['node.mjs', 'node/index.mjs'],
    ['web.js', 'web/index.js'],
    ['workerd.js', 'web/workerd.js'],
  ]) {
    const esm = (await bundle(`${from}/${source}`, join(dir, out), 'esm', family))
      .filter((n) => n !== 'default')
      .sort()
      .join(', ');
    if (esm !== cjs)
      throw new Error(
        `${dir}/${out} exports ${esm}\nbut ${dir}/node/index.cjs exports ${cjs}: list the names in ${from}/${source}`,
      );
  }
}

await writeEntries('v2', pkg);
await writeEntries('v3', join(pkg, 'v3'));
copyFileSync(join(root, 'js/v3/index.d.ts'), join(pkg, 'v3/index.d.ts'));
await writeEntries('miniprogram', join(pkg, 'miniprogram'));
copyFileSync(join(root, 'js/miniprogram/index.d.ts'), join(pkg, 'miniprogram/index.d.ts'));

copyFileSync(join(root, 'js/index.d.ts'), join(pkg, 'index.d.ts'));
// The declarations both index.d.ts import (js/types: the shared ones and the contract's tables).
cpSync(join(root, 'js/types'), join(pkg, 'types'), { recursive: true });
writeFileSync(
  join(pkg, 'wasm.d.ts'),
  `${banner('scripts/build-pkg.mjs')}
/** The web build's wasm as a URL, for a bundler that imports it as a file (esbuild \`--loader:.wasm=file\`): pass it to init() (\`wxpay-wasm/diagnose/wasm\`: to initDiagnose()). */
declare const wasmUrl: string;
export default wasmUrl;
`,
);
copyFileSync(join(root, 'README.md'), join(pkg, 'README.md'));
// The CLI and mock server (issue 7). The CLI imports the package by its own name
// ('wxpay-wasm', 'wxpay-wasm/v3') and its modules as '#cli/…' and '#mock/…', names that
// pkg/package.json resolves inside pkg/ and the root package.json inside js/, so
// `node js/cli.mjs` (after a build) runs the same code as `node pkg/cli/cli.mjs`.
cpSync(join(root, 'js/mock'), join(pkg, 'cli/mock'), { recursive: true });
// The mock's copy of the derived spec (issue 28): the operations' structure, minified, with the
// source's licence notice, gzipped; js/mock/v3/spec.mjs reads it in the package, spec/v3.json in a checkout.
const { compactSpec } = await import(pathToFileURL(join(root, 'js/mock/v3/spec.mjs')).href);
writeFileSync(
  join(pkg, 'cli/mock/v3/spec.json.gz'),
  gzipSync(compactSpec(JSON.parse(readFileSync(join(root, 'spec/v3.json'), 'utf8'))), { level: 9 }),
);
copyFileSync(join(root, 'js/cli.mjs'), join(pkg, 'cli/cli.mjs'));
// js/cli/*.mjs: the CLI's other modules (v3.mjs: sign|verify|notify --api v3), beside cli.mjs.
cpSync(join(root, 'js/cli'), join(pkg, 'cli'), { recursive: true });
chmodSync(join(pkg, 'cli/cli.mjs'), 0o755);

for (const [name, dir] of [
  ['wasm (v2, wxpay-wasm)', 'node'],
  ['wasm (v3, wxpay-wasm/v3)', 'v3/node'],
  ['wasm (diagnoseSign, loaded on demand)', 'diagnose/node'],
  ['wasm (mini-program, wxpay-wasm/miniprogram)', 'miniprogram/node'],
]) {
  const wasm = readFileSync(join(pkg, dir, 'wxpay_wasm_bg.wasm'));
  console.log(`pkg/ built: ${name} ${wasm.length} bytes, ${gzipSync(wasm, { level: 9 }).length} gzipped`);
}
