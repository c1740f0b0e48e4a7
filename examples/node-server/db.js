// Orders, refunds and every state change, in SQLite. Each transition is one transaction
// that re-reads the state it starts from, so a duplicate or concurrent notification finds
// the order already moved and changes nothing.
import Database from 'better-sqlite3';

/** Which state each state may move to (README has the table). */
export const TRANSITIONS = {
  CREATED: ['PAID', 'CLOSED', 'PAY_FAILED'],
  PAY_FAILED: ['PAID', 'CLOSED'],
  PAID: ['REFUNDING'],
  REFUNDING: ['REFUNDED', 'PAID'],
  CLOSED: [],
  REFUNDED: [],
};

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
`;

export function openDb(file) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  const q = {
    insertOrder: db.prepare(`INSERT INTO orders (out_trade_no, openid, body, total_fee, state, created_at, expires_at, updated_at)
      VALUES (@out_trade_no, @openid, @body, @total_fee, 'CREATED', @created_at, @expires_at, @created_at)`),
    setPrepay: db.prepare('UPDATE orders SET prepay_id = ?, updated_at = ? WHERE out_trade_no = ?'),
    order: db.prepare('SELECT * FROM orders WHERE out_trade_no = ?'),
    setState: db.prepare('UPDATE orders SET state = ?, transaction_id = COALESCE(?, transaction_id), updated_at = ? WHERE out_trade_no = ?'),
    log: db.prepare('INSERT INTO transitions (out_trade_no, from_state, to_state, source, at) VALUES (?, ?, ?, ?, ?)'),
    history: db.prepare('SELECT from_state, to_state, source, at FROM transitions WHERE out_trade_no = ? ORDER BY id'),
    stale: db.prepare("SELECT * FROM orders WHERE state = 'CREATED' AND created_at <= ? ORDER BY created_at"),
    insertRefund: db.prepare(`INSERT INTO refunds (out_refund_no, out_trade_no, refund_fee, state, created_at, updated_at)
      VALUES (?, ?, ?, 'PROCESSING', ?, ?)`),
    refund: db.prepare('SELECT * FROM refunds WHERE out_refund_no = ?'),
    refundsOf: db.prepare('SELECT * FROM refunds WHERE out_trade_no = ? ORDER BY created_at'),
    setRefund: db.prepare('UPDATE refunds SET state = ?, refund_id = COALESCE(?, refund_id), updated_at = ? WHERE out_refund_no = ?'),
    setRefundId: db.prepare('UPDATE refunds SET refund_id = ? WHERE out_refund_no = ? AND refund_id IS NULL'),
    staleRefunds: db.prepare("SELECT * FROM refunds WHERE state = 'PROCESSING' AND created_at <= ? ORDER BY created_at"),
    counts: db.prepare('SELECT state, COUNT(*) AS n FROM orders GROUP BY state'),
  };

  /**
   * Moves an order from one of `from` to `to`. Returns { changed, order } — `changed` false
   * when the order was not in `from` (already moved: a duplicate, or a race lost).
   */
  const transition = db.transaction((no, from, to, source, { transactionId, also } = {}) => {
    const order = q.order.get(no);
    if (!order) return { changed: false, order: undefined };
    if (!from.includes(order.state)) return { changed: false, order };
    if (!TRANSITIONS[order.state].includes(to)) throw new Error(`illegal transition ${order.state} → ${to}`);
    const now = Date.now();
    q.setState.run(to, transactionId ?? null, now, no);
    q.log.run(no, order.state, to, source, now);
    also?.(now);
    return { changed: true, order: q.order.get(no) };
  });

  /** PAID → REFUNDING together with the refund row, so neither exists without the other. */
  const startRefund = db.transaction((no, outRefundNo, refundFee) => {
    const r = transition(no, ['PAID'], 'REFUNDING', 'refund', {
      also: (now) => q.insertRefund.run(outRefundNo, no, refundFee, now, now),
    });
    return r;
  });

  /** A refund's outcome and the order's state in one step; a second delivery finds the refund settled. */
  const finishRefund = db.transaction((outRefundNo, ok, refundId, source) => {
    const refund = q.refund.get(outRefundNo);
    if (!refund || refund.state !== 'PROCESSING') return { changed: false, refund };
    q.setRefund.run(ok ? 'SUCCESS' : 'FAILED', refundId ?? null, Date.now(), outRefundNo);
    const t = transition(refund.out_trade_no, ['REFUNDING'], ok ? 'REFUNDED' : 'PAID', source);
    return { changed: true, refund: q.refund.get(outRefundNo), order: t.order };
  });

  return {
    db,
    q,
    transition,
    startRefund,
    finishRefund,
    createOrder: (row) => q.insertOrder.run(row),
    setPrepay: (no, prepayId) => q.setPrepay.run(prepayId, Date.now(), no),
    order: (no) => q.order.get(no),
    history: (no) => q.history.all(no),
    refund: (no) => q.refund.get(no),
    setRefundId: (no, refundId) => q.setRefundId.run(refundId, no),
    refundsOf: (no) => q.refundsOf.all(no),
    staleOrders: (before) => q.stale.all(before),
    staleRefunds: (before) => q.staleRefunds.all(before),
    counts: () => Object.fromEntries(q.counts.all().map((r) => [r.state, r.n])),
    close: () => db.close(),
  };
}
