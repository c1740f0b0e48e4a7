// Runs every non-refund public vector through a loaded package (CJS or ESM entry).
import assert from 'node:assert/strict';
import { CASES, fieldsOf, referenceSign } from './vectors.mjs';

export function runVectors(t, wx) {
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
      try { wx.verifyNotify(c.xml, { key: c.key, signType: type }); } catch (e) { ok = false; assert.equal(e.code, 'SIGN_MISMATCH', c.id); }
      assert.equal(ok, c.expected_valid, `${c.id}: verifyNotify`);
    }
    if (c.kind === 'paysign') {
      const p = wx.requestPaymentParams({
        appId: f.appId, prepayId: f.package.replace(/^prepay_id=/, ''), key: c.key,
        signType: type, timeStamp: f.timeStamp, nonceStr: f.nonceStr,
      });
      assert.equal(p.paySign, c.expected_sign, `${c.id}: requestPaymentParams`);
    }
  }
  const doc = fieldsOf(CASES.find((c) => c.id === 'doc-sign-md5'));
  assert.equal(wx.sign(doc, '192006250b4c09247ec02edce69f6a2d'), '9A0A8659F005D6984697E2CA0A9CF3B7');
  assert.equal(wx.sign(doc, '192006250b4c09247ec02edce69f6a2d', 'HMAC-SHA256'),
    '6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6');
}
