// The client (issue 13) against the mock through the tests' own fault proxy
// (support/fault-proxy.mjs): thousands of orders through create → pay → query → refund,
// while the proxy drops connections before and after forwarding, answers WeChat's
// "system error" and answers too slowly. At the end every order's state is the mock's own
// (GET /_mock/orders): paid exactly once, none lost, no refund twice. The counts per fault
// kind of what the client did are printed (retried ok / resolved by query / surfaced).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import wx from '../../pkg/node/index.mjs';
import wx3 from '../../pkg/v3/node/index.mjs';
import { createMock } from '../../pkg/cli/mock/server.mjs';
import { loadV3Keys } from '../../pkg/cli/mock/v3keys.mjs';
import { startFaultProxy, prng } from './support/fault-proxy.mjs';
import { makePki } from './support/tls.mjs';

const KEY = '192006250b4c09247ec02edce69f6a2d';
const MCH = '1900000109';
const APPID = 'wxd930ea5d5a258f4f';
const V2_ORDERS = Number(process.env.CLIENT_V2_ORDERS ?? 2000);
const V3_ORDERS = Number(process.env.CLIENT_V3_ORDERS ?? 1000);
const SEED = Number(process.env.CLIENT_FAULT_SEED ?? 13);
const KINDS = ['drop-before', 'drop-after', 'system-error', 'slow'];
const FAULT_RATE = 0.03; // per kind, per request: ~12% of requests misbehave
// Generous against a loaded machine: a timeout the mock itself causes would be a fault we did not inject.
const TIMEOUT_MS = 2000;
const CONCURRENCY = { v2: 32, v3: 16 };

/** Runs `job(i)` for i in [0, n) with at most `limit` at once. */
async function pool(n, limit, job) {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < n) await job(next++);
    }),
  );
}

let v3Keys; // made once (two RSA key pairs) for both tests
async function setup() {
  v3Keys ??= loadV3Keys(undefined, { mchid: MCH, appid: APPID });
  const mock = createMock({ wx, key: KEY, mchId: MCH, appid: APPID, log: () => {}, refundDelay: -1, v3Keys });
  const mockUrl = await mock.listen(0);
  const random = prng(SEED);
  let faulty = true;
  const proxy = await startFaultProxy({
    target: mockUrl,
    key: KEY,
    wechatPrivateKey: mock.v3Keys.wechatPrivateKey,
    serial: mock.v3Keys.config.publicKeyId,
    slowMs: TIMEOUT_MS + 500,
    plan: () => {
      if (!faulty) return null;
      const r = random();
      return r < KINDS.length * FAULT_RATE ? KINDS[Math.floor(r / FAULT_RATE)] : null;
    },
  });
  return {
    mock,
    mockUrl,
    proxy,
    stopFaults: () => {
      faulty = false;
    },
  };
}

/**
 * The steps of every order run one after another, so at any moment one step per order is
 * running: a fault the proxy logs for `ref` belongs to that step. A step's outcome: surfaced
 * (it threw), resolved by query (its events show the query after an unknown outcome), else
 * retried ok (or clean).
 */
function tracker() {
  const events = new Map(); // ref → events of the current step
  const counts = Object.fromEntries(KINDS.map((k) => [k, { 'retried ok': 0, 'resolved by query': 0, surfaced: 0 }]));
  const surfacedCodes = {};
  return {
    counts,
    surfacedCodes,
    onEvent: (e) => {
      for (const ref of [e.ref]) if (events.has(ref)) events.get(ref).push(e);
    },
    async step(refs, proxyLog, fn) {
      for (const r of refs) events.set(r, []);
      const mark = proxyLog.length;
      let outcome = 'retried ok';
      let error;
      try {
        await fn();
      } catch (e) {
        outcome = 'surfaced';
        error = e;
        const what = e.errCode ? `${e.code}:${e.errCode}` : e.code;
        surfacedCodes[what] = (surfacedCodes[what] ?? 0) + 1;
      }
      const seen = refs.flatMap((r) => events.get(r));
      if (outcome !== 'surfaced' && seen.some((e) => e.outcome === 'resolved' || e.outcome === 'absent'))
        outcome = 'resolved by query';
      for (const f of proxyLog.slice(mark)) if (refs.includes(f.ref)) counts[f.kind][outcome]++;
      for (const r of refs) events.delete(r);
      return { ok: outcome !== 'surfaced', error };
    },
  };
}

const ensureOk = (res) => {
  if (!res.ok) throw new Error(`mock control answered ${res.status}`);
  return res.json();
};

