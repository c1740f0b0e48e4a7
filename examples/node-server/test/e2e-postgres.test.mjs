// The whole v2 end-to-end suite again with the orders in PostgreSQL (one server for this
// process, a new database per merchant server): the same behaviour from both stores.
import { after } from 'node:test';
import { stopSharedPostgres } from './helpers.mjs';

process.env.E2E_STORE = 'postgres';
await import('./e2e.test.mjs');
after(stopSharedPostgres); // registered after the suite's own, so it runs once the shops are closed
