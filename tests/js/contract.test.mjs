// The generated contract (js/contract.json, from src/contract) drives these checks:
// every export that takes an options object refuses a name the contract does not list
// for it (with the closest valid name suggested) and accepts every name it does list;
// the package's tables (codes, causes, details, endpoints, limits) are the contract's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import wxpay from '../../pkg/node/index.mjs';

const CONTRACT = JSON.parse(readFileSync(new URL('../../js/contract.json', import.meta.url), 'utf8'));
const VECTORS = JSON.parse(readFileSync(new URL('../fixtures/wxpay-v2-public.json', import.meta.url), 'utf8'));
const KEY = '192006250b4c09247ec02edce69f6a2d';

// Independent signing and XML (node:crypto), for the messages the calls read.
function refSign(fields, key) {
  const pairs = Object.keys(fields)
    .filter((k) => k !== 'sign' && fields[k] !== '')
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('&');
  return createHash('md5').update(`${pairs}&key=${key}`).digest('hex').toUpperCase();
}
const xmlOf = (f) =>
  `<xml>${Object.entries(f)
    .map(([k, v]) => `<${k}><![CDATA[${v}]]></${k}>`)
    .join('')}</xml>`;
const signed = (f) => xmlOf({ ...f, sign: refSign(f, KEY) });

const NOTIFY_FIELDS = {
  appid: 'wxd930ea5d5a258f4f',
  mch_id: '10000100',
  nonce_str: 'n',
  return_code: 'SUCCESS',
  result_code: 'SUCCESS',
  out_trade_no: '1409811653',
  total_fee: '1',
  transaction_id: '1004400740201409030005092168',
};
const REPLY = signed({
  return_code: 'SUCCESS',
  result_code: 'SUCCESS',
  appid: 'wx1',
  mch_id: '1',
  nonce_str: 'n',
  prepay_id: 'wx2014',
  trade_type: 'JSAPI',
});
const ORDER = {
  appid: 'wxd930ea5d5a258f4f',
  mch_id: '10000100',
  body: 'test',
  out_trade_no: '1415659990',
  total_fee: 1,
  spbill_create_ip: '14.23.150.211',
  notify_url: 'https://example.com/notify',
  trade_type: 'JSAPI',
  openid: 'o1',
};
const MERCHANT = { appid: 'wx2421b1c4370ec43b', mch_id: '10000100' };
const SIGNING = { key: KEY, signType: 'MD5' };
const GOPAY = VECTORS.find((v) => v.id === 'gopay-refund-reqinfo');
const REFUND_NOTIFY = `<xml><return_code>SUCCESS</return_code><appid>wx2421b1c4370ec43b</appid><mch_id>10000100</mch_id><nonce_str>n</nonce_str><req_info><![CDATA[${GOPAY.req_info}]]></req_info></xml>`;

/**
 * A call that succeeds for each function of the contract, with every documented option
 * given a right value: [arguments before the options, the options].
 */
const CALLS = {
  parseXml: [[signed(NOTIFY_FIELDS)], { maxBytes: 65536 }],
  buildUnifiedOrderXml: [[ORDER], SIGNING],
  parseUnifiedOrderResponse: [[REPLY], SIGNING],
  parseResponse: [[REPLY], SIGNING],
  requestPaymentParams: [
    [],
    { appId: 'wx1', prepayId: 'wx2014', key: KEY, signType: 'MD5', timeStamp: '1414561699', nonceStr: 'n' },
  ],
  verifyNotify: [
    [signed(NOTIFY_FIELDS)],
    {
      key: KEY,
      signType: 'MD5',
      maxBytes: 65536,
      appid: 'wxd930ea5d5a258f4f',
      mchId: '10000100',
      outTradeNo: '1409811653',
      totalFee: 1,
    },
  ],
  buildNotifyXml: [[{ appid: 'wx1', mch_id: '1', out_trade_no: 'o1', total_fee: 1 }], SIGNING],
  buildOrderQueryXml: [[{ ...MERCHANT, out_trade_no: '1415757673' }], SIGNING],
  buildCloseOrderXml: [[{ ...MERCHANT, out_trade_no: '1415757673' }], SIGNING],
  buildRefundXml: [
    [{ ...MERCHANT, out_trade_no: '1415757673', out_refund_no: 'R1', total_fee: 100, refund_fee: 60 }],
    SIGNING,
  ],
  buildRefundQueryXml: [[{ ...MERCHANT, out_refund_no: 'R1' }], SIGNING],
  buildDownloadBillXml: [[{ ...MERCHANT, bill_date: '20240229', bill_type: 'ALL' }], SIGNING],
  parseSandboxSignKeyResponse: [
    ['<xml><return_code>SUCCESS</return_code><sandbox_signkey>abc</sandbox_signkey></xml>'],
    { key: KEY },
  ],
  decryptRefundNotify: [
    [REFUND_NOTIFY],
    { key: GOPAY.key, appid: 'wx2421b1c4370ec43b', mchId: '10000100', maxBytes: 65536 },
  ],
};

const functions = Object.entries(CONTRACT.functions.v2);

/** Misspellings a person makes: snake_case, all lower case, one letter dropped. */
function misspellings(name) {
  const out = new Set([
    name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
    name.toLowerCase(),
    name.toUpperCase(),
    name.slice(0, -1),
  ]);
  out.delete(name);
  return [...out];
}