test(`v2: ${V2_ORDERS} orders through faults; every state equals the mock's`, { timeout: 120000 }, async () => {
  const { mock, mockUrl, proxy, stopFaults } = await setup();
  const pki = makePki();
  const t = tracker();
  const client = wx.createClient({
    appid: APPID,
    mchId: MCH,
    key: KEY,
    baseUrl: proxy.url,
    cert: pki.clientCert,
    certKey: pki.clientKey,
    timeoutMs: TIMEOUT_MS,
    retries: 3,
    backoffMs: 5,
    onEvent: t.onEvent,
  });
  const mine = new Map(); // out_trade_no → what the test did
  try {
    await pool(V2_ORDERS, CONCURRENCY.v2, async (i) => {
      const no = `C2${String(i).padStart(8, '0')}${SEED}`;
      const rec = { created: false, paid: false, refund: null };
      mine.set(no, rec);
      const fee = 100 + (i % 50);
      const c = await t.step([no], proxy.log, () =>
        client
          .unifiedOrder({
            body: 'fault matrix',
            out_trade_no: no,
            total_fee: fee,
            spbill_create_ip: '127.0.0.1',
            notify_url: 'https://merchant.example/notify',
            trade_type: 'JSAPI',
            openid: 'o-fault',
          })
          .then((r) => assert.match(r.prepay_id, /^wx/)),
      );
      if (!c.ok) return;
      rec.created = true;
      // The payer pays (control API, straight to the mock: the payer is not our client).
      const paid = await fetch(`${mockUrl}/_mock/orders/${no}/pay`, { method: 'POST', body: '{"notify":false}' });
      assert.equal(paid.status, 200, `pay ${no}`);
      rec.paid = true;
      await t.step([no], proxy.log, async () =>
        assert.equal((await client.orderQuery({ out_trade_no: no })).trade_state, 'SUCCESS'),
      );
      if (i % 3 === 0) {
        const rno = `R${no}`;
        const r = await t.step([rno], proxy.log, async () =>
          assert.equal(
            (await client.refund({ out_trade_no: no, out_refund_no: rno, total_fee: fee, refund_fee: 50 }))
              .out_refund_no,
            rno,
          ),
        );
        rec.refund = { no: rno, fee: 50, acknowledged: r.ok };
      }
    });
    stopFaults();
    await proxy.idle(); // a surfaced call's last request may still be on its way to the mock
    // Reconcile every order (faults off) and compare with the mock's own view.
    const orders = new Map(
      (await ensureOk(await fetch(`${mockUrl}/_mock/orders`)))
        .filter((o) => o.api !== 'v3')
        .map((o) => [o.out_trade_no, o]),
    );
    const refunds = (await ensureOk(await fetch(`${mockUrl}/_mock/refunds`))).filter((r) => r.api !== 'v3');
    const entries = [...mine];
    await pool(entries.length, CONCURRENCY.v2, async (i) => {
      const [no, rec] = entries[i];
      const truth = orders.get(no);
      const seen = await client.reconcile(no);
      if (!rec.created) {
        // A create that surfaced: either nothing reached WeChat, or it did and reconcile says so.
        assert.equal(seen.exists, truth !== undefined, `${no} (surfaced: ${JSON.stringify(t.surfacedCodes)})`);
        return;
      }
      assert.ok(truth, `order ${no} lost`);
      assert.equal(seen.state, truth.trade_state, no);
      assert.equal(truth.trade_state, rec.refund && truth.refunds.length ? 'REFUND' : 'SUCCESS', no);
      assert.ok(
        truth.transaction_id && seen.transactionId === truth.transaction_id,
        `${no} paid once, one transaction`,
      );
      assert.ok(truth.refunds.length <= 1, `${no}: ${truth.refunds.length} refunds`);
      if (rec.refund?.acknowledged)
        assert.deepEqual(truth.refunds, [rec.refund.no], `${no}: the acknowledged refund exists once`);
      assert.deepEqual(
        seen.refunds.map((r) => r.outRefundNo),
        truth.refunds,
        no,
      );
    });
    for (const no of orders.keys()) assert.ok(mine.has(no), `the mock has an order ${no} the test never made`);
    const byOrder = {};
    for (const r of refunds) byOrder[r.out_trade_no] = (byOrder[r.out_trade_no] ?? 0) + Number(r.refund_fee);
    for (const [no, sum] of Object.entries(byOrder))
      assert.ok(sum <= Number(orders.get(no).total_fee), `${no} refunded ${sum}`);
    report('v2', t, proxy.log.length);
    assert.ok(proxy.log.length > V2_ORDERS * 0.2, 'the proxy injected faults');
    for (const k of KINDS) assert.ok(Object.values(t.counts[k]).reduce((a, b) => a + b, 0) > 0, `${k} happened`);
  } finally {
    client.close();
    await proxy.close();
    await mock.close();
  }
});

