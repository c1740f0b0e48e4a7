// Faults on demand (POST /_mock/faults): drop, system_error and slow, before and after the
// call is carried out, on v2 and v3 alike. Requests are signed here independently (MD5 /
// HMAC-SHA256 from helpers.mjs; v3 with node:crypto), and what was really carried out is
// read back through the control interface, which faults never touch.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSign, createVerify, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wx from 'wxpay-wasm';
import v3 from 'wxpay-wasm/v3';
import { APPID, KEY, MCH_ID, hmacSign, md5Sign, readXml, startMock } from './helpers.mjs';

const dir = mkdtempSync(join(tmpdir(), 'wxpay-faults-'));
let mock;
let keys;
before(async () => {
  mock = await startMock(['--keys-dir', dir, '--refund-delay', '-1']);
  keys = {
    ...JSON.parse(readFileSync(join(dir, 'wechatpay.json'), 'utf8')),
    privateKey: readFileSync(join(dir, 'apiclient_key.pem'), 'utf8'),
    publicKey: readFileSync(join(dir, 'pub_key.pem'), 'utf8'),
  };
});
after(async () => {
  await mock?.stop();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await control('DELETE', '/_mock/faults');
});

let seq = 0;
const uniq = (p) => `${p}${Date.now()}${seq++}`;

