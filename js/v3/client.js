// createClient for WeChat Pay v3 (issue 13): each method builds its request once (the
// v3 builders), signs an Authorization per attempt over the SAME body, sends it, verifies
// the answer's Wechatpay-Signature with the key its Wechatpay-Serial names (public-key mode:
// PUB_KEY_ID_…; certificate mode: platform certificates, downloaded again from
// /v3/certificates when one nears its expiry or an unknown serial signs), and repeats only
// what js/client/retry.js allows.
import { CONTRACT, WxPayError, describe, isPlainObject, strictOptions } from '../core/index.js';
import { CLIENT_DEFAULTS, withRetries } from '../client/retry.js';
import { createTransport } from '../client/transport.js';
import { makeNotifyHandler } from '../client/notify.js';

const WECHAT_V3_BASE = 'https://api.mch.weixin.qq.com';
/** Certificate mode: download again when a certificate expires within this many seconds. */
const REFRESH_BEFORE_S = 24 * 3600;
/** …but not more often than this (an unknown serial from a forger must not cause a download storm). */
const REFRESH_MIN_INTERVAL_MS = 60 * 1000;
const checkClientV3 = strictOptions(CONTRACT.client.v3);

function v3Options(fn, o) {
  if (!isPlainObject(o)) throw new WxPayError('INVALID_PARAM', `${fn}: options must be a plain object, got ${describe(o)}`);
  return checkClientV3(fn, o);
}
function v3String(o, name) {
  const v = o[name];
  if (typeof v !== 'string' || v === '') throw new WxPayError('INVALID_PARAM', `createClient: option \`${name}\` is required (a non-empty string), got ${describe(v)}`, { field: name });
  return v;
}
function v3Int(o, name, dflt, min, max) {
  const v = o[name];
  if (v === undefined) return dflt;
  if (!Number.isSafeInteger(v) || v < min || v > max) throw new WxPayError('INVALID_PARAM', `option \`${name}\` must be an integer from ${min} to ${max}, got ${describe(v)}`, { field: name });
  return v;
}
function v3BaseUrl(v) {
  if (v === undefined) return WECHAT_V3_BASE;
  let u;
  try { u = typeof v === 'string' ? new URL(v) : null; } catch { u = null; }
  if (!u || (u.protocol !== 'https:' && u.protocol !== 'http:') || u.search || u.hash || (u.pathname !== '/' && u.pathname !== '')) {
    throw new WxPayError('INVALID_PARAM', `option \`baseUrl\` must be an http(s) origin such as https://api.mch.weixin.qq.com, got ${typeof v === 'string' ? JSON.stringify(v) : describe(v)}`, { field: 'baseUrl' });
  }
  return u.origin;
}
function v3Keys(v) {
  const entries = v instanceof Map ? [...v] : isPlainObject(v) ? Object.entries(v) : null;
  if (entries === null || entries.length === 0) {
    throw new WxPayError('INVALID_PARAM', 'createClient: option `publicKeys` is required: { PUB_KEY_ID_…: pub_key.pem } (public-key mode) or { serial: platform certificate PEM } (certificate mode)', { field: 'publicKeys' });
  }
  for (const [serial, pem] of entries) {
    if (typeof serial !== 'string' || serial === '' || typeof pem !== 'string') throw new WxPayError('INVALID_PARAM', 'publicKeys must map non-empty serials to PEM text', { field: 'publicKeys' });
  }
  return new Map(entries);
}

/** A certificate's notAfter (ms), where the host can read X.509 (Node); else unknown. */
const X509 = (() => {
  const p = globalThis.process;
  try { return p?.getBuiltinModule?.('node:crypto')?.X509Certificate ?? null; } catch { return null; }
})();
function notAfter(pem) {
  if (!X509 || !pem.includes('CERTIFICATE')) return undefined;
  try { return Date.parse(new X509(pem).validTo); } catch { return undefined; }
}

const decoder = new TextDecoder('utf-8', { fatal: true });
function jsonOf(bytes) {
  try {
    const v = JSON.parse(decoder.decode(bytes));
    if (isPlainObject(v)) return v;
  } catch { /* below */ }
  throw new WxPayError('INVALID_JSON', 'the answer is not a JSON object');
}
function sameV3(reply, name, want, code) {
  if (reply[name] !== undefined && reply[name] !== want) {
    throw new WxPayError(code, `the answer's ${name} is ${JSON.stringify(reply[name])}, not ${JSON.stringify(want)}: it is not an answer to this request`, { field: name });
  }
}