test(`v3: ${V3_ORDERS} orders through faults; every state equals the mock's`, { timeout: 120000 }, async () => {
  const { mock, mockUrl, proxy, stopFaults } = await setup();
  const k = mock.v3Keys;
  const t = tracker();
  const client = wx3.createClient({
    appid: k.config.appid,
    mchId: k.config.mchid,
    serialNo: k.config.serialNo,
    privateKey: readFileSync(`${k.dir}/apiclient_key.pem`, 'utf8'),
    apiV3Key: k.config.apiV3Key,
    publicKeys: { [k.config.publicKeyId]: k.wechatPublicPem },
    baseUrl: proxy.url,
    timeoutMs: TIMEOUT_MS,
    retries: 3,
    backoffMs: 5,
    onEvent: t.onEvent,
  });
  const mine = new Map();
  try {
    await pool(V3_ORDERS, CONCURRENCY.v3, async (i) => {
      const no = `C3${String(i).padStart(8, '0')}${SEED}`;
      const rec = { created: false, refund: null };
      mine.set(no, rec);
      const total = 100 + (i % 50);
      const c = await t.step([no], proxy.log, async () =>
        assert.match(
          (
            await client.jsapi({
              description: 'fault matrix',
              out_trade_no: no,
              notify_url: 'https://merchant.example/notify3',
              amount: { total },
              payer: { openid: 'o-fault' },
            })
          ).prepay_id,
          /^wx/,
        ),
      );
      if (!c.ok) return;
      rec.created = true;
      const paid = await fetch(`${mockUrl}/_mock/orders/${no}/pay`, { method: 'POST', body: '{"notify":false}' });
      assert.equal(paid.status, 200, `pay ${no}`);
      await t.step([no], proxy.log, async () =>
        assert.equal((await client.queryByOutTradeNo(no)).trade_state, 'SUCCESS'),
      );
      if (i % 3 === 0) {
        const rno = `R${no}`;
        const r = await t.step([rno], proxy.log, async () =>
          assert.equal(
            (
              await client.refund({
                out_trade_no: no,
                out_refund_no: rno,
                amount: { refund: 50, total, currency: 'CNY' },
              })
            ).out_refund_no,
            rno,
          ),
        );
        rec.refund = { no: rno, acknowledged: r.ok };
      }
    });
    stopFaults();
    await proxy.idle(); // a surfaced call's last request may still be on its way to the mock
    const orders = new Map(
      (await ensureOk(await fetch(`${mockUrl}/_mock/orders`)))
        .filter((o) => o.api === 'v3')
        .map((o) => [o.out_trade_no, o]),
    );
    const entries = [...mine];
    await pool(entries.length, CONCURRENCY.v3, async (i) => {
      const [no, rec] = entries[i];
      const truth = orders.get(no);
      const seen = await client.reconcile(no, rec.refund ? [rec.refund.no] : []);
      if (!rec.created) {
        assert.equal(seen.exists, truth !== undefined, `${no} (surfaced: ${JSON.stringify(t.surfacedCodes)})`);
        return;
      }
      assert.ok(truth, `order ${no} lost`);
      assert.equal(seen.state, truth.trade_state, no);
      assert.ok(truth.transaction_id && seen.transactionId === truth.transaction_id, `${no} paid once`);
      assert.ok(truth.refunds.length <= 1, `${no}: ${truth.refunds.length} refunds`);
      if (rec.refund?.acknowledged) assert.deepEqual(truth.refunds, [rec.refund.no], no);
      assert.deepEqual(
        seen.refunds.map((r) => r.outRefundNo),
        truth.refunds,
        no,
      );
    });
    for (const no of orders.keys()) assert.ok(mine.has(no), `the mock has an order ${no} the test never made`);
    report('v3', t, proxy.log.length);
    assert.ok(proxy.log.length > V3_ORDERS * 0.2, 'the proxy injected faults');
  } finally {
    await proxy.close();
    await mock.close();
  }
});

function report(family, t, faults) {
  const rows = KINDS.map(
    (k) =>
      `  ${k.padEnd(13)} ${Object.entries(t.counts[k])
        .map(([o, n]) => `${o}: ${n}`)
        .join(', ')}`,
  );
  console.log(
    `[client-faults ${family}] ${faults} faults injected (seed ${SEED}); per fault kind, what the client did:\n${rows.join('\n')}\n  surfaced codes: ${JSON.stringify(t.surfacedCodes)}`,
  );
}
