// Shared by the end-to-end suites: start the mock (the package's own CLI, as a child process)
// and the merchant server on loopback ports, call them, and wait for states.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { createServer as createHttpsServer } from 'node:https';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from '../app.js';

export const KEY = '192006250b4c09247ec02edce69f6a2d';
export const APPID = 'wxd930ea5d5a258f4f';
export const MCH_ID = '1900000109';

/** The CLI as installed: node_modules/wxpay-wasm/cli/cli.mjs (file:../../pkg). */
export const CLI = join(dirname(fileURLToPath(import.meta.resolve('wxpay-wasm/package.json'))), 'cli/cli.mjs');

/** Runs the CLI to completion: { code, stdout, stderr }. */
export function runCli(args, { input, env } = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, WXPAY_KEY: '', ...env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => {
      stdout += d;
    });
    p.stderr.on('data', (d) => {
      stderr += d;
    });
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
    p.stdin.end(input ?? '');
  });
}

/** Starts `wxpay-wasm mock` on a free loopback port; resolves once it prints its address. */
export function startMock(extra = [], { key = KEY, env } = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(
      process.execPath,
      [CLI, 'mock', '--port', '0', '--key', key, '--mch-id', MCH_ID, '--appid', APPID, '--exit-after', '300', ...extra],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
    );
    const lines = [];
    let found = false;
    const onData = (d) => {
      for (const line of String(d).split('\n')) {
        if (!line) continue;
        lines.push(line);
        if (lines.length > 2000) lines.shift();
        const m = !found && /listening on (http:\/\/[\d.]+:\d+)/.exec(line);
        if (m) {
          found = true;
          resolve({ url: m[1], lines, stop: () => stop(p) });
        }
      }
    };
    p.stdout.on('data', onData);
    p.stderr.on('data', onData);
    p.on('exit', (code) => {
      if (!found) reject(new Error(`mock exited with ${code}:\n${lines.join('\n')}`));
    });
    setTimeout(() => {
      if (!found) {
        p.kill();
        reject(new Error(`mock did not start within 15s:\n${lines.join('\n')}`));
      }
    }, 15000).unref();
  });
}

function stop(p) {
  if (p.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    p.once('exit', resolve);
    p.kill('SIGTERM');
  });
}

let sharedPg;
let dbSeq = 0;
/**
 * Where startShop keeps its orders: SQLite in a temp dir, or, with E2E_STORE=postgres (the
 * e2e-postgres suite), a new database on one PostgreSQL started for this process.
 */
async function storeFor(dir) {
  if (process.env.E2E_STORE !== 'postgres') return { dbFile: join(dir, 'shop.db') };
  const { startPostgres } = await import('./postgres.mjs');
  sharedPg ??= startPostgres();
  return { databaseUrl: await (await sharedPg).createDatabase(`shop${process.pid}_${dbSeq++}`) };
}
/** Stops the PostgreSQL that storeFor started, if any. */
export async function stopSharedPostgres() {
  if (sharedPg) await (await sharedPg).stop();
  sharedPg = undefined;
}

