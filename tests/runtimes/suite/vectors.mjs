// The shared public v2 vectors (tests/fixtures/wxpay-v2-public.json; moved from
// tests/js/vectors-run.mjs to run in every runtime). Expected values are the fixture's; the
// reference signer must agree with them too.
import { assert } from '../harness.mjs';
import { CASES, fieldsOf, referenceSign } from './reference.mjs';

/** The outcome of one call: its result, or its error's code, message and field. */
function outcome(f) {
  try {
    return { ok: f() };
  } catch (e) {
    assert.equal(e.name, 'WxPayError', `${e}`);
    return { code: e.code, message: e.message, field: e.field };
  }
}

const NodeBuffer = globalThis.Buffer;

export default function vectors(test, { wx }) {
  test('45 public vectors: sign, verify, verifyNotify, requestPaymentParams', () => {
    const cases = CASES.filter((c) => c.kind !== 'refund_notify');
    assert.equal(cases.length, 45);
    for (const c of cases) {
      const f = fieldsOf(c);
      const type = c.sign_type ?? 'MD5';
      if (c.kind === 'sign' || c.kind === 'paysign') {
        assert.equal(wx.sign(f, c.key, type), c.expected_sign, c.id);
        assert.equal(referenceSign(f, c.key, type), c.expected_sign, `${c.id}: reference`);
      } else {
        assert.equal(wx.verify(f, c.key, type), c.expected_valid, c.id);
      }
      if (c.xml && (c.kind === 'notify' || c.kind === 'response') && f.return_code === 'SUCCESS') {
        let ok = true;
        try {
          wx.verifyNotify(c.xml, { key: c.key, signType: type });
        } catch (e) {
          ok = false;
          assert.equal(e.code, 'SIGN_MISMATCH', c.id);
        }
        assert.equal(ok, c.expected_valid, `${c.id}: verifyNotify`);
      }
      if (c.kind === 'paysign') {
        const p = wx.requestPaymentParams({
          appId: f.appId,
          prepayId: f.package.replace(/^prepay_id=/, ''),
          key: c.key,
          signType: type,
          timeStamp: f.timeStamp,
          nonceStr: f.nonceStr,
        });
        assert.equal(p.paySign, c.expected_sign, `${c.id}: requestPaymentParams`);
      }
    }
  });

  test("the documented example signs as WeChat's page says (MD5 and HMAC-SHA256)", () => {
    const doc = fieldsOf(CASES.find((c) => c.id === 'doc-sign-md5'));
    assert.equal(wx.sign(doc, '192006250b4c09247ec02edce69f6a2d'), '9A0A8659F005D6984697E2CA0A9CF3B7');
    assert.equal(
      wx.sign(doc, '192006250b4c09247ec02edce69f6a2d', 'HMAC-SHA256'),
      '6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6',
    );
  });

  test('every body vector as a string and a Uint8Array: the same outcomes', () => {
    const cases = CASES.filter((c) => c.xml || c.req_info);
    assert.ok(cases.length >= 20, `${cases.length} body cases`);
    const bytes = (s) => new TextEncoder().encode(s);
    let calls = 0;
    for (const c of cases) {
      const type = c.sign_type ?? 'MD5';
      const bodyCalls = [];
      if (c.xml) {
        bodyCalls.push(['parseXml', (b) => wx.parseXml(b)]);
        bodyCalls.push(['verifyNotify', (b) => wx.verifyNotify(b, { key: c.key, signType: type })]);
        bodyCalls.push(['parseResponse', (b) => wx.parseResponse(b, { key: c.key, signType: type })]);
        bodyCalls.push(['decryptRefundNotify', (b) => wx.decryptRefundNotify(b, { key: c.key })]);
        bodyCalls.push(['parseSandboxSignKeyResponse', (b) => wx.parseSandboxSignKeyResponse(b, { key: c.key })]);
      }
      if (c.req_info) bodyCalls.push(['decryptReqInfo', (b) => wx.decryptReqInfo(b, c.key)]);
      for (const [name, call] of bodyCalls) {
        const text = c.xml && name !== 'decryptReqInfo' ? c.xml : c.req_info;
        assert.deepEqual(
          outcome(() => call(bytes(text))),
          outcome(() => call(text)),
          `${c.id}: ${name} with bytes`,
        );
        calls += 2;
      }
    }
    assert.ok(calls >= 100, `${calls} calls`);
    // A bill as bytes, and invalid UTF-8 refused with a clear message rather than replaced.
    const bill =
      '交易时间,商户订单号,应结订单金额\r\n`2024-02-29 10:12:37,`T1,`0.01\r\n总交易单数,应结订单总金额\r\n`1,`0.01\r\n';
    assert.deepEqual(wx.parseBill(bytes(bill)), wx.parseBill(bill));
    const bad = Uint8Array.from([0x3c, 0x78, 0x6d, 0x6c, 0x3e, 0xff, 0xfe]);
    for (const call of [() => wx.parseXml(bad), () => wx.verifyNotify(bad, { key: 'k' }), () => wx.parseBill(bad)]) {
      assert.throws(call, (e) => e.code === 'INVALID_PARAM' && /not valid UTF-8/.test(e.message));
    }
  });

  test('every body vector as a Node Buffer: the same outcomes as the string', (t) => {
    if (typeof NodeBuffer !== 'function')
      return t.skip('this runtime has no global Buffer (Node, Bun and Deno have one)');
    for (const c of CASES.filter((x) => x.xml)) {
      const type = c.sign_type ?? 'MD5';
      for (const call of [
        (b) => wx.parseXml(b),
        (b) => wx.verifyNotify(b, { key: c.key, signType: type }),
        (b) => wx.parseResponse(b, { key: c.key, signType: type }),
      ]) {
        assert.deepEqual(
          outcome(() => call(NodeBuffer.from(c.xml, 'utf8'))),
          outcome(() => call(c.xml)),
          c.id,
        );
      }
    }
  });
}
