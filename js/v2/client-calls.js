// One v2 client call: the caller's fields plus the client's appid/mch_id, the signed XML built
// once, POSTed (the same bytes on every attempt), the reply read with parseResponse (sign,
// return_code, result_code) plus the client's own appid/mch_id, repeated only as
// js/client/retry.js allows. `c` is the client's context (see client.js).
import { WxPayError } from '../core/index.js';
import { withRetries } from '../client/retry.js';
import { requestFields, requiredText, sameField } from '../client/fields.js';

/** WeChat's fields plus ours; a different appid/mch_id from the caller is a mistake, not an override. */
function fieldsOf(c, api, f) {
  requestFields(api, f);
  if (f.appid !== undefined && f.appid !== c.appid)
    throw new WxPayError('INVALID_FIELD', `${api}: appid ${JSON.stringify(f.appid)} is not the client's`, {
      field: 'appid',
    });
  if (f.mch_id !== undefined && f.mch_id !== c.mchId)
    throw new WxPayError('INVALID_FIELD', `${api}: mch_id ${JSON.stringify(f.mch_id)} is not the client's`, {
      field: 'mch_id',
    });
  return { ...f, appid: c.appid, mch_id: c.mchId };
}

/** One HTTP exchange; the body is the same on every attempt. */
async function post(c, api, xml) {
  const url = `${c.baseUrl}${c.wx.API_PATHS[api]}`;
  const r = await c.transport.send({
    method: 'POST',
    url,
    body: xml,
    clientCert: c.needsCert.has(api),
    headers: { 'content-type': 'text/xml; charset=utf-8', accept: 'text/xml, text/plain' },
  });
  if (r.status >= 500)
    throw new WxPayError('NETWORK_ERROR', `POST ${url}: HTTP ${r.status} (a gateway between here and WeChat)`, {
      retryable: true,
      httpStatus: String(r.status),
    });
  if (r.status !== 200)
    throw new WxPayError('RETURN_FAIL', `POST ${url}: HTTP ${r.status}, not a WeChat Pay reply`, {
      httpStatus: String(r.status),
    });
  return r.body;
}

/** The reply's fields: signed by our key, SUCCESS, and about this merchant. */
function replyOf(c, bytes) {
  const f = c.wx.parseResponse(bytes, c.signing);
  sameField(f, 'appid', c.appid, 'APPID_MISMATCH');
  sameField(f, 'mch_id', c.mchId, 'MCH_ID_MISMATCH');
  return f;
}

/** One API call with builder `builder`: check(f) judges the reply, resolve() a lost answer. */
async function runV2(c, api, builder, fields, { resolve, check } = {}) {
  const xml = c.wx[builder](fieldsOf(c, api, fields), c.signing); // once: every attempt sends these bytes
  const ref = fields.out_refund_no ?? fields.out_trade_no ?? fields.transaction_id;
  return withRetries({
    api,
    ref,
    retries: c.retries,
    backoffMs: c.backoffMs,
    emit: c.emit,
    resolve,
    send: async () => {
      const f = replyOf(c, await post(c, api, xml));
      if (check) check(f);
      return f;
    },
  });
}

const utf8 = new TextDecoder('utf-8');

async function gunzip(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** downloadBill: the bill (gzipped or not) parsed, or the error reply's code thrown. */
async function downloadBillV2(c, f) {
  const xml = c.wx.buildDownloadBillXml(fieldsOf(c, 'downloadBill', f), c.signing);
  const bytes = await withRetries({
    api: 'downloadBill',
    ref: f.bill_date,
    retries: c.retries,
    backoffMs: c.backoffMs,
    emit: c.emit,
    send: () => post(c, 'downloadBill', xml),
  });
  const gz = bytes[0] === 0x1f && bytes[1] === 0x8b;
  const text = gz ? utf8.decode(await gunzip(bytes)) : utf8.decode(bytes);
  if (text.startsWith('<xml>')) replyOf(c, text); // an error answer: parseResponse throws its code
  return c.wx.parseBill(text);
}

/** `wx.requestPayment`'s object for a prepay_id, signed with the client's appid, key and sign type. */
function requestPaymentParamsV2(c, prepayId) {
  const { key, signType } = c.signing;
  return c.wx.requestPaymentParams({
    appId: c.appid,
    prepayId: requiredText('requestPaymentParams', prepayId, 'prepayId'),
    key,
    signType,
  });
}

export { fieldsOf, post, replyOf, runV2, downloadBillV2, requestPaymentParamsV2 };
