// A PostgreSQL server of the tests' own: Debian's binaries (scripts/setup.sh installs the
// `postgresql` package), initdb into a temp folder, postgres on 127.0.0.1 and a free port with
// its socket in that folder, stopped by its pid. postgres refuses to run as root, so as root
// it runs as the `postgres` user the Debian package creates (spawn's uid/gid: its pid is
// postgres's own, not a wrapper's).
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** The newest /usr/lib/postgresql/N/bin holding initdb and postgres. */
export function findPostgresBin() {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => b - a)
    : [];
  for (const v of versions) {
    const bin = join(root, v, 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'postgres'))) return bin;
  }
  throw new Error(
    'PostgreSQL not found under /usr/lib/postgresql/*/bin: run scripts/setup.sh (installs Debian `postgresql`)',
  );
}

/** A port the kernel just handed out on 127.0.0.1 (free now; postgres takes it right after). */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** As root: the postgres user's ids; otherwise run as ourselves. */
function runAs() {
  if (process.getuid() !== 0) return {};
  const id = (flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/**
 * Starts a fresh cluster; resolves { url(db), port, createDatabase(name) → url, stop() }.
 * fsync is off: the data is thrown away at the end, and the tests are about locking, not durability.
 */
export async function startPostgres() {
  const bin = findPostgresBin();
  const dir = mkdtempSync(join(tmpdir(), 'wxpay-pg-'));
  const data = join(dir, 'data');
  const sock = join(dir, 'sock');
  mkdirSync(sock);
  const ids = runAs();
  if (ids.uid !== undefined) for (const p of [dir, sock]) chownSync(p, ids.uid, ids.gid);
  try {
    execFileSync(
      join(bin, 'initdb'),
      ['-D', data, '-U', 'shop', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--no-instructions'],
      { ...ids, stdio: ['ignore', 'ignore', 'pipe'], cwd: dir },
    );
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${String(e.stderr ?? e.message).slice(0, 2000)}`);
  }
  const port = await freePort();
  const p = spawn(
    join(bin, 'postgres'),
    [
      '-D',
      data,
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-k',
      sock,
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=200',
    ],
    { ...ids, cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  p.stderr.on('data', (d) => {
    log += d;
    if (log.length > 20000) log = log.slice(-10000);
  });
  const exited = new Promise((resolve) => p.once('exit', resolve));
  const kill = () => {
    if (p.exitCode === null && p.signalCode === null) p.kill('SIGINT');
  };
  process.once('exit', kill); // a test that throws before stop() still leaves no server behind
  const url = (db = 'postgres') => `postgres://shop@127.0.0.1:${port}/${db}`;

  const deadline = Date.now() + 20000;
  for (;;) {
    const c = new pg.Client({ connectionString: url() });
    try {
      await c.connect();
      await c.end();
      break;
    } catch (e) {
      await c.end().catch(() => {});
      if (p.exitCode !== null || Date.now() > deadline) {
        kill();
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`postgres did not start: ${e.message}\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    port,
    pid: p.pid,
    url,
    /** A new empty database; its connection URL. */
    async createDatabase(name) {
      const c = new pg.Client({ connectionString: url() });
      await c.connect();
      try {
        await c.query(`CREATE DATABASE "${name}"`);
      } finally {
        await c.end();
      }
      return url(name);
    },
    /** Fast shutdown (SIGINT) by pid, then the folder goes. */
    async stop() {
      kill();
      await exited;
      process.removeListener('exit', kill);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
