// The v3 product pages' blocks (docs/guide/v3-*.md, each after `<!-- tested: NAME -->`), run
// as written against the fake WeChat (support/fake-wechat-v3.mjs, node:crypto only): the
// block's `wechat` is a v3 client of the built package whose baseUrl is the fake. Each block
// runs as an ES module with `export { … }` appended so the test can read what it computed;
// then the requests the fake recorded are checked — Authorization verified, Wechatpay-Serial
// the platform key's, the paths and bodies the page promises, encrypted fields opened with the
// platform private key, the App paySign verified with node:crypto.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createVerify } from 'node:crypto';
import { fileURLToPath } from 'node:url';

import { read, taggedBlock } from './support/markdown.mjs';
import { startFakeWeChat } from './support/fake-wechat-v3.mjs';
import { APPID, MCHID, fakeClient, fakeMerchant } from './support/fake-v3-client.mjs';
import { productRoutes } from './support/v3-product-routes.mjs';

const merchant = fakeMerchant();
const guide = (page) => fileURLToPath(new URL(`../../docs/guide/${page}`, import.meta.url));
const { routes } = productRoutes({ mchId: MCHID, appid: APPID });
let fake;

before(async () => {
  fake = await startFakeWeChat({ routes, merchant });
  globalThis.wechat = fakeClient(fake, merchant);
});
after(async () => {
  delete globalThis.wechat;
  await fake.close();
});

/** Runs the block `name` of `page`; resolves with { exports, requests, lines } (every request checked). */
async function run(page, name, exports) {
  const code = `${taggedBlock(read(guide(page)), name)}\nexport { ${exports.join(', ')} };\n`;
  const from = fake.requests.length;
  const m = await import(`data:text/javascript;charset=utf-8,${encodeURIComponent(code)}`);
  const requests = fake.requests.slice(from);
  for (const r of requests) {
    assert.equal(r.verified, true, `${name}: ${r.method} ${r.url}: Authorization verified`);
    assert.equal(r.serial, fake.platform.serial, `${name}: ${r.method} ${r.url}: Wechatpay-Serial`);
  }
  return { exports: m, requests, lines: requests.map((r) => `${r.method} ${r.url}`) };
}
const paySignOk = (p) =>
  createVerify('RSA-SHA256')
    .update(`${p.appid}\n${p.timestamp}\n${p.noncestr}\n${p.prepayid}\n`)
    .verify(merchant.publicKey, p.sign, 'base64');

test('v3-any-path.md: get with params and query, post, delete → null; a field encrypted with wechat.encrypt', async () => {
  const { exports, lines } = await run('v3-any-path.md', 'any-path', ['refund', 'order', 'removed']);
  assert.deepEqual(lines, [
    'GET /v3/refund/domestic/refunds/R20261207001?sub_mchid=1900000110',
    'POST /v3/pay/transactions/native',
    'DELETE /v3/merchant-service/complaint-notifications',
  ]);
  assert.equal(exports.refund.out_refund_no, 'R20261207001');
  assert.equal(exports.order.code_url, 'weixin://wxpay/bizpayurl?pr=abc');
  assert.equal(exports.removed, null);
  const sensitive = await run('v3-any-path.md', 'any-path-sensitive', ['sealed']);
  assert.equal(fake.decrypt(sensitive.requests[0].json.name), '张三');
});

