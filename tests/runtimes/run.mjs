// Runs the portable suite (tests/runtimes/suite) in every runtime and checks they agree:
//   node tests/runtimes/run.mjs [runtime …]     (make test-runtimes; needs pkg/ built)
// The package is packed (`npm pack pkg`) and installed from the tarball into a fresh
// project, as a user gets it; each runtime then resolves `wxpay-wasm` through its own
// export condition. Runtimes and bundlers come from tests/runtimes/node_modules (pinned in
// its package.json, installed by scripts/setup.sh). Each run prints one RUNTIME-SUMMARY
// line; this script requires every runtime to report the same tests, none failed, and
// every skip with its reason. Servers bind to 127.0.0.1 on free ports and are stopped by PID.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runExamples } from './examples.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');
const bin = (name) => join(here, 'node_modules/.bin', name);
const TIMEOUT = 180_000;

/** The project the runtimes run in: the packed package installed, the suite copied in. */
function makeApp() {
  const app = mkdtempSync(join(tmpdir(), 'wxpay-runtimes-'));
  const tgz = execFileSync('npm', ['pack', join(root, 'pkg'), '--pack-destination', app, '--silent'], {
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .pop();
  writeFileSync(join(app, 'package.json'), '{"name":"wxpay-runtimes-app","private":true,"type":"module"}\n');
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', join(app, tgz)], {
    cwd: app,
    stdio: 'inherit',
  });
  for (const part of ['harness.mjs', 'suite', 'runners'])
    cpSync(join(here, part), join(app, 'runtimes', part), { recursive: true });
  cpSync(join(root, 'tests/fixtures'), join(app, 'fixtures'), { recursive: true });
  return app;
}

