// The mock's v3 products (issue 28) driven by an independent Python client (v3_products.py: the
// standard library and `cryptography`, none of our code): Native, H5, App, partner, combine,
// abnormal refunds, profit sharing, transfers, bills, media upload and complaints. It signs with
// the merchant key, verifies every answer and callback with the WeChat Pay public key, decrypts
// the callbacks; here we assert what it saw.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pythonCryptographySkip, startMock } from './helpers.mjs';

const dir = mkdtempSync(join(tmpdir(), 'wxpay-products-'));
const keysDir = join(dir, 'keys');
const script = fileURLToPath(new URL('./v3_products.py', import.meta.url));
const skip = pythonCryptographySkip();
let mock;
before(async () => {
  if (!skip) mock = await startMock(['--quiet', '--keys-dir', keysDir, '--refund-delay', '0.5']);
});
after(async () => {
  await mock?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the Python client (asynchronously: the mock and its callbacks keep running). */
function python(...args) {
  return new Promise((resolve) => {
    const p = spawn('python3', [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => p.kill(), 120000);
    p.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

test('a Python cryptography client drives every modelled product and verifies every answer and callback', {
  skip,
}, async () => {
  const r = await python(mock.url, keysDir, `py${Date.now() % 1e6}`);
  assert.equal(r.code, 0, `${r.out}\n${r.err}\n${mock.lines.slice(-30).join('\n')}`);
  const o = JSON.parse(r.out.trim().split('\n').at(-1));
  assert.deepEqual(o.native, {
    code_url: 'weixin://wxpay/bizpayurl?pr=',
    callback: 'TRANSACTION.SUCCESS',
    trade_state: 'SUCCESS',
  });
  assert.equal(o.h5_url, true);
  assert.equal(o.app_prepay, true);
  assert.deepEqual(o.h5_without_scene.slice(0, 2), [400, 'PARAM_ERROR']);
  assert.equal(o.partner_ambiguous, 409, 'two sub-merchants with one out_trade_no: the control call asks which');
  assert.deepEqual(o.partner, {
    callback_sub_mchid: '1900000201',
    callback_sp_mchid: o.partner.callback_sp_mchid,
    states: ['SUCCESS', 'NOTPAY'],
    amounts: [201, 202],
    close: 204,
    closed: 'CLOSED',
  });
  assert.deepEqual(
    o.partner_refund,
    [200, 'PROCESSING', 400, 'ORDER_CLOSED'],
    "a sub-merchant's paid order refunds, the other's closed one not",
  );
  assert.deepEqual(o.combine, {
    callbacks: 1,
    event_type: 'TRANSACTION.SUCCESS',
    sub_states: ['SUCCESS', 'SUCCESS'],
    query_states: ['SUCCESS', 'SUCCESS'],
    transaction_ids: 2,
  });
  assert.deepEqual(o.abnormal_refund, {
    abnormal_callback: 'ABNORMAL',
    unknown_serial: [400, 'PARAM_ERROR', 'Wechatpay-Serial'],
    apply: [200, 'PROCESSING'],
    after: 'SUCCESS',
  });
  assert.deepEqual(o.profitsharing, {
    state: 'FINISHED',
    results: ['SUCCESS', 'CLOSED'],
    fail_reason: 'NO_RELATION',
    callback_amount: 200,
    unsplit: 800,
    return: ['PROCESSING', 'SUCCESS', 80],
    unfreeze: ['PROCESSING', 800],
    after_unfreeze: 0,
  });
  assert.deepEqual(o.transfers, {
    create: [200, 'WAIT_USER_CONFIRM', true],
    confirm: [200, 'MCHTRANSFER.BILL.FINISHED', 'mch_payment', 'SUCCESS'],
    by_id: 'SUCCESS',
    reject: 'FAIL',
    cancel: ['CANCELING', 'CANCELLED', 'CANCELLED'],
    one_report_info: [400, 'PARAM_ERROR'],
    bad_perception: [400, 'INVALID_REQUEST'],
    name_unknown_serial: [400, 'PARAM_ERROR', 'Wechatpay-Serial'],
  });
  for (const kind of ['tradebill', 'fundflowbill', 'gzip']) assert.equal(o.bills[kind].backquoted, true, kind);
  assert.equal(o.bills.tradebill.head, '交易时间');
  assert.equal(o.bills.fundflowbill.head, '记账时间');
  assert.equal(o.bills.tampered_refused, true, 'a tamper-bill fault: the SHA1 no longer matches');
  assert.equal(o.bills.unsigned_download_refused, 401);
  assert.deepEqual(o.media, { status: 200, media_id: true, wrong_sha: [400, 'PARAM_ERROR'] });
  assert.deepEqual(o.complaints, {
    create_callback: 'CREATE_COMPLAINT',
    listed: true,
    order: true,
    complete_before_response: 400,
    response: 204,
    complete: 204,
    done_callback: 'MERCHANT_CONFIRM_COMPLETE',
    state: 'PROCESSED',
    history: ['USER_CREATE_COMPLAINT', 'MERCHANT_RESPONSE', 'MERCHANT_CONFIRM_COMPLETE'],
    image: true,
  });
  assert.ok(o.verified >= 60, `answers and callbacks verified by the Python client: ${o.verified}`);
  assert.equal(o.callbacks, 14);
});
