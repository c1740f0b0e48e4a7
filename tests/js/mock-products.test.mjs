// The control calls of the mock's v3 products (js/mock/control/products.mjs and the pay call for
// every order kind), against the packaged mock over HTTP. Requests are signed here with
// node:crypto and the merchant key of the mock's keys folder; callbacks are received here,
// their signature checked with node:crypto against pub_key.pem and their resource decrypted
// with AES-256-GCM and the APIv3 key — none of the package's code judges the mock.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createDecipheriv, createSign, createVerify, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { join } from 'node:path';

import wx from '../../pkg/node/index.mjs';
import { createMock } from '../../pkg/cli/mock/server.mjs';

let mock, base, cfg, merchantKey, wechatKey, hook, hookUrl;
const received = [];
/** The Wechatpay-Serial requests name (the mode's key: the public key's id unless a test says otherwise). */
let requestSerial;

before(async () => {
  mock = createMock({ wx, key: '192006250b4c09247ec02edce69f6a2d', log: () => {}, refundDelay: -1 });
  base = await mock.listen(0);
  cfg = mock.v3Keys.config;
  merchantKey = readFileSync(join(mock.v3Keys.dir, 'apiclient_key.pem'), 'utf8');
  wechatKey = readFileSync(join(mock.v3Keys.dir, 'pub_key.pem'), 'utf8');
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      received.push({ path: req.url, ...open(req.headers, body) });
      res.writeHead(204).end();
    });
  });
  await new Promise((r) => hook.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${hook.address().port}`;
});
after(async () => {
  await mock.close();
  hook.closeAllConnections();
  await new Promise((r) => hook.close(r));
});

/** A callback verified (node:crypto, pub_key.pem) and decrypted (AES-256-GCM, the APIv3 key). */
function open(h, body) {
  const ok = createVerify('RSA-SHA256')
    .update(`${h['wechatpay-timestamp']}\n${h['wechatpay-nonce']}\n${body}\n`)
    .verify(wechatKey, h['wechatpay-signature'], 'base64');
  const env = JSON.parse(body);
  const { nonce, associated_data: ad, ciphertext } = env.resource;
  const ct = Buffer.from(ciphertext, 'base64');
  const d = createDecipheriv('aes-256-gcm', Buffer.from(cfg.apiV3Key), Buffer.from(nonce));
  d.setAAD(Buffer.from(ad));
  d.setAuthTag(ct.subarray(-16));
  const resource = JSON.parse(Buffer.concat([d.update(ct.subarray(0, -16)), d.final()]).toString());
  return { ok, event_type: env.event_type, resource };
}

/** A signed v3 call (node:crypto); the answer's JSON. */
async function v3(method, url, body) {
  const text = body === undefined ? '' : JSON.stringify(body);
  const ts = Math.floor(Date.now() / 1000);
  const nonce = randomBytes(16).toString('hex');
  const sig = createSign('RSA-SHA256')
    .update(`${method}\n${url}\n${ts}\n${nonce}\n${text}\n`)
    .sign(merchantKey, 'base64');
  const res = await fetch(base + url, {
    method,
    body: text || undefined,
    headers: {
      'content-type': 'application/json',
      'wechatpay-serial': requestSerial ?? cfg.publicKeyId,
      authorization: `WECHATPAY2-SHA256-RSA2048 mchid="${cfg.mchid}",nonce_str="${nonce}",signature="${sig}",timestamp="${ts}",serial_no="${cfg.serialNo}"`,
    },
  });
  const t = await res.text();
  return { status: res.status, json: t ? JSON.parse(t) : null };
}

const control = async (method, path, body) => {
  const res = await fetch(base + path, { method, body: body && JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
};
const waitFor = async (pred, what) => {
  for (let i = 0; i < 100; i++) {
    const hit = received.find(pred);
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 30));
  }
  throw new Error(`no callback: ${what}`);
};
const order = (no, over = {}) => ({
  appid: cfg.appid,
  mchid: cfg.mchid,
  description: 'control test',
  out_trade_no: no,
  notify_url: `${hookUrl}/pay`,
  amount: { total: 100, currency: 'CNY' },
  ...over,
});

test('POST /_mock/orders/{no}/pay pays Native, H5 and App orders as a JSAPI one: TRANSACTION.SUCCESS, then 409', async () => {
  const h5 = { scene_info: { payer_client_ip: '127.0.0.1', h5_info: { type: 'Wap' } } };
  for (const [kind, extra, type] of [
    ['native', {}, 'NATIVE'],
    ['h5', h5, 'MWEB'],
    ['app', {}, 'APP'],
  ]) {
    const no = `CTL${kind.toUpperCase()}${Date.now()}`;
    assert.equal((await v3('POST', `/v3/pay/transactions/${kind}`, order(no, extra))).status, 200);
    const paid = await control('POST', `/_mock/orders/${no}/pay`);
    assert.equal(paid.status, 200);
    assert.equal(paid.json.query.trade_type, type);
    const cb = await waitFor((c) => c.resource.out_trade_no === no, `${kind} callback`);
    assert.equal(cb.ok, true);
    assert.equal(cb.event_type, 'TRANSACTION.SUCCESS');
    assert.match(cb.resource.payer.openid, /^oMockPayer/, 'the payer is known once paid');
    assert.equal((await control('POST', `/_mock/orders/${no}/pay`)).status, 409);
  }
  assert.equal((await control('POST', '/_mock/orders/NO_SUCH_ORDER/pay')).status, 404);
});

test('a partner order is paid by out_trade_no, or as SUB_MCHID:NO when two sub-merchants share it', async () => {
  const no = `CTLP${Date.now()}`;
  for (const sub of ['1900000401', '1900000402']) {
    const b = {
      sp_appid: cfg.appid,
      sp_mchid: cfg.mchid,
      sub_mchid: sub,
      description: 'p',
      out_trade_no: no,
      notify_url: `${hookUrl}/p`,
      amount: { total: 5 },
    };
    assert.equal((await v3('POST', '/v3/pay/partner/transactions/native', b)).status, 200);
  }
  assert.equal((await control('POST', `/_mock/orders/${no}/pay`)).status, 409);
  const r = await control('POST', `/_mock/orders/1900000402:${no}/pay`);
  assert.equal(r.status, 200);
  assert.equal(r.json.query.sub_mchid, '1900000402');
  assert.equal((await waitFor((c) => c.resource.out_trade_no === no, 'partner')).resource.sub_mchid, '1900000402');
});

test('a combine order is paid by combine_out_trade_no: every sub-order, one callback; again 409', async () => {
  const no = `CTLC${Date.now()}`;
  const sub = (i) => ({
    mchid: cfg.mchid,
    sub_mchid: '1900000401',
    attach: 'a',
    amount: { total_amount: 3, currency: 'CNY' },
    out_trade_no: `${no}S${i}`,
    description: 's',
  });
  const body = {
    combine_appid: cfg.appid,
    combine_mchid: cfg.mchid,
    combine_out_trade_no: no,
    notify_url: `${hookUrl}/c`,
    combine_payer_info: { openid: 'o1' },
    sub_orders: [sub(1), sub(2), sub(3)],
  };
  const made = await v3('POST', '/v3/combine-transactions/native', body);
  assert.match(made.json.code_url ?? JSON.stringify(made.json), /^weixin:\/\/wxpay\/bizpayurl\?pr=/);
  assert.equal((await control('POST', `/_mock/orders/${no}/pay`)).status, 200);
  const cb = await waitFor((c) => c.resource.combine_out_trade_no === no, 'combine');
  assert.deepEqual(
    cb.resource.sub_orders.map((s) => s.trade_state),
    ['SUCCESS', 'SUCCESS', 'SUCCESS'],
  );
  assert.equal((await control('POST', `/_mock/orders/${no}/pay`)).status, 409);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(received.filter((c) => c.resource.combine_out_trade_no === no).length, 1);
});

test('transfers: confirm → SUCCESS, reject → FAIL, each with MCHTRANSFER.BILL.FINISHED; a second answer 409; unknown 404', async () => {
  const bill = (no) => ({
    appid: cfg.appid,
    out_bill_no: no,
    transfer_scene_id: '1005',
    openid: 'o-t',
    transfer_amount: 100,
    transfer_remark: '佣金',
    notify_url: `${hookUrl}/t`,
    transfer_scene_report_infos: [
      { info_type: '岗位类型', info_content: '销售员' },
      { info_type: '报酬说明', info_content: '12月佣金' },
    ],
  });
  const t = `CTLT${Date.now()}`;
  for (const [no, action, state] of [
    [`${t}A`, 'confirm', 'SUCCESS'],
    [`${t}B`, 'reject', 'FAIL'],
  ]) {
    const made = await v3('POST', '/v3/fund-app/mch-transfer/transfer-bills', bill(no));
    assert.equal(made.json.state, 'WAIT_USER_CONFIRM');
    const r = await control('POST', `/_mock/transfers/${no}/${action}`);
    assert.equal(r.status, 200);
    assert.equal(r.json.state, state);
    const cb = await waitFor((c) => c.resource.out_bill_no === no, action);
    assert.equal(cb.ok, true);
    assert.equal(cb.event_type, 'MCHTRANSFER.BILL.FINISHED');
    assert.equal(cb.resource.state, state);
    assert.equal((await control('POST', `/_mock/transfers/${no}/confirm`)).status, 409);
    assert.equal((await control('GET', `/_mock/transfers/${no}`)).json.query.state, state);
  }
  assert.equal((await control('POST', '/_mock/transfers/NOPE/confirm')).status, 404);
  const wrongTypes = {
    ...bill(`${t}C`),
    transfer_scene_report_infos: [
      { info_type: '活动名称', info_content: 'x' },
      { info_type: '奖励说明', info_content: 'y' },
    ],
  };
  assert.equal(
    (await v3('POST', '/v3/fund-app/mch-transfer/transfer-bills', wrongTypes)).json.code,
    'PARAM_ERROR',
    '1005 asks 岗位类型 + 报酬说明',
  );
});

test('complaints: opened only on a paid order (409 / 404 / 400), COMPLAINT.CREATE to the registered URL', async () => {
  const no = `CTLQ${Date.now()}`;
  await v3('POST', '/v3/pay/transactions/native', order(no));
  assert.equal((await control('POST', '/_mock/complaints', { out_trade_no: no })).status, 409);
  assert.equal((await control('POST', '/_mock/complaints', { out_trade_no: 'NOPE' })).status, 404);
  assert.equal((await control('POST', '/_mock/complaints', {})).status, 400);
  await control('POST', `/_mock/orders/${no}/pay`, { notify: false });
  assert.equal((await v3('POST', '/v3/merchant-service/complaint-notifications', { url: `${hookUrl}/q` })).status, 200);
  const r = await control('POST', '/_mock/complaints', { out_trade_no: no, detail: '没收到' });
  assert.equal(r.status, 200);
  const cb = await waitFor((c) => c.resource.complaint_id === r.json.complaint_id, 'complaint');
  assert.deepEqual([cb.ok, cb.event_type, cb.resource.action_type], [true, 'COMPLAINT.CREATE', 'CREATE_COMPLAINT']);
  assert.ok((await control('GET', '/_mock/complaints')).json.some((c) => c.complaint_id === r.json.complaint_id));
});

test('profit sharing: the notify URL checked; with --refund-delay -1 an order is FINISHED by the control call, once', async () => {
  assert.equal((await control('POST', '/_mock/profitsharing/notify-url', { url: 'ftp://x' })).status, 400);
  assert.equal((await control('POST', '/_mock/profitsharing/notify-url', { url: `${hookUrl}/s` })).status, 200);
  const no = `CTLS${Date.now()}`;
  await v3('POST', '/v3/pay/transactions/native', order(no));
  const tx = (await control('POST', `/_mock/orders/${no}/pay`, { notify: false })).json.transaction_id;
  const rec = { type: 'PERSONAL_OPENID', account: 'o-recv', relation_type: 'USER' };
  assert.equal((await v3('POST', '/v3/profitsharing/receivers/add', { appid: cfg.appid, ...rec })).status, 200);
  const made = await v3('POST', '/v3/profitsharing/orders', {
    appid: cfg.appid,
    transaction_id: tx,
    out_order_no: `${no}o`,
    unfreeze_unsplit: true,
    receivers: [{ type: 'PERSONAL_OPENID', account: 'o-recv', amount: 30, description: 'd' }],
  });
  assert.equal(made.json.state, 'PROCESSING');
  const done = await control('POST', `/_mock/profitsharing/${no}o/finish`);
  assert.equal(done.json.state, 'FINISHED');
  assert.equal((await control('POST', `/_mock/profitsharing/${no}o/finish`)).status, 409);
  const cb = await waitFor(
    (c) => c.event_type === 'PROFITSHARING.SUCCESS' && c.resource.out_order_no === `${no}o`,
    'sharing',
  );
  assert.equal(cb.resource.receiver.amount, 30);
  assert.equal(
    (await v3('GET', `/v3/profitsharing/transactions/${tx}/amounts`)).json.unsplit_amount,
    0,
    'unfreeze_unsplit: the rest went back',
  );
});

test('faults: tamper-bill waits for a bill download (other calls untouched), takes count only', async () => {
  assert.equal((await control('POST', '/_mock/faults', { kind: 'tamper-bill', after: true })).status, 400);
  const q = await control('POST', '/_mock/faults', { kind: 'tamper-bill' });
  assert.equal(q.json.tamperBills, 1);
  assert.equal(q.json.queue.length, 0, 'not in the queue that every call takes from');
  const no = `CTLB${Date.now()}`;
  assert.equal((await v3('POST', '/v3/pay/transactions/native', order(no))).status, 200);
  assert.equal((await control('GET', '/_mock/faults')).json.tamperBills, 1);
  assert.equal((await control('DELETE', '/_mock/faults')).json.tamperBills, 0);
});

/** The packaged CLI against the mock above (spawned: this process serves the mock meanwhile). */
function cli(...args) {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [join(import.meta.dirname, '../../pkg/cli/cli.mjs'), 'mock', ...args], {
      env: { ...process.env, WXPAY_MOCK_URL: base },
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) => resolve({ code, out, err }));
  });
}

test('the CLI: mock confirm-transfer, transfers, complain, sharing-notify-url, fault --kind tamper-bill', async () => {
  const no = `CLIT${Date.now()}`;
  await v3('POST', '/v3/fund-app/mch-transfer/transfer-bills', {
    appid: cfg.appid,
    out_bill_no: no,
    transfer_scene_id: '1000',
    openid: 'o-cli',
    transfer_amount: 10,
    transfer_remark: 'cli',
    transfer_scene_report_infos: [
      { info_type: '活动名称', info_content: 'a' },
      { info_type: '奖励说明', info_content: 'b' },
    ],
  });
  const confirmed = await cli('confirm-transfer', no);
  assert.equal(confirmed.code, 0, confirmed.err);
  assert.equal(JSON.parse(confirmed.out).state, 'SUCCESS');
  const again = await cli('confirm-transfer', no);
  assert.deepEqual([again.code, /already SUCCESS/.test(again.err)], [1, true]);
  assert.ok(JSON.parse((await cli('transfers')).out).some((t) => t.out_bill_no === no));
  const complain = await cli('complain', 'NO_SUCH_ORDER', '--detail', 'x');
  assert.deepEqual([complain.code, /not found/.test(complain.err)], [1, true]);
  const url = await cli('sharing-notify-url', `${hookUrl}/cli`);
  assert.equal(JSON.parse(url.out).profitsharing_notify_url, `${hookUrl}/cli`);
  const bad = await cli('fault', '--kind', 'tamper-bill', '--after');
  assert.deepEqual([bad.code, /takes count only/.test(bad.err)], [1, true]);
  const ok = await cli('fault', '--kind', 'tamper-bill');
  assert.equal(JSON.parse(ok.out).tamperBills, 1);
  await control('DELETE', '/_mock/faults');
  assert.equal((await cli('finish-sharing')).code, 2, 'an id is required');
});

test('a transfer callback in cert mode: signed by platform_cert.pem under its serial, retried on WeChat’s schedule until acknowledged', async () => {
  const attempts = [];
  const flaky = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      attempts.push({ headers: req.headers, body, at: Date.now() });
      res.writeHead(attempts.length === 1 ? 500 : 204).end();
    });
  });
  await new Promise((r) => flaky.listen(0, '127.0.0.1', r));
  const certMock = createMock({
    wx,
    key: '192006250b4c09247ec02edce69f6a2d',
    log: () => {},
    v3Mode: 'cert',
    v3Keys: mock.v3Keys,
    timeScale: 0.001,
  });
  const certBase = await certMock.listen(0);
  try {
    const no = `CERT${Date.now()}`;
    const saved = base;
    base = certBase;
    requestSerial = cfg.platformSerial;
    try {
      const made = await v3('POST', '/v3/fund-app/mch-transfer/transfer-bills', {
        appid: cfg.appid,
        out_bill_no: no,
        transfer_scene_id: '1000',
        openid: 'o-cert',
        transfer_amount: 10,
        transfer_remark: 'cert',
        notify_url: `http://127.0.0.1:${flaky.address().port}/t`,
        transfer_scene_report_infos: [
          { info_type: '活动名称', info_content: 'a' },
          { info_type: '奖励说明', info_content: 'b' },
        ],
      });
      assert.equal(made.json.state, 'WAIT_USER_CONFIRM');
      assert.equal((await control('POST', `/_mock/transfers/${no}/confirm`)).status, 200);
    } finally {
      base = saved;
      requestSerial = undefined;
    }
    for (let i = 0; i < 100 && attempts.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(attempts.length, 2, 'the first attempt answered 500, the retry 204');
    const cert = new X509Certificate(readFileSync(join(mock.v3Keys.dir, 'platform_cert.pem')));
    for (const a of attempts) {
      assert.equal(a.headers['wechatpay-serial'], cfg.platformSerial);
      const ok = createVerify('RSA-SHA256')
        .update(`${a.headers['wechatpay-timestamp']}\n${a.headers['wechatpay-nonce']}\n${a.body}\n`)
        .verify(cert.publicKey, a.headers['wechatpay-signature'], 'base64');
      assert.equal(ok, true);
    }
    assert.equal(
      JSON.parse(attempts[0].body).id,
      JSON.parse(attempts[1].body).id,
      'one notification id, signed afresh',
    );
    assert.ok(attempts[1].at - attempts[0].at >= 10, '15 s × 0.001 between attempts');
  } finally {
    await certMock.close();
    flaky.closeAllConnections();
    await new Promise((r) => flaky.close(r));
  }
});

