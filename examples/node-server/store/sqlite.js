// The SQLite store (better-sqlite3, one file, one instance). Each transition is one
// IMMEDIATE transaction — the write lock taken before the state is read — so two
// connections to the same file cannot both read CREATED and both write PAID.
import Database from 'better-sqlite3';
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
  created_at     INTEGER NOT NULL,
  expires_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS orders_state ON orders (state, created_at);
CREATE TABLE IF NOT EXISTS refunds (
  out_refund_no TEXT PRIMARY KEY,
  out_trade_no  TEXT NOT NULL REFERENCES orders (out_trade_no),
  refund_fee    INTEGER NOT NULL,
  state         TEXT NOT NULL,           -- PROCESSING, SUCCESS, FAILED
  refund_id     TEXT,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS transitions (
  id           INTEGER PRIMARY KEY,
  out_trade_no TEXT NOT NULL,
  from_state   TEXT NOT NULL,
  to_state     TEXT NOT NULL,
  source       TEXT NOT NULL,            -- notify, reconcile, refund, refund-notify
  at           INTEGER NOT NULL
);
-- An order is paid once: a second CREATED/PAY_FAILED → PAID row cannot exist.
CREATE UNIQUE INDEX IF NOT EXISTS transitions_paid_once ON transitions (out_trade_no)
  WHERE to_state = 'PAID' AND from_state IN ('CREATED', 'PAY_FAILED');
-- Mini-program: the shipping uploaded to WeChat and the settlement it pushed (beside the payment state).
CREATE TABLE IF NOT EXISTS shipping (
  out_trade_no    TEXT PRIMARY KEY REFERENCES orders (out_trade_no),
  tracking_no     TEXT,
  express_company TEXT,
  shipped_at      INTEGER,
  settled_at      INTEGER               -- trade_manage_order_settlement received
);
-- Mini-program users: code2Session's session_key, kept on the server only.
CREATE TABLE IF NOT EXISTS users (
  openid      TEXT PRIMARY KEY,
  session_key TEXT NOT NULL,
  unionid     TEXT,
  updated_at  INTEGER NOT NULL
);
-- Transfers to users (商家转账, API v3): one bill per transfer, its state WeChat's (CREATED until it answers).
CREATE TABLE IF NOT EXISTS transfers (
  out_bill_no      TEXT PRIMARY KEY,
  openid           TEXT NOT NULL,
  amount           INTEGER NOT NULL CHECK (amount > 0),
  remark           TEXT NOT NULL,
  scene_id         TEXT NOT NULL,
  state            TEXT NOT NULL,        -- CREATED, WAIT_USER_CONFIRM, …, SUCCESS, FAIL, CANCELLED
  transfer_bill_no TEXT,
  package_info     TEXT,
  fail_reason      TEXT,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
);
`;

export function openSqlite(file) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  const q = {
    insertOrder:
      db.prepare(`INSERT INTO orders (out_trade_no, openid, body, total_fee, state, created_at, expires_at, updated_at)
      VALUES (@out_trade_no, @openid, @body, @total_fee, 'CREATED', @created_at, @expires_at, @created_at)`),
    setPrepay: db.prepare('UPDATE orders SET prepay_id = ?, updated_at = ? WHERE out_trade_no = ?'),
    order: db.prepare('SELECT * FROM orders WHERE out_trade_no = ?'),
    setState: db.prepare(
      'UPDATE orders SET state = ?, transaction_id = COALESCE(?, transaction_id), updated_at = ? WHERE out_trade_no = ?',
    ),
    log: db.prepare('INSERT INTO transitions (out_trade_no, from_state, to_state, source, at) VALUES (?, ?, ?, ?, ?)'),
    history: db.prepare('SELECT from_state, to_state, source, at FROM transitions WHERE out_trade_no = ? ORDER BY id'),
    stale: db.prepare("SELECT * FROM orders WHERE state = 'CREATED' AND created_at <= ? ORDER BY created_at"),
    insertRefund:
      db.prepare(`INSERT INTO refunds (out_refund_no, out_trade_no, refund_fee, state, created_at, updated_at)
      VALUES (?, ?, ?, 'PROCESSING', ?, ?)`),
    refund: db.prepare('SELECT * FROM refunds WHERE out_refund_no = ?'),
    refundsOf: db.prepare('SELECT * FROM refunds WHERE out_trade_no = ? ORDER BY created_at'),
    setRefund: db.prepare(
      'UPDATE refunds SET state = ?, refund_id = COALESCE(?, refund_id), updated_at = ? WHERE out_refund_no = ?',
    ),
    setRefundId: db.prepare('UPDATE refunds SET refund_id = ? WHERE out_refund_no = ? AND refund_id IS NULL'),
    staleRefunds: db.prepare(
      "SELECT * FROM refunds WHERE state = 'PROCESSING' AND created_at <= ? ORDER BY created_at",
    ),
    counts: db.prepare('SELECT state, COUNT(*) AS n FROM orders GROUP BY state'),
    saveUser: db.prepare(`INSERT INTO users (openid, session_key, unionid, updated_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (openid) DO UPDATE SET session_key = excluded.session_key, unionid = excluded.unionid,
      updated_at = excluded.updated_at`),
    shipped:
      db.prepare(`INSERT INTO shipping (out_trade_no, tracking_no, express_company, shipped_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (out_trade_no) DO UPDATE SET tracking_no = excluded.tracking_no,
      express_company = excluded.express_company, shipped_at = excluded.shipped_at`),
    settled: db.prepare(`INSERT INTO shipping (out_trade_no, settled_at) VALUES (?, ?)
      ON CONFLICT (out_trade_no) DO UPDATE SET settled_at = excluded.settled_at WHERE shipping.settled_at IS NULL`),
    shipping: db.prepare('SELECT * FROM shipping WHERE out_trade_no = ?'),
    byTransaction: db.prepare('SELECT * FROM orders WHERE transaction_id = ?'),
    insertTransfer:
      db.prepare(`INSERT INTO transfers (out_bill_no, openid, amount, remark, scene_id, state, created_at, updated_at)
      VALUES (@out_bill_no, @openid, @amount, @remark, @scene_id, 'CREATED', @created_at, @created_at)`),
    transfer: db.prepare('SELECT * FROM transfers WHERE out_bill_no = ?'),
    // WeChat's state, unless the bill has ended already (a late answer or a repeated callback changes nothing).
    setTransfer: db.prepare(`UPDATE transfers SET state = @state, transfer_bill_no = COALESCE(@transfer_bill_no,
      transfer_bill_no), package_info = COALESCE(@package_info, package_info), fail_reason = @fail_reason,
      updated_at = @now WHERE out_bill_no = @out_bill_no AND state NOT IN ('SUCCESS', 'FAIL', 'CANCELLED')`),
    paidTransitions: db.prepare(`SELECT out_trade_no, COUNT(*) AS n FROM transitions
      WHERE to_state = 'PAID' AND from_state IN ('CREATED', 'PAY_FAILED') GROUP BY out_trade_no`),
  };

  /** The body of every transition; callers run it inside a transaction. */
  const move = (no, from, to, source, { transactionId, also } = {}) => {
    const order = q.order.get(no);
    if (!order) return { changed: false, order: undefined };
    if (!from.includes(order.state)) return { changed: false, order };
    checkTransition(order.state, to);
    const now = Date.now();
    q.setState.run(to, transactionId ?? null, now, no);
    q.log.run(no, order.state, to, source, now);
    also?.(now);
    return { changed: true, order: q.order.get(no) };
  };
  const transition = db.transaction(move);

  /** PAID → REFUNDING together with the refund row, so neither exists without the other. */
  const startRefund = db.transaction((no, outRefundNo, refundFee) =>
    move(no, ['PAID'], 'REFUNDING', 'refund', {
      also: (now) => q.insertRefund.run(outRefundNo, no, refundFee, now, now),
    }),
  );

  /** A refund's outcome and the order's state in one step; a second delivery finds the refund settled. */
  const finishRefund = db.transaction((outRefundNo, ok, refundId, source) => {
    const refund = q.refund.get(outRefundNo);
    if (refund?.state !== 'PROCESSING') return { changed: false, refund };
    q.setRefund.run(ok ? 'SUCCESS' : 'FAILED', refundId ?? null, Date.now(), outRefundNo);
    const t = move(refund.out_trade_no, ['REFUNDING'], ok ? 'REFUNDED' : 'PAID', source);
    return { changed: true, refund: q.refund.get(outRefundNo), order: t.order };
  });

  return {
    kind: 'sqlite',
    transition: async (...a) => transition.immediate(...a),
    startRefund: async (...a) => startRefund.immediate(...a),
    finishRefund: async (...a) => finishRefund.immediate(...a),
    createOrder: async (row) => {
      q.insertOrder.run(row);
    },
    setPrepay: async (no, prepayId) => {
      q.setPrepay.run(prepayId, Date.now(), no);
    },
    order: async (no) => q.order.get(no),
    history: async (no) => q.history.all(no),
    refund: async (no) => q.refund.get(no),
    setRefundId: async (no, refundId) => {
      q.setRefundId.run(refundId, no);
    },
    refundsOf: async (no) => q.refundsOf.all(no),
    staleOrders: async (before) => q.stale.all(before),
    staleRefunds: async (before) => q.staleRefunds.all(before),
    counts: async () => Object.fromEntries(q.counts.all().map((r) => [r.state, r.n])),
    saveUser: async (openid, sessionKey, unionid) => {
      q.saveUser.run(openid, sessionKey, unionid ?? null, Date.now());
    },
    markShipped: async (no, trackingNo, expressCompany) => {
      q.shipped.run(no, trackingNo, expressCompany, Date.now());
    },
    /** The settlement of the order paid as `transactionId`: { changed, order } (changed false for a repeat). */
    markSettled: async (transactionId) => {
      const order = q.byTransaction.get(transactionId);
      if (!order) return { changed: false, order };
      return { changed: q.settled.run(order.out_trade_no, Date.now()).changes === 1, order };
    },
    shipping: async (no) => q.shipping.get(no),
    createTransfer: async (row) => {
      q.insertTransfer.run(row);
    },
    transfer: async (no) => q.transfer.get(no),
    /** A bill's state from WeChat's answer or callback: { changed, transfer }; an ended bill does not change. */
    updateTransfer: async (no, { state, transferBillNo, packageInfo, failReason }) => {
      const r = q.setTransfer.run({
        out_bill_no: no,
        state,
        now: Date.now(),
        fail_reason: failReason ?? null,
        transfer_bill_no: transferBillNo ?? null,
        package_info: packageInfo ?? null,
      });
      return { changed: r.changes === 1, transfer: q.transfer.get(no) };
    },
    /** { out_trade_no: how many times it became PAID by a payment } — for tests and audits. */
    paidTransitions: async () => Object.fromEntries(q.paidTransitions.all().map((r) => [r.out_trade_no, r.n])),
    close: async () => db.close(),
  };
}
