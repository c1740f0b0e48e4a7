// Two merchant-server processes on one PostgreSQL, the mock's every payment notification
// delivered to BOTH at once (a fan-out between the mock's notify_url and the instances), plus
// duplicates: each order is paid exactly once, and no order the mock did not pay is paid.
// The counts are read straight from the database with our own client.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createServer as createHttpsServer } from 'node:https';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APPID, KEY, MCH_ID, call, makeCert, startMock, waitFor } from './helpers.mjs';
import { startPostgres } from './postgres.mjs';

const SERVER = fileURLToPath(new URL('../server.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'wxpay-multi-'));
let pgServer;
let mock;
let cert;
/** Per API: { shops, fanout, db } — two instances and their fan-out on a database of their own. */
const setups = {};

/** One server.js process; resolves once it prints its address. */
function startInstance(env) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [SERVER], {
      env: { ...process.env, PORT: '0', RECONCILE_INTERVAL_SECONDS: '0', EXIT_AFTER_SECONDS: '240', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const onData = (d) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m && !p.url) {
        p.url = m[1];
        resolve({ url: m[1], output: () => out, stop: () => stop(p) });
      }
    };
    p.stdout.on('data', onData);
    p.stderr.on('data', onData);
    p.on('exit', (code) => {
      if (!p.url) reject(new Error(`server.js exited with ${code}:\n${out}`));
    });
  });
}
function stop(p) {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    p.once('exit', resolve);
    p.kill('SIGTERM');
  });
}

/**
 * WeChat's notify_url: posts each notification to every instance concurrently, answers with the
 * first's reply. https when given a certificate (v3 refuses an http notify_url).
 */
async function startFanout(targets, tls) {
  const seen = { deliveries: 0, replies: [] };
  const handler = (req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      seen.deliveries++;
      const body = Buffer.concat(chunks);
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([k]) => k === 'content-type' || k.startsWith('wechatpay-')),
      );
      try {
        const replies = await Promise.all(
          targets.map(async (t) => {
            const r = await fetch(`${t.url}${req.url}`, { method: 'POST', body, headers });
            return { status: r.status, type: r.headers.get('content-type') ?? 'text/plain', body: await r.text() };
          }),
        );
        seen.replies.push(...replies);
        res.writeHead(replies[0].status, { 'content-type': replies[0].type });
        res.end(replies[0].body);
      } catch (e) {
        res.writeHead(502);
        res.end(String(e));
      }
    });
  };
  const server = tls ? createHttpsServer(tls, handler) : createServer(handler);
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    seen,
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(r);
      }),
  };
}

/** Two server.js processes for `api` on a database of their own, behind a fan-out. */
async function setup(api) {
  const databaseUrl = await pgServer.createDatabase(`shop_${api}`);
  const shops = [];
  const fanout = await startFanout(shops, api === 'v3' ? cert : undefined);
  const env = {
    WXPAY_API: api,
    WXPAY_APPID: APPID,
    WXPAY_MCH_ID: MCH_ID,
    WXPAY_BASE_URL: mock.url,
    DATABASE_URL: databaseUrl,
    NOTIFY_BASE_URL: fanout.url,
    ...(api === 'v2' ? { WXPAY_KEY: KEY } : { WXPAY_V3_KEYS_DIR: join(dir, 'keys') }),
  };
  // Both at once: the schema is created under an advisory lock, so the race is harmless.
  shops.push(...(await Promise.all([startInstance(env), startInstance(env)])));
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  setups[api] = { shops, fanout, db };
  return setups[api];
}

before(async () => {
  cert = makeCert(dir);
  pgServer = await startPostgres();
  mock = await startMock(['--quiet', '--time-scale', '0.0001', '--keys-dir', join(dir, 'keys')], {
    env: { NODE_EXTRA_CA_CERTS: cert.certFile },
  });
});
after(async () => {
  for (const { shops, fanout, db } of Object.values(setups)) {
    await db.end();
    await Promise.all(shops.map((s) => s.stop()));
    await fanout.close();
  }
  await mock?.stop();
  await pgServer?.stop();
  rmSync(dir, { recursive: true, force: true });
});

