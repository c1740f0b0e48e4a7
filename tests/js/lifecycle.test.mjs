// The order lifecycle through the built package, as users import it (ESM and CommonJS).
// Expected signatures and AES results are computed here with node:crypto, never by the
// package; refund-notification and response cases come from the shared public vectors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gunzipSync, gzipSync } from 'node:zlib';

import * as esm from '../../pkg/node/index.mjs';

const require = createRequire(import.meta.url);
const cjs = require('../../pkg/node/index.cjs');
const vectors = JSON.parse(readFileSync(new URL('../fixtures/wxpay-v2-public.json', import.meta.url), 'utf8'));
const refundCases = vectors.filter((v) => v.kind === 'refund_notify');
const responseCases = vectors.filter((v) => v.kind === 'response');

const KEY = '192006250b4c09247ec02edce69f6a2d';
const entries = [
  ['esm', esm],
  ['cjs', cjs],
];

// ---- independent crypto ----

const aesKey = (key) => Buffer.from(createHash('md5').update(key, 'utf8').digest('hex'), 'ascii');

function nodeDecrypt(b64, key) {
  const d = createDecipheriv('aes-256-ecb', aesKey(key), null);
  return Buffer.concat([d.update(Buffer.from(b64, 'base64')), d.final()]).toString('utf8');
}

function nodeEncrypt(buf, key) {
  const c = createCipheriv('aes-256-ecb', aesKey(key), null);
  return Buffer.concat([c.update(buf), c.final()]).toString('base64');
}

function nodeSign(fields, key, signType = 'MD5') {
  const text = Object.keys(fields)
    .filter((k) => k !== 'sign' && fields[k] !== '' && fields[k] != null)
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .concat(`key=${key}`)
    .join('&');
  const h = signType === 'MD5' ? createHash('md5') : createHmac('sha256', key);
  return h.update(text, 'utf8').digest('hex').toUpperCase();
}

const toXml = (fields) =>
  `<xml>${Object.entries(fields)
    .map(([k, v]) => `<${k}><![CDATA[${v}]]></${k}>`)
    .join('')}</xml>`;

function throwsCode(fn, code, extra = {}) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof esm.WxPayError || e instanceof cjs.WxPayError, `not a WxPayError: ${e}`);
    assert.equal(e.code, code, e.message);
    for (const [k, v] of Object.entries(extra)) assert.equal(e[k], v, k);
    return true;
  });
}

const cdata = (text, name) => new RegExp(`<${name}><!\\[CDATA\\[(.*?)\\]\\]></${name}>`).exec(text)[1];

// ---- refund notifications ----

test('the four refund_notify vectors decrypt to exactly their expected plaintext', () => {
  assert.equal(refundCases.length, 4);
  for (const [name, api] of entries) {
    for (const v of refundCases) {
      const plain = api.decryptReqInfo(v.req_info, v.key);
      assert.equal(plain, v.expected_plaintext, `${name} ${v.id}`);
      assert.equal(plain, nodeDecrypt(v.req_info, v.key), `${name} ${v.id} vs node:crypto`);
    }
  }
});

test('envelopes with a <root> plaintext go through decryptRefundNotify', () => {
  const withRoot = refundCases.filter((v) => v.xml && v.expected_plaintext.startsWith('<root>'));
  assert.equal(withRoot.length, 1);
  for (const [name, api] of entries) {
    for (const v of withRoot) {
      const r = api.decryptRefundNotify(v.xml, { key: v.key, mchId: '10000100' });
      for (const f of [
        'out_refund_no',
        'out_trade_no',
        'refund_id',
        'refund_fee',
        'total_fee',
        'refund_status',
        'refund_recv_accout',
        'success_time',
        'transaction_id',
      ]) {
        assert.equal(r[f], cdata(v.expected_plaintext, f), `${name} ${f}`);
      }
      assert.equal(r.return_code, 'SUCCESS');
      assert.equal(r.mch_id, '10000100');
      assert.equal(r.req_info, undefined);
      throwsCode(() => api.decryptRefundNotify(v.xml, { key: v.key, mchId: '1' }), 'MCH_ID_MISMATCH', {
        field: 'mch_id',
      });
    }
  }
});

