// diagnoseSign through the built package (CJS and ESM share the instance): one case per
// cause with the other side's signature made by node:crypto, the result's shape, the key
// kept out of it, and errors as WxPayError followed by a good call.
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import * as wx from '../../pkg/node/index.mjs';
import { referenceSign } from '../runtimes/suite/reference.mjs';

const K = '192006250b4c09247ec02edce69f6a2d';
const DOC = {
  appid: 'wxd930ea5d5a258f4f',
  mch_id: '10000100',
  device_info: '1000',
  body: 'test',
  nonce_str: 'ibuaiVcKdpRxkhJA',
};
const S = 'appid=wxd930ea5d5a258f4f&body=test&device_info=1000&mch_id=10000100&nonce_str=ibuaiVcKdpRxkhJA';
const md5 = (s) => createHash('md5').update(s, 'utf8').digest('hex').toUpperCase();
const hmac = (k, s) => createHmac('sha256', k).update(s, 'utf8').digest('hex').toUpperCase();
const detail = { goods_detail: [{ goods_id: '1', goods_name: '苹果', price: 1 }] };

const CASES = {
  OTHER_SIGN_TYPE: [DOC, hmac(K, `${S}&key=${K}`)],
  SIGN_TYPE_EXCLUDED: [{ ...DOC, sign_type: 'HMAC-SHA256' }, hmac(K, `${S}&key=${K}`)],
  SIGN_TYPE_ADDED: [DOC, md5(`${S}&sign_type=MD5&key=${K}`)],
  EMPTY_VALUES_INCLUDED: [
    { ...DOC, attach: '' },
    md5(
      `appid=wxd930ea5d5a258f4f&attach=&body=test&device_info=1000&mch_id=10000100&nonce_str=ibuaiVcKdpRxkhJA&key=${K}`,
    ),
  ],
  VALUES_TRIMMED: [{ ...DOC, body: 'test\n' }, md5(`${S}&key=${K}`)],
  VALUES_URL_ENCODED: [{ ...DOC, body: 'a b' }, referenceSign({ ...DOC, body: 'a+b' }, K)],
  LOWERCASE_HEX: [DOC, md5(`${S}&key=${K}`).toLowerCase()],
  KEY_SUFFIX_MISSING: [DOC, md5(`${S}${K}`)],
  KEY_WHITESPACE: [DOC, md5(`${S}&key= ${K}`)],
  FIELD_ONE_SIDE: [{ ...DOC, attach: 'x' }, md5(`${S}&key=${K}`)],
  // Python's json.dumps default: ", " and ": " separators, non-ASCII as \uXXXX.
  JSON_RESERIALIZED: [
    { ...DOC, detail: JSON.stringify(detail) },
    referenceSign(
      { ...DOC, detail: '{"goods_detail": [{"goods_id": "1", "goods_name": "\\u82f9\\u679c", "price": 1}]}' },
      K,
    ),
  ],
};

describe('diagnoseSign', () => {
  test('DIAGNOSIS_CAUSES lists exactly the causes tested here', () => {
    assert.deepEqual([...wx.DIAGNOSIS_CAUSES], Object.keys(CASES));
  });

  for (const [cause, [params, theirs]] of Object.entries(CASES)) {
    test(cause, () => {
      const d = wx.diagnoseSign(params, K, theirs);
      assert.equal(d.match, false);
      assert.equal(d.cause, cause);
      assert.equal(typeof d.message, 'string');
      assert.equal(typeof d.variant, 'string');
      for (const v of Object.values(d)) assert.ok(!String(v).includes(K), `key leaked in ${JSON.stringify(d)}`);
    });
  }

  test('a match, a wrong key, not a signature', () => {
    const ok = wx.diagnoseSign(DOC, K, '9A0A8659F005D6984697E2CA0A9CF3B7');
    assert.deepEqual(Object.keys(ok).sort(), ['computedSign', 'match', 'message', 'signType', 'signingString']);
    assert.equal(ok.match, true);
    assert.equal(ok.signingString, `${S}&key=19****************************2d`);
    assert.equal(ok.computedSign, md5(`${S}&key=${K}`));
    const wrong = wx.diagnoseSign(DOC, K, referenceSign(DOC, 'another key'));
    assert.equal(wrong.match, false);
    assert.equal(wrong.cause, undefined);
    assert.equal(wx.diagnoseSign(DOC, K, 'nope').cause, undefined);
  });

  test('the sign field is used when no signature is given; an explicit sign type wins', () => {
    assert.equal(wx.diagnoseSign({ ...DOC, sign: '9A0A8659F005D6984697E2CA0A9CF3B7' }, K, '').match, true);
    assert.equal(wx.diagnoseSign(DOC, K, hmac(K, `${S}&key=${K}`), 'HMAC-SHA256').match, true);
  });

  test('bad input is a WxPayError with a code, and the next call works', () => {
    assert.throws(
      () => wx.diagnoseSign(DOC, '', 'x'),
      (e) => e instanceof wx.WxPayError && e.code === 'INVALID_PARAM',
    );
    assert.throws(() => wx.diagnoseSign(DOC, K, ''), { code: 'MISSING_FIELD', field: 'sign' });
    assert.throws(() => wx.diagnoseSign(DOC, K, 'x', 'SHA1'), { code: 'UNSUPPORTED_SIGN_TYPE' });
    assert.throws(() => wx.diagnoseSign({ ...DOC, sign_type: 'SHA1' }, K, 'x'), { code: 'UNSUPPORTED_SIGN_TYPE' });
    assert.throws(() => wx.diagnoseSign({ a: true }, K, 'x'), { code: 'INVALID_FIELD', field: 'a' });
    assert.throws(() => wx.diagnoseSign(DOC, K, 42), { code: 'INVALID_PARAM' });
    assert.equal(wx.diagnoseSign(DOC, K, '9A0A8659F005D6984697E2CA0A9CF3B7').match, true);
  });
});