test('the products survive a restart with --state: a transfer made before is confirmed after', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wxpay-products-state-'));
  const stateFile = join(dir, 'state.json');
  const open = () =>
    createMock({ wx, key: '192006250b4c09247ec02edce69f6a2d', log: () => {}, v3Keys: mock.v3Keys, stateFile });
  const saved = base;
  try {
    const first = open();
    base = await first.listen(0);
    const no = `STATE${Date.now()}`;
    await v3('POST', '/v3/fund-app/mch-transfer/transfer-bills', {
      appid: cfg.appid,
      out_bill_no: no,
      transfer_scene_id: '1000',
      openid: 'o-state',
      transfer_amount: 10,
      transfer_remark: 'state',
      transfer_scene_report_infos: [
        { info_type: '活动名称', info_content: 'a' },
        { info_type: '奖励说明', info_content: 'b' },
      ],
    });
    await first.close();
    const second = open();
    base = await second.listen(0);
    try {
      assert.equal((await control('POST', `/_mock/transfers/${no}/confirm`)).json.state, 'SUCCESS');
      assert.equal(
        (await v3('GET', `/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/${no}`)).json.state,
        'SUCCESS',
      );
    } finally {
      await second.close();
    }
  } finally {
    base = saved;
    rmSync(dir, { recursive: true, force: true });
  }
});