test('a refund notification encrypted by node:crypto round-trips', () => {
  const inner = {
    out_refund_no: 'R20240229002',
    out_trade_no: 'T20240229002',
    refund_id: '50000000012024022900000001',
    refund_fee: '2',
    total_fee: '5',
    refund_status: 'SUCCESS',
    refund_recv_accout: '支付用户零钱',
  };
  const plain = `<root>\n${Object.entries(inner)
    .map(([k, v]) => `<${k}><![CDATA[${v}]]></${k}>`)
    .join('\n')}\n</root>`;
  const reqInfo = nodeEncrypt(Buffer.from(plain, 'utf8'), KEY);
  const xml = `<xml><return_code>SUCCESS</return_code><appid><![CDATA[wxA]]></appid><mch_id><![CDATA[100]]></mch_id><nonce_str>n</nonce_str><req_info><![CDATA[${reqInfo}]]></req_info></xml>`;
  for (const [, api] of entries) {
    assert.equal(api.decryptReqInfo(reqInfo, KEY), plain);
    assert.deepEqual(api.decryptRefundNotify(xml, { key: KEY, appid: 'wxA', mchId: '100' }), {
      ...inner,
      return_code: 'SUCCESS',
      appid: 'wxA',
      mch_id: '100',
      nonce_str: 'n',
    });
    throwsCode(() => api.decryptRefundNotify(xml, { key: KEY, appid: 'wxB' }), 'APPID_MISMATCH');
    throwsCode(() => api.decryptRefundNotify(xml, { key: 'another-key' }), 'DECRYPT_FAILED', { field: 'req_info' });
  }
});

test('tampered req_info is DECRYPT_FAILED and the next good call works', () => {
  const v = refundCases.find((c) => c.id === 'elixir-refund-notify');
  const raw = Buffer.from(v.req_info, 'base64');
  const flip = (i) => {
    const b = Buffer.from(raw);
    b[i] ^= 1;
    return b.toString('base64');
  };
  const bad = {
    'last byte flipped': flip(raw.length - 1),
    'byte in last block flipped': flip(raw.length - 7),
    'truncated by a block': raw.subarray(0, raw.length - 16).toString('base64'),
    'truncated by a byte': raw.subarray(0, raw.length - 1).toString('base64'),
    'truncated text': v.req_info.slice(0, -2),
    'not base64': 'not*base64*at*all',
    'url-safe base64': raw.toString('base64url'),
    empty: '',
  };
  for (const [, api] of entries) {
    for (const [what, reqInfo] of Object.entries(bad)) {
      throwsCode(() => api.decryptReqInfo(reqInfo, v.key), 'DECRYPT_FAILED');
      assert.equal(api.decryptReqInfo(v.req_info, v.key), v.expected_plaintext, `after ${what}`);
    }
    for (const c of refundCases) throwsCode(() => api.decryptReqInfo(c.req_info, `${c.key}x`), 'DECRYPT_FAILED');
    // Through the envelope: a flip in the first block garbles <root> itself.
    const tampered = v.xml.replace(v.req_info, flip(2));
    throwsCode(() => api.decryptRefundNotify(tampered, { key: v.key }), 'DECRYPT_FAILED');
    assert.equal(api.decryptRefundNotify(v.xml, { key: v.key }).refund_status, 'SUCCESS');
    throwsCode(() => api.decryptReqInfo(42, v.key), 'INVALID_PARAM');
    throwsCode(() => api.decryptReqInfo(v.req_info, ''), 'INVALID_PARAM');
  }
});

// ---- responses ----

test('the response vectors verify as expected', () => {
  for (const [name, api] of entries) {
    for (const v of responseCases) {
      if (v.xml || v.params.return_code) {
        const xml = v.xml ?? toXml(v.params);
        const run = () => api.parseResponse(xml, { key: v.key, signType: v.sign_type });
        if (v.expected_valid) assert.equal(run().sign, v.expected_sign, `${name} ${v.id}`);
        else assert.throws(run, (e) => e.code === 'SIGN_MISSING' || e.code === 'SIGN_MISMATCH', v.id);
      } else {
        assert.equal(api.verify(v.params, v.key, v.sign_type), v.expected_valid, `${name} ${v.id}`);
      }
    }
  }
});