/** The merchant server in this process, its store from storeFor (overrides win). */
export async function startShop(mockUrl, overrides = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'wxpay-shop-'));
  const logs = [];
  // The v2 client refuses a refund without the merchant certificate; the mock does not check it.
  const { certFile, keyFile } = makeCert(dir);
  const app = await createApp({
    appid: APPID,
    mchId: MCH_ID,
    key: KEY,
    baseUrl: mockUrl,
    ...(await storeFor(dir)),
    certFile,
    keyFile,
    orderTtlSeconds: 900,
    reconcileAfterSeconds: 60,
    log: (line) => logs.push(line),
    ...overrides,
  });
  const url = await app.listen(0);
  return {
    url,
    app,
    logs,
    stop: async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Why the tests of the independent Python clients (v3_client.py, v3_products.py) are skipped, or false. */
export function pythonCryptographySkip() {
  const probe = spawnSync('python3', ['-c', 'import cryptography'], { encoding: 'utf8' });
  if (probe.error) return 'python3 is not installed';
  return probe.status !== 0 ? 'python3 has no `cryptography` (scripts/setup.sh installs it)' : false;
}

/** The mock's v3 keys (its --keys-dir) as the server's `v3` option takes them. */
export function readV3Keys(keysDir) {
  const info = JSON.parse(readFileSync(join(keysDir, 'wechatpay.json'), 'utf8'));
  return {
    ...info,
    privateKey: readFileSync(join(keysDir, 'apiclient_key.pem'), 'utf8'),
    publicKey: readFileSync(join(keysDir, 'pub_key.pem'), 'utf8'),
  };
}

/** The mock's v3 keys with WeChat's key as WXPAY_V3_VERIFY chooses: pubkey, cert or both. */
export function readV3KeysFor(keysDir, verify) {
  const { publicKey, publicKeyId, ...all } = readV3Keys(keysDir);
  const cert = { platformCert: readFileSync(join(keysDir, 'platform_cert.pem'), 'utf8') };
  if (verify === 'cert') return { ...all, ...cert };
  return verify === 'both' ? { ...all, publicKey, publicKeyId, ...cert } : { ...all, publicKey, publicKeyId };
}

/** JSON over HTTP: { status, body }. */
export async function call(base, method, path, body) {
  const res = await fetch(new URL(path, base), {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, body: json };
}

/** Polls `fn` until it returns a truthy value; the long limit only guards against hanging. */
export async function waitFor(fn, what, limitMs = 20000) {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

// Independent signing, straight from WeChat's documented algorithm, to check the mock's work.
export function signingString(fields) {
  return Object.keys(fields)
    .filter((k) => k !== 'sign' && fields[k] !== '' && fields[k] !== undefined)
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('&');
}
export function md5Sign(fields, key = KEY) {
  return createHash('md5')
    .update(`${signingString(fields)}&key=${key}`, 'utf8')
    .digest('hex')
    .toUpperCase();
}
export function hmacSign(fields, key = KEY) {
  return createHmac('sha256', key)
    .update(`${signingString(fields)}&key=${key}`, 'utf8')
    .digest('hex')
    .toUpperCase();
}

/** A minimal flat-XML reader for the tests' own checks (CDATA or text values). */
export function readXml(xml) {
  const out = {};
  for (const m of xml.matchAll(/<([A-Za-z0-9_]+)>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))<\/\1>/g))
    out[m[1]] = m[2] ?? m[3];
  return out;
}

/** A self-signed certificate for 127.0.0.1 (openssl, one day): { certFile, cert, key }. */
export function makeCert(dir) {
  const certFile = join(dir, 'front-cert.pem');
  const keyFile = join(dir, 'front-key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  );
  return { certFile, keyFile, cert: readFileSync(certFile), key: readFileSync(keyFile) };
}

/**
 * v3 notify_url must be https (the package's builders refuse anything else, as WeChat does), so
 * the v3 tests put a TLS front before the merchant server, as a reverse proxy does in
 * production: a self-signed certificate for 127.0.0.1 made with openssl in `dir`; the mock
 * trusts it through NODE_EXTRA_CA_CERTS=certFile. `target()` is the server's http URL; `seen`,
 * if given, collects { url, headers, status } of every request passed on (which key signed).
 */
export async function startTlsFront(dir, target, seen) {
  const { certFile, ...tls } = makeCert(dir);
  const server = createHttpsServer(tls, (req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      try {
        const headers = Object.fromEntries(
          Object.entries(req.headers).filter(([k]) => k === 'content-type' || k.startsWith('wechatpay-')),
        );
        const r = await fetch(`${target()}${req.url}`, {
          method: req.method,
          headers,
          body: req.method === 'GET' ? undefined : Buffer.concat(chunks),
        });
        const body = Buffer.from(await r.arrayBuffer());
        seen?.push({ url: req.url, headers, status: r.status });
        res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'text/plain' });
        res.end(body);
      } catch (e) {
        res.writeHead(502);
        res.end(String(e.message));
      }
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    certFile,
    url: `https://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(r);
      }),
  };
}
