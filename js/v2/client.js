// createClient for WeChat Pay v2 (issue 13): one method per API of the order lifecycle, each
// building the signed XML once (js/v2/api.js), sending it (js/client/transport.js), reading
// the reply with parseResponse (sign, return_code, result_code) plus the client's own
// appid/mch_id, and repeating only what js/client/retry.js allows. The raw builders stay
// the layer below (docs/guide/client.md).
import { CONTRACT, WxPayError, describe, isPlainObject, strictOptions } from '../core/index.js';
import { CLIENT_DEFAULTS, withRetries } from '../client/retry.js';
import { createTransport, clientTls } from '../client/transport.js';
import { makeNotifyHandler } from '../client/notify.js';

const WECHAT_V2_BASE = 'https://api.mch.weixin.qq.com';
/** The err_code WeChat gives a unified order for an existing order in this state. */
const UNIFIED_ORDER_REFUSAL = Object.freeze({ SUCCESS: 'ORDERPAID', REFUND: 'ORDERPAID', CLOSED: 'ORDERCLOSED', REVOKED: 'ORDERCLOSED' });
/** Refuses client option names src/contract/v2.rs CLIENT does not list. */
const checkClient = strictOptions(CONTRACT.client.v2);

/** An options object, plain and with only the contract's names. */
function clientOptions(fn, o, check) {
  if (!isPlainObject(o)) throw new WxPayError('INVALID_PARAM', `${fn}: options must be a plain object, got ${describe(o)}`);
  return check(fn, o);
}
function needString(o, name, fn) {
  const v = o[name];
  if (typeof v !== 'string' || v === '') throw new WxPayError('INVALID_PARAM', `${fn}: option \`${name}\` is required (a non-empty string), got ${describe(v)}`, { field: name });
  return v;
}
function intOption(o, name, dflt, min, max) {
  const v = o[name];
  if (v === undefined) return dflt;
  if (!Number.isSafeInteger(v) || v < min || v > max) throw new WxPayError('INVALID_PARAM', `option \`${name}\` must be an integer from ${min} to ${max}, got ${describe(v)}`, { field: name });
  return v;
}
function baseUrlOption(v, dflt) {
  if (v === undefined) return dflt;
  let u;
  try { u = typeof v === 'string' ? new URL(v) : null; } catch { u = null; }
  if (!u || (u.protocol !== 'https:' && u.protocol !== 'http:') || u.search || u.hash) {
    throw new WxPayError('INVALID_PARAM', `option \`baseUrl\` must be an http(s) URL without query, got ${typeof v === 'string' ? JSON.stringify(v) : describe(v)}`, { field: 'baseUrl' });
  }
  return v.replace(/\/+$/, '');
}
/** The host's fetch unless the caller gives one. */
function fetchOption(v) {
  const f = v ?? globalThis.fetch;
  if (typeof f !== 'function') throw new WxPayError('INVALID_PARAM', 'option `fetch` must be a function (this host has no global fetch)', { field: 'fetch' });
  return v === undefined ? (...args) => globalThis.fetch(...args) : f;
}
function eventOption(v) {
  if (v === undefined) return () => {};
  if (typeof v !== 'function') throw new WxPayError('INVALID_PARAM', `option \`onEvent\` must be a function, got ${describe(v)}`, { field: 'onEvent' });
  // A logger that throws must not turn a payment into a failure.
  return (e) => { try { v(Object.freeze(e)); } catch { /* the caller's hook */ } };
}

/** A v2 reply field that must be ours, when present. */
function sameField(reply, name, want, code) {
  if (reply[name] !== undefined && reply[name] !== want) {
    throw new WxPayError(code, `the reply's ${name} is ${JSON.stringify(reply[name])}, not ${JSON.stringify(want)}: it is not an answer to this request`, { field: name });
  }
}

const utf8 = new TextDecoder('utf-8');

