// The whole v2 end-to-end suite (and the mini-program one) again with the orders in PostgreSQL (one server for this
// process, a new database per merchant server): the same behaviour from both stores.
import { after } from 'node:test';
import { stopSharedPostgres } from './helpers.mjs';

process.env.E2E_STORE = 'postgres';
await import('./e2e.test.mjs');
// The mini-program flow too: its users and shipping tables (store/postgres.js) in PostgreSQL.
await import('./e2e-miniprogram.test.mjs');
// The v3 Native and transfer flows (flows.js): the transfers table in PostgreSQL.
await import('./e2e-products.test.mjs');
after(stopSharedPostgres); // registered after the suite's own, so it runs once the shops are closed
