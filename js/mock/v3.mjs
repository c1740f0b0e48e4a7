// WeChat Pay API v3 in the mock, beside v2 on the same port (as api.mch.weixin.qq.com).
// Every request's Authorization is checked with node:crypto against the merchant public key
// on disk (never with the package's own verify code: the mock judges our client, so it must
// not share its mistakes); every answer, errors included, is signed with the WeChat Pay key
// of the mode (--v3-keys): the public key (`pubkey`), the platform certificate (`cert`), or
// during WeChat's switch between them (`migrating`) either one, as the rules below say.
import { createCipheriv, createSign, createVerify, generateKeyPairSync, randomBytes, randomInt, randomUUID } from 'node:crypto';
import { digits, newTransactionId, newRefundId, newPrepayId } from './util.mjs';

const SCHEMA = 'WECHATPAY2-SHA256-RSA2048';
const MAX_SKEW_S = 300;
/** The key modes of --v3-keys. */
export const V3_KEY_MODES = Object.freeze(['pubkey', 'cert', 'migrating']);
/** WeChat's probes carry a signature that must not verify; a handler that accepts one checks nothing. */
const PROBE_PREFIX = 'WECHATPAY/SIGNTEST/';
/** What WeChat answers GET /v3/certificates for a merchant on the public key (no platform certificate). */
const NO_CERTIFICATE = '无可用的平台证书，请在商户平台-API安全申请使用微信支付公钥';
/** event_type and summary of a refund callback, by the refund's final status. */
const REFUND_EVENTS = Object.freeze({
  SUCCESS: ['REFUND.SUCCESS', '退款成功'], ABNORMAL: ['REFUND.ABNORMAL', '退款异常'], CLOSED: ['REFUND.CLOSED', '退款关闭'],
});
export const V3_REFUND_STATUSES = Object.freeze(Object.keys(REFUND_EVENTS));
const PREPAY_VALID_MS = 2 * 3600 * 1000;
const TRADE_STATE_DESC = {
  NOTPAY: '订单未支付', SUCCESS: '支付成功', REFUND: '转入退款', CLOSED: '已关闭', PAYERROR: '支付失败(其他原因，如银行返回失败)',
};

class V3Error extends Error {
  constructor(status, code, message, detail) {
    super(message);
    Object.assign(this, { status, code, detail });
  }
}
const paramError = (field, issue, location = 'body', value) => new V3Error(400, 'PARAM_ERROR', `参数错误: ${field} ${issue}`, { location, field, issue, ...(value === undefined ? {} : { value }) });

/** RFC 3339 in Beijing time, as WeChat writes success_time / create_time. */
export function rfc3339(ms = Date.now()) {
  return `${new Date(ms + 8 * 3600 * 1000).toISOString().slice(0, 19)}+08:00`;
}

/** Authorization: WECHATPAY2-SHA256-RSA2048 k="v",… → { mchid, nonce_str, signature, timestamp, serial_no }. */
export function parseAuthorization(header) {
  if (typeof header !== 'string' || !header.startsWith(`${SCHEMA} `)) return null;
  const out = {};
  for (const part of header.slice(SCHEMA.length + 1).split(',')) {
    const m = /^\s*([a-z_]+)="([^"]*)"\s*$/.exec(part);
    if (!m || m[1] in out) return null;
    out[m[1]] = m[2];
  }
  return out;
}

/**
 * keys: loadV3Keys(); store: the shared Store; notifier: the shared notifier; config: the
 * mock's config (timeScale, refundDelay); log; mode: one of V3_KEY_MODES (default pubkey).
 */