async function gunzip(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function createV2Client(wx, opts) {
  clientOptions('createClient', opts, checkClient);
  const appid = needString(opts, 'appid', 'createClient');
  const mchId = needString(opts, 'mchId', 'createClient');
  const key = needString(opts, 'key', 'createClient');
  const signType = opts.signType ?? 'MD5';
  if (signType !== 'MD5' && signType !== 'HMAC-SHA256') throw new WxPayError('UNSUPPORTED_SIGN_TYPE', `option \`signType\` must be 'MD5' or 'HMAC-SHA256', got ${describe(signType)}`, { field: 'signType' });
  const baseUrl = baseUrlOption(opts.baseUrl, WECHAT_V2_BASE);
  const timeoutMs = intOption(opts, 'timeoutMs', CLIENT_DEFAULTS.timeoutMs, 1, 120000);
  const retries = intOption(opts, 'retries', CLIENT_DEFAULTS.retries, 0, 10);
  const backoffMs = intOption(opts, 'backoffMs', CLIENT_DEFAULTS.backoffMs, 0, 60000);
  const emit = eventOption(opts.onEvent);
  const transport = createTransport({ fetch: fetchOption(opts.fetch), timeoutMs, tls: clientTls(opts) });
  const signing = { key, signType };
  const needsCert = new Set(wx.CLIENT_CERT_APIS);

  /** WeChat's fields plus ours; a different appid/mch_id from the caller is a mistake, not an override. */
  function fieldsOf(api, f) {
    if (!isPlainObject(f)) throw new WxPayError('INVALID_PARAM', `${api}: the request fields must be a plain object, got ${describe(f)}`);
    if (f.appid !== undefined && f.appid !== appid) throw new WxPayError('INVALID_FIELD', `${api}: appid ${JSON.stringify(f.appid)} is not the client's`, { field: 'appid' });
    if (f.mch_id !== undefined && f.mch_id !== mchId) throw new WxPayError('INVALID_FIELD', `${api}: mch_id ${JSON.stringify(f.mch_id)} is not the client's`, { field: 'mch_id' });
    return { ...f, appid, mch_id: mchId };
  }

  /** One HTTP exchange; the body is the same on every attempt. */
  async function post(api, xml) {
    const r = await transport.send({
      method: 'POST', url: `${baseUrl}${wx.API_PATHS[api]}`, body: xml, clientCert: needsCert.has(api),
      headers: { 'content-type': 'text/xml; charset=utf-8', accept: 'text/xml, text/plain' },
    });
    if (r.status >= 500) throw new WxPayError('NETWORK_ERROR', `POST ${baseUrl}${wx.API_PATHS[api]}: HTTP ${r.status} (a gateway between here and WeChat)`, { retryable: true, httpStatus: String(r.status) });
    if (r.status !== 200) throw new WxPayError('RETURN_FAIL', `POST ${baseUrl}${wx.API_PATHS[api]}: HTTP ${r.status}, not a WeChat Pay reply`, { httpStatus: String(r.status) });
    return r.body;
  }

  /** The reply's fields: signed by our key, SUCCESS, and about this merchant. */
  function reply(bytes) {
    const f = wx.parseResponse(bytes, signing);
    sameField(f, 'appid', appid, 'APPID_MISMATCH');
    sameField(f, 'mch_id', mchId, 'MCH_ID_MISMATCH');
    return f;
  }

  async function run(api, builder, fields, { resolve, check } = {}) {
    const xml = wx[builder](fieldsOf(api, fields), signing); // once: every attempt sends these bytes
    const ref = fields.out_refund_no ?? fields.out_trade_no ?? fields.transaction_id;
    return withRetries({
      api, ref, retries, backoffMs, emit, resolve,
      send: async () => {
        const f = reply(await post(api, xml));
        if (check) check(f);
        return f;
      },
    });
  }
  const sameOrder = (no) => (f) => sameField(f, 'out_trade_no', no, 'OUT_TRADE_NO_MISMATCH');

  const orderQuery = (f) => run('orderQuery', 'buildOrderQueryXml', f, { check: f.out_trade_no ? sameOrder(f.out_trade_no) : undefined });
  const refundQuery = (f) => run('refundQuery', 'buildRefundQueryXml', f);
  /** A query's "no such thing": the request did not take effect. */
  const absent = (e, ...codes) => e instanceof WxPayError && e.code === 'RESULT_FAIL' && codes.includes(e.errCode);

  /** unifiedOrder whose answer was lost: did the order reach WeChat? Resending the same body is safe either way (WeChat answers an identical unified order with the same prepay_id), unless it is paid or closed. */
  async function resolveOrder(no) {
    try {
      const q = await orderQuery({ out_trade_no: no });
      if (q.trade_state === 'NOTPAY' || q.trade_state === 'USERPAYING') return { done: false };
      throw new WxPayError('RESULT_FAIL', `unifiedOrder ${no}: the order already exists and is ${q.trade_state}`, { errCode: UNIFIED_ORDER_REFUSAL[q.trade_state] ?? q.trade_state, retryable: false });
    } catch (e) {
      if (absent(e, 'ORDERNOTEXIST')) return { done: false };
      if (e.code === 'RESULT_FAIL' && e.retryable === false) return { done: true, error: e };
      throw e;
    }
  }

  /** refund whose answer was lost: the refund query says whether it was accepted. */
  async function resolveRefund(f) {
    try {
      const q = await refundQuery({ out_refund_no: f.out_refund_no });
      const { items } = wx.groupIndexed(q);
      const item = items.find((it) => it.fields.out_refund_no === f.out_refund_no);
      if (!item) return { done: false };
      const r = item.fields;
      return {
        done: true,
        value: {
          appid, mch_id: mchId, out_trade_no: q.out_trade_no, transaction_id: q.transaction_id, total_fee: q.total_fee,
          out_refund_no: r.out_refund_no, refund_id: r.refund_id, refund_fee: r.refund_fee, refund_status: r.refund_status, resolvedByQuery: true,
        },
      };
    } catch (e) {
      if (absent(e, 'REFUNDNOTEXIST')) return { done: false };
      throw e;
    }
  }

  /** The authoritative state of an order from the query APIs: payment, closing, refunds. */
  async function reconcile(outTradeNo) {
    if (typeof outTradeNo !== 'string' || outTradeNo === '') throw new WxPayError('INVALID_PARAM', `reconcile: outTradeNo must be a non-empty string, got ${describe(outTradeNo)}`);
    let q;
    try {
      q = await orderQuery({ out_trade_no: outTradeNo });
    } catch (e) {
      if (absent(e, 'ORDERNOTEXIST')) return { outTradeNo, exists: false, state: 'NOTEXIST', refunds: [] };
      throw e;
    }
    const out = { outTradeNo, exists: true, state: q.trade_state, transactionId: q.transaction_id, totalFee: q.total_fee === undefined ? undefined : Number(q.total_fee), refunds: [] };
    if (q.trade_state === 'REFUND' || q.trade_state === 'SUCCESS') {
      try {
        const { items } = wx.groupIndexed(await refundQuery({ out_trade_no: outTradeNo }));
        out.refunds = items.map(({ fields: r }) => ({ outRefundNo: r.out_refund_no, refundId: r.refund_id, refundFee: Number(r.refund_fee), status: r.refund_status }));
      } catch (e) {
        if (!absent(e, 'REFUNDNOTEXIST')) throw e;
      }
    }
    return out;
  }

  /** The v2 notify middleware: verifyNotify with the client's key, appid and mch_id. */
  function createNotifyHandler(o) {
    clientOptions('createNotifyHandler', o, checkClient);
    return makeNotifyHandler({
      verify: async (bytes) => {
        const n = wx.verifyNotify(bytes, { ...signing, appid, mchId, maxBytes: Math.max(bytes.byteLength, 1) });
        return { paid: n.paid === true, orderKey: n.out_trade_no, event: n, total: n.total_fee };
      },
      ok: () => ({ status: 200, headers: { 'content-type': 'text/xml; charset=utf-8' }, body: wx.notifyReply(true) }),
      refuse: (status, message) => ({ status, headers: { 'content-type': 'text/xml; charset=utf-8' }, body: wx.notifyReply(false, message) }),
      invalidStatus: 400,
    }, o);
  }

  return Object.freeze({
    appid,
    mchId,
    unifiedOrder: (f) => run('unifiedOrder', 'buildUnifiedOrderXml', f, { resolve: () => resolveOrder(f?.out_trade_no) }),
    orderQuery,
    closeOrder: (f) => run('closeOrder', 'buildCloseOrderXml', f),
    refund: (f) => run('refund', 'buildRefundXml', f, { resolve: () => resolveRefund(f) }),
    refundQuery,
    async downloadBill(f) {
      const xml = wx.buildDownloadBillXml(fieldsOf('downloadBill', f), signing);
      const bytes = await withRetries({ api: 'downloadBill', ref: f.bill_date, retries, backoffMs, emit, send: () => post('downloadBill', xml) });
      const gz = bytes[0] === 0x1f && bytes[1] === 0x8b;
      const text = gz ? utf8.decode(await gunzip(bytes)) : utf8.decode(bytes);
      if (text.startsWith('<xml>')) reply(text); // an error answer: parseResponse throws its code
      return wx.parseBill(text);
    },
    reconcile,
    createNotifyHandler,
    close: () => transport.close(),
    toString: () => `[wxpay-wasm v2 client ${mchId}]`,
    toJSON: () => ({ appid, mchId, baseUrl }),
  });
}

export { createV2Client, WECHAT_V2_BASE };
