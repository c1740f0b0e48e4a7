// The one place this server talks WeChat Pay: request builders, reply parsing and refund
// notifications all come from the package; this module only names what app.js uses.
import wx from 'wxpay-wasm';

/** WeChat Pay v2 paths. Refund needs the merchant's client certificate against real WeChat. */
export const PATHS = wx.API_PATHS;

export const {
  buildOrderQueryXml, buildCloseOrderXml, buildRefundXml, buildRefundQueryXml,
  /** Any API reply: throws WxPayError RETURN_FAIL / SIGN_MISMATCH / RESULT_FAIL (with errCode). */
  parseResponse,
  /** A refund notification: outer fields plus the decrypted `req_info` fields. */
  decryptRefundNotify,
} = wx;

export { wx };
