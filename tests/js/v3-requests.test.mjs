// wxpay-wasm/v3's request builders, error-answer parser and callback reply. Expected URLs
// and bodies are written out here from WeChat's API reference (paths, the `mchid` query,
// compact JSON bodies in the caller's order); each built request is then signed with
// `authorization` and checked with node:crypto, as a merchant server would send it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as v3 from '../../pkg/v3/node/index.mjs';
import { GENERATED as G, authMessage, parseAuthorization, rsaVerify } from './support/v3-reference.mjs';

const ORDER = {
  appid: G.appid,
  mchid: G.mchid,
  description: 'Image形象店-深圳腾大-QQ公仔',
  out_trade_no: '1217752501201407033233368018',
  notify_url: 'https://www.weixin.qq.com/wxpay/pay.php',
  amount: { total: 100, currency: 'CNY' },
  payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
};
const REFUND = {
  out_trade_no: '1217752501201407033233368018',
  out_refund_no: 'R20250101',
  reason: '商品已售完',
  amount: { refund: 50, total: 100, currency: 'CNY' },
};

const cases = [
  ['buildJsapiOrder', ORDER, { method: 'POST', url: '/v3/pay/transactions/jsapi', body: JSON.stringify(ORDER) }],
  [
    'buildQueryByOutTradeNo',
    { out_trade_no: 'T20250101-1', mchid: G.mchid },
    { method: 'GET', url: `/v3/pay/transactions/out-trade-no/T20250101-1?mchid=${G.mchid}`, body: '' },
  ],
  [
    'buildQueryById',
    { transaction_id: '4200000001202501010000000000', mchid: G.mchid },
    { method: 'GET', url: `/v3/pay/transactions/id/4200000001202501010000000000?mchid=${G.mchid}`, body: '' },
  ],
  [
    'buildCloseOrder',
    { out_trade_no: 'T20250101-1', mchid: G.mchid },
    { method: 'POST', url: '/v3/pay/transactions/out-trade-no/T20250101-1/close', body: `{"mchid":"${G.mchid}"}` },
  ],
  ['buildRefund', REFUND, { method: 'POST', url: '/v3/refund/domestic/refunds', body: JSON.stringify(REFUND) }],
  [
    'buildRefundQuery',
    { out_refund_no: 'R20250101' },
    { method: 'GET', url: '/v3/refund/domestic/refunds/R20250101', body: '' },
  ],
];

test('request builders: method, url and body as WeChat documents them, signed and verified', async () => {
  const key = await v3.importPrivateKey(G.keys.merchant.private_pkcs8);
  for (const [fn, fields, want] of cases) {
    const req = await v3[fn](fields);
    assert.deepEqual(req, want, fn);
    const h = await v3.authorization({
      mchId: G.mchid,
      serialNo: G.certificates.merchant.serial,
      privateKey: key,
      ...req,
    });
    const f = parseAuthorization(h);
    assert.ok(
      rsaVerify(
        G.keys.merchant.public_spki,
        authMessage(req.method, req.url, f.timestamp, f.nonce_str, req.body),
        f.signature,
      ),
      fn,
    );
  }
});

test('request builders refuse bad fields with exact codes', async () => {
  const bad = [
    ['buildJsapiOrder', { ...ORDER, notifyUrl: 'https://a.example/n' }, 'INVALID_FIELD'],
    ['buildJsapiOrder', { ...ORDER, amount: { total: 0 } }, 'INVALID_FIELD'],
    ['buildJsapiOrder', { ...ORDER, amount: { total: '100' } }, 'INVALID_FIELD'],
    ['buildJsapiOrder', { ...ORDER, notify_url: 'http://a.example/n' }, 'INVALID_FIELD'],
    ['buildJsapiOrder', { ...ORDER, payer: undefined }, 'MISSING_FIELD'],
    ['buildRefund', { ...REFUND, amount: { refund: 101, total: 100, currency: 'CNY' } }, 'INVALID_FIELD'],
    ['buildRefund', { ...REFUND, out_trade_no: undefined }, 'MISSING_FIELD'],
    ['buildRefund', { ...REFUND, transaction_id: '42000000' }, 'INVALID_FIELD'],
    ['buildQueryByOutTradeNo', { out_trade_no: 'T2025/../x', mchid: G.mchid }, 'INVALID_FIELD'],
    ['buildQueryById', { transaction_id: '42', mchid: 'abc' }, 'INVALID_FIELD'],
    ['buildRefundQuery', {}, 'MISSING_FIELD'],
    ['buildCloseOrder', null, 'INVALID_PARAM'],
    ['buildCloseOrder', ['x'], 'INVALID_PARAM'],
  ];
  for (const [fn, fields, code] of bad) {
    await assert.rejects(
      v3[fn](fields),
      (e) => e instanceof v3.WxPayError && e.code === code,
      `${fn} ${JSON.stringify(fields)}`,
    );
    assert.equal((await v3.buildRefundQuery({ out_refund_no: 'R1' })).url, '/v3/refund/domestic/refunds/R1');
  }
});

test('parseErrorResponse: WeChat error bodies become RESULT_FAIL with the catalogue, others RETURN_FAIL', async () => {
  const e = await v3.parseErrorResponse(
    400,
    '{"code":"PARAM_ERROR","message":"参数错误","detail":{"field":"/amount/total","value":0,"issue":"must be > 0","location":"body"}}',
  );
  assert.ok(e instanceof v3.WxPayError);
  assert.equal(e.code, 'RESULT_FAIL');
  assert.equal(e.errCode, 'PARAM_ERROR');
  assert.equal(e.retryable, false);
  assert.equal(e.field, '/amount/total');
  const sys = await v3.parseErrorResponse(500, Buffer.from('{"code":"SYSTEM_ERROR","message":"系统错误"}'));
  assert.equal(sys.code, 'RESULT_FAIL');
  assert.equal(sys.retryable, true);
  for (const [status, body] of [
    [502, '<html>bad gateway</html>'],
    [500, ''],
    [400, '{"message":"no code"}'],
  ]) {
    assert.equal((await v3.parseErrorResponse(status, body)).code, 'RETURN_FAIL', body);
  }
  await assert.rejects(v3.parseErrorResponse('400', '{}'), { code: 'INVALID_PARAM' });
});

test('notifyReply: 204 with no body, or 500 with {"code":"FAIL","message"}', async () => {
  assert.deepEqual(await v3.notifyReply(true), { status: 204, headers: {}, body: '' });
  const fail = await v3.notifyReply(false, '签名"错误"');
  assert.equal(fail.status, 500);
  assert.deepEqual(fail.headers, { 'Content-Type': 'application/json' });
  assert.deepEqual(JSON.parse(fail.body), { code: 'FAIL', message: '签名"错误"' });
  assert.deepEqual(JSON.parse((await v3.notifyReply(false)).body).code, 'FAIL');
  await assert.rejects(v3.notifyReply('yes'), { code: 'INVALID_PARAM' });
});
