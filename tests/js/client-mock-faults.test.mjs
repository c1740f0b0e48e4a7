// The client (issue 13) against the mock's own fault API (POST /_mock/faults, from the
// mockfaults branch): each fault kind queued for the next call, then the client's call, then
// the mock's record of the truth. Skipped, with the reason, where the mock has no fault API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import wx from '../../pkg/node/index.mjs';
import wx3 from '../../pkg/v3/node/index.mjs';
import { createMock } from '../../pkg/cli/mock/server.mjs';
import { makePki } from './support/tls.mjs';

const KEY = '192006250b4c09247ec02edce69f6a2d';
const MCH = '1900000109';
const APPID = 'wxd930ea5d5a258f4f';
const TIMEOUT_MS = 1500;

let mock;
let url;
let hasFaults = false;
before(async () => {
  mock = createMock({ wx, key: KEY, mchId: MCH, appid: APPID, log: () => {}, refundDelay: -1 });
  url = await mock.listen(0);
  const probe = await fetch(`${url}/_mock/faults`, {
    method: 'POST',
    body: JSON.stringify({ kind: 'drop', count: 1 }),
  });
  hasFaults = probe.status !== 404;
  if (hasFaults) await fetch(`${url}/_mock/faults`, { method: 'DELETE' });
});
after(() => mock.close());

const fault = async (f) => {
  const r = await fetch(`${url}/_mock/faults`, { method: 'POST', body: JSON.stringify(f) });
  assert.equal(r.status, 200, await r.text());
};
const mockOrder = async (no) => (await fetch(`${url}/_mock/orders/${no}`)).json();
const pay = async (no) =>
  assert.equal(
    (await fetch(`${url}/_mock/orders/${no}/pay`, { method: 'POST', body: '{"notify":false}' })).status,
    200,
  );
const skipReason =
  'the mock has no fault API here (POST /_mock/faults answers 404): it comes with the mockfaults branch';

function v2Client(events) {
  const pki = makePki();
  return wx.createClient({
    appid: APPID,
    mchId: MCH,
    key: KEY,
    baseUrl: url,
    cert: pki.clientCert,
    certKey: pki.clientKey,
    timeoutMs: TIMEOUT_MS,
    backoffMs: 5,
    onEvent: (e) => events.push(e),
  });
}
const order = (no) => ({
  body: 'mock faults',
  out_trade_no: no,
  total_fee: 100,
  spbill_create_ip: '127.0.0.1',
  notify_url: 'https://merchant.example/n',
  trade_type: 'JSAPI',
  openid: 'o1',
});

test("v2 through the mock's faults: drop, drop after, system_error, slow", async (t) => {
  if (!hasFaults) return t.skip(skipReason);
  const events = [];
  const c = v2Client(events);
  try {
    // drop before: the order never reached WeChat; the query says so (its ORDERNOTEXIST is an
    // `error` event of orderQuery), and the same body is resent.
    await fault({ kind: 'drop', count: 1 });
    const a = await c.unifiedOrder(order('MF200000001'));
    assert.equal(a.prepay_id, (await mockOrder('MF200000001')).prepay_id);
    assert.deepEqual(
      events.splice(0).map((e) => `${e.api}:${e.outcome}`),
      ['unifiedOrder:unknown', 'orderQuery:error', 'unifiedOrder:absent', 'unifiedOrder:ok'],
    );
    // drop after: the order exists; resolved by the query, one order, the same prepay_id.
    await fault({ kind: 'drop', count: 1, after: true });
    const b = await c.unifiedOrder(order('MF200000002'));
    assert.equal(b.prepay_id, (await mockOrder('MF200000002')).prepay_id);
    assert.ok(events.splice(0).some((e) => e.outcome === 'absent'));
    await pay('MF200000002');
    // system_error on a refund: resent with the same out_refund_no; one refund.
    await fault({ kind: 'system_error', count: 1 });
    const r = await c.refund({
      out_trade_no: 'MF200000002',
      out_refund_no: 'MFR20000002',
      total_fee: 100,
      refund_fee: 60,
    });
    assert.equal(r.out_refund_no, 'MFR20000002');
    assert.deepEqual(
      events.splice(0).map((e) => e.outcome),
      ['retry', 'ok'],
    );
    // slow past the timeout, the refund made first: found by the refund query, not made twice.
    await fault({ kind: 'slow', count: 1, delayMs: TIMEOUT_MS + 1000, after: true });
    const r2 = await c.refund({
      out_trade_no: 'MF200000002',
      out_refund_no: 'MFR20000003',
      total_fee: 100,
      refund_fee: 40,
    });
    assert.equal(r2.out_refund_no, 'MFR20000003');
    assert.deepEqual((await mockOrder('MF200000002')).refunds.sort(), ['MFR20000002', 'MFR20000003']);
    const state = await c.reconcile('MF200000002');
    assert.equal(state.state, (await mockOrder('MF200000002')).trade_state);
    assert.equal(state.refunds.length, 2);
  } finally {
    c.close();
  }
});

test("v3 through the mock's faults: drop after on jsapi, system_error on refund", async (t) => {
  if (!hasFaults) return t.skip(skipReason);
  const k = mock.v3Keys;
  const events = [];
  const c = wx3.createClient({
    appid: k.config.appid,
    mchId: k.config.mchid,
    serialNo: k.config.serialNo,
    privateKey: readFileSync(`${k.dir}/apiclient_key.pem`, 'utf8'),
    apiV3Key: k.config.apiV3Key,
    publicKeys: { [k.config.publicKeyId]: k.wechatPublicPem },
    baseUrl: url,
    timeoutMs: TIMEOUT_MS,
    backoffMs: 5,
    onEvent: (e) => events.push(e),
  });
  await fault({ kind: 'drop', count: 1, after: true });
  const j = await c.jsapi({
    description: 'd',
    out_trade_no: 'MF300000001',
    notify_url: 'https://merchant.example/n3',
    amount: { total: 100 },
    payer: { openid: 'o1' },
  });
  assert.match(j.prepay_id, /^wx/);
  assert.ok(events.splice(0).some((e) => e.outcome === 'absent'));
  await pay('MF300000001');
  await fault({ kind: 'system_error', count: 2 });
  const r = await c.refund({
    out_trade_no: 'MF300000001',
    out_refund_no: 'MFR30000001',
    amount: { refund: 100, total: 100, currency: 'CNY' },
  });
  assert.equal(r.out_refund_no, 'MFR30000001');
  assert.deepEqual(
    events.splice(0).map((e) => e.outcome),
    ['retry', 'retry', 'ok'],
  );
  assert.deepEqual((await mockOrder('MF300000001')).refunds, ['MFR30000001']);
});
