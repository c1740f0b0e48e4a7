// A tiny static server for the debugging page: www/ at /, the built package at /pkg/,
// on 127.0.0.1 only. No dependencies. Run from anywhere:
//   node www/serve.mjs [--port N]      (N = 0 picks a free port)
// Tests import startServer() and close it themselves.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const www = dirname(fileURLToPath(import.meta.url));
const root = join(www, '..');
const pkg = join(root, 'pkg');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};

// The same policy as the page's <meta> tag: only this origin may be contacted, so the key
// cannot leave the page even if a script tried. 'wasm-unsafe-eval' lets the core compile.
const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

/** Maps a URL path to a file under www/ or pkg/, or null when it would escape them. */
function resolve(urlPath) {
  let path;
  try {
    path = decodeURIComponent(urlPath.split('?')[0]);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  const [base, rel] = path.startsWith('/pkg/') ? [pkg, path.slice(5)] : [www, path.slice(1)];
  const file = normalize(join(base, rel || 'index.html'));
  if (file !== base && !file.startsWith(base + sep)) return null;
  // Test files and dependencies are not part of the page.
  if (base === www && /(^|[\\/])(tests|node_modules)([\\/]|$)/.test(file.slice(base.length))) return null;
  return file;
}

async function handle(req, res) {
  const send = (status, body, type = 'text/plain; charset=utf-8') => {
    res.writeHead(status, {
      'Content-Type': type,
      'Cache-Control': 'no-store',
      'Content-Security-Policy': CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n');
  let file = resolve(req.url || '/');
  if (!file) return send(404, 'not found\n');
  try {
    if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
    const body = await readFile(file);
    return send(200, body, TYPES[extname(file)] || 'application/octet-stream');
  } catch {
    const hint = file.startsWith(pkg)
      ? 'not found (build the package first: node scripts/build-pkg.mjs)\n'
      : 'not found\n';
    return send(404, hint);
  }
}

/** Starts the server on 127.0.0.1; resolves to { server, url }. */
export function startServer({ port = 0 } = {}) {
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => {
      ok({ server, url: `http://127.0.0.1:${server.address().port}/` });
    });
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === normalize(process.argv[1])) {
  const i = process.argv.indexOf('--port');
  const port = i > 0 ? Number(process.argv[i + 1]) : 8080;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error('usage: node www/serve.mjs [--port N]   (0 <= N <= 65535)');
    process.exit(2);
  }
  startServer({ port }).then(
    ({ url }) => {
      console.log(`wxpay-wasm debugging page: ${url}  (Ctrl-C to stop)`);
    },
    (e) => {
      console.error(`cannot listen on 127.0.0.1:${port}: ${e.message}`);
      process.exit(1);
    },
  );
}