test('RESULT_FAIL carries errCode, errCodeDes and a boolean retryable', () => {
  const reply = (code) => {
    const f = {
      return_code: 'SUCCESS',
      result_code: 'FAIL',
      err_code: code,
      err_code_des: '系统超时',
      nonce_str: 'abc',
    };
    return toXml({ ...f, sign: nodeSign(f, KEY) });
  };
  for (const [, api] of entries) {
    throwsCode(() => api.parseResponse(reply('SYSTEMERROR'), { key: KEY }), 'RESULT_FAIL', {
      errCode: 'SYSTEMERROR',
      errCodeDes: '系统超时',
      retryable: true,
    });
    throwsCode(() => api.parseResponse(reply('ORDERPAID'), { key: KEY }), 'RESULT_FAIL', { retryable: false });
    throwsCode(() => api.parseResponse(reply('NEW_CODE'), { key: KEY }), 'RESULT_FAIL', { retryable: undefined });
    // The catalogue's words are appended in JS (the wasm does not carry them): the same
    // message as before that move, written out here by hand.
    assert.throws(() => api.parseResponse(reply('ORDERPAID'), { key: KEY }), {
      message:
        'WeChat answered result_code FAIL: ORDERPAID 系统超时 (The order is already paid. Do not charge again and do not close it: ' +
        'mark the order paid (query it to get transaction_id); refund if the payment was unwanted.)',
    });
    assert.throws(() => api.parseResponse(reply('NEW_CODE'), { key: KEY }), {
      message: 'WeChat answered result_code FAIL: NEW_CODE 系统超时',
    });
    throwsCode(
      () =>
        api.parseResponse('<xml><return_code>FAIL</return_code><return_msg>签名错误</return_msg></xml>', { key: KEY }),
      'RETURN_FAIL',
      { returnMsg: '签名错误' },
    );
    throwsCode(
      () =>
        api.parseResponse('<xml><return_code>SUCCESS</return_code><result_code>SUCCESS</result_code></xml>', {
          key: KEY,
        }),
      'SIGN_MISSING',
    );
  }
});

test('the error catalogue', () => {
  for (const [, api] of entries) {
    const all = api.errorCatalogue();
    assert.ok(all.length >= 25);
    for (const e of all) {
      assert.equal(typeof e.retryable, 'boolean');
      assert.match(e.zh, /[\u4e00-\u9fff]/, e.code);
      assert.ok(e.en && e.action && e.apis.length, e.code);
      for (const a of e.apis) assert.ok(a in api.API_PATHS, `${e.code}: ${a}`);
    }
    assert.deepEqual(api.describeErrCode('BIZERR_NEED_RETRY').apis, ['refund']);
    assert.equal(api.describeErrCode('BIZERR_NEED_RETRY').retryable, true);
    assert.equal(api.describeErrCode('NOPE'), undefined);
    // Callers get copies: changing one cannot change what the next call returns.
    api.describeErrCode('SYSTEMERROR').apis.push('x');
    api.errorCatalogue()[0].retryable = false;
    assert.deepEqual(api.describeErrCode('SYSTEMERROR').apis, [
      'unifiedOrder',
      'orderQuery',
      'closeOrder',
      'refund',
      'refundQuery',
    ]);
    assert.equal(api.errorCatalogue()[0].retryable, true);
  }
});

// ---- request builders ----

