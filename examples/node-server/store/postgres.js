// The PostgreSQL store (`pg`), for several instances sharing the orders. A transition is
// one transaction: SELECT … FOR UPDATE locks the order's row, so of two instances handling
// the same notification at once the second waits, then reads the state the first wrote and
// changes nothing; the UPDATE also re-states the start state (WHERE state = ANY(from)),
// and a unique index refuses a second paid transition even if that rule were broken.
import pg from 'pg';
import { checkTransition } from './index.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS orders (
  out_trade_no   TEXT PRIMARY KEY,
  openid         TEXT NOT NULL,
  body           TEXT NOT NULL,
  total_fee      INTEGER NOT NULL CHECK (total_fee > 0),
  state          TEXT NOT NULL,
  prepay_id      TEXT,
  transaction_id TEXT UNIQUE,
  created_at     BIGINT NOT NULL,
  expires_at     BIGINT NOT NULL,
  updated_at     BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS orders_state ON orders (state, created_at);
CREATE TABLE IF NOT EXISTS refunds (
  out_refund_no TEXT PRIMARY KEY,
  out_trade_no  TEXT NOT NULL REFERENCES orders (out_trade_no),
  refund_fee    INTEGER NOT NULL,
  state         TEXT NOT NULL,
  refund_id     TEXT,
  created_at    BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS transitions (
  id           INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  out_trade_no TEXT NOT NULL,
  from_state   TEXT NOT NULL,
  to_state     TEXT NOT NULL,
  source       TEXT NOT NULL,
  at           BIGINT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS transitions_paid_once ON transitions (out_trade_no)
  WHERE to_state = 'PAID' AND from_state IN ('CREATED', 'PAY_FAILED');
CREATE TABLE IF NOT EXISTS shipping (
  out_trade_no    TEXT PRIMARY KEY REFERENCES orders (out_trade_no),
  tracking_no     TEXT,
  express_company TEXT,
  shipped_at      BIGINT,
  settled_at      BIGINT
);
CREATE TABLE IF NOT EXISTS users (
  openid      TEXT PRIMARY KEY,
  session_key TEXT NOT NULL,
  unionid     TEXT,
  updated_at  BIGINT NOT NULL
);
-- Transfers to users (商家转账, API v3): one bill per transfer, its state WeChat's (CREATED until it answers).
CREATE TABLE IF NOT EXISTS transfers (
  out_bill_no      TEXT PRIMARY KEY,
  openid           TEXT NOT NULL,
  amount           INTEGER NOT NULL CHECK (amount > 0),
  remark           TEXT NOT NULL,
  scene_id         TEXT NOT NULL,
  state            TEXT NOT NULL,
  transfer_bill_no TEXT,
  package_info     TEXT,
  fail_reason      TEXT,
  created_at       BIGINT NOT NULL,
  updated_at       BIGINT NOT NULL
);
`;

/** Any number, so the instances' schema creations never race each other (CREATE … IF NOT EXISTS is not atomic). */
const SCHEMA_LOCK = 7_415_290;

/** BIGINT (milliseconds, counts) as JS numbers: every value here is far below 2^53. */
const types = {
  getTypeParser: (oid, format) => (oid === 20 ? Number : pg.types.getTypeParser(oid, format)),
};

export async function openPostgres(connectionString) {
  const pool = new pg.Pool({ connectionString, types, max: 10 });
  // An idle client's error (the server restarting) must not kill the process; the next query reconnects.
  pool.on('error', () => {});
  await tx(async (c) => {
    await c.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
    await c.query(SCHEMA);
  });

  /** Runs fn(client) in one transaction on one connection: COMMIT, or ROLLBACK and rethrow. */
  async function tx(fn) {
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      const r = await fn(c);
      await c.query('COMMIT');
      return r;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      c.release();
    }
  }
  const one = async (sql, params) => (await pool.query(sql, params)).rows[0];
  const all = async (sql, params) => (await pool.query(sql, params)).rows;

  /** The body of every transition, inside tx: lock, check, write, log. */
  async function move(c, no, from, to, source, { transactionId, also } = {}) {
    const {
      rows: [order],
    } = await c.query('SELECT * FROM orders WHERE out_trade_no = $1 FOR UPDATE', [no]);
    if (!order) return { changed: false, order: undefined };
    if (!from.includes(order.state)) return { changed: false, order };
    checkTransition(order.state, to);
    const now = Date.now();
    const {
      rows: [after],
    } = await c.query(
      `UPDATE orders SET state = $1, transaction_id = COALESCE($2, transaction_id), updated_at = $3
      WHERE out_trade_no = $4 AND state = ANY($5) RETURNING *`,
      [to, transactionId ?? null, now, no, from],
    );
    await c.query(
      'INSERT INTO transitions (out_trade_no, from_state, to_state, source, at) VALUES ($1, $2, $3, $4, $5)',
      [no, order.state, to, source, now],
    );
    await also?.(c, now);
    return { changed: true, order: after };
  }

  return {
    kind: 'postgres',
    transition: (no, from, to, source, opts) => tx((c) => move(c, no, from, to, source, opts)),
    /** PAID → REFUNDING together with the refund row, so neither exists without the other. */
    startRefund: (no, outRefundNo, refundFee) =>
      tx((c) =>
        move(c, no, ['PAID'], 'REFUNDING', 'refund', {
          also: (cc, now) =>
            cc.query(
              `INSERT INTO refunds (out_refund_no, out_trade_no, refund_fee, state, created_at, updated_at)
        VALUES ($1, $2, $3, 'PROCESSING', $4, $4)`,
              [outRefundNo, no, refundFee, now],
            ),
        }),
      ),
    /** A refund's outcome and the order's state in one transaction; the refund row locked first. */
    finishRefund: (outRefundNo, ok, refundId, source) =>
      tx(async (c) => {
        const {
          rows: [refund],
        } = await c.query('SELECT * FROM refunds WHERE out_refund_no = $1 FOR UPDATE', [outRefundNo]);
        if (refund?.state !== 'PROCESSING') return { changed: false, refund };
        const {
          rows: [done],
        } = await c.query(
          `UPDATE refunds SET state = $1, refund_id = COALESCE($2, refund_id), updated_at = $3
        WHERE out_refund_no = $4 RETURNING *`,
          [ok ? 'SUCCESS' : 'FAILED', refundId ?? null, Date.now(), outRefundNo],
        );
        const t = await move(c, refund.out_trade_no, ['REFUNDING'], ok ? 'REFUNDED' : 'PAID', source);
        return { changed: true, refund: done, order: t.order };
      }),
    createOrder: async (r) => {
      await pool.query(
        `INSERT INTO orders (out_trade_no, openid, body, total_fee, state, created_at, expires_at, updated_at)
        VALUES ($1, $2, $3, $4, 'CREATED', $5, $6, $5)`,
        [r.out_trade_no, r.openid, r.body, r.total_fee, r.created_at, r.expires_at],
      );
    },
    setPrepay: async (no, prepayId) => {
      await pool.query('UPDATE orders SET prepay_id = $1, updated_at = $2 WHERE out_trade_no = $3', [
        prepayId,
        Date.now(),
        no,
      ]);
    },
    order: (no) => one('SELECT * FROM orders WHERE out_trade_no = $1', [no]),
    history: (no) =>
      all('SELECT from_state, to_state, source, at FROM transitions WHERE out_trade_no = $1 ORDER BY id', [no]),
    refund: (no) => one('SELECT * FROM refunds WHERE out_refund_no = $1', [no]),
    setRefundId: async (no, refundId) => {
      await pool.query('UPDATE refunds SET refund_id = $1 WHERE out_refund_no = $2 AND refund_id IS NULL', [
        refundId,
        no,
      ]);
    },
    refundsOf: (no) => all('SELECT * FROM refunds WHERE out_trade_no = $1 ORDER BY created_at', [no]),
    staleOrders: (before) =>
      all("SELECT * FROM orders WHERE state = 'CREATED' AND created_at <= $1 ORDER BY created_at", [before]),
    staleRefunds: (before) =>
      all("SELECT * FROM refunds WHERE state = 'PROCESSING' AND created_at <= $1 ORDER BY created_at", [before]),
    counts: async () =>
      Object.fromEntries(
        (await all('SELECT state, COUNT(*) AS n FROM orders GROUP BY state')).map((r) => [r.state, r.n]),
      ),
    saveUser: async (openid, sessionKey, unionid) => {
      await pool.query(
        `INSERT INTO users (openid, session_key, unionid, updated_at) VALUES ($1, $2, $3, $4)
        ON CONFLICT (openid) DO UPDATE SET session_key = $2, unionid = $3, updated_at = $4`,
        [openid, sessionKey, unionid ?? null, Date.now()],
      );
    },
    markShipped: async (no, trackingNo, expressCompany) => {
      await pool.query(
        `INSERT INTO shipping (out_trade_no, tracking_no, express_company, shipped_at) VALUES ($1, $2, $3, $4)
        ON CONFLICT (out_trade_no) DO UPDATE SET tracking_no = $2, express_company = $3, shipped_at = $4`,
        [no, trackingNo, expressCompany, Date.now()],
      );
    },
    /** The settlement of the order paid as `transactionId`: { changed, order } (changed false for a repeat). */
    markSettled: async (transactionId) => {
      const order = await one('SELECT * FROM orders WHERE transaction_id = $1', [transactionId]);
      if (!order) return { changed: false, order };
      const r = await pool.query(
        `INSERT INTO shipping (out_trade_no, settled_at) VALUES ($1, $2)
        ON CONFLICT (out_trade_no) DO UPDATE SET settled_at = $2 WHERE shipping.settled_at IS NULL`,
        [order.out_trade_no, Date.now()],
      );
      return { changed: r.rowCount === 1, order };
    },
    shipping: (no) => one('SELECT * FROM shipping WHERE out_trade_no = $1', [no]),
    createTransfer: async (r) => {
      await pool.query(
        `INSERT INTO transfers (out_bill_no, openid, amount, remark, scene_id, state, created_at, updated_at)
        VALUES ($1, $2, $3, $4, $5, 'CREATED', $6, $6)`,
        [r.out_bill_no, r.openid, r.amount, r.remark, r.scene_id, r.created_at],
      );
    },
    transfer: (no) => one('SELECT * FROM transfers WHERE out_bill_no = $1', [no]),
    /** A bill's state from WeChat's answer or callback: { changed, transfer }; an ended bill does not change. */
    updateTransfer: async (no, { state, transferBillNo, packageInfo, failReason }) => {
      const r = await pool.query(
        `UPDATE transfers SET state = $2, transfer_bill_no = COALESCE($3, transfer_bill_no),
        package_info = COALESCE($4, package_info), fail_reason = $5, updated_at = $6
        WHERE out_bill_no = $1 AND state NOT IN ('SUCCESS', 'FAIL', 'CANCELLED')`,
        [no, state, transferBillNo ?? null, packageInfo ?? null, failReason ?? null, Date.now()],
      );
      return { changed: r.rowCount === 1, transfer: await one('SELECT * FROM transfers WHERE out_bill_no = $1', [no]) };
    },
    paidTransitions: async () =>
      Object.fromEntries(
        (
          await all(`SELECT out_trade_no, COUNT(*) AS n FROM transitions
      WHERE to_state = 'PAID' AND from_state IN ('CREATED', 'PAY_FAILED') GROUP BY out_trade_no`)
        ).map((r) => [r.out_trade_no, r.n]),
      ),
    close: () => pool.end(),
  };
}
