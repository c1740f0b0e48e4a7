// The one place this server talks WeChat Pay: request XML, replies, refund notifications.
// It uses the package's builders when they exist and otherwise a small fallback made of
// the package's own `sign` and `toXml` (for package versions before the query/close/refund
// builders). TODO(after issue 4 is merged): delete everything marked FALLBACK.
import { createDecipheriv, createHash } from 'node:crypto';
import wx from 'wxpay-wasm';

/** WeChat Pay v2 paths. Refund needs the merchant's client certificate against real WeChat. */
export const PATHS = {
  unifiedOrder: '/pay/unifiedorder',
  orderQuery: '/pay/orderquery',
  closeOrder: '/pay/closeorder',
  refund: '/secapi/pay/refund',
  refundQuery: '/pay/refundquery',
};

const has = (name) => typeof wx[name] === 'function';

// FALLBACK: a signed request XML from the package's primitives.
function signedXml(params, { key, signType = 'MD5' }) {
  const p = { ...params, nonce_str: params.nonce_str ?? wx.nonceStr() };
  if (signType !== 'MD5') p.sign_type = signType;
  return wx.toXml({ ...p, sign: wx.sign(p, key, signType) });
}

export const buildOrderQueryXml = (p, o) => (has('buildOrderQueryXml') ? wx.buildOrderQueryXml(p, o) : signedXml(p, o));
export const buildCloseOrderXml = (p, o) => (has('buildCloseOrderXml') ? wx.buildCloseOrderXml(p, o) : signedXml(p, o));
export const buildRefundXml = (p, o) => (has('buildRefundXml') ? wx.buildRefundXml(p, o) : signedXml(p, o));
export const buildRefundQueryXml = (p, o) => (has('buildRefundQueryXml') ? wx.buildRefundQueryXml(p, o) : signedXml(p, o));

/** Any API reply: throws WxPayError RETURN_FAIL / SIGN_MISMATCH / RESULT_FAIL (with errCode). */
export function parseResponse(xml, o) {
  if (has('parseResponse')) return wx.parseResponse(xml, o);
  // FALLBACK
  const f = wx.parseXml(xml);
  if (f.return_code !== 'SUCCESS') {
    throw new wx.WxPayError('RETURN_FAIL', `WeChat refused the request: ${f.return_msg ?? f.return_code}`, { returnCode: f.return_code, returnMsg: f.return_msg });
  }
  if (!f.sign) throw new wx.WxPayError('SIGN_MISSING', 'the reply has no sign');
  if (!wx.verify(f, o.key, o.signType)) throw new wx.WxPayError('SIGN_MISMATCH', 'the reply sign does not match the API key');
  if (f.result_code !== 'SUCCESS') {
    throw new wx.WxPayError('RESULT_FAIL', `${f.err_code}: ${f.err_code_des ?? ''}`, { errCode: f.err_code, errCodeDes: f.err_code_des });
  }
  return f;
}

/** A refund notification: outer fields plus the decrypted `req_info` fields. */
export function decryptRefundNotify(xml, o) {
  if (has('decryptRefundNotify')) return wx.decryptRefundNotify(xml, o);
  // FALLBACK: AES-256-ECB with the lowercase hex MD5 of the key; node checks the PKCS#7 padding.
  const outer = wx.parseXml(xml);
  if (outer.return_code !== 'SUCCESS') throw new wx.WxPayError('RETURN_FAIL', `refund notification says ${outer.return_code}`);
  if (o.appid && outer.appid !== o.appid) throw new wx.WxPayError('APPID_MISMATCH', `refund notification for appid ${outer.appid}`);
  if (o.mchId && outer.mch_id !== o.mchId) throw new wx.WxPayError('MCH_ID_MISMATCH', `refund notification for mch_id ${outer.mch_id}`);
  let plain;
  try {
    const aesKey = Buffer.from(createHash('md5').update(o.key).digest('hex'), 'ascii');
    const d = createDecipheriv('aes-256-ecb', aesKey, null);
    plain = Buffer.concat([d.update(Buffer.from(outer.req_info ?? '', 'base64')), d.final()]).toString('utf8');
  } catch {
    throw new wx.WxPayError('DECRYPT_FAILED', 'req_info does not decrypt with this API key');
  }
  const inner = wx.parseXml(plain.replace(/^<root>/, '<xml>').replace(/<\/root>\s*$/, '</xml>'));
  return { ...outer, ...inner };
}

export { wx };
