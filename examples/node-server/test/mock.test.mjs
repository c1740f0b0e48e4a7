// The mock's WeChat answers, checked against WeChat's documented error codes; replies'
// signs and refund ciphertexts recomputed with node:crypto and the shared public vectors.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import wx from 'wxpay-wasm';
import { APPID, CLI, KEY, MCH_ID, call, hmacSign, md5Sign, readXml, startMock } from './helpers.mjs';

// The mock's cipher is internal to the package (not exported); reach it by file.
const { encryptReqInfo, decryptReqInfo } = await import(pathToFileURL(join(dirname(CLI), 'mock/util.mjs')));

let mock;
before(async () => {
  mock = await startMock(['--quiet', '--refund-delay', '-1']);
});
after(async () => {
  await mock?.stop();
});

let seq = 0;
const uniq = (p) => `${p}${Date.now()}${seq++}`;

async function post(path, body, method = 'POST') {
  const res = await fetch(`${mock.url}${path}`, { method, body: method === 'POST' ? body : undefined });
  return { status: res.status, text: await res.text() };
}

/** Signs `fields` (nonce added) the way a merchant would, independently of the mock. */
function signed(fields, { key = KEY, hmac = false } = {}) {
  const f = { appid: APPID, mch_id: MCH_ID, nonce_str: 'n0nce', ...fields };
  if (hmac) f.sign_type = 'HMAC-SHA256';
  f.sign = hmac ? hmacSign(f, key) : md5Sign(f, key);
  return wx.toXml(f);
}

const orderFields = (no, extra = {}) => ({
  body: 'test',
  out_trade_no: no,
  total_fee: '100',
  spbill_create_ip: '127.0.0.1',
  notify_url: 'http://127.0.0.1:9/notify',
  trade_type: 'JSAPI',
  openid: 'o1',
  ...extra,
});

/** An envelope refusal: return_code FAIL, unsigned, err_code named. */
function envelopeFail(text, code) {
  const f = readXml(text);
  assert.equal(f.return_code, 'FAIL', text);
  assert.equal(f.err_code, code, text);
  assert.ok(f.return_msg);
  assert.equal(f.sign, undefined);
}

/** A business failure: return_code SUCCESS, result_code FAIL with err_code, signed by the key. */
function resultFail(text, code) {
  const f = readXml(text);
  assert.equal(f.return_code, 'SUCCESS', text);
  assert.equal(f.result_code, 'FAIL', text);
  assert.equal(f.err_code, code, text);
  assert.equal(f.sign, md5Sign(f), 'business failures are signed');
  return f;
}

function success(text) {
  const f = readXml(text);
  assert.equal(f.return_code, 'SUCCESS', text);
  assert.equal(f.result_code, 'SUCCESS', text);
  assert.equal(f.sign, f.sign.length === 64 ? hmacSign(f) : md5Sign(f), 'reply sign recomputed with node:crypto');
  return f;
}

const pay = (no, body = { notify: false }) => call(mock.url, 'POST', `/_mock/orders/${no}/pay`, body);

