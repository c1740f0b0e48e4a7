// Runs the block of docs/guide/callbacks.md marked `<!-- tested: callbacks-routes -->`
// against the built package (pkg/v3), with `config`, `db` and `console` handed in, then
// sends its handler one callback of every family, each built and signed with node:crypto
// (never with the package), and checks where each one landed and what WeChat was answered.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { before, test } from 'node:test';
import { PUB_KEY_ID, guideConfig } from './support/guide-config.mjs';
import { signedCallback } from './support/v3-callback.mjs';

const GUIDE = new URL('../../docs/guide/callbacks.md', import.meta.url);
const ENTRY = new URL('../../pkg/v3/node/index.cjs', import.meta.url);

const { platform, config } = guideConfig();

/** A callback as WeChat sends it: the resource sealed with the APIv3 key, the body signed. */
function callback(eventType, resource, { key = config.apiV3Key } = {}) {
  const { body, headers } = signedCallback(eventType, resource, {
    key,
    signer: platform.privateKey,
    serial: PUB_KEY_ID,
  });
  return new Request('https://shop.example.com/wxpay/v3/notify', { method: 'POST', headers, body });
}

const db = {
  orders: new Map([['T1', { total: 100 }]]),
  paid: [],
  markPaid: (...a) => db.paid.push(a),
  refunds: new Map(),
  transfers: new Map(),
  shares: [],
  complaints: [],
  other: [],
};
const warned = [];
let handler;

before(() => {
  const v3 = createRequire(import.meta.url)(ENTRY.pathname);
  const [, code] = readFileSync(GUIDE, 'utf8').match(/<!-- tested: callbacks-routes -->\n```js\n([\s\S]*?)\n```/) ?? [];
  assert.ok(code, 'the tested block is in the guide');
  const body = code.replace(/^import \{([^}]+)\} from 'wxpay-wasm\/v3';$/m, 'const {$1} = v3;');
  assert.ok(!/^import /m.test(body), 'only wxpay-wasm/v3 is imported');
  const quiet = { ...console, warn: (...a) => warned.push(a) };
  handler = new Function('v3', 'config', 'db', 'console', `${body}\nreturn handler;`)(v3, config, db, quiet);
});

const C = config.mchid;
test('callbacks-routes: each family reaches its hook, answered 204', async () => {
  const sends = [
    callback('TRANSACTION.SUCCESS', {
      appid: config.appid,
      mchid: C,
      out_trade_no: 'T1',
      transaction_id: '42',
      trade_state: 'SUCCESS',
      amount: { total: 100 },
    }),
    callback('REFUND.SUCCESS', {
      mchid: C,
      out_trade_no: 'T1',
      out_refund_no: 'R1',
      refund_status: 'SUCCESS',
      amount: { total: 100, refund: 40 },
    }),
    callback('MCHTRANSFER.BILL.FINISHED', {
      mchid: C,
      out_bill_no: 'B1',
      transfer_bill_no: '1330',
      state: 'SUCCESS',
      transfer_amount: 5,
    }),
    callback('PROFITSHARING.SUCCESS', {
      sp_mchid: C,
      sub_mchid: '1900000109',
      transaction_id: '42',
      order_id: 'O',
      out_order_no: 'P1',
      receiver: { type: 'MERCHANT_ID', account: C, amount: 7, description: 'd' },
      success_time: 't',
    }),
    callback('COMPLAINT.CREATE', { complaint_id: 'K1', action_type: 'CREATE_COMPLAINT', out_trade_no: 'T1' }),
    callback('TRANSACTION.SUCCESS', {
      combine_appid: config.appid,
      combine_mchid: C,
      combine_out_trade_no: 'CB1',
      sub_orders: [],
    }),
  ];
  for (const r of sends) assert.equal((await handler(r)).status, 204);
  assert.deepEqual(db.paid, [['T1', '42']]);
  assert.deepEqual([...db.refunds], [['R1', 'SUCCESS']]);
  assert.deepEqual([...db.transfers], [['B1', 'SUCCESS']]);
  assert.deepEqual(db.shares, [['P1', 7]]);
  assert.deepEqual(db.complaints, [['K1', 'CREATE_COMPLAINT']]);
  assert.deepEqual(db.other, ['TRANSACTION.SUCCESS']);
  assert.deepEqual(warned, []);
});

test('callbacks-routes: the table of refusals (status and onRefused code), then a good call', async () => {
  const cases = [
    [
      callback('MCHTRANSFER.BILL.FINISHED', { mchid: '1900000999', out_bill_no: 'B2', state: 'SUCCESS' }),
      401,
      'MCH_ID_MISMATCH',
    ],
    [callback('COMPLAINT.CREATE', { complaint_id: 'K2' }, { key: 'x'.repeat(32) }), 401, 'DECRYPT_FAILED'],
    [
      callback('REFUND.SUCCESS', { mchid: C, out_trade_no: 'T9', amount: { total: 1, refund: 1 } }),
      500,
      'OUT_TRADE_NO_MISMATCH',
    ],
    [
      callback('TRANSACTION.SUCCESS', {
        appid: config.appid,
        mchid: C,
        out_trade_no: 'T1',
        trade_state: 'SUCCESS',
        amount: { total: 1 },
      }),
      401,
      'AMOUNT_MISMATCH',
    ],
  ];
  for (const [req, status, code] of cases) {
    warned.length = 0;
    assert.equal((await handler(req)).status, status, code);
    assert.equal(warned[0]?.[1], code);
    const good = callback('COMPLAINT.CREATE', { complaint_id: 'K3', action_type: 'CREATE_COMPLAINT' });
    assert.equal((await handler(good)).status, 204);
  }
});
