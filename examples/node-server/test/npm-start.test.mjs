// `npm start` stops with npm: a signal to npm's PID (what `kill $!` sends after `npm start &`)
// must close the server's port and end every process npm started (`sh -c node start.js`, the
// server). npm 11 passes SIGINT and SIGTERM to its shell only, and SIGHUP and SIGKILL to
// nobody; start.js watches the shell and npm and stops the server when one is gone. The process
// tree is read from /proc (Linux); anything left at the end is killed by its PID.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { APPID, KEY, MCH_ID } from './helpers.mjs';

const here = fileURLToPath(new URL('..', import.meta.url));
const skip = existsSync('/proc/self/stat') ? false : 'reads the process tree from /proc (Linux)';

/** The PIDs below `pid`, read from /proc. */
function descendants(pid) {
  let kids = [];
  try {
    kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    /* gone */
  }
  return kids.flatMap((k) => [k, ...descendants(k)]);
}
const alive = (pid) => {
  try {
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** True once 127.0.0.1:port can be bound (nothing listens), false after `ms`. */
async function portFreed(port, ms = 10000) {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(100)) {
    const free = await new Promise((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (free) return true;
  }
  return false;
}

/** `npm start` in examples/node-server on a free port: { npm, port, tree, output, exited }. */
function npmStart(dir) {
  return new Promise((resolve, reject) => {
    const npm = spawn('npm', ['start'], {
      cwd: here,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        WXPAY_KEY: KEY,
        WXPAY_APPID: APPID,
        WXPAY_MCH_ID: MCH_ID,
        WXPAY_BASE_URL: 'http://127.0.0.1:9',
        PORT: '0',
        DB_FILE: join(dir, 'shop.db'),
        RECONCILE_INTERVAL_SECONDS: '0',
        EXIT_AFTER_SECONDS: '120',
      },
    });
    let out = '';
    const exited = new Promise((r) => npm.once('exit', (code, signal) => r({ code, signal })));
    const onData = (d) => {
      out += d;
      const m = /\[shop\] listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve({ npm, port: Number(m[1]), tree: descendants(npm.pid), output: () => out, exited });
    };
    npm.stdout.on('data', onData);
    npm.stderr.on('data', onData);
    exited.then(({ code }) => reject(new Error(`npm start exited (${code}) before listening:\n${out}`)));
    setTimeout(() => reject(new Error(`no "[shop] listening on" within 30 s:\n${out}`)), 30000).unref();
  });
}

for (const sig of ['SIGTERM', 'SIGHUP', 'SIGKILL']) {
  test(`${sig} to the PID of \`npm start\` stops the server: port closed, no process left`, { skip }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wxpay-npm-start-'));
    const { npm, port, tree, output, exited } = await npmStart(dir);
    try {
      assert.ok(tree.length >= 2, `npm started a shell and the server: ${tree}`);
      // Alive while npm is: the watch (every 500 ms) has looked more than once by now.
      await sleep(1200);
      assert.equal((await fetch(`http://127.0.0.1:${port}/admin/stats`)).status, 200, output());
      process.kill(npm.pid, sig);
      assert.ok(await portFreed(port), `port ${port} still open after ${sig} to npm (PID ${npm.pid}):\n${output()}`);
      await exited;
      for (let i = 0; i < 100 && tree.some(alive); i++) await sleep(50);
      assert.deepEqual(tree.filter(alive), [], `every process npm started has exited:\n${output()}`);
      // The server stopped the way SIGTERM stops it (its handler ran), not killed.
      if (sig !== 'SIGKILL') assert.match(output(), /\[shop\] stopping \(SIGTERM\)/);
    } finally {
      for (const pid of [npm.pid, ...tree])
        if (alive(pid))
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            /* gone */
          }
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