export function createV3({ keys, store, notifier, config, log, mode = 'pubkey' }) {
  if (!V3_KEY_MODES.includes(mode)) throw new Error(`v3 key mode must be one of ${V3_KEY_MODES.join(', ')}, got ${mode}`);
  const cfg = keys.config;
  const { signers } = keys;

  /**
   * The key an answer is signed with. migrating: the public key when the request names it in
   * Wechatpay-Serial (what WeChat does for a merchant who announced it can verify with the
   * public key), else the certificate.
   */
  function responseSigner(headers) {
    if (mode === 'pubkey') return signers.pubkey;
    if (mode === 'cert') return signers.cert;
    const named = headers['wechatpay-serial'];
    return typeof named === 'string' && named.startsWith('PUB_KEY_ID_') ? signers.pubkey : signers.cert;
  }
  /** The key a callback attempt is signed with; migrating: either, at random, as during WeChat's switch. */
  function callbackSigner({ next = false } = {}) {
    const cert = mode === 'cert' || (mode === 'migrating' && randomInt(2) === 1);
    if (next) return cert ? signers.nextCert : signers.nextPubkey;
    return cert ? signers.cert : signers.pubkey;
  }

  /** The four headers WeChat signs an answer or a callback with: ts\nnonce\nbody\n, RSA-SHA256. */
  function signatureHeaders(body, { timestamp = Math.floor(Date.now() / 1000), signer = signers.pubkey, privateKey = signer.privateKey, probe = false } = {}) {
    const nonce = randomBytes(16).toString('hex');
    const sig = probe ? `${PROBE_PREFIX}${randomBytes(48).toString('base64')}`
      : createSign('RSA-SHA256').update(`${timestamp}\n${nonce}\n${body}\n`, 'utf8').sign(privateKey, 'base64');
    return { 'Wechatpay-Timestamp': String(timestamp), 'Wechatpay-Nonce': nonce, 'Wechatpay-Signature': sig, 'Wechatpay-Serial': signer.serial };
  }

  /** WeChat's checks of the merchant's signature, first failure wins. */
  function authenticate(method, pathAndQuery, headers, bodyText) {
    const header = headers.authorization;
    if (!header) throw new V3Error(401, 'SIGN_ERROR', '签名错误: 缺少 Authorization 请求头 (no Authorization header)');
    const a = parseAuthorization(header);
    if (!a) throw new V3Error(401, 'SIGN_ERROR', `签名错误: Authorization 应为 ${SCHEMA} mchid="…",nonce_str="…",signature="…",timestamp="…",serial_no="…"`);
    const missing = ['mchid', 'nonce_str', 'signature', 'timestamp', 'serial_no'].filter((k) => !a[k]);
    if (missing.length) throw new V3Error(401, 'SIGN_ERROR', `签名错误: Authorization 缺少 ${missing.join(', ')}`);
    if (a.mchid !== cfg.mchid) throw new V3Error(401, 'SIGN_ERROR', `签名错误: mchid ${a.mchid} 不是本商户 (the mock serves mchid ${cfg.mchid})`);
    if (a.serial_no.toUpperCase() !== cfg.serialNo.toUpperCase()) throw new V3Error(401, 'SIGN_ERROR', `签名错误: 商户证书序列号 ${a.serial_no} 不存在 (unknown serial_no; the mock knows ${cfg.serialNo})`);
    if (!/^\d{1,12}$/.test(a.timestamp)) throw new V3Error(401, 'SIGN_ERROR', `签名错误: timestamp 应为 Unix 秒 (got ${a.timestamp})`);
    const skew = Math.floor(Date.now() / 1000) - Number(a.timestamp);
    if (Math.abs(skew) > MAX_SKEW_S) throw new V3Error(401, 'SIGN_ERROR', `签名错误: timestamp 与当前时间相差 ${skew} 秒, 超过 ${MAX_SKEW_S} 秒 (request expired or clock skewed)`);
    const message = `${method}\n${pathAndQuery}\n${a.timestamp}\n${a.nonce_str}\n${bodyText}\n`;
    let ok = false;
    try {
      ok = createVerify('RSA-SHA256').update(message, 'utf8').verify(keys.merchantPublicKey, a.signature, 'base64');
    } catch { ok = false; }
    if (!ok) throw new V3Error(401, 'SIGN_ERROR', '签名错误: 签名与商户私钥 (apiclient_key.pem) 的计算结果不符 (signature does not verify over METHOD\\nURL\\nTIMESTAMP\\nNONCE\\nBODY\\n)');
    return a;
  }

  function json(bodyText) {
    if (!bodyText) throw new V3Error(400, 'PARAM_ERROR', '参数错误: 请求体为空 (empty body)', { location: 'body', issue: 'empty body' });
    let v;
    try { v = JSON.parse(bodyText); } catch (e) { throw new V3Error(400, 'PARAM_ERROR', `参数错误: 请求体不是合法 JSON (${e.message})`, { location: 'body', issue: 'invalid JSON' }); }
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new V3Error(400, 'PARAM_ERROR', '参数错误: 请求体应为 JSON 对象', { location: 'body', issue: 'not an object' });
    return v;
  }

  const str = (o, path, max = 256) => {
    const v = path.split('/').slice(1).reduce((x, k) => (x == null ? undefined : x[k]), o);
    if (v === undefined || v === null || v === '') throw paramError(path, '为必填字段 (required)');
    if (typeof v !== 'string') throw paramError(path, '应为字符串 (must be a string)', 'body', v);
    if (v.length > max) throw paramError(path, `长度超过 ${max} (longer than ${max})`, 'body', v);
    return v;
  };
  const fen = (o, path) => {
    const v = path.split('/').slice(1).reduce((x, k) => (x == null ? undefined : x[k]), o);
    if (v === undefined || v === null) throw paramError(path, '为必填字段 (required)');
    if (!Number.isInteger(v) || v <= 0) throw paramError(path, '应为正整数(分) (a positive integer in fen)', 'body', v);
    return v;
  };
  const optStr = (o, path, max) => (path.split('/').slice(1).reduce((x, k) => (x == null ? undefined : x[k]), o) === undefined ? undefined : str(o, path, max));

  function sameMerchant(appid, mchid) {
    if (mchid !== cfg.mchid || (appid !== undefined && appid !== cfg.appid)) {
      throw new V3Error(400, 'APPID_MCHID_NOT_MATCH', `AppID和mch_id不匹配: appid ${appid ?? '-'} / mchid ${mchid} (the mock serves appid ${cfg.appid}, mchid ${cfg.mchid})`);
    }
  }

  const v3Order = (o) => (o && o.api === 'v3' ? o : undefined);

  function digest(b) {
    return JSON.stringify([b.appid, b.mchid, b.description, b.out_trade_no, b.notify_url, b.amount?.total, b.amount?.currency ?? 'CNY', b.payer?.openid, b.attach ?? null, b.time_expire ?? null]);
  }

  function jsapi(body) {
    const b = json(body);
    const appid = str(b, '/appid', 32);
    const mchid = str(b, '/mchid', 32);
    const description = str(b, '/description', 127);
    const no = str(b, '/out_trade_no', 32);
    if (!/^[0-9A-Za-z_\-|*]{6,32}$/.test(no)) throw paramError('/out_trade_no', '只能是 6-32 位数字、大小写字母_-|* (6-32 of [0-9A-Za-z_-|*])', 'body', no);
    const notifyUrl = str(b, '/notify_url', 256);
    if (!/^https?:\/\/[^\s?#]+$/.test(notifyUrl)) throw paramError('/notify_url', '应为不带参数的 http(s) URL', 'body', notifyUrl);
    const total = fen(b, '/amount/total');
    const currency = optStr(b, '/amount/currency', 16) ?? 'CNY';
    if (currency !== 'CNY') throw paramError('/amount/currency', '只支持 CNY', 'body', currency);
    const openid = str(b, '/payer/openid', 128);
    const attach = optStr(b, '/attach', 128);
    const timeExpire = optStr(b, '/time_expire', 64);
    sameMerchant(appid, mchid);
    const existing = store.order(no);
    if (existing) {
      if (existing.api !== 'v3') throw new V3Error(403, 'OUT_TRADE_NO_USED', `商户订单号重复: ${no} 是一笔 v2 订单`);
      if (existing.trade_state === 'CLOSED') throw new V3Error(400, 'ORDER_CLOSED', `订单已关闭: ${no}`);
      if (existing.trade_state !== 'NOTPAY') throw new V3Error(403, 'OUT_TRADE_NO_USED', `商户订单号重复: ${no} 已支付 (${existing.trade_state})`);
      if (existing.digest !== digest(b)) throw new V3Error(403, 'OUT_TRADE_NO_USED', `商户订单号重复: 同一订单号的请求内容不同 (same out_trade_no, different content)`);
      return { status: 200, json: { prepay_id: existing.prepay_id } };
    }
    const now = Date.now();
    const expireAt = timeExpire ? Date.parse(timeExpire) : now + PREPAY_VALID_MS;
    if (Number.isNaN(expireAt)) throw paramError('/time_expire', '应为 RFC 3339 时间 (e.g. 2026-12-01T10:34:56+08:00)', 'body', timeExpire);
    const o = {
      api: 'v3', out_trade_no: no, appid, mchid, description, attach, total, currency, openid, notify_url: notifyUrl,
      trade_type: 'JSAPI', prepay_id: newPrepayId(), trade_state: 'NOTPAY', created_at: now, expire_at: expireAt, digest: digest(b), deliveries: [],
    };
    store.orders.set(no, o);
    store.save();
    log(`v3 order ${no} created: ${total} fen, JSAPI, notify_url ${notifyUrl}`);
    return { status: 200, json: { prepay_id: o.prepay_id } };
  }

  /** The transaction as WeChat's query (and the TRANSACTION.* callback resource) shows it. */
  function transaction(o) {
    const paid = o.trade_state === 'SUCCESS' || o.trade_state === 'REFUND';
    return strip({
      appid: o.appid, mchid: o.mchid, out_trade_no: o.out_trade_no, transaction_id: o.transaction_id,
      trade_type: o.trade_type, trade_state: o.trade_state, trade_state_desc: TRADE_STATE_DESC[o.trade_state],
      bank_type: paid ? o.bank_type : undefined, attach: o.attach ?? '', success_time: paid ? rfc3339(o.paid_at) : undefined,
      payer: { openid: o.openid },
      amount: paid ? { total: o.total, payer_total: o.total, currency: o.currency, payer_currency: o.currency } : { total: o.total, currency: o.currency },
    });
  }

  function queryMchid(query) {
    const mchid = query.get('mchid');
    if (!mchid) throw paramError('mchid', '为必填参数 (required)', 'query');
    sameMerchant(undefined, mchid);
  }

  function queryByNo(no, query) {
    queryMchid(query);
    const o = v3Order(store.order(no));
    if (!o) throw new V3Error(404, 'ORDER_NOT_EXIST', `订单不存在: out_trade_no ${no}`);
    return { status: 200, json: transaction(o) };
  }

  function queryById(id, query) {
    queryMchid(query);
    const o = v3Order(store.orderByTransaction(id));
    if (!o) throw new V3Error(404, 'ORDER_NOT_EXIST', `订单不存在: transaction_id ${id}`);
    return { status: 200, json: transaction(o) };
  }

  function close(no, body) {
    const b = json(body);
    sameMerchant(undefined, str(b, '/mchid', 32));
    const o = v3Order(store.order(no));
    if (!o) throw new V3Error(404, 'ORDER_NOT_EXIST', `订单不存在: out_trade_no ${no}`);
    if (o.trade_state === 'SUCCESS' || o.trade_state === 'REFUND') throw new V3Error(400, 'ORDERPAID', `订单已支付, 不能关闭: ${no}`);
    if (o.trade_state !== 'CLOSED') {
      o.trade_state = 'CLOSED';
      store.save();
      log(`v3 order ${no} CLOSED by the merchant`);
    }
    return { status: 204 };
  }

  function refundView(r) {
    return strip({
      refund_id: r.refund_id, out_refund_no: r.out_refund_no, transaction_id: r.transaction_id, out_trade_no: r.out_trade_no,
      channel: 'ORIGINAL', user_received_account: '支付用户零钱', success_time: r.success_at ? rfc3339(r.success_at) : undefined,
      create_time: rfc3339(r.created_at), status: r.status, funds_account: 'AVAILABLE',
      amount: {
        total: r.total, refund: r.refund, payer_total: r.total, payer_refund: r.refund, settlement_refund: r.refund,
        settlement_total: r.total, discount_refund: 0, currency: 'CNY', refund_fee: 0,
      },
    });
  }

  function refund(body) {
    const b = json(body);
    const byId = optStr(b, '/transaction_id', 32);
    const byNo = byId ? undefined : str(b, '/out_trade_no', 32);
    const outRefundNo = str(b, '/out_refund_no', 64);
    if (!/^[0-9A-Za-z_\-|*@]{1,64}$/.test(outRefundNo)) throw paramError('/out_refund_no', '只能是数字、大小写字母_-|*@', 'body', outRefundNo);
    const amount = fen(b, '/amount/refund');
    const total = fen(b, '/amount/total');
    const currency = str(b, '/amount/currency', 16);
    if (currency !== 'CNY') throw paramError('/amount/currency', '只支持 CNY', 'body', currency);
    const notifyUrl = optStr(b, '/notify_url', 256);
    if (notifyUrl !== undefined && !/^https?:\/\/[^\s?#]+$/.test(notifyUrl)) throw paramError('/notify_url', '应为不带参数的 http(s) URL', 'body', notifyUrl);
    const o = v3Order(byId ? store.orderByTransaction(byId) : store.order(byNo));
    if (!o) throw new V3Error(404, 'RESOURCE_NOT_EXISTS', `订单不存在: ${byId ? `transaction_id ${byId}` : `out_trade_no ${byNo}`}`);
    if (o.trade_state === 'CLOSED') throw new V3Error(400, 'ORDER_CLOSED', `订单已关闭, 不能退款: ${o.out_trade_no}`);
    if (o.trade_state !== 'SUCCESS' && o.trade_state !== 'REFUND') throw new V3Error(400, 'INVALID_REQUEST', `订单状态 ${o.trade_state} 不能退款 (only a paid order can be refunded)`);
    if (total !== o.total) throw paramError('/amount/total', `与订单金额 ${o.total} 不符`, 'body', total);
    const existing = store.refunds.get(outRefundNo);
    if (existing) {
      if (existing.api !== 'v3' || existing.out_trade_no !== o.out_trade_no || existing.refund !== amount) {
        throw new V3Error(400, 'INVALID_REQUEST', `退款单号 ${outRefundNo} 已用于另一笔退款 (same out_refund_no, different refund)`);
      }
      return { status: 200, json: refundView(existing) };
    }
    const refunded = [...store.refunds.values()].filter((r) => r.api === 'v3' && r.out_trade_no === o.out_trade_no && r.status !== 'CLOSED' && r.status !== 'ABNORMAL')
      .reduce((s, r) => s + r.refund, 0);
    if (refunded + amount > o.total) throw new V3Error(403, 'NOT_ENOUGH', `余额不足: 可退 ${o.total - refunded} 分, 申请 ${amount} 分`);
    const r = {
      api: 'v3', out_refund_no: outRefundNo, refund_id: newRefundId(), out_trade_no: o.out_trade_no, transaction_id: o.transaction_id,
      total, refund: amount, notify_url: notifyUrl, reason: b.reason, status: 'PROCESSING', created_at: Date.now(), deliveries: [],
    };
    store.refunds.set(outRefundNo, r);
    o.trade_state = 'REFUND';
    store.save();
    log(`v3 refund ${outRefundNo} of ${o.out_trade_no}: ${amount} fen, PROCESSING`);
    if (config.refundDelay >= 0) {
      notifier.later(config.refundDelay * 1000 * config.timeScale, () => {
        if (store.refunds.get(outRefundNo)?.status === 'PROCESSING') completeRefund(r, 'SUCCESS');
      });
    }
    return { status: 200, json: refundView(r) };
  }

  /**
   * A PROCESSING refund ends SUCCESS, ABNORMAL (the money could not reach the payer: a closed
   * bank card) or CLOSED, and REFUND.<status> is posted. A refund that did not succeed gives
   * its amount back: when no other refund is pending or done, the order is SUCCESS again.
   */
  function completeRefund(r, status = 'SUCCESS') {
    if (!REFUND_EVENTS[status]) throw new Error(`status must be one of ${V3_REFUND_STATUSES.join(', ')} for a v3 refund`);
    if (r.status !== 'PROCESSING') throw new Error(`refund ${r.out_refund_no} is already ${r.status}`);
    Object.assign(r, { status, success_at: status === 'SUCCESS' ? Date.now() : undefined });
    const o = store.order(r.out_trade_no);
    const others = [...store.refunds.values()].filter((x) => x.api === 'v3' && x.out_trade_no === r.out_trade_no && (x.status === 'SUCCESS' || x.status === 'PROCESSING'));
    if (status !== 'SUCCESS' && o && !others.length) o.trade_state = 'SUCCESS';
    store.save();
    log(`v3 refund ${r.out_refund_no} ${status}`);
    notifyRefund(r);
  }

  /** GET /v3/certificates: the platform certificates, each encrypted with the APIv3 key (associated_data "certificate"). */
  function certificates(query) {
    if (mode === 'pubkey') throw new V3Error(404, 'RESOURCE_NOT_EXISTS', `${NO_CERTIFICATE} (the mock runs --v3-keys pubkey: verify with pub_key.pem, ${cfg.publicKeyId})`);
    const alg = query.get('algorithm_type');
    if (alg !== null && alg !== 'RSA') throw paramError('algorithm_type', `只支持 RSA (the mock has RSA certificates only, got ${alg})`, 'query', alg);
    const c = signers.cert.cert;
    return {
      status: 200,
      json: {
        data: [{
          serial_no: signers.cert.serial, effective_time: rfc3339(Date.parse(c.validFrom)), expire_time: rfc3339(Date.parse(c.validTo)),
          encrypt_certificate: aead(signers.cert.pem, 'certificate'),
        }],
      },
    };
  }

  function refundQuery(no) {
    const r = store.refunds.get(no);
    if (!r || r.api !== 'v3') throw new V3Error(404, 'RESOURCE_NOT_EXISTS', `退款单不存在: out_refund_no ${no}`);
    return { status: 200, json: refundView(r) };
  }

  const routes = [
    ['POST', /^\/v3\/pay\/transactions\/jsapi$/, (m, q, b) => jsapi(b)],
    ['GET', /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)$/, (m, q) => queryByNo(m[1], q)],
    ['GET', /^\/v3\/pay\/transactions\/id\/([^/]+)$/, (m, q) => queryById(m[1], q)],
    ['POST', /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)\/close$/, (m, q, b) => close(m[1], b)],
    ['POST', /^\/v3\/refund\/domestic\/refunds$/, (m, q, b) => refund(b)],
    ['GET', /^\/v3\/refund\/domestic\/refunds\/([^/]+)$/, (m) => refundQuery(m[1])],
    ['GET', /^\/v3\/certificates$/, (m, q) => certificates(q)],
  ];

  /** One v3 call: { status, headers, body } with the answer signed. Never throws a V3Error. */
  function handle(req, url, raw, maxBody = 1024 * 1024) {
    const pathAndQuery = url.pathname + url.search;
    let result;
    try {
      const route = routes.find(([m, re]) => re.test(url.pathname) && m === req.method)
        ?? (routes.some(([, re]) => re.test(url.pathname)) ? 'method' : null);
      if (!route) throw new V3Error(404, 'NOT_FOUND', `no such WeChat Pay v3 path in the mock: ${req.method} ${url.pathname}`);
      if (route === 'method') throw new V3Error(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${url.pathname}`);
      if (raw.length > maxBody) throw new V3Error(400, 'PARAM_ERROR', `参数错误: 请求体超过 ${maxBody} 字节`, { location: 'body', issue: 'body too large' });
      let text;
      try { text = new TextDecoder('utf-8', { fatal: true }).decode(raw); } catch { throw new V3Error(400, 'PARAM_ERROR', '参数错误: 请求体不是 UTF-8', { location: 'body', issue: 'not UTF-8' }); }
      authenticate(req.method, pathAndQuery, req.headers, text);
      const [, re, fn] = route;
      result = fn(re.exec(url.pathname).map((s, i) => (i ? decodeURIComponent(s) : s)), url.searchParams, text);
    } catch (e) {
      if (!(e instanceof V3Error)) throw e;
      result = { status: e.status, json: strip({ code: e.code, message: e.message, detail: e.detail }) };
    }
    const body = result.json === undefined ? '' : JSON.stringify(result.json);
    log(`v3 ${req.method} ${pathAndQuery} → ${result.status}${result.json?.code ? ` ${result.json.code} (${result.json.message})` : ''}`);
    const headers = { ...signatureHeaders(body, { signer: responseSigner(req.headers) }), 'Request-ID': `mock-${randomUUID()}` };
    if (body) headers['Content-Type'] = 'application/json';
    return { status: result.status, headers, body };
  }

  /** AEAD_AES_256_GCM with the APIv3 key: { algorithm, nonce, associated_data, ciphertext }. */
  function aead(plaintext, associatedData) {
    const nonce = digits(12);
    const c = createCipheriv('aes-256-gcm', Buffer.from(cfg.apiV3Key, 'utf8'), Buffer.from(nonce, 'utf8'));
    c.setAAD(Buffer.from(associatedData, 'utf8'));
    const ct = Buffer.concat([c.update(plaintext, 'utf8'), c.final(), c.getAuthTag()]);
    return { algorithm: 'AEAD_AES_256_GCM', nonce, associated_data: associatedData, ciphertext: ct.toString('base64') };
  }
  /** A callback's `resource`: the same, with original_type first as WeChat writes it. */
  const encrypt = (plaintext, originalType) => ({ original_type: originalType, ...aead(plaintext, originalType) });

  /**
   * Starts a callback cycle for `target` (an order or a refund): one notification id, each
   * attempt signed afresh (WeChat re-signs retries, or the 300 s window would refuse them),
   * until the merchant answers 200 or 204.
   */
  function callback(target, { cycleId, eventType, summary, originalType, resource, label }) {
    const body = callbackBody(eventType, summary, originalType, resource);
    target.notify_state = 'pending';
    store.save();
    notifier.cycle(cycleId, {
      url: target.notify_url, label,
      payload: () => ({ body, headers: { 'content-type': 'application/json', ...signatureHeaders(body, { signer: callbackSigner() }) } }),
      acknowledged: (status) => status === 200 || status === 204,
      onAttempt: (rec, n) => { target.deliveries.push({ kind: 'retry', ...rec, attempt: n }); if (target.deliveries.length > 100) target.deliveries.shift(); store.save(); },
      onEnd: (how) => { target.notify_state = how; store.save(); log(`notify ${label}: ${how}`); },
    });
  }

  function callbackBody(eventType, summary, originalType, resource) {
    return JSON.stringify({
      id: randomUUID(), create_time: rfc3339(), resource_type: 'encrypt-resource', event_type: eventType,
      summary, resource: encrypt(JSON.stringify(resource), originalType),
    });
  }

  let strangerKey = null;
  /** A key WeChat never had: what a forger signs with. */
  const stranger = () => (strangerKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);

  /**
   * One-off payment callbacks for testing a handler: `once`, `duplicate` (count at once), and
   * what a handler must refuse: `forged` (signed by another key under WeChat's serial),
   * `tampered` (signed, then the body edited), `stale` (correctly signed 10 minutes ago),
   * `probe` (WeChat's WECHATPAY/SIGNTEST/ signature probe), `wrong-amount` (correctly signed,
   * amount.total `amount` fen instead of the order's: only an amount check catches it), and
   * `unknown-serial` (correctly signed by the key WeChat switches to next, whose serial the
   * merchant has not loaded: refuse, fetch the new key, then accept the retry).
   * All but once and duplicate work on unpaid orders too: an attacker needs no payment.
   */
  async function notifyOnce(o, { kind = 'once', count = 2, amount } = {}) {
    if (!NOTIFY_KINDS.includes(kind)) throw new Error(`kind must be one of retry, ${NOTIFY_KINDS.join(', ')} for a v3 order`);
    const paid = o.trade_state === 'SUCCESS' || o.trade_state === 'REFUND';
    if (!paid && (kind === 'once' || kind === 'duplicate')) throw new Error(`order ${o.out_trade_no} is ${o.trade_state}: pay it before notifying (${NOTIFY_KINDS.slice(2).join(', ')} work on unpaid orders)`);
    let resource = paid ? transaction(o) : {
      ...transaction(o), trade_state: 'SUCCESS', trade_state_desc: TRADE_STATE_DESC.SUCCESS, transaction_id: newTransactionId(),
      bank_type: 'OTHERS', success_time: rfc3339(), amount: { total: o.total, payer_total: o.total, currency: o.currency, payer_currency: o.currency },
    };
    if (kind === 'wrong-amount') {
      const total = amount === undefined ? (o.total === 1 ? 2 : 1) : amount;
      if (!Number.isInteger(total) || total <= 0 || total === o.total) throw new Error(`amount must be a positive integer of fen other than the order's ${o.total}`);
      resource = { ...resource, amount: { ...resource.amount, total, payer_total: total } };
    }
    const body = callbackBody('TRANSACTION.SUCCESS', '支付成功', 'transaction', resource);
    const payload = () => {
      const signer = callbackSigner({ next: kind === 'unknown-serial' });
      const opts = { signer };
      if (kind === 'forged') opts.privateKey = stranger();
      if (kind === 'stale') opts.timestamp = Math.floor(Date.now() / 1000) - 600;
      if (kind === 'probe') opts.probe = true;
      const headers = { 'content-type': 'application/json', ...signatureHeaders(body, opts) };
      return { body: kind === 'tampered' ? body.replace('"支付成功"', '"支付成功 "') : body, headers };
    };
    const n = kind === 'duplicate' ? Math.min(Math.max(Number(count) || 2, 2), 20) : 1;
    const ack = (status) => status === 200 || status === 204;
    const results = await Promise.all(Array.from({ length: n }, () => notifier.once(o.notify_url, payload, `v3 ${kind} ${o.out_trade_no}`, 0, ack)));
    for (const rec of results) o.deliveries.push({ kind, ...rec });
    store.save();
    return { kind, replies: results };
  }

  function notifyPayment(o) {
    callback(o, {
      cycleId: `pay:${o.out_trade_no}`, eventType: 'TRANSACTION.SUCCESS', summary: '支付成功', originalType: 'transaction',
      resource: transaction(o), label: `v3 payment ${o.out_trade_no}`,
    });
    return { started: 'retry cycle', out_trade_no: o.out_trade_no };
  }

  /** The decrypted resource of a REFUND.* callback. */
  const refundResource = (r) => strip({
    mchid: cfg.mchid, out_trade_no: r.out_trade_no, transaction_id: r.transaction_id, out_refund_no: r.out_refund_no,
    refund_id: r.refund_id, refund_status: r.status, success_time: r.success_at ? rfc3339(r.success_at) : undefined, user_received_account: '支付用户零钱',
    amount: { total: r.total, refund: r.refund, payer_total: r.total, payer_refund: r.refund },
  });

  /**
   * REFUND.<status> to the refund request's notify_url; without one WeChat sends none either.
   * kind: retry (the cycle, default) | once | duplicate.
   */
  async function notifyRefund(r, { kind = 'retry' } = {}) {
    const event = REFUND_EVENTS[r.status];
    if (!event) throw new Error(`refund ${r.out_refund_no} is still ${r.status}: complete it first`);
    if (!r.notify_url) {
      log(`v3 refund ${r.out_refund_no}: no notify_url in the refund request, no callback sent`);
      return { sent: false, reason: 'the refund request had no notify_url' };
    }
    const [eventType, summary] = event;
    if (kind === 'retry') {
      callback(r, { cycleId: `refund:${r.out_refund_no}`, eventType, summary, originalType: 'refund', label: `v3 refund ${r.out_refund_no}`, resource: refundResource(r) });
      return { started: 'retry cycle', out_refund_no: r.out_refund_no };
    }
    if (kind !== 'once' && kind !== 'duplicate') throw new Error('kind must be retry, once or duplicate for a v3 refund');
    const body = callbackBody(eventType, summary, 'refund', refundResource(r));
    const payload = () => ({ body, headers: { 'content-type': 'application/json', ...signatureHeaders(body, { signer: callbackSigner() }) } });
    const ack = (status) => status === 200 || status === 204;
    const results = await Promise.all(Array.from({ length: kind === 'duplicate' ? 2 : 1 }, () => notifier.once(r.notify_url, payload, `v3 ${kind} refund ${r.out_refund_no}`, 0, ack)));
    for (const rec of results) r.deliveries.push({ kind, ...rec });
    store.save();
    return { kind, replies: results };
  }

  /** The payer's payment fails. WeChat posts no callback for it (v3 notifies TRANSACTION.SUCCESS only); the query says PAYERROR. */
  function failPayment(o) {
    o.trade_state = 'PAYERROR';
    store.save();
  }

  function pay(o) {
    Object.assign(o, { trade_state: 'SUCCESS', transaction_id: newTransactionId(), paid_at: Date.now(), bank_type: 'OTHERS' });
    store.save();
  }

  /** The signature headers of an answer to a request with these headers (the mode's response key). */
  const responseHeaders = (body, requestHeaders) => signatureHeaders(body, { signer: responseSigner(requestHeaders) });

  return { handle, notifyPayment, notifyOnce, notifyRefund, completeRefund, failPayment, pay, transaction, refundView, signatureHeaders, responseHeaders, callbackBody, config: cfg, mode };
}

/** The one-off kinds of POST /_mock/orders/{no}/notify on a v3 order (retry is the cycle). */
export const NOTIFY_KINDS = Object.freeze(['once', 'duplicate', 'forged', 'tampered', 'stale', 'probe', 'unknown-serial', 'wrong-amount']);

function strip(o) {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
