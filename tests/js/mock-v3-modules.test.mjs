// The mock's v3 modules (js/mock/v3/*) imported from the source tree and tested one by one,
// with a context made here: keys from loadV3Keys in a temp folder, a Store in memory, a
// notifier that records what it is asked to post. Signatures and ciphertexts are checked
// with node:crypto over the strings WeChat's documentation defines, not with the package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDecipheriv, createSign, createVerify } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { loadV3Keys } from '../../js/mock/v3keys.mjs';
import { Store } from '../../js/mock/store.mjs';
import { createV3Context } from '../../js/mock/v3.mjs';
import { V3Error } from '../../js/mock/v3/errors.mjs';
import {
  PROBE_PREFIX,
  authenticate,
  parseAuthorization,
  responseSigner,
  signatureHeaders,
} from '../../js/mock/v3/signing.mjs';
import { fen, json, optStr, str } from '../../js/mock/v3/request.mjs';
import { close, jsapi, pay, queryByNo } from '../../js/mock/v3/orders.mjs';
import { completeRefund, refund, refundQuery } from '../../js/mock/v3/refunds.mjs';
import { callbackBody, notifyOnce, notifyRefund } from '../../js/mock/v3/callbacks.mjs';
import { certificates } from '../../js/mock/v3/certificates.mjs';
import { handle } from '../../js/mock/v3/routes.mjs';
import { rfc3339 } from '../../js/mock/v3/views.mjs';

const keys = loadV3Keys();
test.after(() => rmSync(keys.dir, { recursive: true, force: true }));
const cfg = keys.config;
const merchantKey = readFileSync(join(keys.dir, 'apiclient_key.pem'), 'utf8');

/** A fresh v3 context: its own store, a log and a notifier that only record. */
function context({ mode = 'pubkey' } = {}) {
  const lines = [];
  const posts = [];
  const notifier = {
    once: async (url, payload, label) => {
      posts.push({ url, label, ...payload() });
      return { status: 200, label };
    },
    cycle: (id, spec) => posts.push({ cycle: id, url: spec.url, ...spec.payload() }),
    later: () => {
      throw new Error('no timer expected with refundDelay -1');
    },
  };
  const ctx = createV3Context({
    keys,
    store: new Store(),
    notifier,
    config: { timeScale: 1, refundDelay: -1 },
    log: (l) => lines.push(l),
    mode,
  });
  return { ctx, lines, posts };
}

const order = (over = {}) =>
  JSON.stringify({
    appid: cfg.appid,
    mchid: cfg.mchid,
    description: 'Image形象店-深圳腾大-QQ公仔',
    out_trade_no: 'MOCK20261207001',
    notify_url: 'https://example.com/notify',
    amount: { total: 100, currency: 'CNY' },
    payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
    ...over,
  });
const refundBody = (over = {}) =>
  JSON.stringify({
    out_trade_no: 'MOCK20261207001',
    out_refund_no: 'R1',
    notify_url: 'https://example.com/refund',
    amount: { refund: 40, total: 100, currency: 'CNY' },
    ...over,
  });
const v3Code = (code, status) => (e) =>
  e instanceof V3Error && e.code === code && (status === undefined || e.status === status);
/** WeChat's signing string of an answer or callback: timestamp\nnonce\nbody\n. */
const verifies = (h, body, pem) =>
  createVerify('RSA-SHA256')
    .update(`${h['Wechatpay-Timestamp']}\n${h['Wechatpay-Nonce']}\n${body}\n`)
    .verify(pem, h['Wechatpay-Signature'], 'base64');
/** AEAD_AES_256_GCM decrypted with node:crypto: the last 16 bytes of the ciphertext are the tag. */
function decrypt(r) {
  const buf = Buffer.from(r.ciphertext, 'base64');
  const d = createDecipheriv('aes-256-gcm', Buffer.from(cfg.apiV3Key), Buffer.from(r.nonce));
  d.setAAD(Buffer.from(r.associated_data));
  d.setAuthTag(buf.subarray(-16));
  return Buffer.concat([d.update(buf.subarray(0, -16)), d.final()]).toString('utf8');
}

test('createV3Context refuses an unknown key mode', () => {
  assert.throws(
    () => createV3Context({ keys, mode: 'both' }),
    /v3 key mode must be one of pubkey, cert, migrating, got both/,
  );
});

