// v2 requests: the signed XML of each API's request, and the `wx.requestPayment` object.
// Fields cross as a field list, options as JSON (js/core/boundary.js convention 2); the
// builders are src/v2/order.rs, api.rs, refund.rs, notify.rs, behind src/wasm/v2.rs.
import { params, withFields } from '../core/index.js';
import { call, opt, text, wasm } from './wasm.js';

/** A builder: the fields as a field list (see withFields), then the options. */
const build = (fn, fields, what, opts) => call(() => withFields(fields, what, (list) => text(fn, list, opt(opts, fn))));

export const buildUnifiedOrderXml = (order, opts) => build('buildUnifiedOrderXml', order, 'order', opts);
export const buildNotifyXml = (fields, opts) => build('buildNotifyXml', fields, 'fields', opts);
export const buildOrderQueryXml = (query, opts) => build('buildOrderQueryXml', query, 'query', opts);
export const buildCloseOrderXml = (order, opts) => build('buildCloseOrderXml', order, 'order', opts);
export const buildRefundXml = (refund, opts) => build('buildRefundXml', refund, 'refund', opts);
export const buildRefundQueryXml = (query, opts) => build('buildRefundQueryXml', query, 'query', opts);
export const buildDownloadBillXml = (bill, opts) => build('buildDownloadBillXml', bill, 'bill', opts);

export function buildSandboxSignKeyXml(fields) {
  // JSON, not a field list: wasm reads the key out of the same object as an option.
  return call(() => wasm.buildSandboxSignKeyXml(params(fields, 'fields')));
}

/**
 * The `wx.requestPayment` object from `pay_params_wire` (src/wasm/results.rs): six values
 * after a U+0000 each, split here because that is cheaper than JSON.parse; JSON when a value
 * holds U+0000 itself.
 */
function payParams(s) {
  if (s[0] !== '\0') return JSON.parse(s);
  const [, appId, timeStamp, nonceStr, pkg, signType, paySign] = s.split('\0');
  return { appId, timeStamp, nonceStr, package: pkg, signType, paySign };
}

export function requestPaymentParams(opts) {
  return call(() => payParams(text('requestPaymentParams', opt(opts, 'requestPaymentParams'))));
}
