// Issue 12: every fault kind of the mock (POST /_mock/faults) reaches the example server through
// its own HTTP API — create the order, the mock pays, the callback, reconciliation, the refund —
// on v2 and on v3, and leaves its orders right. Expected values are the mock's own records
// (GET /_mock/orders, /_mock/refunds), never the server's answers: at the end every order the
// mock has paid is PAID exactly once in the server's store with the same transaction_id, nothing
// the mock has not paid is paid, no refund is made twice. What happened per fault kind (the
// client retried, resolved a lost answer by a query, or surfaced an error the server's caller can
// retry) is read from the client's onEvent lines in the server's log and printed: these are the
// figures of docs/guide/example-server.md "Under faults".
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, readV3Keys, startMock, startShop, startTlsFront, waitFor } from './helpers.mjs';

/** The server's client gives up on an answer after this; the slow faults answer later. */
const TIMEOUT_MS = 200;
const SLOW_MS = 450;
const KINDS = [
  ['drop', { kind: 'drop' }],
  ['drop after', { kind: 'drop', after: true }],
  ['system_error', { kind: 'system_error' }],
  ['system_error after', { kind: 'system_error', after: true }],
  ['slow', { kind: 'slow', delayMs: SLOW_MS }],
  ['slow after', { kind: 'slow', delayMs: SLOW_MS, after: true }],
];
const OPS = ['create', 'query', 'refund'];
/**
 * 1: the client's retries absorb it. 4: more than they absorb — a lost answer to a creating
 * call is resolved by a query that has its own 3 attempts, so 4 faults in a row make the
 * outcome unknown, and the server's caller sees it.
 */
const COUNTS = [1, 4];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

