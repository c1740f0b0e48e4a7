// The runtime pages' examples (examples/runtimes/*, shown in docs/guide/runtimes/*), run as
// a user runs them, against the package installed from the tarball: the Node scripts, the
// Deno and Bun servers and the Cloudflare Worker receive a signed notification and a forged
// one, the Vite page is built and loaded in Chromium. Messages are signed here with
// independent code (reference.mjs, node:crypto via tests/js/support), never the package.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { read, taggedBlock } from '../js/support/markdown.mjs';
import { callbackBody, GENERATED as G, signedHeaders } from '../js/support/v3-reference.mjs';
import { referenceSign } from './suite/reference.mjs';

const V2_KEY = '192006250b4c09247ec02edce69f6a2d';
const here = dirname(fileURLToPath(import.meta.url));

/** A v2 payment notification signed with the reference; `forged` changes the amount after signing. */
function v2Notify({ forged = false } = {}) {
  const f = {
    appid: 'wxd930ea5d5a258f4f',
    mch_id: '10000100',
    nonce_str: 'n1',
    out_trade_no: 'T1',
    total_fee: '1',
    transaction_id: '4200000001',
    return_code: 'SUCCESS',
    result_code: 'SUCCESS',
  };
  const signed = { ...f, sign: referenceSign(f, V2_KEY), ...(forged ? { total_fee: '100' } : {}) };
  return `<xml>${Object.entries(signed)
    .map(([k, v]) => `<${k}><![CDATA[${v}]]></${k}>`)
    .join('')}</xml>`;
}

/** Starts `cmd` in its own process group, waits until its output matches `ready`, returns a stopper. */
async function startServer(cmd, args, { cwd, env, ready, timeout = 120_000 }) {
  const child = spawn(cmd, args, {
    cwd,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d) => {
    log += d;
  });
  child.stderr.on('data', (d) => {
    log += d;
  });
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* gone */
    }
  };
  const deadline = Date.now() + timeout;
  while (!ready.test(log)) {
    if (Date.now() > deadline || child.exitCode !== null) {
      stop();
      throw new Error(`${cmd} did not start:\n${log.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { stop, log: () => log };
}

const post = async (url, body, headers = {}) => {
  const res = await fetch(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(30_000) });
  return { status: res.status, text: await res.text() };
};

/** Each check returns a list of problems (empty: passed). */
async function checkV2Server(name, cmd, args, cwd, port) {
  const server = await startServer(cmd, args, {
    cwd,
    env: {
      PORT: String(port),
      WXPAY_KEY: V2_KEY,
      WXPAY_MCH_ID: '10000100',
      DENO_NO_UPDATE_CHECK: '1',
      DENO_DIR: join(cwd, '.deno'),
    },
    ready: /(Listening|listening) on/,
  });
  try {
    const url = `http://127.0.0.1:${port}/wxpay/notify`;
    const good = await post(url, v2Notify());
    const bad = await post(url, v2Notify({ forged: true }));
    const problems = [];
    if (!/<return_code><!\[CDATA\[SUCCESS\]\]><\/return_code>/.test(good.text))
      problems.push(`${name}: a signed notification got ${good.text}`);
    if (!/FAIL[\s\S]*SIGN_MISMATCH/.test(bad.text)) problems.push(`${name}: a forged notification got ${bad.text}`);
    if (!/paid: T1 4200000001/.test(server.log())) problems.push(`${name}: no "paid" line logged`);
    return problems;
  } finally {
    server.stop();
  }
}

async function checkWorker(app, bin, freePort) {
  const dir = join(app, 'examples/cloudflare-worker');
  const pub = G.keys.pubkey;
  // .dev.vars as docs/guide/runtimes/cloudflare-workers.md makes it (the PEM one line, `\n`
  // escapes in double quotes), then this run's ids and keys put in its four plain lines.
  writeFileSync(join(dir, 'pub_key.pem'), pub.public_spki);
  execFileSync(
    'sh',
    ['-e', '-c', taggedBlock(read(join(here, '../../docs/guide/runtimes/cloudflare-workers.md')), 'workers-dev-vars')],
    { cwd: dir, stdio: 'ignore' },
  );
  const plain = {
    WXPAY_API_V3_KEY: G.api_v3_key,
    WXPAY_PUBLIC_KEY_ID: G.pub_key_id,
    WXPAY_MCHID: G.mchid,
    WXPAY_APPID: G.appid,
  };
  let devVars = readFileSync(join(dir, '.dev.vars'), 'utf8');
  for (const [k, v] of Object.entries(plain)) {
    const line = new RegExp(`^${k}=".*"$`, 'm');
    if (!line.test(devVars)) throw new Error(`the page's .dev.vars has no ${k}="…" line:\n${devVars}`);
    devVars = devVars.replace(line, `${k}=${JSON.stringify(v)}`);
  }
  const pem = /^WXPAY_PUBLIC_KEY=("[^"\n]*")$/m.exec(devVars)?.[1];
  if (!pem || JSON.parse(pem) !== pub.public_spki)
    throw new Error(`the page's .dev.vars does not hold the PEM on one double-quoted line:\n${devVars}`);
  writeFileSync(join(dir, '.dev.vars'), devVars);
  const port = await freePort();
  const server = await startServer(
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
      cwd: dir,
      ready: /Ready on/,
      env: {
        WRANGLER_SEND_METRICS: 'false',
        CI: 'true',
        XDG_CONFIG_HOME: join(app, '.config'),
        WRANGLER_LOG_PATH: join(app, '.wrangler-logs'),
      },
    },
  );
  try {
    const url = `http://127.0.0.1:${port}/wxpay/notify`;
    const resource = {
      mchid: G.mchid,
      appid: G.appid,
      out_trade_no: 'T1',
      transaction_id: '4200000001',
      trade_state: 'SUCCESS',
      amount: { total: 1, currency: 'CNY' },
    };
    const body = callbackBody(resource, G.api_v3_key);
    const headers = signedHeaders(pub.private_pkcs8, G.pub_key_id, body, { timestamp: Math.floor(Date.now() / 1000) });
    const good = await post(url, body, headers);
    const forged = await post(url, body.replace('"EV-1"', '"EV-2"'), headers);
    const problems = [];
    if (good.status !== 204) problems.push(`worker: a signed callback got ${good.status} ${good.text}`);
    if (forged.status !== 500 || !/SIGN_MISMATCH/.test(forged.text))
      problems.push(`worker: a forged callback got ${forged.status} ${forged.text}`);
    // wrangler relays the Worker's console a moment after the response.
    for (let i = 0; i < 50 && !/paid: T1 4200000001/.test(server.log()); i++)
      await new Promise((r) => setTimeout(r, 100));
    if (!/paid: T1 4200000001/.test(server.log()))
      problems.push(`worker: no "paid" line logged:\n${server.log().slice(-1500)}`);
    return problems;
  } finally {
    server.stop();
  }
}

