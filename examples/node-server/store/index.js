// The store the app uses: one async API, two back ends. SQLite (one file, one instance) by
// default; PostgreSQL when DATABASE_URL is set, for several instances sharing the orders.
// Both keep the same rule: a transition is one transaction that locks the order, checks
// the state it starts from and writes the new state with its history row, so a duplicate
// or a concurrent notification on another instance finds the order moved and changes
// nothing; a unique index on the paid transition backs that up in the schema itself.

/** Which state each state may move to (README and docs/guide/example-server.md have the table). */
export const TRANSITIONS = {
  CREATED: ['PAID', 'CLOSED', 'PAY_FAILED'],
  PAY_FAILED: ['PAID', 'CLOSED'],
  PAID: ['REFUNDING'],
  REFUNDING: ['REFUNDED', 'PAID'],
  CLOSED: [],
  REFUNDED: [],
};

/** Throws unless `from → to` is in TRANSITIONS: a bug in the caller, never bad input. */
export function checkTransition(from, to) {
  if (!TRANSITIONS[from]?.includes(to)) throw new Error(`illegal transition ${from} → ${to}`);
}

/**
 * { databaseUrl } → PostgreSQL, else { dbFile } → SQLite. Each resolves to the same API:
 * createOrder, setPrepay, order, history, transition, startRefund, finishRefund, refund,
 * setRefundId, refundsOf, staleOrders, staleRefunds, counts, paidTransitions, close; and for the
 * mini-program: saveUser, markShipped, markSettled, shipping; and for transfers (API v3):
 * createTransfer, transfer, updateTransfer.
 */
export async function openStore({ databaseUrl, dbFile }) {
  if (databaseUrl) {
    const { openPostgres } = await import('./postgres.js');
    return openPostgres(databaseUrl);
  }
  const { openSqlite } = await import('./sqlite.js');
  return openSqlite(dbFile);
}