for (const api of ['v2', 'v3']) {
  describe(`${api}: faults through the example server`, () => {
    const dir = mkdtempSync(join(tmpdir(), `wxpay-e2e-faults-${api}-`));
    let mock;
    let shop;
    let front;
    const tally = {};

    before(async () => {
      const args = ['--quiet', '--time-scale', '0.0001', '--refund-delay', '5'];
      if (api === 'v3') {
        front = await startTlsFront(dir, () => shop.url);
        mock = await startMock([...args, '--keys-dir', join(dir, 'keys')], {
          env: { NODE_EXTRA_CA_CERTS: front.certFile },
        });
        shop = await startShop(mock.url, {
          api: 'v3',
          key: undefined,
          v3: readV3Keys(join(dir, 'keys')),
          notifyBaseUrl: front.url,
          timeoutMs: TIMEOUT_MS,
          retries: 2,
          backoffMs: 20,
        });
      } else {
        mock = await startMock(args);
        shop = await startShop(mock.url, { timeoutMs: TIMEOUT_MS, retries: 2, backoffMs: 20 });
      }
    });
    after(async () => {
      await shop?.stop();
      await front?.close();
      await mock?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    const order = async (no) => (await call(shop.url, 'GET', `/orders/${no}`)).body;
    const ctl = (path, body = {}) => call(mock.url, 'POST', `/_mock${path}`, body);
    const reconcile = (body = { unpaidAfterSeconds: 0 }) => call(shop.url, 'POST', '/admin/reconcile', body);
    const state = (no, want) => waitFor(async () => (await order(no)).state === want, `order ${no} ${want}`);

    async function newOrder() {
      const r = await call(shop.url, 'POST', '/orders', {
        openid: `o-faults-${api}`,
        total_fee: 100 + Math.floor(Math.random() * 900),
      });
      assert.ok(r.status === 201 || r.status === 502, JSON.stringify(r.body));
      return r;
    }
    /** A paid order, no fault queued: created, paid by the mock, its callback applied (or not sent). */
    async function paidOrder(notify = true) {
      const r = await newOrder();
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal((await ctl(`/orders/${r.body.out_trade_no}/pay`, { notify })).status, 200);
      if (notify) await state(r.body.out_trade_no, 'PAID');
      return r.body.out_trade_no;
    }

    /** One fault kind × operation × count; returns what the client and the server did. */
    async function scenario(fault, op, count) {
      const from = shop.logs.length;
      let surfaced = 0;
      let fired = 0;
      /** Empties the fault queue, first counting what fired (DELETE clears the record too). */
      const clear = async () => {
        const f = (await call(mock.url, 'GET', '/_mock/faults')).body.fired;
        fired += f.drop + f.system_error + f.slow;
        await call(mock.url, 'DELETE', '/_mock/faults');
      };
      const queue = async () => assert.equal((await ctl('/faults', { ...fault, count })).status, 200);
      if (op === 'create') {
        await queue();
        let r = await newOrder();
        if (r.status === 502) {
          surfaced++;
          assert.equal(r.body.error, 'unified order failed');
          await clear();
          r = await newOrder(); // the caller's retry: a new order (the first is closed by reconciliation)
        }
        assert.equal(r.status, 201, JSON.stringify(r.body));
        assert.equal((await ctl(`/orders/${r.body.out_trade_no}/pay`)).status, 200);
        await state(r.body.out_trade_no, 'PAID');
      } else if (op === 'query') {
        const no = await paidOrder(false);
        await queue();
        let r = await reconcile();
        if (r.body.errors > 0) {
          surfaced++;
          await clear();
          if (fault.kind === 'slow') await sleep(SLOW_MS);
          r = await reconcile();
        }
        assert.equal(r.body.paid, 1, JSON.stringify(r.body));
        assert.equal((await order(no)).state, 'PAID');
      } else {
        const no = await paidOrder();
        await queue();
        const r = await call(shop.url, 'POST', `/orders/${no}/refund`);
        assert.equal(r.status, 202, JSON.stringify(r.body));
        if (!r.body.refund_id) surfaced++; // outcome unknown: REFUNDING, reconciliation settles it
        await clear();
        if (fault.kind === 'slow') await sleep(SLOW_MS);
        await waitFor(async () => {
          if ((await order(no)).state === 'REFUNDED') return true;
          await reconcile();
          return false;
        }, `order ${no} REFUNDED`);
      }
      await clear();
      if (fault.kind === 'slow') await sleep(SLOW_MS + 50); // a slow request still in flight lands first
      // Settle: whatever this scenario left CREATED is paid (found by the query) or closed.
      assert.equal((await reconcile({ unpaidAfterSeconds: 0, expireAfterSeconds: 0 })).body.errors, 0);
      const events = shop.logs
        .slice(from)
        .map((l) => /^wechat v[23] (\S+) \S* ?attempt \d+: (\w+)/.exec(l))
        .filter(Boolean)
        .map((m) => m[2]);
      return {
        fired,
        retried: events.filter((e) => e === 'retry' || e === 'absent' || e === 'unknown').length,
        resolved: events.filter((e) => e === 'resolved').length,
        surfaced,
      };
    }

    for (const [name, fault] of KINDS) {
      test(`${name}: on create, query and refund, absorbed (count 1) and surfaced (count 4)`, async () => {
        const t = { fired: 0, retried: 0, resolved: 0, surfaced: 0 };
        const detail = [];
        for (const op of OPS) {
          for (const count of COUNTS) {
            const s = await scenario(fault, op, count);
            detail.push(`${op}×${count} ${s.fired}f/${s.retried}r/${s.resolved}q/${s.surfaced}s`);
            assert.ok(s.fired >= 1, `${name} ${op} ×${count}: the fault fired`);
            for (const k of Object.keys(t)) t[k] += s[k];
          }
        }
        tally[name] = t;
        console.log(
          `[e2e-faults ${api}] ${name}: ${detail.join(', ')} (fired / retried / resolved by query / surfaced)`,
        );
      });
    }

    test('missing callbacks: orders paid with notify:false become PAID through reconciliation', async () => {
      const nos = [];
      for (let i = 0; i < 3; i++) nos.push(await paidOrder(false));
      for (const no of nos) assert.equal((await order(no)).state, 'CREATED');
      const r = await reconcile();
      assert.equal(r.body.paid, 3, JSON.stringify(r.body));
      for (const no of nos) {
        const o = await order(no);
        assert.equal(o.state, 'PAID');
        assert.deepEqual(
          o.history.map((h) => h.source),
          ['reconcile'],
        );
      }
    });

    test('the store agrees with the mock: paid exactly once, nothing paid that was not, no lost order, no double refund', async () => {
      const mockOrders = (await call(mock.url, 'GET', '/_mock/orders')).body;
      const mockRefunds = (await call(mock.url, 'GET', '/_mock/refunds')).body;
      const paidTimes = await shop.app.db.paidTransitions();
      assert.ok(mockOrders.length >= KINDS.length * OPS.length * COUNTS.length, `${mockOrders.length} orders`);
      let paid = 0;
      for (const m of mockOrders) {
        const o = await shop.app.db.order(m.out_trade_no);
        assert.ok(o, `the mock's order ${m.out_trade_no} is in the store`);
        const mockPaid = m.trade_state === 'SUCCESS' || m.trade_state === 'REFUND';
        if (mockPaid) {
          paid++;
          assert.ok(
            ['PAID', 'REFUNDING', 'REFUNDED'].includes(o.state),
            `${m.out_trade_no}: paid at the mock, ${o.state} in the store`,
          );
          assert.equal(o.transaction_id, m.transaction_id);
          assert.equal(paidTimes[m.out_trade_no], 1, `${m.out_trade_no} paid exactly once`);
        } else {
          assert.ok(
            ['CREATED', 'CLOSED'].includes(o.state),
            `${m.out_trade_no}: ${m.trade_state} at the mock, ${o.state} in the store`,
          );
          assert.equal(paidTimes[m.out_trade_no], undefined, `${m.out_trade_no} was never paid`);
        }
        const refunds = mockRefunds.filter((r) => r.out_trade_no === m.out_trade_no);
        assert.ok(refunds.length <= 1, `${m.out_trade_no}: ${refunds.length} refunds at the mock`);
        const mine = await shop.app.db.refundsOf(m.out_trade_no);
        assert.equal(mine.length, refunds.length, `${m.out_trade_no}: the store's refunds are the mock's`);
        for (const r of refunds) {
          assert.equal(mine[0].out_refund_no, r.out_refund_no);
          assert.equal(o.state, 'REFUNDED');
          assert.equal(mine[0].state, 'SUCCESS');
        }
      }
      // Orders the server made that never reached the mock are closed, not paid.
      const stats = (await call(shop.url, 'GET', '/admin/stats')).body;
      assert.equal((stats.PAID ?? 0) + (stats.REFUNDED ?? 0), paid, JSON.stringify(stats));
      assert.equal(stats.REFUNDING ?? 0, 0);
      console.log(
        `[e2e-faults ${api}] ${mockOrders.length} orders at the mock, ${paid} paid, ${mockRefunds.length} refunds; store ${JSON.stringify(stats)}`,
      );
      console.log(`[e2e-faults ${api}] per kind (3 operations × counts 1 and 4): ${JSON.stringify(tally)}`);
    });
  });
}