const base = { appid: 'wx2421b1c4370ec43b', mch_id: '10000100' };
const requests = {
  buildOrderQueryXml: { ...base, out_trade_no: '1415757673' },
  buildCloseOrderXml: { ...base, out_trade_no: '1415757673' },
  buildRefundXml: {
    ...base,
    out_trade_no: '1415757673',
    out_refund_no: 'R1415757673',
    total_fee: 100,
    refund_fee: 60,
    refund_desc: '部分退款',
    notify_url: 'https://example.com/wx/refund',
  },
  buildRefundQueryXml: { ...base, refund_id: '2008450740201411110000174436', offset: 10 },
  buildDownloadBillXml: { ...base, bill_date: '20240229', bill_type: 'REFUND' },
};
const required = {
  buildOrderQueryXml: { appid: 'appid', mch_id: 'mch_id', out_trade_no: 'transaction_id' },
  buildCloseOrderXml: { appid: 'appid', mch_id: 'mch_id', out_trade_no: 'out_trade_no' },
  buildRefundXml: {
    appid: 'appid',
    mch_id: 'mch_id',
    out_trade_no: 'transaction_id',
    out_refund_no: 'out_refund_no',
    total_fee: 'total_fee',
    refund_fee: 'refund_fee',
  },
  buildRefundQueryXml: { appid: 'appid', mch_id: 'mch_id', refund_id: 'refund_id' },
  buildDownloadBillXml: { appid: 'appid', mch_id: 'mch_id', bill_date: 'bill_date', bill_type: 'bill_type' },
};

test('every builder round-trips: build, parse back, verify the sign with node:crypto', () => {
  for (const [, api] of entries) {
    for (const [fn, req] of Object.entries(requests)) {
      for (const signType of ['MD5', 'HMAC-SHA256']) {
        const xml = api[fn](req, { key: KEY, signType });
        const back = api.parseXml(xml);
        for (const [k, v] of Object.entries(req)) assert.equal(back[k], String(v), `${fn} ${k}`);
        assert.match(back.nonce_str, /^[A-Za-z0-9]{32}$/);
        assert.equal(back.sign_type, signType === 'MD5' ? undefined : signType);
        assert.equal(back.sign, nodeSign(back, KEY, signType), `${fn} ${signType}`);
        assert.ok(api.verify(back, KEY));
      }
    }
    const sk = api.parseXml(api.buildSandboxSignKeyXml({ mch_id: 1379063802, key: KEY }));
    assert.deepEqual(Object.keys(sk).sort(), ['mch_id', 'nonce_str', 'sign']);
    assert.equal(sk.sign, nodeSign(sk, KEY));
    throwsCode(() => api.buildSandboxSignKeyXml({ mch_id: '1' }), 'INVALID_PARAM');
    throwsCode(() => api.buildSandboxSignKeyXml({ key: KEY }), 'MISSING_FIELD', { field: 'mch_id' });
  }
});

test('a missing required field is named, per builder and field', () => {
  for (const [, api] of entries) {
    for (const [fn, fields] of Object.entries(required)) {
      for (const [field, named] of Object.entries(fields)) {
        const req = { ...requests[fn] };
        delete req[field];
        throwsCode(() => api[fn](req, { key: KEY }), 'MISSING_FIELD', { field: named });
        throwsCode(() => api[fn]({ ...requests[fn], [field]: '' }, { key: KEY }), 'MISSING_FIELD', { field: named });
      }
      throwsCode(() => api[fn](requests[fn], {}), 'INVALID_PARAM');
    }
  }
});

test('invalid values are refused with the field named', () => {
  const bad = [
    ['buildRefundXml', { refund_fee: 101 }, 'refund_fee'],
    ['buildRefundXml', { total_fee: 1.5 }, 'total_fee'],
    ['buildRefundXml', { out_refund_no: 'has space' }, 'out_refund_no'],
    ['buildRefundXml', { notify_url: 'https://example.com/?q=1' }, 'notify_url'],
    ['buildDownloadBillXml', { bill_date: '20230229' }, 'bill_date'],
    ['buildDownloadBillXml', { bill_type: 'EVERYTHING' }, 'bill_type'],
    ['buildDownloadBillXml', { tar_type: 'ZIP' }, 'tar_type'],
    ['buildOrderQueryXml', { out_trade_no: 'x'.repeat(33) }, 'out_trade_no'],
    ['buildRefundQueryXml', { offset: -1 }, 'offset'],
  ];
  for (const [, api] of entries) {
    for (const [fn, change, field] of bad) {
      throwsCode(() => api[fn]({ ...requests[fn], ...change }, { key: KEY }), 'INVALID_FIELD', { field });
    }
  }
});