test('v3-native-h5-app.md: native, h5, app and the App PayReq; combine; abnormal refund with encrypted fields', async () => {
  const { exports, requests, lines } = await run('v3-native-h5-app.md', 'native-h5-app', [
    'code_url',
    'h5_url',
    'payReq',
  ]);
  assert.deepEqual(lines, [
    'POST /v3/pay/transactions/native',
    'POST /v3/pay/transactions/h5',
    'POST /v3/pay/transactions/app',
  ]);
  for (const r of requests) assert.deepEqual([r.json.appid, r.json.mchid], [APPID, MCHID]);
  assert.equal(exports.code_url, 'weixin://wxpay/bizpayurl?pr=abc');
  assert.match(exports.h5_url, /^https:\/\//);
  assert.equal(exports.payReq.package, 'Sign=WXPay');
  assert.equal(exports.payReq.partnerid, MCHID);
  assert.ok(paySignOk(exports.payReq), 'the App sign verifies with the merchant public key');
  const combine = await run('v3-native-h5-app.md', 'combine', ['combined', 'state']);
  assert.deepEqual(combine.lines, [
    'POST /v3/combine-transactions/native',
    'GET /v3/combine-transactions/out-trade-no/C20261207001',
    'POST /v3/combine-transactions/out-trade-no/C20261207001/close',
  ]);
  assert.deepEqual([combine.requests[0].json.combine_appid, combine.requests[0].json.combine_mchid], [APPID, MCHID]);
  assert.equal(combine.requests[2].json.combine_appid, APPID);
  const abnormal = await run('v3-native-h5-app.md', 'abnormal-refund', ['applied']);
  const body = abnormal.requests[0].json;
  assert.equal(fake.decrypt(body.bank_account), '6212260000000000000');
  assert.equal(fake.decrypt(body.real_name), '张三');
  assert.equal(abnormal.exports.applied.refund_id, '50000000382019052709732678859');
});

test('v3-partner.md: a partner order, its query and refund, the App PayReq for the sub-merchant', async () => {
  const { exports, requests, lines } = await run('v3-partner.md', 'partner', ['prepay_id', 'paid', 'refund', 'app']);
  assert.deepEqual(lines, [
    'POST /v3/pay/partner/transactions/jsapi',
    `GET /v3/pay/partner/transactions/out-trade-no/P20261207001?sp_mchid=${MCHID}&sub_mchid=1900000110`,
    'POST /v3/refund/domestic/refunds',
  ]);
  assert.deepEqual(
    [requests[0].json.sp_appid, requests[0].json.sp_mchid, requests[0].json.sub_mchid],
    [APPID, MCHID, '1900000110'],
  );
  assert.equal(requests[2].json.sub_mchid, '1900000110');
  assert.equal(exports.paid.trade_state, 'SUCCESS');
  assert.equal(exports.refund.out_refund_no, 'PR20261207001');
  assert.deepEqual([exports.app.appid, exports.app.partnerid], ['wx8888888888888888', '1900000110']);
  assert.ok(paySignOk(exports.app));
});

test('v3-profit-sharing.md: receiver (name encrypted), order, query, amounts', async () => {
  const { exports, requests, lines } = await run('v3-profit-sharing.md', 'profit-sharing', ['shared', 'later', 'left']);
  assert.deepEqual(lines, [
    'POST /v3/profitsharing/receivers/add',
    'POST /v3/profitsharing/orders',
    'GET /v3/profitsharing/orders/PS20261207001?transaction_id=4208450740201411110007820472',
    'GET /v3/profitsharing/transactions/4208450740201411110007820472/amounts',
  ]);
  assert.equal(fake.decrypt(requests[0].json.name), '李四');
  assert.equal(requests[1].json.appid, APPID);
  assert.equal(exports.shared.out_order_no, 'PS20261207001');
  assert.equal(typeof exports.left.unsplit_amount, 'number');
});

test('v3-transfers.md: create (user_name encrypted), transferParams, query, cancel', async () => {
  const { exports, requests, lines } = await run('v3-transfers.md', 'transfers', [
    'bill',
    'forMiniProgram',
    'now',
    'cancelled',
  ]);
  assert.deepEqual(lines, [
    'POST /v3/fund-app/mch-transfer/transfer-bills',
    'GET /v3/fund-app/mch-transfer/transfer-bills/out-bill-no/plfk2020042013',
    'POST /v3/fund-app/mch-transfer/transfer-bills/out-bill-no/plfk2020042013/cancel',
  ]);
  assert.equal(fake.decrypt(requests[0].json.user_name), '张三');
  assert.equal(requests[0].json.appid, APPID);
  assert.deepEqual(exports.forMiniProgram, { mchId: MCHID, appId: APPID, package: exports.bill.package_info });
  assert.equal(exports.cancelled.state, 'CANCELING');
});

test('v3-complaints.md: list, detail, reply, complete, callback URL', async () => {
  const { exports, requests, lines } = await run('v3-complaints.md', 'complaints', ['page', 'detail', 'hook']);
  const id = '200201820200101080076610000';
  assert.deepEqual(lines, [
    'GET /v3/merchant-service/complaints-v2?begin_date=2026-12-01&end_date=2026-12-07&limit=10',
    `GET /v3/merchant-service/complaints-v2/${id}`,
    `POST /v3/merchant-service/complaints-v2/${id}/response`,
    `POST /v3/merchant-service/complaints-v2/${id}/complete`,
    'POST /v3/merchant-service/complaint-notifications',
  ]);
  assert.equal(requests[2].json.complainted_mchid, MCHID);
  assert.equal(exports.detail.complaint_id, id);
  assert.equal(exports.hook.url, 'https://shop.example.com/wxpay/complaints');
});