async function checkNode(app, run) {
  const dir = join(app, 'examples/node');
  const problems = [];
  for (const [file, want] of [
    ['sign.cjs', '9A0A8659F005D6984697E2CA0A9CF3B7\ntrue UNSUPPORTED_SIGN_TYPE'],
    ['sign.mjs', '9A0A8659F005D6984697E2CA0A9CF3B7\ntrue INVALID_PARAM'],
  ]) {
    const { out } = await run(process.execPath, [file], dir);
    if (out.trim() !== want) problems.push(`node ${file}: printed ${out}`);
  }
  return problems;
}

async function checkVite(app) {
  const dir = join(app, 'examples/vite');
  const { build } = await import('vite');
  await build({ root: dir, base: './', logLevel: 'warn', build: { outDir: join(dir, 'dist'), emptyOutDir: true } });
  return dir;
}

/**
 * Runs every example with run.mjs's helpers; returns `{ name: problems[] }` (empty: passed).
 * `loadPage(dir, path, selector)` serves `dir`, loads `path` in Chromium and returns the
 * selector's text once the page has filled it in.
 */
export async function runExamples(app, { bin, freePort, run, loadPage }) {
  cpSync(join(dirname(fileURLToPath(import.meta.url)), '../../examples/runtimes'), join(app, 'examples'), {
    recursive: true,
  });
  const out = {};
  const attempt = async (name, fn) => {
    try {
      out[name] = await fn();
    } catch (e) {
      out[name] = [`${name}: ${e?.stack ?? e}`];
    }
  };
  await attempt('node (CJS, ESM)', () => checkNode(app, run));
  await attempt('deno server', async () =>
    checkV2Server(
      'deno',
      bin('deno'),
      ['run', '--allow-read', '--allow-env', '--allow-net', 'server.mjs'],
      join(app, 'examples/deno'),
      await freePort(),
    ),
  );
  await attempt('bun server', async () =>
    checkV2Server('bun', bin('bun'), ['server.mjs'], join(app, 'examples/bun'), await freePort()),
  );
  await attempt('cloudflare worker', () => checkWorker(app, bin, freePort));
  await attempt('vite page', async () => {
    const dir = await checkVite(app);
    const text = await loadPage(dir, '/dist/index.html', '#sign');
    return text === '9A0A8659F005D6984697E2CA0A9CF3B7' ? [] : [`vite page shows ${text}`];
  });
  return out;
}
