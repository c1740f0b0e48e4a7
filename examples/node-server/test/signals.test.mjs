// `wxpay-wasm mock` ends when told to, whichever process the signal reaches. The package is
// packed and installed from its tarball into a temp folder, as a user gets it, and the mock
// is started three ways: the installed bin itself; a wrapper that runs it the way npm exec
// does (`sh -c wxpay-wasm …`, SIGINT and SIGTERM passed to the shell only); and real `npx`.
// The signal goes to the top process's PID, then the port must become free (polled, with a
// bound) and every process of the tree must be gone. Anything left is killed by its PID.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { constants, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KEY } from './helpers.mjs';

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), '../../../pkg');
let dir, bin;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'wxpay-signals-'));
  const tgz = execFileSync('npm', ['pack', pkgDir, '--pack-destination', dir, '--silent'], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .pop();
  writeFileSync(join(dir, 'package.json'), '{"name":"consumer","private":true}');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', join(dir, tgz)], {
    cwd: dir,
    stdio: 'ignore',
  });
  bin = join(dir, 'node_modules/.bin/wxpay-wasm');
  assert.ok(existsSync(bin), 'the tarball installs the wxpay-wasm bin');
  // What `npm exec` does (npm's @npmcli/run-script): the bin through `sh -c`, SIGINT and SIGTERM
  // forwarded to that shell, npm's own exit when the shell exits.
  writeFileSync(
    join(dir, 'npm-like.mjs'),
    `import { spawn } from 'node:child_process';
const child = spawn('sh', ['-c', "'wxpay-wasm' \\"$@\\"", 'wxpay-wasm', ...process.argv.slice(2)], {
  stdio: 'inherit', env: { ...process.env, PATH: ${JSON.stringify(join(dir, 'node_modules/.bin'))} + ':' + process.env.PATH },
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => { process.exitCode = code ?? 128; });
`,
  );
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The PIDs below `pid`, read from /proc (children of each thread group leader). */
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
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8')); // a zombie holds nothing
  } catch {
    return false;
  }
};

/** Resolves true once nothing listens on 127.0.0.1:port (we can bind it), false after `ms`. */
async function portFreed(port, ms = 15000) {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    const free = await new Promise((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (free) return true;
  }
  return false;
}

/** Starts `argv` (whose tree ends in the mock) and resolves once the mock prints its address. */
function start(argv, opts = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(argv[0], argv.slice(1), { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let out = '';
    const exited = new Promise((r) => p.once('exit', (code, signal) => r({ code, signal })));
    const onData = (d) => {
      out += d;
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve({ p, port: Number(m[1]), exited, output: () => out });
    };
    p.stdout.on('data', onData);
    p.stderr.on('data', onData);
    exited.then(({ code }) => reject(new Error(`exited (${code}) before listening:\n${out}`)));
    setTimeout(() => reject(new Error(`no "listening on" within 30 s:\n${out}`)), 30000).unref();
  });
}

const mockArgs = ['mock', '--port', '0', '--quiet', '--exit-after', '300'];

/** Signal the top process, then: port free, whole tree gone; leftovers killed by PID. */
async function signalAndCheck(argv, sig, { group = false, opts } = {}) {
  const { p, port, exited, output } = await start(argv, { env: { ...process.env, WXPAY_KEY: KEY }, ...opts });
  const tree = descendants(p.pid);
  try {
    assert.ok(tree.length || argv[0] === bin, `launcher ${argv[0]} has the mock below it`);
    process.kill(group ? -p.pid : p.pid, sig);
    assert.ok(
      await portFreed(port),
      `port ${port} still held after ${sig} to ${group ? 'the group of ' : ''}${argv.join(' ')}:\n${output()}`,
    );
    const { code, signal } = await exited;
    for (let i = 0; i < 100 && tree.some(alive); i++) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(tree.filter(alive), [], 'every process of the tree has exited');
    return { code, signal, output: output() };
  } finally {
    for (const pid of [p.pid, ...tree])
      if (alive(pid))
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
  }
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  test(`the installed bin: ${sig} closes the mock, frees the port, exits ${128 + constants.signals[sig]}`, async () => {
    const r = await signalAndCheck([bin, ...mockArgs], sig);
    assert.equal(r.code, 128 + constants.signals[sig], r.output);
    assert.match(r.output, new RegExp(`\\[mock\\] stopping \\(${sig}\\)`));
  });
}

for (const sig of ['SIGTERM', 'SIGHUP']) {
  test(`an npm-exec-like launcher (sh -c in between): ${sig} to the launcher's PID frees the port`, async () => {
    const r = await signalAndCheck([process.execPath, join(dir, 'npm-like.mjs'), ...mockArgs], sig);
    assert.match(r.output, /\[mock\] stopping \(launcher [\d →]+ exited\)/);
  });
}

test('an npm-exec-like launcher: SIGINT to its whole process group (Ctrl-C) frees the port', async () => {
  const r = await signalAndCheck([process.execPath, join(dir, 'npm-like.mjs'), ...mockArgs], 'SIGINT', {
    group: true,
    opts: { detached: true },
  });
  assert.match(r.output, /\[mock\] stopping \(SIGINT\)/);
});

for (const sig of ['SIGTERM', 'SIGHUP']) {
  test(`npx wxpay-wasm mock: ${sig} to npx's PID frees the port`, async () => {
    await signalAndCheck(['npx', '--offline', '--no', 'wxpay-wasm', ...mockArgs], sig);
  });
}

test('a mock whose launcher is an ordinary parent keeps running when that parent exits', async () => {
  // `sh -c 'bin mock … & echo $!'`: the shell's command line does not end with the mock's
  // arguments, so it is not a launcher to follow; the mock outlives it, as a deliberately
  // backgrounded process should.
  const out = execFileSync('sh', ['-c', `'${bin}' ${mockArgs.join(' ')} > '${join(dir, 'bg.log')}' 2>&1 & echo $!`], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, WXPAY_KEY: KEY },
  });
  const pid = Number(out.trim());
  try {
    let port;
    for (let i = 0; i < 300 && !port; i++) {
      await new Promise((r) => setTimeout(r, 100));
      port =
        Number(/listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(readFileSync(join(dir, 'bg.log'), 'utf8'))?.[1]) ||
        undefined;
    }
    assert.ok(port, 'the backgrounded mock started');
    await new Promise((r) => setTimeout(r, 1500)); // three of the mock's 500 ms launcher checks
    assert.ok(alive(pid), 'still running after its parent shell exited');
    assert.equal(await portFreed(port, 200), false, 'and still listening');
    process.kill(pid, 'SIGTERM');
    assert.ok(await portFreed(port), 'SIGTERM to it frees the port');
  } finally {
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
});