/** Runs a command to its end (bounded), returning its output. */
function runCommand(cmd, args, cwd, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

const freePort = () =>
  new Promise((resolve) => {
    const s = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/** The summary a run printed, or a failure record with the output's end. */
function summaryOf(runtime, out) {
  const m = /RUNTIME-SUMMARY (\{.*\})/.exec(out);
  if (!m) return { runtime, error: `no summary; output ends:\n${out.slice(-3000)}` };
  return { ...JSON.parse(m[1]), runtime };
}

// ---------------------------------------------------------------- one function per runtime

async function nodeEsm(app) {
  const { out } = await runCommand(process.execPath, ['runtimes/runners/node.mjs'], app);
  return summaryOf('node-esm', out);
}

async function nodeCjs(app) {
  const { out } = await runCommand(process.execPath, ['runtimes/runners/node.cjs'], app);
  return summaryOf('node-cjs', out);
}

async function deno(app) {
  const { out } = await runCommand(
    bin('deno'),
    ['test', '--allow-read', '--allow-env', 'runtimes/runners/deno.test.mjs'],
    app,
    { DENO_NO_UPDATE_CHECK: '1', DENO_DIR: join(app, '.deno') },
  );
  return summaryOf('deno', out);
}

async function bun(app) {
  const { out } = await runCommand(bin('bun'), ['test', './runtimes/runners/bun.test.mjs'], app, {
    BUN_INSTALL_CACHE_DIR: join(app, '.bun'),
  });
  return summaryOf('bun', out);
}

/** workerd through `wrangler dev` (offline: local mode, no metrics, a supported compatibility date). */
async function workerd(app) {
  writeFileSync(
    join(app, 'wrangler.toml'),
    'name = "wxpay-suite"\nmain = "runtimes/runners/worker.mjs"\ncompatibility_date = "2026-05-01"\n',
  );
  const port = await freePort();
  const child = spawn(
    bin('wrangler'),
    [
      'dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--inspector-port',
      String(await freePort()),
      '--show-interactive-dev-session=false',
    ],
    {
      cwd: app,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        WRANGLER_SEND_METRICS: 'false',
        CI: 'true',
        XDG_CONFIG_HOME: join(app, '.config'),
        WRANGLER_LOG_PATH: join(app, '.wrangler-logs'),
      },
    },
  );
  let log = '';
  child.stdout.on('data', (d) => {
    log += d;
  });
  child.stderr.on('data', (d) => {
    log += d;
  });
  try {
    const deadline = Date.now() + TIMEOUT;
    while (!/Ready on/.test(log)) {
      if (Date.now() > deadline || child.exitCode !== null)
        return { runtime: 'workerd', error: `wrangler dev did not start:\n${log.slice(-3000)}` };
      await new Promise((r) => setTimeout(r, 200));
    }
    const res = await fetch(`http://127.0.0.1:${port}/suite`, { signal: AbortSignal.timeout(TIMEOUT) });
    return summaryOf('workerd', (await res.text()) + log);
  } finally {
    // wrangler starts workerd in its own process group: stop the group we started.
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
}

// ---------------------------------------------------------------- browsers

const MIME = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

/** A static file server over `dir` on a free loopback port. */
function serve(dir) {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    try {
      const body = readFileSync(join(dir, path));
      res.writeHead(200, { 'content-type': MIME[extname(path)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function buildEsbuild(app) {
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [join(app, 'runtimes/runners/esbuild-entry.mjs')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    outdir: join(app, 'dist-esbuild'),
    loader: { '.wasm': 'file' },
    logLevel: 'warning',
  });
  writeFileSync(
    join(app, 'dist-esbuild/index.html'),
    '<!doctype html><meta charset="utf-8"><script type="module" src="./esbuild-entry.js"></script>\n',
  );
}

async function buildVite(app) {
  writeFileSync(
    join(app, 'index.html'),
    '<!doctype html><meta charset="utf-8"><script type="module" src="/runtimes/runners/vite-entry.mjs"></script>\n',
  );
  const { build } = await import('vite');
  await build({
    root: app,
    base: './',
    logLevel: 'warn',
    configFile: false,
    build: { outDir: join(app, 'dist-vite'), emptyOutDir: true },
  });
}

/** Debian's Chromium, headless, through playwright-core (no browser download). */
async function launch() {
  const { chromium: browserType } = await import('playwright-core');
  return browserType.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Serves `dir`, loads `path` and returns `selector`'s text once the page replaced its '…'. */
async function loadPage(dir, path, selector) {
  const server = await serve(dir);
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const crashed = new Promise((_, reject) => page.on('pageerror', reject));
    await page.goto(`http://127.0.0.1:${server.address().port}${path}`);
    await Promise.race([
      crashed,
      page.waitForFunction((s) => document.querySelector(s)?.textContent !== '…', selector, { timeout: 60_000 }),
    ]);
    return await page.textContent(selector);
  } finally {
    await browser.close();
    server.close();
  }
}

/** The three Chromium runs: the web build unbundled, the esbuild bundle, the Vite build. */
async function chromium(app) {
  const pages = [
    ['chromium-web', '/runtimes/runners/web.html'],
    ['chromium-esbuild', '/dist-esbuild/index.html'],
    ['chromium-vite', '/dist-vite/index.html'],
  ];
  const builds = { 'chromium-esbuild': buildEsbuild, 'chromium-vite': buildVite };
  const results = [];
  const ready = [];
  for (const [runtime, path] of pages) {
    try {
      await builds[runtime]?.(app);
      ready.push([runtime, path]);
    } catch (e) {
      results.push({ runtime, error: `build failed: ${e?.stack ?? e}` });
    }
  }
  const server = await serve(app);
  const browser = await launch();
  try {
    for (const [runtime, path] of ready) {
      const page = await browser.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      try {
        await page.goto(`http://127.0.0.1:${server.address().port}${path}`);
        // An uncaught page error (a module that failed to load) ends the wait at once.
        const crashed = new Promise((_, reject) => page.on('pageerror', reject));
        const line = await Promise.race([
          crashed,
          page
            .waitForFunction(() => globalThis.__RUNTIME_SUMMARY__, null, { timeout: TIMEOUT, polling: 200 })
            .then((h) => h.jsonValue()),
        ]);
        results.push(summaryOf(runtime, `${line}\n${errors.join('\n')}`));
      } catch (e) {
        results.push({ runtime, error: `${e.message}\n${errors.join('\n')}` });
      } finally {
        await page.close();
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  return results;
}

// ---------------------------------------------------------------- the matrix

const RUNS = { 'node-esm': nodeEsm, 'node-cjs': nodeCjs, deno, bun, workerd, chromium };

/** docs/guide/runtimes/README.md's matrix, row by row in RUNS order, against what ran. */
function docsMatrixProblems(results) {
  const page = readFileSync(join(root, 'docs/guide/runtimes/README.md'), 'utf8');
  const table = page
    .slice(page.indexOf('| runtime | version | how |'))
    .split('\n')
    .slice(2)
    .filter((l) => l.startsWith('| '));
  const rows = table.map((l) =>
    l
      .split(' | ')
      .slice(3, 6)
      .map((c) => Number.parseInt(c, 10)),
  );
  const got = results.map((r) => [r.tests, r.passed, r.skipped]);
  return JSON.stringify(rows) === JSON.stringify(got)
    ? []
    : [
        `docs/guide/runtimes/README.md's matrix (tests, passed, skipped per row) is ${JSON.stringify(rows)}; this run: ${JSON.stringify(got)}`,
      ];
}

function versions() {
  const v = (name) => JSON.parse(readFileSync(join(here, 'node_modules', name, 'package.json'), 'utf8')).version;
  return `node ${process.versions.node}, deno ${v('deno')}, bun ${v('bun')}, wrangler ${v('wrangler')} (workerd ${v('workerd')}), esbuild ${v('esbuild')}, vite ${v('vite')}, playwright-core ${v('playwright-core')} + ${execFileSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()}`;
}

async function main() {
  const only = process.argv.slice(2);
  const app = makeApp();
  const results = [];
  let examples = {};
  let examplesSeconds = 0;
  const started = Date.now();
  try {
    for (const [name, fn] of Object.entries(RUNS)) {
      if (only.length && !only.some((o) => name.startsWith(o) || o.startsWith(name))) continue;
      const t0 = Date.now();
      const got = await fn(app);
      for (const r of [got].flat()) results.push({ ...r, seconds: ((Date.now() - t0) / 1000).toFixed(1) });
    }
    if (!only.length || only.includes('examples')) {
      const t0 = Date.now();
      examples = await runExamples(app, { bin, freePort, run: runCommand, loadPage });
      examplesSeconds = ((Date.now() - t0) / 1000).toFixed(1);
    }
  } finally {
    if (!process.env.KEEP_APP) rmSync(app, { recursive: true, force: true });
    else console.log(`app kept in ${app}`);
  }

  console.log(`\nruntimes: ${versions()}`);
  console.log('| runtime | tests | passed | skipped | failed | s |\n| --- | --- | --- | --- | --- | --- |');
  for (const r of results)
    console.log(
      `| ${r.runtime} | ${r.tests ?? '-'} | ${r.passed ?? '-'} | ${r.skipped ?? '-'} | ${r.failed ?? '-'} | ${r.seconds} |`,
    );
  const problems = [];
  for (const r of results) {
    if (r.error) problems.push(`${r.runtime}: ${r.error}`);
    for (const f of r.failures ?? []) problems.push(`${r.runtime}: FAIL ${f}`);
    for (const s of r.skips ?? []) console.log(`  ${r.runtime} skipped ${s}`);
  }
  if (Object.keys(examples).length) console.log(`\nexamples/runtimes (${examplesSeconds} s):`);
  for (const [name, list] of Object.entries(examples)) {
    console.log(`  ${list.length ? 'FAIL' : 'ok  '} ${name}`);
    problems.push(...list);
  }
  const counts = new Set(results.filter((r) => !r.error).map((r) => r.tests));
  if (counts.size > 1) problems.push(`runtimes report different test counts: ${[...counts].join(', ')}`);
  if (!only.length && results.length !== 8) problems.push(`${results.length} runs, expected 8`);
  if (!only.length) problems.push(...docsMatrixProblems(results));
  const passed =
    results.reduce((n, r) => n + (r.passed ?? 0), 0) + Object.values(examples).filter((l) => !l.length).length;
  const skipped = results.reduce((n, r) => n + (r.skipped ?? 0), 0);
  const failedExamples = Object.values(examples).filter((l) => l.length).length;
  const failed =
    results.reduce((n, r) => n + (r.failed ?? 0), 0) + results.filter((r) => r.error).length + failedExamples;
  console.log(
    `${((Date.now() - started) / 1000).toFixed(0)} s for ${results.length} runs and ${Object.keys(examples).length} examples`,
  );
  for (const p of problems) console.error(p);
  console.log(`test-runtimes: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  process.exitCode = problems.length ? 1 : 0;
}

await main();
