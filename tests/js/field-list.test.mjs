// The field-list wire format (issue 15, `field_list` in src/wasm/fields.rs, `fieldList` in
// js/core/boundary.js): parameter objects of strings and safe integers cross into wasm as
// `\0count\0name\0value\0…`, everything else as JSON. Both paths must sign the same bytes,
// so each case here is checked against WeChat's rule written with node:crypto, including
// the inputs that must fall back to JSON: a U+0000 inside a name or value (wasm asks for
// the JSON retry), null/undefined, bigint, and the errors, which must stay the JSON path's.
// requestPaymentParams returns its object the same way (split, JSON when a value holds U+0000).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';

import wxpay from '../../pkg/node/index.mjs';

const KEY = '192006250b4c09247ec02edce69f6a2d';

/** WeChat's rule, independent of the package: sorted non-empty fields, then the key. */
function reference(p) {
  const s = Object.keys(p)
    .filter((k) => k !== 'sign' && p[k] !== undefined && p[k] !== null && p[k] !== '')
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
    .map((k) => `${k}=${p[k]}`)
    .concat(`key=${KEY}`)
    .join('&');
  return createHash('md5').update(s).digest('hex').toUpperCase();
}

test('field lists and their JSON fallbacks sign what node:crypto signs', () => {
  const cases = {
    plain: { appid: 'wx1', total_fee: 888, body: '腾讯充值中心-QQ会员充值', n: -0 },
    'U+0000 in a value': { a: 'x\u0000y', b: '2' },
    'U+0000 in a name': { 'a\u0000b': '1', c: '3' },
    'U+0000 in several places': { 'k\u0000': '\u0000\u0000', z: '\u0000' },
    'null and undefined are left out': { a: '1', b: null, c: undefined, d: '' },
    bigint: { a: '1', big: 12345678901234567890n },
    'emoji and a separator-like text': { e: '😀', f: '\\0 not a separator' },
    empty: {},
  };
  for (const [name, p] of Object.entries(cases)) {
    assert.equal(wxpay.sign(p, KEY), reference(p), name);
    assert.equal(wxpay.verify({ ...p, sign: reference(p) }, KEY), true, name);
  }
});

test('inherited enumerable properties are not signed (as JSON.stringify would not)', () => {
  Object.defineProperty(Object.prototype, 'polluted', { value: 'x', enumerable: true, configurable: true });
  try {
    const p = { a: '1', b: '2' };
    assert.equal(wxpay.sign(p, KEY), reference({ a: '1', b: '2' }));
  } finally {
    delete Object.prototype.polluted;
  }
});

test("errors are the JSON path's, and the next good call works", () => {
  const cases = [
    [{ a: 1.5 }, 'INVALID_FIELD', 'a'],
    [{ a: true }, 'INVALID_FIELD', 'a'],
    [{ a: 'x\ud800' }, 'INVALID_FIELD', 'a'],
    [{ '': '1' }, 'INVALID_FIELD', undefined],
    [{ [Symbol('s')]: '1' }, 'INVALID_FIELD', undefined],
    [new Map([['a', '1']]), 'INVALID_PARAM', undefined],
  ];
  for (const [p, code, field] of cases) {
    assert.throws(
      () => wxpay.sign(p, KEY),
      (e) => e instanceof wxpay.WxPayError && e.code === code && e.field === field && e.retryAsJson === undefined,
      String(Object.keys(p)),
    );
    assert.equal(wxpay.sign({ ok: '1' }, KEY), reference({ ok: '1' }));
  }
});

test('requestPaymentParams: the split result and its JSON fallback (U+0000 in a value) agree with node:crypto', () => {
  const base = {
    prepayId: 'wx201410272009395522657a690389285100',
    key: KEY,
    timeStamp: '1414561699',
    nonceStr: '5K8264ILTKCH16CQ2502SI8ZNMTM67VS',
  };
  const cases = {
    plain: { ...base, appId: 'wx2421b1c4370ec43b' },
    'U+0000 in appId': { ...base, appId: 'wx\u0000a' },
    'U+0000 in prepayId and nonceStr': { ...base, appId: 'wx1', prepayId: 'p\u0000\u0000', nonceStr: '\u0000n' },
    'HMAC-SHA256 and a generated nonce': { ...base, appId: 'wx1', signType: 'HMAC-SHA256', nonceStr: undefined },
  };
  for (const [name, o] of Object.entries(cases)) {
    const opts = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
    const got = wxpay.requestPaymentParams(opts);
    assert.deepEqual(Object.keys(got), ['appId', 'timeStamp', 'nonceStr', 'package', 'signType', 'paySign'], name);
    const signType = o.signType ?? 'MD5';
    const expected = { appId: o.appId, timeStamp: o.timeStamp, package: `prepay_id=${o.prepayId}`, signType };
    if (o.nonceStr !== undefined) expected.nonceStr = o.nonceStr;
    else assert.match(got.nonceStr, /^[A-Za-z0-9]{32}$/, name);
    for (const [k, v] of Object.entries(expected)) assert.equal(got[k], v, `${name}: ${k}`);
    const s = ['appId', 'nonceStr', 'package', 'signType', 'timeStamp']
      .map((k) => `${k}=${got[k]}`)
      .concat(`key=${KEY}`)
      .join('&');
    const want =
      signType === 'MD5'
        ? createHash('md5').update(s).digest('hex').toUpperCase()
        : createHmac('sha256', KEY).update(s).digest('hex').toUpperCase();
    assert.equal(got.paySign, want, name);
  }
});