test('the contract lists every export it names, and this test has a call for each', () => {
  assert.ok(functions.length >= 10);
  for (const [fn] of functions) {
    assert.equal(typeof wxpay[fn], 'function', `${fn} is not exported`);
    assert.ok(CALLS[fn], `no call for ${fn} in this test`);
  }
  assert.deepEqual(Object.keys(CALLS).sort(), functions.map(([fn]) => fn).sort());
});

for (const [fn, names] of functions) {
  test(`${fn}: every documented option accepted, a misspelled one refused`, () => {
    const [args, opts] = CALLS[fn];
    assert.deepEqual(
      Object.keys(opts).sort(),
      [...names].sort(),
      `${fn}: the call covers exactly the documented options`,
    );
    wxpay[fn](...args, { ...opts }); // all documented options at once: accepted
    for (const name of names) {
      for (const wrong of misspellings(name)) {
        if (names.includes(wrong)) continue;
        const bad = { ...opts, [wrong]: opts[name] };
        assert.throws(
          () => wxpay[fn](...args, bad),
          (e) => {
            assert.ok(e instanceof wxpay.WxPayError, `${fn} ${wrong}: ${e}`);
            assert.equal(e.code, 'INVALID_PARAM', `${fn} ${wrong}`);
            assert.ok(
              e.message.includes(`unknown option "${wrong}" — did you mean "${name}"?`),
              `${fn} ${wrong}: ${e.message}`,
            );
            return true;
          },
        );
      }
    }
    // A name close to nothing gets no guess, but the list of valid names.
    assert.throws(
      () => wxpay[fn](...args, { ...opts, zzzzzzzzzz: 1 }),
      (e) => {
        assert.equal(e.code, 'INVALID_PARAM');
        assert.ok(e.message.includes('unknown option "zzzzzzzzzz"') && !e.message.includes('did you mean'), e.message);
        for (const name of names) assert.ok(e.message.includes(`"${name}"`), e.message);
        return true;
      },
    );
  });
}

test("the issue's own example: total_fee / out_trade_no / totalfee no longer turn a check off", () => {
  const xml = signed(NOTIFY_FIELDS);
  for (const [wrong, right] of [
    ['total_fee', 'totalFee'],
    ['out_trade_no', 'outTradeNo'],
    ['totalfee', 'totalFee'],
  ]) {
    assert.throws(
      () => wxpay.verifyNotify(xml, { key: KEY, [wrong]: 1 }),
      (e) => e.code === 'INVALID_PARAM' && e.message.includes(`unknown option "${wrong}" — did you mean "${right}"?`),
    );
  }
});

test('parameter objects keep accepting any field name', () => {
  const s = wxpay.sign({ appid: 'wx1', some_new_wechat_field: 'x' }, KEY);
  assert.equal(s, refSign({ appid: 'wx1', some_new_wechat_field: 'x' }, KEY));
  assert.ok(
    wxpay
      .buildOrderQueryXml({ ...MERCHANT, out_trade_no: '1', brand_new_field: 'y' }, SIGNING)
      .includes('brand_new_field'),
  );
});

test("the package's tables are the contract's", () => {
  assert.deepEqual(
    [...wxpay.ERROR_CODES],
    CONTRACT.codes.map((c) => c.code),
  );
  assert.deepEqual(
    [...wxpay.DIAGNOSIS_CAUSES],
    CONTRACT.causes.map((c) => c.cause),
  );
  for (const c of CONTRACT.causes) assert.equal(wxpay.DIAGNOSIS_TEXTS[c.cause], c.en);
  assert.deepEqual({ ...wxpay.API_PATHS }, Object.fromEntries(CONTRACT.endpoints.v2.map((e) => [e.name, e.path])));
  assert.deepEqual(
    [...wxpay.CLIENT_CERT_APIS],
    CONTRACT.endpoints.v2.filter((e) => e.clientCert).map((e) => e.name),
  );
  const e = new wxpay.WxPayError('INVALID_PARAM', 'm', Object.fromEntries(CONTRACT.details.map((d) => [d, d])));
  for (const d of CONTRACT.details) assert.equal(e[d], d);
  assert.equal(CONTRACT.limits.nonceLengthMax, 32);
  assert.equal(wxpay.nonceStr().length, CONTRACT.limits.nonceLengthMax);
  assert.throws(
    () => wxpay.nonceStr(CONTRACT.limits.nonceLengthMax + 1),
    (x) => x.code === 'INVALID_PARAM',
  );
  assert.throws(
    () => wxpay.parseXml('<xml></xml>', { maxBytes: CONTRACT.limits.maxBytesCeiling + 1 }),
    (x) => x.code === 'INVALID_PARAM',
  );
});

test('WxPayError is one class across the CommonJS and ESM entries and the shared core', () => {
  const require = createRequire(import.meta.url);
  const cjs = require('../../pkg/node/index.cjs');
  const core = require('../../pkg/core/index.cjs');
  assert.equal(cjs.WxPayError, wxpay.WxPayError);
  assert.equal(core.WxPayError, wxpay.WxPayError);
  assert.throws(
    () => cjs.verifyNotify('<xml/>', { key: KEY, total_fee: 1 }),
    (e) => e instanceof core.WxPayError && e instanceof wxpay.WxPayError,
  );
});

// The types agree with the contract: tests/js/types.test.mjs (compiled with tsc --strict).