describe('envelope errors (return_code FAIL)', () => {
  test('GET → REQUIRE_POST_METHOD', async () =>
    envelopeFail((await post('/pay/unifiedorder', '', 'GET')).text, 'REQUIRE_POST_METHOD'));
  test('empty body → POST_DATA_EMPTY', async () =>
    envelopeFail((await post('/pay/orderquery', '')).text, 'POST_DATA_EMPTY'));
  test('invalid UTF-8 → NOT_UTF8', async () =>
    envelopeFail((await post('/pay/orderquery', Buffer.from([0x3c, 0x78, 0xff, 0xfe]))).text, 'NOT_UTF8'));
  test('broken XML → XML_FORMAT_ERROR', async () =>
    envelopeFail((await post('/pay/unifiedorder', '<xml><appid>wx')).text, 'XML_FORMAT_ERROR'));
  test('DOCTYPE (XXE) → XML_FORMAT_ERROR', async () => {
    const xxe =
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><appid>&e;</appid></xml>';
    envelopeFail((await post('/pay/unifiedorder', xxe)).text, 'XML_FORMAT_ERROR');
  });
  test('no sign → LACK_PARAMS', async () => {
    envelopeFail(
      (await post('/pay/orderquery', wx.toXml({ appid: APPID, mch_id: MCH_ID, nonce_str: 'x', out_trade_no: 'a' })))
        .text,
      'LACK_PARAMS',
    );
  });
  test('wrong key → SIGNERROR', async () => {
    envelopeFail(
      (await post('/pay/unifiedorder', signed(orderFields(uniq('S')), { key: 'x'.repeat(32) }))).text,
      'SIGNERROR',
    );
  });
  test('a field changed after signing → SIGNERROR', async () => {
    const original = signed(orderFields(uniq('S')));
    const xml = original.replace(/<total_fee>(<!\[CDATA\[)?100/, '<total_fee>$11');
    assert.notEqual(xml, original);
    envelopeFail((await post('/pay/unifiedorder', xml)).text, 'SIGNERROR');
  });
  test('another mch_id or appid → APPID_MCHID_NOT_MATCH', async () => {
    envelopeFail(
      (await post('/pay/orderquery', signed({ mch_id: '1230000109', out_trade_no: 'a' }))).text,
      'APPID_MCHID_NOT_MATCH',
    );
    envelopeFail(
      (await post('/pay/orderquery', signed({ appid: 'wx0000000000000000', out_trade_no: 'a' }))).text,
      'APPID_MCHID_NOT_MATCH',
    );
  });
  test('unknown path → 404', async () => assert.equal((await post('/pay/micropay', signed({}))).status, 404));
});

describe('unified order', () => {
  test('success: prepay_id, reply signed (MD5 and HMAC-SHA256)', async () => {
    const f = success((await post('/pay/unifiedorder', signed(orderFields(uniq('U'))))).text);
    assert.match(f.prepay_id, /^wx\d{28}$/);
    const h = success((await post('/pay/unifiedorder', signed(orderFields(uniq('H')), { hmac: true }))).text);
    assert.equal(h.sign.length, 64);
    // The package's own parser accepts the mock's reply.
    const again = await post('/pay/unifiedorder', signed(orderFields(uniq('P'))));
    assert.ok(wx.parseUnifiedOrderResponse(again.text, { key: KEY }).prepay_id);
  });
  test('missing business field → LACK_PARAMS; JSAPI without openid → LACK_PARAMS', async () => {
    const { body: _b, ...noBody } = orderFields(uniq('L'));
    resultFail((await post('/pay/unifiedorder', signed(noBody))).text, 'LACK_PARAMS');
    resultFail((await post('/pay/unifiedorder', signed(orderFields(uniq('L'), { openid: '' })))).text, 'LACK_PARAMS');
  });
  test('bad amount or trade_type → PARAM_ERROR', async () => {
    resultFail(
      (await post('/pay/unifiedorder', signed(orderFields(uniq('A'), { total_fee: '1.00' })))).text,
      'PARAM_ERROR',
    );
    resultFail(
      (await post('/pay/unifiedorder', signed(orderFields(uniq('A'), { trade_type: 'CARD' })))).text,
      'PARAM_ERROR',
    );
  });
  test('same out_trade_no: same content → same prepay_id; different content → OUT_TRADE_NO_USED', async () => {
    const no = uniq('D');
    const a = success((await post('/pay/unifiedorder', signed(orderFields(no)))).text);
    const b = success((await post('/pay/unifiedorder', signed({ ...orderFields(no), nonce_str: 'other' }))).text);
    assert.equal(a.prepay_id, b.prepay_id);
    resultFail(
      (await post('/pay/unifiedorder', signed(orderFields(no, { total_fee: '200' })))).text,
      'OUT_TRADE_NO_USED',
    );
  });
  test('paid order → ORDERPAID; closed order → ORDERCLOSED', async () => {
    const p = uniq('P');
    await post('/pay/unifiedorder', signed(orderFields(p)));
    await pay(p);
    resultFail((await post('/pay/unifiedorder', signed(orderFields(p)))).text, 'ORDERPAID');
    const c = uniq('C');
    await post('/pay/unifiedorder', signed(orderFields(c)));
    success((await post('/pay/closeorder', signed({ out_trade_no: c }))).text);
    resultFail((await post('/pay/unifiedorder', signed(orderFields(c)))).text, 'ORDERCLOSED');
  });
});

describe('query and close', () => {
  test('orderquery: LACK_PARAMS, ORDERNOTEXIST, NOTPAY, then SUCCESS with transaction_id', async () => {
    resultFail((await post('/pay/orderquery', signed({}))).text, 'LACK_PARAMS');
    resultFail((await post('/pay/orderquery', signed({ out_trade_no: uniq('none') }))).text, 'ORDERNOTEXIST');
    const no = uniq('Q');
    await post('/pay/unifiedorder', signed(orderFields(no)));
    assert.equal(success((await post('/pay/orderquery', signed({ out_trade_no: no }))).text).trade_state, 'NOTPAY');
    await pay(no);
    const q = success((await post('/pay/orderquery', signed({ out_trade_no: no }))).text);
    assert.equal(q.trade_state, 'SUCCESS');
    assert.equal(q.total_fee, '100');
    const byTx = success((await post('/pay/orderquery', signed({ transaction_id: q.transaction_id }))).text);
    assert.equal(byTx.out_trade_no, no);
  });
  test('closeorder: ORDERNOTEXIST, paid → ORDERPAID, twice → ORDERCLOSED', async () => {
    resultFail((await post('/pay/closeorder', signed({ out_trade_no: uniq('none') }))).text, 'ORDERNOTEXIST');
    const p = uniq('CP');
    await post('/pay/unifiedorder', signed(orderFields(p)));
    await pay(p);
    resultFail((await post('/pay/closeorder', signed({ out_trade_no: p }))).text, 'ORDERPAID');
    const c = uniq('CC');
    await post('/pay/unifiedorder', signed(orderFields(c)));
    success((await post('/pay/closeorder', signed({ out_trade_no: c }))).text);
    resultFail((await post('/pay/closeorder', signed({ out_trade_no: c }))).text, 'ORDERCLOSED');
    assert.equal((await pay(c)).status, 409);
  });
});

describe('refunds', () => {
  async function paidOrder(fee = '100') {
    const no = uniq('R');
    await post('/pay/unifiedorder', signed(orderFields(no, { total_fee: fee })));
    await pay(no);
    return no;
  }
  const refund = (no, outRefundNo, refundFee, totalFee = '100') =>
    post(
      '/secapi/pay/refund',
      signed({ out_trade_no: no, out_refund_no: outRefundNo, total_fee: totalFee, refund_fee: refundFee }),
    );

  test('unpaid order → TRADE_STATE_ERROR; unknown → ORDERNOTEXIST', async () => {
    const no = uniq('RU');
    await post('/pay/unifiedorder', signed(orderFields(no)));
    resultFail((await refund(no, uniq('rf'), '10')).text, 'TRADE_STATE_ERROR');
    resultFail((await refund(uniq('none'), uniq('rf'), '10')).text, 'ORDERNOTEXIST');
  });
  test('partial refunds add up; over the paid amount → NOTENOUGH', async () => {
    const no = await paidOrder();
    success((await refund(no, uniq('rf'), '60')).text);
    resultFail((await refund(no, uniq('rf'), '41')).text, 'NOTENOUGH');
    success((await refund(no, uniq('rf'), '40')).text);
    resultFail((await refund(no, uniq('rf'), '1')).text, 'NOTENOUGH');
  });
  test('wrong total_fee or reused out_refund_no → REFUND_FEE_MISMATCH; a retry is idempotent', async () => {
    const no = await paidOrder();
    resultFail((await refund(no, uniq('rf'), '10', '99')).text, 'REFUND_FEE_MISMATCH');
    const rf = uniq('rf');
    const a = success((await refund(no, rf, '10')).text);
    const b = success((await refund(no, rf, '10')).text);
    assert.equal(a.refund_id, b.refund_id);
    resultFail((await refund(no, rf, '20')).text, 'REFUND_FEE_MISMATCH');
  });
  test('refundquery: REFUNDNOTEXIST, then indexed fields; completion updates the status', async () => {
    resultFail((await post('/pay/refundquery', signed({ out_refund_no: uniq('none') }))).text, 'REFUNDNOTEXIST');
    const no = await paidOrder();
    const rf = uniq('rf');
    success((await refund(no, rf, '30')).text);
    let q = success((await post('/pay/refundquery', signed({ out_trade_no: no }))).text);
    assert.equal(q.refund_count, '1');
    assert.equal(q.out_refund_no_0, rf);
    assert.equal(q.refund_status_0, 'PROCESSING');
    await call(mock.url, 'POST', `/_mock/refunds/${rf}/complete`, { status: 'SUCCESS' });
    q = success((await post('/pay/refundquery', signed({ out_refund_no: rf }))).text);
    assert.equal(q.refund_status_0, 'SUCCESS');
    assert.match(q.refund_success_time_0, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  });
});

describe('bills and sandbox', () => {
  test('downloadbill: no bill → FAIL; a day with payments → backquoted CSV with totals; GZIP', async () => {
    const none = readXml((await post('/pay/downloadbill', signed({ bill_date: '20000101', bill_type: 'ALL' }))).text);
    assert.equal(none.return_code, 'FAIL');
    assert.equal(none.return_msg, 'No Bill Exist');
    resultFail(
      (await post('/pay/downloadbill', signed({ bill_date: '2020-01-01', bill_type: 'ALL' }))).text,
      'PARAM_ERROR',
    );
    const no = uniq('B');
    await post('/pay/unifiedorder', signed(orderFields(no)));
    await pay(no);
    const day = (await call(mock.url, 'GET', `/_mock/orders/${no}`)).body.time_end.slice(0, 8);
    const bill = (await post('/pay/downloadbill', signed({ bill_date: day, bill_type: 'SUCCESS' }))).text;
    const lines = bill.trim().split('\r\n');
    assert.match(lines[0], /^交易时间,公众账号ID,商户号/);
    assert.ok(lines.some((l) => l.includes(`\`${no}`)));
    assert.match(lines.at(-2), /^总交易单数/);
    assert.match(lines.at(-1), /^`\d+,`\d+\.\d\d/);
    const gz = await fetch(`${mock.url}/pay/downloadbill`, {
      method: 'POST',
      body: signed({ bill_date: day, bill_type: 'SUCCESS', tar_type: 'GZIP' }),
    });
    assert.equal(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString('utf8'), bill);
  });
  test('getsignkey: a 32-character sandbox key', async () => {
    const f = readXml((await post('/sandboxnew/pay/getsignkey', signed({ appid: undefined }))).text);
    assert.equal(f.return_code, 'SUCCESS');
    assert.match(f.sandbox_signkey, /^[0-9a-f]{32}$/);
  });
});

describe('control interface', () => {
  test('unknown order → 404, paying twice → 409, bad kind → 400', async () => {
    assert.equal((await pay('nope')).status, 404);
    const no = uniq('K');
    await post('/pay/unifiedorder', signed(orderFields(no)));
    assert.equal((await pay(no)).status, 200);
    assert.equal((await pay(no)).status, 409);
    assert.equal((await call(mock.url, 'POST', `/_mock/orders/${no}/notify`, { kind: 'weird' })).status, 400);
  });
});

describe('refund notification cipher (shared public vectors)', () => {
  const vectors = JSON.parse(
    readFileSync(new URL('../../../tests/fixtures/wxpay-v2-public.json', import.meta.url)),
  ).filter((v) => v.kind === 'refund_notify');
  test('there are refund vectors', () => assert.ok(vectors.length >= 4));
  for (const v of vectors) {
    const reqInfo = v.req_info ?? readXml(v.xml).req_info;
    test(`${v.id}: encrypt(expected_plaintext) = req_info and back`, () => {
      assert.equal(encryptReqInfo(v.expected_plaintext, v.key), reqInfo);
      assert.equal(decryptReqInfo(reqInfo, v.key), v.expected_plaintext);
    });
  }
});

describe('--state FILE', () => {
  test('orders survive a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wxpay-mock-state-'));
    const file = join(dir, 'state.json');
    try {
      const first = await startMock(['--quiet', '--state', file]);
      const no = uniq('ST');
      await fetch(`${first.url}/pay/unifiedorder`, { method: 'POST', body: signed(orderFields(no)) });
      await call(first.url, 'POST', `/_mock/orders/${no}/pay`, { notify: false });
      await first.stop();
      const second = await startMock(['--quiet', '--state', file]);
      const res = await fetch(`${second.url}/pay/orderquery`, { method: 'POST', body: signed({ out_trade_no: no }) });
      assert.equal(success(await res.text()).trade_state, 'SUCCESS');
      await second.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