test('API_PATHS and CLIENT_CERT_APIS', () => {
  for (const [, api] of entries) {
    assert.deepEqual(
      { ...api.API_PATHS },
      {
        unifiedOrder: '/pay/unifiedorder',
        orderQuery: '/pay/orderquery',
        closeOrder: '/pay/closeorder',
        refund: '/secapi/pay/refund',
        refundQuery: '/pay/refundquery',
        downloadBill: '/pay/downloadbill',
        sandboxSignKey: '/sandboxnew/pay/getsignkey',
      },
    );
    assert.ok(Object.isFrozen(api.API_PATHS));
    assert.deepEqual([...api.CLIENT_CERT_APIS], ['refund']);
  }
  assert.equal(esm.default.API_PATHS, cjs.API_PATHS);
});

test('the sandbox sign key reply', () => {
  const reply =
    '<xml>\n<return_code><![CDATA[SUCCESS]]></return_code>\n<return_msg><![CDATA[ok]]></return_msg>\n<sandbox_signkey><![CDATA[0123456789abcdef0123456789abcdef]]></sandbox_signkey>\n</xml>';
  for (const [, api] of entries) {
    assert.equal(api.parseSandboxSignKeyResponse(reply, { key: KEY }), '0123456789abcdef0123456789abcdef');
    throwsCode(
      () =>
        api.parseSandboxSignKeyResponse(
          '<xml><return_code>FAIL</return_code><return_msg>mch_id invalid</return_msg></xml>',
          { key: KEY },
        ),
      'RETURN_FAIL',
    );
  }
});

// ---- bills and indexed fields ----

const HEAD =
  '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注';
const row = (values) => values.map((v) => `\`${v}`).join(',');
const trade1 = [
  '2024-02-29 10:12:37',
  'wx2421b1c4370ec43b',
  '10000100',
  '0',
  '',
  '4200000001202402290000000001',
  'T1',
  'oUpF8uN95-Ptaags6E_roPHg7AG0',
  'JSAPI',
  'SUCCESS',
  'CMC',
  'CNY',
  '0.01',
  '0.00',
  '0',
  '0',
  '0.00',
  '0.00',
  '',
  '',
  '咖啡, 大杯',
  '',
  '0.00000',
  '0.60%',
  '0.01',
  '0.00',
  '',
];
const SUMHEAD = '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额';
const BILL =
  [HEAD, row(trade1), SUMHEAD, row(['1', '0.01', '0.00', '0.00', '0.00000', '0.01', '0.00'])].join('\r\n') + '\r\n';

test('parseBill on a bill composed from the documented format (and its GZIP form)', () => {
  const headers = HEAD.split(',');
  for (const [, api] of entries) {
    for (const text of [BILL, gunzipSync(gzipSync(Buffer.from(BILL, 'utf8'))).toString('utf8')]) {
      const b = api.parseBill(text);
      assert.deepEqual(b.headers, headers);
      assert.equal(b.rows.length, 1);
      assert.deepEqual(b.rows[0], Object.fromEntries(headers.map((h, i) => [h, trade1[i]])));
      assert.equal(b.summary.总交易单数, '1');
    }
    throwsCode(
      () => api.parseBill('<xml><return_code>FAIL</return_code><return_msg>No Bill Exist</return_msg></xml>'),
      'RETURN_FAIL',
      { returnMsg: 'No Bill Exist' },
    );
    throwsCode(() => api.parseBill([HEAD, row(trade1)].join('\n')), 'INVALID_PARAM');
    assert.equal(api.parseBill(BILL).rows.length, 1, 'works after a failure');
  }
});