async function control(method, path, body) {
  const res = await fetch(`${mock.url}${path}`, {
    method,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}
const fault = async (f) => {
  const r = await control('POST', '/_mock/faults', f);
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return r.json;
};
const orderOf = async (no) => control('GET', `/_mock/orders/${no}`);

// ---- v2, signed the merchant's way (independent MD5 / HMAC-SHA256)
function signedXml(fields, hmac = false) {
  const f = { appid: APPID, mch_id: MCH_ID, nonce_str: randomBytes(8).toString('hex'), ...fields };
  if (hmac) f.sign_type = 'HMAC-SHA256';
  f.sign = hmac ? hmacSign(f) : md5Sign(f);
  return wx.toXml(f);
}
const orderFields = (no) => ({
  body: 'fault test',
  out_trade_no: no,
  total_fee: '100',
  spbill_create_ip: '127.0.0.1',
  notify_url: 'http://127.0.0.1:9/notify',
  trade_type: 'JSAPI',
  openid: 'o-fault',
});
async function v2(path, fields, hmac) {
  const res = await fetch(`${mock.url}${path}`, { method: 'POST', body: signedXml(fields, hmac) });
  return readXml(await res.text());
}
const unifiedorder = (no, hmac) => v2('/pay/unifiedorder', orderFields(no), hmac);

/** fetch rejecting because the server closed the connection without an answer. */
async function dropped(promise) {
  await assert.rejects(promise, (e) => {
    assert.equal(e.name, 'TypeError');
    assert.match(String(e.cause?.code ?? e.cause?.message), /UND_ERR_SOCKET|ECONNRESET|other side closed/);
    return true;
  });
}

function systemError(f, hmac = false) {
  assert.equal(f.return_code, 'SUCCESS', JSON.stringify(f));
  assert.equal(f.result_code, 'FAIL');
  assert.equal(f.err_code, 'SYSTEMERROR');
  assert.equal(f.sign, hmac ? hmacSign(f) : md5Sign(f), 'the SYSTEMERROR reply is signed like any business result');
}

// ---- v3, signed with node:crypto from WeChat's documented algorithm
function v3auth(method, url, body) {
  const ts = Math.floor(Date.now() / 1000);
  const nonce = randomBytes(16).toString('hex');
  const sig = createSign('RSA-SHA256')
    .update(`${method}\n${url}\n${ts}\n${nonce}\n${body}\n`)
    .sign(keys.privateKey, 'base64');
  return `WECHATPAY2-SHA256-RSA2048 mchid="${keys.mchid}",nonce_str="${nonce}",signature="${sig}",timestamp="${ts}",serial_no="${keys.serialNo}"`;
}
async function v3call(method, url, body = '') {
  const res = await fetch(`${mock.url}${url}`, {
    method,
    body: body || undefined,
    headers: {
      authorization: v3auth(method, url, body),
      'content-type': 'application/json',
      accept: 'application/json',
    },
  });
  const text = await res.text();
  const message = `${res.headers.get('wechatpay-timestamp')}\n${res.headers.get('wechatpay-nonce')}\n${text}\n`;
  assert.ok(
    createVerify('RSA-SHA256')
      .update(message)
      .verify(keys.publicKey, res.headers.get('wechatpay-signature') ?? '', 'base64'),
    `answer signed: ${res.status} ${text}`,
  );
  return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : undefined };
}
const v3order = (no) =>
  JSON.stringify({
    appid: keys.appid,
    mchid: keys.mchid,
    description: 'fault',
    out_trade_no: no,
    notify_url: 'http://127.0.0.1:9/notify',
    amount: { total: 100, currency: 'CNY' },
    payer: { openid: 'o-fault' },
  });
const jsapi = (no) => v3call('POST', '/v3/pay/transactions/jsapi', v3order(no));

describe('the control interface for faults', () => {
  test('bad fault bodies are refused with the reason, and nothing is queued', async () => {
    const bad = [
      [{ kind: 'timeout' }, /kind must be one of drop, system_error, slow/],
      [{}, /kind must be one of/],
      [{ kind: 'drop', count: 1, when: 'now' }, /unknown fault field "when"/],
      [{ kind: 'drop', count: 0 }, /count must be an integer 1\.\.1000/],
      [{ kind: 'drop', count: 1.5 }, /count must be an integer/],
      [{ kind: 'drop', count: '3' }, /count must be an integer/],
      [{ kind: 'drop', count: 1001 }, /count must be an integer/],
      [{ kind: 'drop', delayMs: 10 }, /delayMs applies to kind slow only/],
      [{ kind: 'slow', delayMs: -1 }, /delayMs must be an integer 0\.\.600000/],
      [{ kind: 'slow', delayMs: '100' }, /delayMs must be an integer/],
      [{ kind: 'system_error', after: 'yes' }, /after must be true or false/],
      [[{ kind: 'drop' }], /a fault is a JSON object/],
      ['{"kind":', /a fault is a JSON body/],
      ['', /a fault is a JSON object/],
    ];
    for (const [body, msg] of bad) {
      const r = await control('POST', '/_mock/faults', body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.match(r.json.error, msg, JSON.stringify(body));
    }
    const put = await control('PUT', '/_mock/faults', { kind: 'drop' });
    assert.equal(put.status, 405);
    const list = await control('GET', '/_mock/faults');
    assert.deepEqual(list.json.queue, []);
    assert.deepEqual(list.json.fired, { drop: 0, system_error: 0, slow: 0 });
    assert.equal((await unifiedorder(uniq('ok'))).result_code, 'SUCCESS', 'after refusals a good call works');
  });

  test('faults queue in order; GET lists the queue and what fired; control calls never consume one', async () => {
    const q = await fault({ kind: 'drop', count: 2 });
    assert.deepEqual(q.queued, { id: q.queued.id, kind: 'drop', count: 2, after: false });
    await fault({ kind: 'system_error' });
    await fault({ kind: 'slow', delayMs: 50, after: true });
    let list = (await control('GET', '/_mock/faults')).json;
    assert.deepEqual(
      list.queue.map((f) => [f.kind, f.count, f.after, f.delayMs]),
      [
        ['drop', 2, false, undefined],
        ['system_error', 1, false, undefined],
        ['slow', 1, true, 50],
      ],
    );
    await dropped(unifiedorder(uniq('q')));
    for (let i = 0; i < 5; i++) assert.equal((await control('GET', '/_mock/health')).status, 200);
    assert.equal((await control('GET', '/_mock/orders')).status, 200);
    await dropped(unifiedorder(uniq('q')));
    systemError(await unifiedorder(uniq('q')));
    assert.equal((await unifiedorder(uniq('q'))).result_code, 'SUCCESS', 'the slow one answers normally');
    assert.equal((await unifiedorder(uniq('q'))).result_code, 'SUCCESS', 'queue empty: normal');
    list = (await control('GET', '/_mock/faults')).json;
    assert.deepEqual(list.queue, []);
    assert.deepEqual(list.fired, { drop: 2, system_error: 1, slow: 1 });
    assert.deepEqual(
      list.history.map((h) => [h.kind, h.method, h.path]),
      [
        ['drop', 'POST', '/pay/unifiedorder'],
        ['drop', 'POST', '/pay/unifiedorder'],
        ['system_error', 'POST', '/pay/unifiedorder'],
        ['slow', 'POST', '/pay/unifiedorder'],
      ],
    );
    assert.ok(
      mock.lines.some((l) => /fault #\d+ fires on POST \/pay\/unifiedorder: drop/.test(l)),
      'each fired fault is logged',
    );
    assert.ok(
      mock.lines.some((l) =>
        /fault #\d+ fires on POST \/pay\/unifiedorder: slow 50 ms after carrying the call out/.test(l),
      ),
    );
  });

  test('DELETE clears the queue and the record; /_mock/reset clears it too', async () => {
    await fault({ kind: 'drop', count: 5 });
    await fault({ kind: 'slow', count: 2 });
    const del = await control('DELETE', '/_mock/faults');
    assert.equal(del.json.cleared, 7);
    assert.deepEqual(del.json.queue, []);
    assert.equal((await unifiedorder(uniq('c'))).result_code, 'SUCCESS');
    await fault({ kind: 'drop', count: 3 });
    assert.equal((await control('POST', '/_mock/reset')).status, 200);
    assert.deepEqual((await control('GET', '/_mock/faults')).json.queue, []);
    assert.equal((await unifiedorder(uniq('c'))).result_code, 'SUCCESS');
  });
});

describe('v2 faults', () => {
  test('drop: fetch rejects and no order was created; count respected: call N+1 is normal', async () => {
    await fault({ kind: 'drop', count: 3 });
    const nos = [uniq('d'), uniq('d'), uniq('d')];
    for (const no of nos) await dropped(unifiedorder(no));
    for (const no of nos) assert.equal((await orderOf(no)).status, 404, `${no} was not created`);
    const ok = await unifiedorder(nos[0]);
    assert.equal(ok.result_code, 'SUCCESS');
    assert.match(ok.prepay_id, /^wx/);
  });

  test('drop after: fetch rejects but the order exists; the same request again gets the same prepay_id', async () => {
    await fault({ kind: 'drop', after: true });
    const no = uniq('da');
    await dropped(unifiedorder(no));
    const o = await orderOf(no);
    assert.equal(o.status, 200);
    assert.equal(o.json.trade_state, 'NOTPAY');
    const again = await unifiedorder(no);
    assert.equal(again.prepay_id, o.json.prepay_id);
  });

  test('system_error: signed result_code FAIL SYSTEMERROR (MD5 and HMAC-SHA256), nothing created; the package calls it retryable', async () => {
    await fault({ kind: 'system_error', count: 2 });
    const no = uniq('se');
    const f = await unifiedorder(no);
    systemError(f);
    assert.equal(f.appid, APPID);
    assert.equal(f.mch_id, MCH_ID);
    systemError(await unifiedorder(uniq('se'), true), true);
    assert.equal((await orderOf(no)).status, 404);
    const reply = await fetch(`${mock.url}/pay/orderquery`, {
      method: 'POST',
      body: signedXml({ out_trade_no: no }),
    }).then((r) => r.text());
    assert.equal(readXml(reply).err_code, 'ORDERNOTEXIST', 'count 2 used up: the third call is normal');
    await fault({ kind: 'system_error' });
    const sys = await fetch(`${mock.url}/pay/orderquery`, {
      method: 'POST',
      body: signedXml({ out_trade_no: no }),
    }).then((r) => r.text());
    assert.throws(
      () => wx.parseResponse(sys, { key: KEY }),
      (e) => e.code === 'RESULT_FAIL' && e.errCode === 'SYSTEMERROR' && e.retryable === true,
    );
  });

  test('system_error after on a refund: SYSTEMERROR, yet the refund was made; the retry with the same out_refund_no gets it', async () => {
    const no = uniq('rf');
    assert.equal((await unifiedorder(no)).result_code, 'SUCCESS');
    assert.equal((await control('POST', `/_mock/orders/${no}/pay`, { notify: false })).status, 200);
    await fault({ kind: 'system_error', after: true });
    const refundNo = uniq('R');
    const refund = { out_trade_no: no, out_refund_no: refundNo, total_fee: '100', refund_fee: '40' };
    systemError(await v2('/secapi/pay/refund', refund));
    const made = await control('GET', `/_mock/refunds/${refundNo}`);
    assert.equal(made.status, 200);
    assert.equal(made.json.refund_fee, '40');
    const again = await v2('/secapi/pay/refund', refund);
    assert.equal(again.result_code, 'SUCCESS');
    assert.equal(again.refund_id, made.json.refund_id);
  });

  test('slow: the answer arrives after at least delayMs; with after the order exists while the caller still waits', async () => {
    await fault({ kind: 'slow', delayMs: 600 });
    let t0 = performance.now();
    const no = uniq('sl');
    const pending = unifiedorder(no);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal((await orderOf(no)).status, 404, 'before: the call waits first, then is carried out');
    assert.equal((await pending).result_code, 'SUCCESS');
    assert.ok(performance.now() - t0 >= 600, `${performance.now() - t0} ms`);
    assert.equal((await orderOf(no)).status, 200);

    await fault({ kind: 'slow', delayMs: 600, after: true });
    t0 = performance.now();
    const no2 = uniq('sl');
    const pending2 = unifiedorder(no2);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal((await orderOf(no2)).status, 200, 'after: carried out at once, the answer is what is late');
    assert.equal((await pending2).result_code, 'SUCCESS');
    assert.ok(performance.now() - t0 >= 600);
    t0 = performance.now();
    await unifiedorder(uniq('sl'));
    assert.ok(performance.now() - t0 < 500, 'the next call is fast again');
  });

  test('a client with a timeout shorter than slow gives up; the default delay is 3000 ms', async () => {
    const q = await fault({ kind: 'slow' });
    assert.equal(q.queued.delayMs, 3000);
    const res = fetch(`${mock.url}/pay/unifiedorder`, {
      method: 'POST',
      body: signedXml(orderFields(uniq('to'))),
      signal: AbortSignal.timeout(300),
    });
    await assert.rejects(res, (e) => e.name === 'TimeoutError');
  });
});

describe('v3 faults', () => {
  test('drop: fetch rejects and nothing was created; drop after: rejects and the order exists', async () => {
    await fault({ kind: 'drop' });
    const no = uniq('v3d');
    await dropped(jsapi(no));
    assert.equal((await orderOf(no)).status, 404);
    await fault({ kind: 'drop', after: true });
    await dropped(jsapi(no));
    const o = await orderOf(no);
    assert.equal(o.status, 200);
    assert.equal(o.json.api, 'v3');
    const again = await jsapi(no);
    assert.equal(again.status, 200);
    assert.equal(again.json.prepay_id, o.json.prepay_id, 'the retry finds the order the dropped call made');
  });

  test('system_error: 500 SYSTEM_ERROR, signed; the package verifies it and calls it retryable', async () => {
    await fault({ kind: 'system_error' });
    const no = uniq('v3s');
    const r = await jsapi(no);
    assert.equal(r.status, 500);
    assert.equal(r.json.code, 'SYSTEM_ERROR');
    assert.equal(typeof r.json.message, 'string');
    assert.match(r.headers.get('request-id'), /^mock-/);
    await v3.verifySignature(r.text, r.headers, { publicKeys: { [keys.publicKeyId]: keys.publicKey } });
    const e = await v3.parseErrorResponse(r.status, r.text);
    assert.equal(e.errCode, 'SYSTEM_ERROR');
    assert.equal(e.retryable, true);
    assert.equal((await orderOf(no)).status, 404);
    assert.equal((await jsapi(no)).status, 200, 'count 1: the next call is normal');
  });

  test('system_error after: 500, and the order was created', async () => {
    await fault({ kind: 'system_error', after: true });
    const no = uniq('v3sa');
    assert.equal((await jsapi(no)).status, 500);
    assert.equal((await orderOf(no)).json.trade_state, 'NOTPAY');
    const q = await v3call('GET', `/v3/pay/transactions/out-trade-no/${no}?mchid=${keys.mchid}`);
    assert.equal(q.json.trade_state, 'NOTPAY');
  });

  test('slow on a query: the answer arrives after at least delayMs, verified', async () => {
    const no = uniq('v3sl');
    assert.equal((await jsapi(no)).status, 200);
    await fault({ kind: 'slow', delayMs: 500 });
    const t0 = performance.now();
    const q = await v3call('GET', `/v3/pay/transactions/out-trade-no/${no}?mchid=${keys.mchid}`);
    assert.ok(performance.now() - t0 >= 500);
    assert.equal(q.status, 200);
    assert.equal(q.json.out_trade_no, no);
  });

  test('one queue for v2 and v3: a count of 2 spans both', async () => {
    await fault({ kind: 'drop', count: 2 });
    await dropped(jsapi(uniq('mix')));
    await dropped(unifiedorder(uniq('mix')));
    assert.equal((await jsapi(uniq('mix'))).status, 200);
    const list = (await control('GET', '/_mock/faults')).json;
    assert.deepEqual(
      list.history.map((h) => h.path),
      ['/v3/pay/transactions/jsapi', '/pay/unifiedorder'],
    );
  });
});