test('parseAuthorization reads the five fields and refuses another scheme, a repeated field or a malformed part', () => {
  const h = 'WECHATPAY2-SHA256-RSA2048 mchid="1900000001",nonce_str="n",signature="s",timestamp="1",serial_no="AB"';
  assert.deepEqual(parseAuthorization(h), {
    mchid: '1900000001',
    nonce_str: 'n',
    signature: 's',
    timestamp: '1',
    serial_no: 'AB',
  });
  assert.equal(parseAuthorization(h.replace('WECHATPAY2', 'WECHATPAY3')), null);
  assert.equal(parseAuthorization(`${h},mchid="2"`), null);
  assert.equal(parseAuthorization(`${h},x=1`), null);
  assert.equal(parseAuthorization(undefined), null);
});

test('authenticate accepts the merchant signature over METHOD\\nURL\\nTS\\nNONCE\\nBODY\\n and refuses each mistake', () => {
  const { ctx } = context();
  const ts = String(Math.floor(Date.now() / 1000));
  const body = '{"a":1}';
  const sign = (message) => createSign('RSA-SHA256').update(message).sign(merchantKey, 'base64');
  const auth = (o = {}) => {
    const t = o.ts ?? ts;
    const sig = sign(`POST\n/v3/x?y=1\n${t}\nabc\n${body}\n`);
    return {
      authorization: `WECHATPAY2-SHA256-RSA2048 mchid="${o.mchid ?? cfg.mchid}",nonce_str="abc",signature="${sig}",timestamp="${t}",serial_no="${o.serial ?? cfg.serialNo.toLowerCase()}"`,
    };
  };
  assert.equal(authenticate(ctx, 'POST', '/v3/x?y=1', auth(), body).nonce_str, 'abc');
  assert.throws(() => authenticate(ctx, 'POST', '/v3/x?y=1', {}, body), v3Code('SIGN_ERROR', 401));
  assert.throws(() => authenticate(ctx, 'POST', '/v3/x?y=1', auth({ mchid: '1' }), body), /mchid 1 不是本商户/);
  assert.throws(() => authenticate(ctx, 'POST', '/v3/x?y=1', auth({ serial: 'FF' }), body), /序列号 FF 不存在/);
  assert.throws(
    () => authenticate(ctx, 'POST', '/v3/x?y=1', auth({ ts: String(Number(ts) - 301) }), body),
    /超过 300 秒/,
  );
  assert.throws(() => authenticate(ctx, 'POST', '/v3/x?y=2', auth(), body), /计算结果不符/);
  assert.throws(() => authenticate(ctx, 'POST', '/v3/x?y=1', auth(), `${body} `), /计算结果不符/);
});

test('signatureHeaders sign ts\\nnonce\\nbody\\n with the chosen key; a probe never verifies; the mode picks the answer key', () => {
  const { ctx } = context();
  const h = signatureHeaders(ctx, '{"x":"支付"}');
  assert.equal(h['Wechatpay-Serial'], cfg.publicKeyId);
  assert.ok(verifies(h, '{"x":"支付"}', keys.signers.pubkey.pem));
  assert.ok(!verifies(h, '{"x":"支付 "}', keys.signers.pubkey.pem));
  const probe = signatureHeaders(ctx, '{}', { probe: true });
  assert.ok(probe['Wechatpay-Signature'].startsWith(PROBE_PREFIX));
  assert.ok(!verifies(probe, '{}', keys.signers.pubkey.pem));
  const cert = { ...ctx, mode: 'cert' };
  assert.equal(responseSigner(cert, {}).serial, cfg.platformSerial);
  const migrating = { ...ctx, mode: 'migrating' };
  assert.equal(responseSigner(migrating, { 'wechatpay-serial': cfg.publicKeyId }).serial, cfg.publicKeyId);
  assert.equal(responseSigner(migrating, {}).serial, cfg.platformSerial);
});

test('the request readers name the field by its JSON pointer', () => {
  assert.throws(() => json(''), v3Code('PARAM_ERROR', 400));
  assert.throws(() => json('[1]'), /应为 JSON 对象/);
  const b = json('{"amount":{"total":0},"s":7,"long":"xxxxx"}');
  assert.throws(
    () => fen(b, '/amount/total'),
    (e) => e.detail.field === '/amount/total' && e.detail.value === 0,
  );
  assert.throws(() => str(b, '/s'), /应为字符串/);
  assert.throws(() => str(b, '/long', 4), /长度超过 4/);
  assert.throws(
    () => str(b, '/missing/deep'),
    (e) => e.detail.field === '/missing/deep' && e.detail.location === 'body',
  );
  assert.equal(optStr(b, '/absent'), undefined);
});