test('groupIndexed on the refund-query vector and a two-level list', () => {
  const v = responseCases.find((c) => c.id === 'elixir-query_refund-response');
  for (const [, api] of entries) {
    const fields = api.parseResponse(v.xml, { key: v.key });
    const g = api.groupIndexed(fields);
    assert.equal(g.fields.refund_count, '1');
    assert.equal(g.fields.refund_id_0, undefined);
    assert.deepEqual(g.items, [
      {
        fields: {
          out_refund_no: '1415701182',
          refund_fee: '1',
          refund_id: '2008450740201411110000174436',
          refund_status: 'PROCESSING',
        },
        items: [],
      },
    ]);
    const two = api.groupIndexed({
      coupon_fee: 30,
      coupon_fee_0: 10,
      coupon_fee_1: 20,
      coupon_refund_fee_0_0: '4',
      coupon_refund_fee_0_1: '6',
    });
    assert.deepEqual(two, {
      fields: { coupon_fee: '30' },
      items: [
        { fields: { coupon_fee: '10' }, items: [{ coupon_refund_fee: '4' }, { coupon_refund_fee: '6' }] },
        { fields: { coupon_fee: '20' }, items: [] },
      ],
    });
    throwsCode(() => api.groupIndexed({ refund_id_1: 'x' }), 'INVALID_FIELD');
  }
});

test('ESM and CommonJS entries export the lifecycle functions', () => {
  const names = [
    'buildOrderQueryXml',
    'buildCloseOrderXml',
    'buildRefundXml',
    'buildRefundQueryXml',
    'buildDownloadBillXml',
    'buildSandboxSignKeyXml',
    'parseSandboxSignKeyResponse',
    'parseResponse',
    'parseBill',
    'groupIndexed',
    'decryptReqInfo',
    'decryptRefundNotify',
    'describeErrCode',
    'errorCatalogue',
  ];
  for (const n of names) {
    assert.equal(typeof esm[n], 'function', `esm ${n}`);
    assert.equal(typeof cjs[n], 'function', `cjs ${n}`);
    assert.equal(esm.default[n], cjs[n]);
  }
});

test('random and oversized input never traps; the next good call works', () => {
  const v = refundCases.find((c) => c.id === 'sigoden-refund-decode');
  let seed = 42;
  const rand = (n) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const bytes = (n) => Buffer.from(Array.from({ length: n }, () => rand(256)));
  for (const [, api] of entries) {
    for (let i = 0; i < 300; i++) {
      const attempts = [
        () => api.decryptReqInfo(bytes(rand(80)).toString('base64'), v.key),
        () => api.decryptReqInfo(bytes(rand(40)).toString('latin1'), v.key),
        () => api.parseBill(bytes(rand(200)).toString('utf8')),
        () =>
          api.decryptRefundNotify(
            `<xml><return_code>SUCCESS</return_code><req_info>${bytes(rand(64)).toString('base64')}</req_info></xml>`,
            { key: v.key },
          ),
      ];
      for (const attempt of attempts) {
        try {
          attempt();
        } catch (e) {
          assert.ok(e instanceof api.WxPayError, `${e}`);
        }
      }
    }
    assert.equal(api.decryptReqInfo(v.req_info, v.key), v.expected_plaintext);
    const big = `<xml><return_code>SUCCESS</return_code><req_info>${'A'.repeat(70000)}</req_info></xml>`;
    throwsCode(() => api.decryptRefundNotify(big, { key: v.key }), 'INPUT_TOO_LARGE');
    assert.throws(
      () => api.decryptRefundNotify(big, { key: v.key, maxBytes: 80000 }),
      (e) => e.code === 'DECRYPT_FAILED',
    );
  }
});

test('the browser entry loads, refuses calls before init, then decrypts', async () => {
  const web = await import('../../pkg/web/index.js');
  assert.equal(web.API_PATHS.refund, '/secapi/pay/refund');
  assert.deepEqual([...web.CLIENT_CERT_APIS], ['refund']);
  const v = refundCases.find((c) => c.id === 'sigoden-refund-decode');
  assert.throws(
    () => web.decryptReqInfo(v.req_info, v.key),
    (e) => e instanceof web.WxPayError && e.code === 'INVALID_PARAM' && /init\(\)/.test(e.message),
  );
  await web.init(readFileSync(new URL('../../pkg/web/wxpay_wasm_bg.wasm', import.meta.url)));
  assert.equal(web.decryptReqInfo(v.req_info, v.key), v.expected_plaintext);
  assert.throws(
    () => web.decryptReqInfo('nope', v.key),
    (e) => e instanceof web.WxPayError && e.code === 'DECRYPT_FAILED',
  );
  assert.equal(web.describeErrCode('SYSTEMERROR').retryable, true);
});
