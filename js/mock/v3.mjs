// WeChat Pay API v3 in the mock, beside v2 on the same port (as api.mch.weixin.qq.com).
// Every request's Authorization is checked with node:crypto against the merchant public key
// on disk (never with the package's own verify code: the mock judges our client, so it must
// not share its mistakes); every answer, errors included, is signed with the WeChat Pay key.
import { createCipheriv, createSign, createVerify, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { digits, newTransactionId, newRefundId, newPrepayId } from './util.mjs';

const SCHEMA = 'WECHATPAY2-SHA256-RSA2048';
const MAX_SKEW_S = 300;
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
 * mock's config (timeScale, refundDelay); log.
 */
export function createV3({ keys, store, notifier, config, log }) {
  const cfg = keys.config;

  /** The four headers WeChat signs an answer or a callback with: ts\nnonce\nbody\n, RSA-SHA256. */
  function signatureHeaders(body, { timestamp = Math.floor(Date.now() / 1000), privateKey = keys.wechatPrivateKey, serial = cfg.publicKeyId } = {}) {
    const nonce = randomBytes(16).toString('hex');
    const sig = createSign('RSA-SHA256').update(`${timestamp}\n${nonce}\n${body}\n`, 'utf8').sign(privateKey, 'base64');
    return { 'Wechatpay-Timestamp': String(timestamp), 'Wechatpay-Nonce': nonce, 'Wechatpay-Signature': sig, 'Wechatpay-Serial': serial };
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
        if (store.refunds.get(outRefundNo)?.status !== 'PROCESSING') return;
        Object.assign(r, { status: 'SUCCESS', success_at: Date.now() });
        store.save();
        log(`v3 refund ${outRefundNo} SUCCESS`);
        notifyRefund(r);
      });
    }
    return { status: 200, json: refundView(r) };
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
    const headers = { ...signatureHeaders(body), 'Request-ID': `mock-${randomUUID()}` };
    if (body) headers['Content-Type'] = 'application/json';
    return { status: result.status, headers, body };
  }

  /** AEAD_AES_256_GCM with the APIv3 key, as a callback's `resource`. */
  function encrypt(plaintext, originalType) {
    const nonce = digits(12);
    const c = createCipheriv('aes-256-gcm', Buffer.from(cfg.apiV3Key, 'utf8'), Buffer.from(nonce, 'utf8'));
    c.setAAD(Buffer.from(originalType, 'utf8'));
    const ct = Buffer.concat([c.update(plaintext, 'utf8'), c.final(), c.getAuthTag()]);
    return { original_type: originalType, algorithm: 'AEAD_AES_256_GCM', ciphertext: ct.toString('base64'), associated_data: originalType, nonce };
  }

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
      payload: () => ({ body, headers: { 'content-type': 'application/json', ...signatureHeaders(body) } }),
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
   * what an attacker or a replay sends: `forged` (signed by another key under WeChat's serial),
   * `tampered` (signed, then the body edited), `stale` (correctly signed 10 minutes ago).
   * The attacks work on unpaid orders too: an attacker needs no payment.
   */
  async function notifyOnce(o, { kind = 'once', count = 2 } = {}) {
    const paid = o.trade_state === 'SUCCESS' || o.trade_state === 'REFUND';
    if (!paid && !['forged', 'tampered', 'stale'].includes(kind)) throw new Error(`order ${o.out_trade_no} is ${o.trade_state}: pay it before notifying (forged, tampered and stale work on unpaid orders)`);
    const resource = paid ? transaction(o) : {
      ...transaction(o), trade_state: 'SUCCESS', trade_state_desc: TRADE_STATE_DESC.SUCCESS, transaction_id: newTransactionId(),
      bank_type: 'OTHERS', success_time: rfc3339(), amount: { total: o.total, payer_total: o.total, currency: o.currency, payer_currency: o.currency },
    };
    const body = callbackBody('TRANSACTION.SUCCESS', '支付成功', 'transaction', resource);
    const payload = () => {
      if (kind === 'forged') return { body, headers: { 'content-type': 'application/json', ...signatureHeaders(body, { privateKey: stranger() }) } };
      if (kind === 'stale') return { body, headers: { 'content-type': 'application/json', ...signatureHeaders(body, { timestamp: Math.floor(Date.now() / 1000) - 600 }) } };
      const headers = { 'content-type': 'application/json', ...signatureHeaders(body) };
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

  /** REFUND.SUCCESS to the refund request's notify_url; without one WeChat sends none either. */
  function notifyRefund(r) {
    if (!r.notify_url) return log(`v3 refund ${r.out_refund_no}: no notify_url in the refund request, no callback sent`);
    callback(r, {
      cycleId: `refund:${r.out_refund_no}`, eventType: 'REFUND.SUCCESS', summary: '退款成功', originalType: 'refund',
      label: `v3 refund ${r.out_refund_no}`,
      resource: {
        mchid: cfg.mchid, out_trade_no: r.out_trade_no, transaction_id: r.transaction_id, out_refund_no: r.out_refund_no,
        refund_id: r.refund_id, refund_status: r.status, success_time: rfc3339(r.success_at), user_received_account: '支付用户零钱',
        amount: { total: r.total, refund: r.refund, payer_total: r.total, payer_refund: r.refund },
      },
    });
  }

  function pay(o) {
    Object.assign(o, { trade_state: 'SUCCESS', transaction_id: newTransactionId(), paid_at: Date.now(), bank_type: 'OTHERS' });
    store.save();
  }

  return { handle, notifyPayment, notifyOnce, pay, transaction, refundView, signatureHeaders, callbackBody, config: cfg };
}

function strip(o) {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