for (const [api, N] of [
  ['v2', 200],
  ['v3', 50],
]) {
  test(`${api}: ${N} orders over two instances, every notification to both at once plus duplicates: each paid exactly once`, (t) =>
    scenario(t, api, N));
}

async function scenario(t, api, N) {
  const { shops, fanout, db } = await setup(api);
  const UNPAID = 20;
  const created = await Promise.all(
    Array.from({ length: N + UNPAID }, async (_, i) => {
      const r = await call(shops[i % 2].url, 'POST', '/orders', { openid: `o-multi-${i}`, total_fee: 1000 + i });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body.out_trade_no;
    }),
  );
  const pay = created.slice(0, N);
  const unpaid = created.slice(N);
  // In batches of 25 orders: the mock pays them (one notification each, fanned out to both
  // instances), then sends each of them three more copies at once. The concurrency that matters
  // is per order; 200 at once only measures how fast two cores answer before WeChat's 5 s timeout.
  const mockOrder = async (no) => (await call(mock.url, 'GET', `/_mock/orders/${no}`)).body;
  const transactionIds = new Map();
  for (let i = 0; i < N; i += 25) {
    const batch = pay.slice(i, i + 25);
    const paidAtMock = await Promise.all(batch.map((no) => call(mock.url, 'POST', `/_mock/orders/${no}/pay`, {})));
    assert.ok(paidAtMock.every((r) => r.status === 200));
    await waitFor(
      async () => (await Promise.all(batch.map(mockOrder))).every((o) => o.notify_state === 'acknowledged'),
      'batch acknowledged',
      60000,
    );
    const dup = await Promise.all(
      batch.map((no) => call(mock.url, 'POST', `/_mock/orders/${no}/notify`, { kind: 'duplicate', count: 3 })),
    );
    assert.ok(
      dup.every((d) => d.status === 200 && d.body.replies.length === 3 && d.body.replies.every((r) => r.ok)),
      JSON.stringify(dup.map((d) => d.body)).slice(0, 2000),
    );
    for (const o of await Promise.all(batch.map(mockOrder))) transactionIds.set(o.out_trade_no, o.transaction_id);
  }

  const { rows: counts } = await db.query(`SELECT o.out_trade_no, o.state, o.transaction_id,
      (SELECT COUNT(*)::int FROM transitions t WHERE t.out_trade_no = o.out_trade_no AND t.to_state = 'PAID') AS paid_times
    FROM orders o`);
  const byNo = new Map(counts.map((r) => [r.out_trade_no, r]));
  assert.equal(byNo.size, N + UNPAID);
  for (const no of pay) {
    const r = byNo.get(no);
    assert.equal(r.state, 'PAID', no);
    assert.equal(r.paid_times, 1, `${no} paid ${r.paid_times} times`);
    assert.equal(r.transaction_id, transactionIds.get(no));
  }
  for (const no of unpaid) {
    assert.equal(byNo.get(no).state, 'CREATED', `${no} was never paid at the mock`);
    assert.equal(byNo.get(no).paid_times, 0);
  }
  // Every delivery reached both instances, and both acknowledged every verified copy.
  assert.ok(fanout.seen.deliveries >= N * 4, `${fanout.seen.deliveries} deliveries`);
  assert.equal(fanout.seen.replies.length, fanout.seen.deliveries * 2);
  const acked = (r) => (api === 'v2' ? r.status === 200 && r.body.includes('SUCCESS') : r.status === 204);
  assert.ok(fanout.seen.replies.every(acked), 'all acknowledged');
  const won = shops.map((s) => (s.output().match(/→ PAID/g) ?? []).length);
  const dups = shops.map((s) => (s.output().match(/duplicate, already PAID/g) ?? []).length);
  assert.equal(won[0] + won[1], N, `instances logged ${won} transitions`);
  t.diagnostic(
    `deliveries ${fanout.seen.deliveries}, transitions won per instance ${won}, duplicates seen per instance ${dups}`,
  );
}