test('jsapi makes a NOTPAY order, answers an identical one with the same prepay_id, and refuses a different one', () => {
  const { ctx, lines } = context();
  const { json: first } = jsapi(ctx, order());
  assert.match(first.prepay_id, /^wx\d{12}\d{16}$/);
  assert.deepEqual(jsapi(ctx, order()).json, first);
  assert.equal(ctx.store.order('MOCK20261207001').trade_state, 'NOTPAY');
  assert.match(lines[0], /v3 order MOCK20261207001 created: 100 fen/);
  assert.throws(() => jsapi(ctx, order({ amount: { total: 101 } })), v3Code('OUT_TRADE_NO_USED', 403));
  assert.throws(() => jsapi(ctx, order({ mchid: '1' })), v3Code('APPID_MCHID_NOT_MATCH', 400));
  assert.throws(
    () => jsapi(ctx, order({ out_trade_no: 'a b' })),
    (e) => e.detail.field === '/out_trade_no',
  );
  assert.throws(
    () => jsapi(ctx, order({ out_trade_no: 'MOCK20261207002', notify_url: 'https://x/n?a=1' })),
    (e) => e.detail.field === '/notify_url',
  );
  assert.throws(
    () => jsapi(ctx, order({ out_trade_no: 'MOCK20261207003', time_expire: 'tomorrow' })),
    (e) => e.detail.field === '/time_expire',
  );
});

