// The static server: what it serves, with which types, and what it refuses.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { ROOT } from './helpers.mjs';
import { startServer } from '../serve.mjs';

let server;
let url;
before(async () => {
  ({ server, url } = await startServer({ port: 0 }));
});
after(() => new Promise((ok) => server.close(ok)));

/** A raw GET, so paths like /../ reach the server unnormalised. */
function get(path, method = 'GET') {
  const { port } = new URL(url);
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', fail);
    req.end();
  });
}

test('listens on 127.0.0.1 only', () => {
  assert.equal(server.address().address, '127.0.0.1');
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
});

test('serves the page, its modules and the package with the right types', async () => {
  const cases = [
    ['/', 'text/html; charset=utf-8'],
    ['/app.js', 'text/javascript; charset=utf-8'],
    ['/style.css', 'text/css; charset=utf-8'],
    ['/pkg/web/index.js', 'text/javascript; charset=utf-8'],
    ['/pkg/web/wxpay_wasm_bg.wasm', 'application/wasm'],
  ];
  for (const [path, type] of cases) {
    const r = await get(path);
    assert.equal(r.status, 200, path);
    assert.equal(r.headers['content-type'], type, path);
    assert.match(r.headers['content-security-policy'], /connect-src 'self'/);
  }
  const wasm = await get('/pkg/web/wxpay_wasm_bg.wasm');
  assert.deepEqual([...wasm.body.subarray(0, 4)], [0, 0x61, 0x73, 0x6d]);
});

test('refuses paths outside www/ and pkg/, the tests, and anything but GET/HEAD', async () => {
  for (const path of [
    '/../Cargo.toml',
    '/%2e%2e/Cargo.toml',
    '/pkg/../Cargo.toml',
    '/pkg/%2e%2e/src/lib.rs',
    '/tests/page.test.mjs',
    '/tests/node_modules/playwright-core/package.json',
    '/%',
    '/nope.html',
  ]) {
    const r = await get(path);
    assert.equal(r.status, 404, path);
    assert.ok(!r.body.toString().includes('[package]'), path);
  }
  assert.equal((await get('/', 'POST')).status, 405);
  assert.equal((await get('/', 'HEAD')).status, 200);
});

test('the command line prints the URL and rejects a bad port', async () => {
  const run = (args) =>
    new Promise((ok) => {
      const child = spawn(process.execPath, [join(ROOT, 'www/serve.mjs'), ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('\n')) child.kill();
      });
      child.stderr.on('data', (d) => {
        out += d;
      });
      child.on('exit', (code) => ok({ code, out }));
    });
  const good = await run(['--port', '0']);
  assert.match(good.out, /http:\/\/127\.0\.0\.1:\d+\//);
  const bad = await run(['--port', 'eighty']);
  assert.equal(bad.code, 2);
  assert.match(bad.out, /usage/);
});
