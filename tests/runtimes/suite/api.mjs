// The public API (moved from tests/js/api.test.mjs to run in every runtime): signing rules,
// XML, the server flow, and every error code with hostile or wrong input, each followed by
// a good call. Expected signatures come from reference.mjs (MD5 and HMAC-SHA256 written
// out in JavaScript), never from the package.
import { assert } from '../harness.mjs';
import { referenceSign } from './reference.mjs';

export default function api(test, { wx }) {
  let group = '';
  const describe = (name, body) => {
    group = `${name}: `;
    body();
    group = '';
  };
  const it = (name, fn) => test(group + name, fn);

  const KEY = '192006250b4c09247ec02edce69f6a2d';
  const order = () => ({
    appid: 'wxd930ea5d5a258f4f',
    mch_id: '10000100',
    body: '小程序-测试商品',
    out_trade_no: 'T20240101-001',
    total_fee: 1,
    spbill_create_ip: '127.0.0.1',
    notify_url: 'https://shop.example.com/wxpay/notify',
    trade_type: 'JSAPI',
    openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
  });
  const notifyFields = () => ({
    appid: 'wxd930ea5d5a258f4f',
    mch_id: '10000100',
    out_trade_no: 'T20240101-001',
    total_fee: '1',
    transaction_id: '4200000001202401010000000001',
    openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
    nonce_str: 'abc123',
    return_code: 'SUCCESS',
    result_code: 'SUCCESS',
  });
  /** A notification signed by the reference, serialised by hand. */
  function handNotify(fields, signType = 'MD5') {
    const f = { ...fields, sign: referenceSign(fields, KEY, signType) };
    return `<xml>${Object.entries(f)
      .map(([k, v]) => `<${k}><![CDATA[${v}]]></${k}>`)
      .join('')}</xml>`;
  }

  function throwsCode(fn, code) {
    assert.throws(fn, (e) => {
      assert.ok(e instanceof wx.WxPayError, `expected WxPayError, got ${e}`);
      assert.ok(e instanceof Error);
      assert.equal(e.name, 'WxPayError');
      assert.equal(e.code, code, e.message);
      assert.ok(e.message.length > 10);
      assert.ok(!e.message.includes(KEY), 'the key never appears in a message');
      return true;
    });
    // A good call right after the bad one still works.
    assert.equal(wx.sign({ a: 'b' }, KEY), referenceSign({ a: 'b' }, KEY));
  }

  describe('sign', () => {
    it('rules: empty dropped, integers in decimal, byte order, no trimming or encoding', () => {
      const p = {
        b: 2,
        a: ' x ',
        A: 'é&=',
        c: '',
        d: null,
        e: undefined,
        sign: 'IGNORED',
        n: -5,
        big: 9007199254740991,
      };
      const ref = { b: '2', a: ' x ', A: 'é&=', n: '-5', big: '9007199254740991' };
      for (const t of ['MD5', 'HMAC-SHA256']) assert.equal(wx.sign(p, KEY, t), referenceSign(ref, KEY, t));
      assert.equal(wx.signingString(p), 'A=é&=&a= x &b=2&big=9007199254740991&n=-5');
      assert.equal(wx.sign(p, KEY), wx.sign(p, KEY, 'MD5'));
    });
    it('bad values name the field', () => {
      for (const v of [1.5, NaN, Infinity, true, {}, [], new Date(0), 2 ** 53, () => 1]) {
        assert.throws(
          () => wx.sign({ detail: v }, KEY),
          (e) => e.code === 'INVALID_FIELD' && e.field === 'detail',
        );
      }
      assert.throws(() => wx.sign({ detail: { a: 1 } }, KEY), /JSON\.stringify/);
    });
    it('lone surrogates are refused, not replaced', () => {
      throwsCode(() => wx.sign({ a: 'x\uD800' }, KEY), 'INVALID_FIELD');
      throwsCode(() => wx.sign({ a: 'x' }, 'k\uDC00'), 'INVALID_PARAM');
      assert.equal(wx.sign({ a: '😀' }, KEY), referenceSign({ a: '😀' }, KEY));
    });
    it('verify: explicit, sign_type field, sign length; missing sign is false', () => {
      const f = notifyFields();
      const md5 = { ...f, sign: referenceSign(f, KEY) };
      const hmac = { ...f, sign: referenceSign(f, KEY, 'HMAC-SHA256') };
      assert.equal(wx.verify(md5, KEY), true);
      assert.equal(wx.verify(hmac, KEY), true);
      assert.equal(wx.verify(hmac, KEY, 'MD5'), false);
      assert.equal(wx.verify(f, KEY), false);
      assert.equal(wx.verify({ ...md5, total_fee: '2' }, KEY), false);
      assert.equal(wx.verify({ ...md5, sign: md5.sign.toLowerCase() }, KEY), false);
    });
  });

  describe('nonceStr', () => {
    it('alphabet, length, uniqueness', () => {
      const seen = new Set();
      for (let i = 0; i < 200; i++) {
        const n = wx.nonceStr();
        assert.match(n, /^[A-Za-z0-9]{32}$/);
        seen.add(n);
      }
      assert.equal(seen.size, 200);
      assert.match(wx.nonceStr(1), /^[A-Za-z0-9]$/);
      for (const bad of [0, 33, 1.5, -1]) throwsCode(() => wx.nonceStr(bad), 'INVALID_PARAM');
      throwsCode(() => wx.nonceStr('8'), 'INVALID_PARAM');
    });
  });

  describe('XML', () => {
    it('toXml: CDATA for strings, text for integers, ]]> split; parseXml round trip', () => {
      const p = { a: 'x]]>y', n: 7, s: '<&>' };
      const xml = wx.toXml(p);
      assert.equal(xml, '<xml><a><![CDATA[x]]]]><![CDATA[>y]]></a><n>7</n><s><![CDATA[<&>]]></s></xml>');
      assert.deepEqual(wx.parseXml(xml), { a: 'x]]>y', n: '7', s: '<&>' });
    });
    it('parseXml accepts declaration, whitespace, predefined and numeric references', () => {
      assert.deepEqual(wx.parseXml('<?xml version="1.0"?>\n<xml>\n <a>1 &amp; &#x31;&#50;</a>\n</xml>'), {
        a: '1 & 12',
      });
    });
    it('limits: 64 KiB by default, raisable to 1 MiB, never beyond', () => {
      const big = `<xml><a>${'x'.repeat(70_000)}</a></xml>`;
      throwsCode(() => wx.parseXml(big), 'INPUT_TOO_LARGE');
      assert.equal(wx.parseXml(big, { maxBytes: 1 << 20 }).a.length, 70_000);
      throwsCode(() => wx.parseXml(big, { maxBytes: 2 << 20 }), 'INVALID_PARAM');
    });
  });

  describe('server flow', () => {
    it('unified order → response → requestPayment params → notify → reply', () => {
      const xml = wx.buildUnifiedOrderXml(order(), { key: KEY });
      const sent = wx.parseXml(xml);
      assert.equal(sent.sign, referenceSign(sent, KEY));
      assert.match(sent.nonce_str, /^[A-Za-z0-9]{32}$/);
      assert.equal(sent.total_fee, '1');

      const replyFields = {
        return_code: 'SUCCESS',
        return_msg: 'OK',
        appid: sent.appid,
        mch_id: sent.mch_id,
        nonce_str: 'IITRi8Iabbblz1Jc',
        result_code: 'SUCCESS',
        prepay_id: 'wx201411101639507cbf6ffd8b0779950874',
        trade_type: 'JSAPI',
      };
      const res = wx.parseUnifiedOrderResponse(handNotify(replyFields), { key: KEY });
      assert.equal(res.prepay_id, replyFields.prepay_id);

      const pay = wx.requestPaymentParams({ appId: sent.appid, prepayId: res.prepay_id, key: KEY });
      assert.deepEqual(Object.keys(pay).sort(), ['appId', 'nonceStr', 'package', 'paySign', 'signType', 'timeStamp']);
      assert.equal(pay.package, `prepay_id=${res.prepay_id}`);
      assert.ok(Math.abs(Number(pay.timeStamp) - Date.now() / 1000) < 5);
      const { paySign, ...signed } = pay;
      assert.equal(paySign, referenceSign(signed, KEY));

      const n = notifyFields();
      const verified = wx.verifyNotify(handNotify(n), {
        key: KEY,
        appid: n.appid,
        mchId: n.mch_id,
        outTradeNo: n.out_trade_no,
        totalFee: 1,
      });
      assert.equal(verified.paid, true);
      assert.equal(verified.transaction_id, n.transaction_id);
      assert.equal(
        wx.notifyReply(),
        '<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>',
      );
      assert.match(wx.notifyReply(false, 'sign'), /FAIL.*sign/);
    });
    it('HMAC order sets sign_type; HMAC notify without sign_type verifies', () => {
      const sent = wx.parseXml(wx.buildUnifiedOrderXml(order(), { key: KEY, signType: 'HMAC-SHA256' }));
      assert.equal(sent.sign_type, 'HMAC-SHA256');
      assert.equal(sent.sign, referenceSign(sent, KEY, 'HMAC-SHA256'));
      assert.equal(wx.verifyNotify(handNotify(notifyFields(), 'HMAC-SHA256'), { key: KEY }).paid, true);
    });
    it('signed result_code FAIL notification is valid but not paid', () => {
      const v = wx.verifyNotify(handNotify({ ...notifyFields(), result_code: 'FAIL', err_code: 'NOTENOUGH' }), {
        key: KEY,
      });
      assert.equal(v.paid, false);
    });
    it('buildNotifyXml round-trips through verifyNotify', () => {
      for (const signType of ['MD5', 'HMAC-SHA256']) {
        const x = wx.buildNotifyXml(
          { appid: 'wx1', mch_id: 'm', out_trade_no: 'o-1', total_fee: 100 },
          { key: KEY, signType },
        );
        const f = wx.parseXml(x);
        assert.equal(f.sign, referenceSign(f, KEY, signType));
        assert.equal(wx.verifyNotify(x, { key: KEY, totalFee: 100 }).paid, true);
      }
    });
  });

  describe('every error code, each followed by a good call', () => {
    const good = handNotify(notifyFields());
    const cases = {
      INVALID_PARAM: () => wx.verifyNotify(good, {}),
      MISSING_FIELD: () => wx.buildUnifiedOrderXml({ ...order(), openid: '' }, { key: KEY }),
      INVALID_FIELD: () => wx.buildUnifiedOrderXml({ ...order(), total_fee: 0 }, { key: KEY }),
      INVALID_XML: () => wx.verifyNotify('<xml><a>1</a>', { key: KEY }),
      XML_FORBIDDEN: () =>
        wx.verifyNotify('<!DOCTYPE xml [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><a>&e;</a></xml>', { key: KEY }),
      INPUT_TOO_LARGE: () => wx.verifyNotify('x'.repeat(64 * 1024 + 1), { key: KEY }),
      DUPLICATE_FIELD: () => wx.verifyNotify(good.replace('</xml>', '<total_fee>100</total_fee></xml>'), { key: KEY }),
      SIGN_MISSING: () => wx.verifyNotify(wx.toXml(notifyFields()), { key: KEY }),
      SIGN_MISMATCH: () => wx.verifyNotify(good.replace('<![CDATA[1]]>', '<![CDATA[2]]>'), { key: KEY }),
      UNSUPPORTED_SIGN_TYPE: () => wx.verifyNotify(handNotify({ ...notifyFields(), sign_type: 'SHA1' }), { key: KEY }),
      RETURN_FAIL: () =>
        wx.parseUnifiedOrderResponse('<xml><return_code>FAIL</return_code><return_msg>签名错误</return_msg></xml>', {
          key: KEY,
        }),
      RESULT_FAIL: () =>
        wx.parseUnifiedOrderResponse(
          handNotify({ ...notifyFields(), result_code: 'FAIL', err_code: 'ORDERPAID', err_code_des: '该订单已支付' }),
          { key: KEY },
        ),
      APPID_MISMATCH: () => wx.verifyNotify(good, { key: KEY, appid: 'wx-other' }),
      MCH_ID_MISMATCH: () => wx.verifyNotify(good, { key: KEY, mchId: '99' }),
      OUT_TRADE_NO_MISMATCH: () => wx.verifyNotify(good, { key: KEY, outTradeNo: 'T-other' }),
      AMOUNT_MISMATCH: () => wx.verifyNotify(good, { key: KEY, totalFee: '01' }),
    };
    for (const [code, fn] of Object.entries(cases)) it(code, () => throwsCode(fn, code));

    it('error details: field, returnMsg, errCode', () => {
      assert.throws(
        () => cases.INVALID_FIELD(),
        (e) => e.field === 'total_fee',
      );
      assert.throws(
        () => cases.RETURN_FAIL(),
        (e) => e.returnMsg === '签名错误' && e.returnCode === 'FAIL',
      );
      assert.throws(
        () => cases.RESULT_FAIL(),
        (e) => e.errCode === 'ORDERPAID' && e.errCodeDes === '该订单已支付',
      );
    });
    it('amount variants', () => {
      for (const fee of [2, '01', '1.0', ' 1'])
        throwsCode(() => wx.verifyNotify(good, { key: KEY, totalFee: fee }), 'AMOUNT_MISMATCH');
      throwsCode(() => wx.verifyNotify(good, { key: KEY, totalFee: 1.0000001 }), 'INVALID_PARAM');
    });
    it('wrong argument types are INVALID_PARAM', () => {
      throwsCode(() => wx.sign(null, KEY), 'INVALID_PARAM');
      throwsCode(() => wx.sign(new Map([['a', '1']]), KEY), 'INVALID_PARAM');
      throwsCode(() => wx.sign({ a: '1' }, 123), 'INVALID_PARAM');
      throwsCode(() => wx.sign({ a: '1' }, KEY, 'md5'), 'UNSUPPORTED_SIGN_TYPE');
      throwsCode(() => wx.verifyNotify(123, { key: KEY }), 'INVALID_PARAM');
      throwsCode(() => wx.verifyNotify(good, { key: 123 }), 'INVALID_PARAM');
      throwsCode(() => wx.verifyNotify(good), 'INVALID_PARAM');
      throwsCode(() => wx.requestPaymentParams({ appId: 'a', prepayId: 'p' }), 'INVALID_PARAM');
      throwsCode(() => wx.requestPaymentParams({ appId: 'a', key: KEY }), 'MISSING_FIELD');
      throwsCode(() => wx.notifyReply('yes'), 'INVALID_PARAM');
      throwsCode(() => wx.toXml({ 'a<b': '1' }), 'INVALID_FIELD');
    });
    it('ERROR_CODES lists every code', () => {
      for (const code of Object.keys(cases)) assert.ok(wx.ERROR_CODES.includes(code), code);
    });
  });
}
