// The mock's orders and refunds. In memory; with a file, every change is written through
// (temp file + rename, so a crash never leaves half a file) and read back on start.
// Pending notification retries are timers, not state: after a restart, send them again
// through the control interface.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

const FORMAT = 'wxpay-wasm-mock-state/1';

export class Store {
  constructor(file) {
    this.file = file || null;
    this.orders = new Map();
    this.refunds = new Map();
    /** The v3 products' records (combine orders, transfers, profit sharing, complaints, …), each a Map by its own key. */
    this.collections = {};
    if (this.file && existsSync(this.file)) this.load();
  }

  load() {
    const data = JSON.parse(readFileSync(this.file, 'utf8'));
    if (data.format !== FORMAT)
      throw new Error(`${this.file} is not a mock state file (format ${JSON.stringify(data.format)})`);
    for (const o of data.orders) this.orders.set(o.key ?? o.out_trade_no, o);
    for (const r of data.refunds) this.refunds.set(r.out_refund_no, r);
    for (const [name, entries] of Object.entries(data.collections ?? {})) this.collections[name] = new Map(entries);
  }

  /** The collection `name` (a Map), made empty on first use. */
  collection(name) {
    this.collections[name] ??= new Map();
    return this.collections[name];
  }

  save() {
    if (!this.file) return;
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(
      tmp,
      JSON.stringify({
        format: FORMAT,
        orders: [...this.orders.values()],
        refunds: [...this.refunds.values()],
        collections: Object.fromEntries(Object.entries(this.collections).map(([k, m]) => [k, [...m.entries()]])),
      }),
    );
    renameSync(tmp, this.file);
  }

  order(outTradeNo) {
    return this.orders.get(outTradeNo);
  }

  orderByTransaction(transactionId) {
    for (const o of this.orders.values()) if (o.transaction_id === transactionId) return o;
    return undefined;
  }

  /** An order by either identifier; transaction_id first, as WeChat prefers it. */
  findOrder(fields) {
    if (fields.transaction_id) return this.orderByTransaction(fields.transaction_id);
    return this.order(fields.out_trade_no);
  }

  refundsOf(outTradeNo) {
    return [...this.refunds.values()].filter((r) => r.out_trade_no === outTradeNo);
  }

  refundById(refundId) {
    for (const r of this.refunds.values()) if (r.refund_id === refundId) return r;
    return undefined;
  }

  reset() {
    this.orders.clear();
    this.refunds.clear();
    this.collections = {};
    this.save();
  }
}