function createV3Client(v3, opts) {
  v3Options('createClient', opts);
  const appid = v3String(opts, 'appid');
  const mchId = v3String(opts, 'mchId');
  const serialNo = v3String(opts, 'serialNo');
  const apiV3Key = v3String(opts, 'apiV3Key');
  if (new TextEncoder().encode(apiV3Key).length !== 32) throw new WxPayError('INVALID_PARAM', 'createClient: option `apiV3Key` must be the 32-byte APIv3 key', { field: 'apiV3Key' });
  const privateKey = opts.privateKey;
  if (typeof privateKey !== 'string' && (privateKey === null || typeof privateKey !== 'object')) {
    throw new WxPayError('INVALID_PARAM', 'createClient: option `privateKey` is required (apiclient_key.pem, or a key from importPrivateKey)', { field: 'privateKey' });
  }
  const keys = v3Keys(opts.publicKeys);
  const certMode = [...keys.keys()].some((s) => !s.startsWith('PUB_KEY_ID_'));
  const baseUrl = v3BaseUrl(opts.baseUrl);
  const timeoutMs = v3Int(opts, 'timeoutMs', CLIENT_DEFAULTS.timeoutMs, 1, 120000);
  const retries = v3Int(opts, 'retries', CLIENT_DEFAULTS.retries, 0, 10);
  const backoffMs = v3Int(opts, 'backoffMs', CLIENT_DEFAULTS.backoffMs, 0, 60000);
  const refreshBefore = v3Int(opts, 'refreshBeforeSeconds', REFRESH_BEFORE_S, 0, 365 * 86400) * 1000;
  if (opts.fetch !== undefined && typeof opts.fetch !== 'function') throw new WxPayError('INVALID_PARAM', 'option `fetch` must be a function', { field: 'fetch' });
  if (opts.fetch === undefined && typeof globalThis.fetch !== 'function') throw new WxPayError('INVALID_PARAM', 'this host has no global fetch: pass option `fetch`', { field: 'fetch' });
  if (opts.onEvent !== undefined && typeof opts.onEvent !== 'function') throw new WxPayError('INVALID_PARAM', 'option `onEvent` must be a function', { field: 'onEvent' });
  const hook = opts.onEvent;
  const emit = (e) => { if (hook) try { hook(Object.freeze(e)); } catch { /* the caller's hook */ } };
  const transport = createTransport({ fetch: opts.fetch ?? ((...a) => globalThis.fetch(...a)), timeoutMs, tls: null });

  // ------------------------------------------------------------ platform certificates

  const expiry = new Map([...keys].map(([s, pem]) => [s, notAfter(pem)]));
  let lastRefresh = 0;
  let refreshing = null;
  const soonestExpiry = () => Math.min(...[...expiry.values()].filter((t) => t !== undefined));
  /** Certificate mode: fetch /v3/certificates (verified with the keys held) and merge it. */
  function refresh() {
    lastRefresh = Date.now();
    refreshing ??= certificates().finally(() => { refreshing = null; });
    return refreshing;
  }
  async function maybeRefresh() {
    if (!certMode || Date.now() - lastRefresh < REFRESH_MIN_INTERVAL_MS) return;
    if (soonestExpiry() - Date.now() < refreshBefore) await refresh().catch(() => {}); // the keys held may still verify
  }

  /** Verifies a signed answer or callback; an unknown serial in certificate mode refreshes once. */
  async function verifyWith(fn) {
    await maybeRefresh();
    try {
      return await fn(Object.fromEntries(keys));
    } catch (e) {
      if (!(certMode && e instanceof WxPayError && e.code === 'UNKNOWN_SERIAL' && Date.now() - lastRefresh >= REFRESH_MIN_INTERVAL_MS)) throw e;
      await refresh();
      return fn(Object.fromEntries(keys));
    }
  }

  // ------------------------------------------------------------ one call

  /** An answer: 2xx verified and parsed; a signed error verified, then thrown as WeChat's code; an unsigned 5xx is a gateway's (outcome unknown). */
  async function answer(r, expect) {
    const signed = r.headers['wechatpay-signature'] !== undefined;
    if (r.status >= 200 && r.status < 300) {
      await verifyWith((publicKeys) => v3.verifySignature(r.body, r.headers, { publicKeys }));
      const json = r.body.byteLength ? jsonOf(r.body) : {};
      sameV3(json, 'mchid', mchId, 'MCH_ID_MISMATCH');
      sameV3(json, 'appid', appid, 'APPID_MISMATCH');
      if (expect) expect(json);
      return json;
    }
    if (!signed && r.status >= 500) throw new WxPayError('NETWORK_ERROR', `HTTP ${r.status} without a WeChat Pay signature (a gateway between here and WeChat)`, { retryable: true, httpStatus: String(r.status) });
    if (signed) await verifyWith((publicKeys) => v3.verifySignature(r.body, r.headers, { publicKeys }));
    throw await v3.parseErrorResponse(r.status, r.body);
  }

  function request(api, built, { resolve, expect, ref } = {}) {
    return built.then((req) => withRetries({
      api, ref, retries, backoffMs, emit, resolve,
      send: async () => {
        // A fresh timestamp and nonce per attempt, over the same method, URL and body.
        const authorization = await v3.authorization({ mchId, serialNo, privateKey, method: req.method, url: req.url, body: req.body });
        const headers = { authorization, accept: 'application/json', 'user-agent': 'wxpay-wasm' };
        if (req.method !== 'GET') headers['content-type'] = 'application/json';
        const r = await transport.send({ method: req.method, url: `${baseUrl}${req.url}`, headers, body: req.method === 'GET' ? undefined : req.body });
        return answer(r, expect);
      },
    }));
  }

  const fields = (api, f) => {
    if (!isPlainObject(f)) throw new WxPayError('INVALID_PARAM', `${api}: the request fields must be a plain object, got ${describe(f)}`);
    return f;
  };
  const text = (api, v, name) => {
    if (typeof v !== 'string' || v === '') throw new WxPayError('INVALID_PARAM', `${api}: ${name} must be a non-empty string, got ${describe(v)}`, { field: name });
    return v;
  };
  const wechatCode = (e, ...codes) => e instanceof WxPayError && e.code === 'RESULT_FAIL' && codes.includes(e.errCode);
  const refundsMade = new Map(); // out_trade_no → Set(out_refund_no), for reconcile

  const queryByOutTradeNo = async (no) => request('queryByOutTradeNo', v3.buildQueryByOutTradeNo({ out_trade_no: text('queryByOutTradeNo', no, 'outTradeNo'), mchid: mchId }),
    { ref: no, expect: (j) => sameV3(j, 'out_trade_no', no, 'OUT_TRADE_NO_MISMATCH') });
  const queryRefund = async (no) => request('queryRefund', v3.buildRefundQuery({ out_refund_no: text('queryRefund', no, 'outRefundNo') }),
    { ref: no, expect: (j) => sameV3(j, 'out_refund_no', no, 'INVALID_FIELD') });

  async function jsapi(order) {
    const f = fields('jsapi', order);
    if (f.appid !== undefined && f.appid !== appid) throw new WxPayError('INVALID_FIELD', 'jsapi: appid is not the client\'s', { field: 'appid' });
    if (f.mchid !== undefined && f.mchid !== mchId) throw new WxPayError('INVALID_FIELD', 'jsapi: mchid is not the client\'s', { field: 'mchid' });
    const no = f.out_trade_no;
    return request('jsapi', v3.buildJsapiOrder({ ...f, appid, mchid: mchId }), {
      ref: no,
      // Lost answer: resending the same body is safe while the order is unpaid (WeChat
      // answers an identical order with its prepay_id); a paid or closed one is surfaced.
      resolve: async () => {
        try {
          const q = await queryByOutTradeNo(no);
          if (q.trade_state === 'NOTPAY') return { done: false };
          return { done: true, error: new WxPayError('RESULT_FAIL', `jsapi ${no}: the order already exists and is ${q.trade_state}`, { errCode: q.trade_state === 'CLOSED' ? 'ORDER_CLOSED' : 'ORDERPAID', retryable: false }) };
        } catch (e) {
          if (wechatCode(e, 'ORDER_NOT_EXIST')) return { done: false };
          throw e;
        }
      },
    });
  }

  async function refund(r) {
    const f = fields('refund', r);
    const out = await request('refund', v3.buildRefund(f), {
      ref: f.out_refund_no,
      expect: (j) => sameV3(j, 'out_refund_no', f.out_refund_no, 'INVALID_FIELD'),
      resolve: async () => {
        try {
          return { done: true, value: { ...(await queryRefund(f.out_refund_no)), resolvedByQuery: true } };
        } catch (e) {
          if (wechatCode(e, 'RESOURCE_NOT_EXISTS', 'NOT_FOUND')) return { done: false };
          throw e;
        }
      },
    });
    const tradeNo = out.out_trade_no ?? f.out_trade_no;
    if (tradeNo) {
      if (!refundsMade.has(tradeNo)) refundsMade.set(tradeNo, new Set());
      refundsMade.get(tradeNo).add(f.out_refund_no);
    }
    return out;
  }

  /** GET /v3/certificates, verified with the keys held, decrypted, merged into them. */
  async function certificates() {
    lastRefresh = Date.now();
    const json = await request('certificates', Promise.resolve({ method: 'GET', url: '/v3/certificates', body: '' }));
    // The signature was checked over the raw bytes; the core decrypts each encrypt_certificate.
    const certs = await v3.parseCertificates(JSON.stringify(json), apiV3Key);
    for (const [serial, c] of Object.entries(certs)) {
      keys.set(serial, c.pem);
      expiry.set(serial, Date.parse(c.expireTime));
    }
    return certs;
  }

  /** The authoritative state of an order: its query, and the query of each refund known for it. */
  async function reconcile(outTradeNo, outRefundNos = []) {
    text('reconcile', outTradeNo, 'outTradeNo');
    if (!Array.isArray(outRefundNos)) throw new WxPayError('INVALID_PARAM', `reconcile: outRefundNos must be an array of out_refund_no, got ${describe(outRefundNos)}`);
    let q;
    try {
      q = await queryByOutTradeNo(outTradeNo);
    } catch (e) {
      if (wechatCode(e, 'ORDER_NOT_EXIST')) return { outTradeNo, exists: false, state: 'NOTEXIST', refunds: [] };
      throw e;
    }
    const nos = new Set([...outRefundNos, ...(refundsMade.get(outTradeNo) ?? [])]);
    const refunds = [];
    for (const no of nos) {
      try {
        const r = await queryRefund(no);
        refunds.push({ outRefundNo: no, refundId: r.refund_id, refundFee: r.amount?.refund, status: r.status });
      } catch (e) {
        if (!wechatCode(e, 'RESOURCE_NOT_EXISTS')) throw e;
      }
    }
    return { outTradeNo, exists: true, state: q.trade_state, transactionId: q.transaction_id, totalFee: q.amount?.total, refunds };
  }

  function createNotifyHandler(o) {
    v3Options('createNotifyHandler', o);
    const maxSkewSeconds = o.maxSkewSeconds;
    return makeNotifyHandler({
      verify: async (bytes, headers) => {
        const n = await verifyWith((publicKeys) => v3.verifyNotify(bytes, headers, {
          apiV3Key, publicKeys, appid, mchId, ...(maxSkewSeconds === undefined ? {} : { maxSkewSeconds }),
        }));
        const amount = n.resource?.amount;
        const refund = n.event_type?.startsWith('REFUND.') ? amount?.refund : undefined;
        return { paid: n.paid === true, orderKey: n.resource?.out_trade_no, event: n, total: amount?.total, refund };
      },
      ok: () => v3.notifyReply(true),
      refuse: async (status, message) => ({ ...(await v3.notifyReply(false, message)), status }),
      invalidStatus: 401,
      serialHeader: 'wechatpay-serial',
    }, o);
  }

  return Object.freeze({
    appid,
    mchId,
    jsapi,
    queryByOutTradeNo,
    queryById: async (id) => request('queryById', v3.buildQueryById({ transaction_id: text('queryById', id, 'transactionId'), mchid: mchId }),
      { ref: id, expect: (j) => sameV3(j, 'transaction_id', id, 'INVALID_FIELD') }),
    close: async (no) => request('close', v3.buildCloseOrder({ out_trade_no: text('close', no, 'outTradeNo'), mchid: mchId }), { ref: no }),
    refund,
    queryRefund,
    certificates,
    reconcile,
    createNotifyHandler,
    /** The serials (or PUB_KEY_ID_…) the client verifies with now. */
    serials: () => [...keys.keys()],
    toString: () => `[wxpay-wasm v3 client ${mchId}]`,
    toJSON: () => ({ appid, mchId, serialNo, baseUrl }),
  });
}

export { createV3Client, WECHAT_V3_BASE };
