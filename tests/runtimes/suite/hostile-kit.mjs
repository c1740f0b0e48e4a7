// What the hostile cases share (tests/runtimes/suite/hostile.mjs in every runtime,
// tests/js/hostile-refund.test.mjs in Node): messages signed with the reference (MD5 and
// HMAC-SHA256 in JavaScript, never the package), and `rejects`, which asserts the exact
// WxPayError code and then that a good call still works.
import { assert } from '../harness.mjs';
import { hmacSha256, md5 } from './reference.mjs';

export function hostileKit(wxpay) {
  const { WxPayError } = wxpay;
  const KEY = '192006250b4c09247ec02edce69f6a2d';

  // ---------------------------------------------------------------------------------------
  // Independent signing and XML, for building messages the package must judge.

  function refSign(fields, key, type = 'MD5') {
    const pairs = Object.keys(fields)
      .filter((k) => k !== 'sign' && fields[k] !== '')
      .sort()
      .map((k) => `${k}=${fields[k]}`)
      .join('&');
    const s = `${pairs}&key=${key}`;
    const bytes = (x) => new TextEncoder().encode(x);
    const digest = type === 'MD5' ? md5(bytes(s)) : hmacSha256(bytes(key), bytes(s));
    return [...digest]
      .map((b) => b.toString(16).padStart(2, '0'))
      .join('')
      .toUpperCase();
  }

  const xmlOf = (fields) =>
    `<xml>${Object.entries(fields)
      .map(([k, v]) => `<${k}><![CDATA[${v}]]></${k}>`)
      .join('')}</xml>`;

  /** A notification signed with `type`; `signTypeField` false leaves `sign_type` out. */
  function notify(over = {}, { type = 'MD5', signTypeField = type !== 'MD5', key = KEY, sign } = {}) {
    const f = {
      appid: 'wxd930ea5d5a258f4f',
      mch_id: '10000100',
      nonce_str: 'ibuaiVcKdpRxkhJA',
      return_code: 'SUCCESS',
      result_code: 'SUCCESS',
      openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
      out_trade_no: '1409811653',
      total_fee: '1',
      transaction_id: '1004400740201409030005092168',
      time_end: '20140903131540',
      ...over,
    };
    if (signTypeField) f.sign_type = type;
    f.sign = sign ?? refSign(f, key, type);
    return xmlOf(f);
  }

  const GOOD_NOTIFY = notify();
  const DOC = {
    appid: 'wxd930ea5d5a258f4f',
    mch_id: '10000100',
    device_info: '1000',
    body: 'test',
    nonce_str: 'ibuaiVcKdpRxkhJA',
  };
  const DOC_SIGN = '9A0A8659F005D6984697E2CA0A9CF3B7';

  /** The module still answers correctly after whatever came before. */
  function healthy() {
    assert.equal(wxpay.sign(DOC, KEY, 'MD5'), DOC_SIGN, 'module unhealthy: sign changed');
    assert.equal(wxpay.verifyNotify(GOOD_NOTIFY, { key: KEY }).paid, true, 'module unhealthy: good notify refused');
  }

  let rejections = 0;

  function rejects(fn, code, what) {
    rejections++;
    let err;
    try {
      fn();
    } catch (e) {
      err = e;
    }
    assert.ok(err, `${what}: expected ${code}, but the call succeeded`);
    assert.ok(err instanceof WxPayError, `${what}: expected WxPayError ${code}, got ${err?.name}: ${err?.message}`);
    assert.equal(err.code, code, `${what}: ${err.message}`);
    healthy();
    return err;
  }

  // count(): a refusal checked by hand; rejections(): how many so far.
  return {
    KEY,
    refSign,
    xmlOf,
    notify,
    GOOD_NOTIFY,
    DOC,
    DOC_SIGN,
    healthy,
    rejects,
    count: () => {
      rejections++;
    },
    rejections: () => rejections,
  };
}