test('queries need the mchid, show the order as WeChat does, and close answers 204 until paid', () => {
  const { ctx } = context();
  jsapi(ctx, order());
  const q = new URLSearchParams(`mchid=${cfg.mchid}`);
  assert.throws(
    () => queryByNo(ctx, 'MOCK20261207001', new URLSearchParams()),
    (e) => e.detail.location === 'query',
  );
  assert.throws(() => queryByNo(ctx, 'NOPE', q), v3Code('ORDER_NOT_EXIST', 404));
  const o = ctx.store.order('MOCK20261207001');
  pay(ctx, o);
  const shown = queryByNo(ctx, 'MOCK20261207001', q).json;
  assert.equal(shown.trade_state, 'SUCCESS');
  assert.equal(shown.success_time, rfc3339(o.paid_at));
  assert.match(shown.success_time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
  assert.deepEqual(shown.amount, { total: 100, payer_total: 100, currency: 'CNY', payer_currency: 'CNY' });
  assert.throws(() => close(ctx, 'MOCK20261207001', JSON.stringify({ mchid: cfg.mchid })), v3Code('ORDERPAID', 400));
  jsapi(ctx, order({ out_trade_no: 'MOCK20261207002' }));
  assert.deepEqual(close(ctx, 'MOCK20261207002', JSON.stringify({ mchid: cfg.mchid })), { status: 204 });
  assert.deepEqual(close(ctx, 'MOCK20261207002', JSON.stringify({ mchid: cfg.mchid })), { status: 204 });
  assert.equal(ctx.store.order('MOCK20261207002').trade_state, 'CLOSED');
});

test('refunds: only of a paid order, never beyond its amount; a refund that did not succeed gives the order back', async () => {
  const { ctx, posts } = context();
  jsapi(ctx, order());
  assert.throws(() => refund(ctx, refundBody()), v3Code('INVALID_REQUEST', 400));
  pay(ctx, ctx.store.order('MOCK20261207001'));
  assert.throws(
    () => refund(ctx, refundBody({ amount: { refund: 40, total: 99, currency: 'CNY' } })),
    (e) => e.detail.field === '/amount/total',
  );
  const r1 = refund(ctx, refundBody()).json;
  assert.equal(r1.status, 'PROCESSING');
  assert.deepEqual(refund(ctx, refundBody()).json.refund_id, r1.refund_id);
  assert.throws(
    () => refund(ctx, refundBody({ amount: { refund: 41, total: 100, currency: 'CNY' } })),
    v3Code('INVALID_REQUEST'),
  );
  assert.throws(
    () => refund(ctx, refundBody({ out_refund_no: 'R2', amount: { refund: 61, total: 100, currency: 'CNY' } })),
    /可退 60 分, 申请 61 分/,
  );
  assert.equal(ctx.store.order('MOCK20261207001').trade_state, 'REFUND');
  const r = ctx.store.refunds.get('R1');
  completeRefund(ctx, r, 'ABNORMAL');
  assert.equal(ctx.store.order('MOCK20261207001').trade_state, 'SUCCESS');
  assert.equal(refundQuery(ctx, 'R1').json.status, 'ABNORMAL');
  assert.throws(() => completeRefund(ctx, r, 'SUCCESS'), /already ABNORMAL/);
  // REFUND.ABNORMAL posted as a retry cycle, its resource encrypted with the APIv3 key.
  const posted = posts.find((p) => p.cycle === 'refund:R1');
  const body = JSON.parse(posted.body);
  assert.equal(body.event_type, 'REFUND.ABNORMAL');
  assert.deepEqual(JSON.parse(decrypt(body.resource)).refund_status, 'ABNORMAL');
  assert.ok(verifies(posted.headers, posted.body, keys.signers.pubkey.pem));
  assert.deepEqual(await notifyRefund(ctx, { ...r, notify_url: undefined }), {
    sent: false,
    reason: 'the refund request had no notify_url',
  });
});

test('callbackBody encrypts the resource with AEAD_AES_256_GCM under the APIv3 key (associated data = original_type)', () => {
  const { ctx } = context();
  const resource = { out_trade_no: 'X1', amount: { total: 1 }, note: '中文 & "quotes"' };
  const body = JSON.parse(callbackBody(ctx, 'TRANSACTION.SUCCESS', '支付成功', 'transaction', resource));
  assert.equal(body.resource_type, 'encrypt-resource');
  assert.equal(body.resource.original_type, 'transaction');
  assert.equal(body.resource.associated_data, 'transaction');
  assert.match(body.resource.nonce, /^\d{12}$/);
  assert.deepEqual(JSON.parse(decrypt(body.resource)), resource);
});

test('notifyOnce: each attack kind is what its name says, on an unpaid order too', async () => {
  const { ctx, posts } = context();
  jsapi(ctx, order());
  const o = ctx.store.order('MOCK20261207001');
  await assert.rejects(notifyOnce(ctx, o, { kind: 'once' }), /pay it before notifying/);
  await assert.rejects(notifyOnce(ctx, o, { kind: 'sideways' }), /kind must be one of retry, once/);
  const pem = keys.signers.pubkey.pem;
  const now = Math.floor(Date.now() / 1000);
  for (const kind of ['forged', 'tampered', 'stale', 'probe', 'unknown-serial', 'wrong-amount']) {
    posts.length = 0;
    const out = await notifyOnce(ctx, o, { kind });
    assert.equal(out.kind, kind);
    const [p] = posts;
    const ts = Number(p.headers['Wechatpay-Timestamp']);
    if (kind === 'forged' || kind === 'tampered' || kind === 'probe')
      assert.ok(!verifies(p.headers, p.body, pem), kind);
    if (kind === 'stale') assert.ok(verifies(p.headers, p.body, pem) && now - ts >= 599, kind);
    if (kind === 'unknown-serial') assert.equal(p.headers['Wechatpay-Serial'], cfg.nextPublicKeyId);
    if (kind === 'wrong-amount') {
      assert.ok(verifies(p.headers, p.body, pem));
      assert.equal(JSON.parse(decrypt(JSON.parse(p.body).resource)).amount.total, 1);
    }
  }
  await assert.rejects(notifyOnce(ctx, o, { kind: 'wrong-amount', amount: 100 }), /other than the order's 100/);
  assert.equal(o.deliveries.length, 6);
});

test('certificates: none for a public-key merchant; in certificate mode the platform certificate, encrypted', () => {
  assert.throws(() => certificates(context().ctx, new URLSearchParams()), v3Code('RESOURCE_NOT_EXISTS', 404));
  const { ctx } = context({ mode: 'cert' });
  assert.throws(
    () => certificates(ctx, new URLSearchParams('algorithm_type=SM2')),
    (e) => e.detail.location === 'query',
  );
  const [c] = certificates(ctx, new URLSearchParams()).json.data;
  assert.equal(c.serial_no, cfg.platformSerial);
  assert.equal(decrypt(c.encrypt_certificate), readFileSync(join(keys.dir, 'platform_cert.pem'), 'utf8'));
});

test('handle: 404 and 405 before the signature, a signed JSON error answer, Request-ID on every answer', () => {
  const { ctx } = context();
  const url = (p) => new URL(p, 'http://mock');
  const none = handle(ctx, { method: 'GET', headers: {} }, url('/v3/nothing'), Buffer.alloc(0));
  assert.equal(none.status, 404);
  assert.equal(JSON.parse(none.body).code, 'NOT_FOUND');
  assert.ok(verifies(none.headers, none.body, keys.signers.pubkey.pem));
  assert.match(none.headers['Request-ID'], /^mock-[0-9a-f-]{36}$/);
  assert.equal(
    handle(ctx, { method: 'DELETE', headers: {} }, url('/v3/pay/transactions/jsapi'), Buffer.alloc(0)).status,
    405,
  );
  const big = handle(ctx, { method: 'POST', headers: {} }, url('/v3/pay/transactions/jsapi'), Buffer.alloc(11), 10);
  assert.equal(JSON.parse(big.body).detail.issue, 'body too large');
  const unsigned = handle(
    ctx,
    { method: 'POST', headers: {} },
    url('/v3/pay/transactions/jsapi'),
    Buffer.from(order()),
  );
  assert.equal(unsigned.status, 401);
  assert.equal(JSON.parse(unsigned.body).code, 'SIGN_ERROR');
});
