// The merchant server: HTTP routes over db.js and wechat.js. createApp() is what server.js
// runs and what the tests start; nothing here reads the environment.
import { createServer } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { openDb } from './db.js';
import * as wechat from './wechat.js';

const { wx } = wechat;
const MAX_BODY = 64 * 1024;

/**
 * config: { appid, mchId, key, signType?, baseUrl (WeChat or the mock), notifyBaseUrl? (how WeChat
 * reaches this server; default its own address), dbFile, orderTtlSeconds, reconcileAfterSeconds, certFile?, keyFile?, log? }
 */
export function createApp(config) {
  const log = config.log ?? ((line) => console.log(`[shop ${new Date().toISOString().slice(11, 23)}] ${line}`));
  const db = openDb(config.dbFile);
  const signOpts = { key: config.key, signType: config.signType ?? 'MD5' };
  let selfUrl;
  /** Where WeChat posts notifications; defaults to this server's own address (development). */
  const notifyBase = () => config.notifyBaseUrl ?? selfUrl;
  const tls = config.certFile ? { cert: readFileSync(config.certFile), key: readFileSync(config.keyFile) } : undefined;

  /** One call to WeChat: signed XML out, verified fields back (or a WxPayError). */
  async function callWechat(path, xml) {
    const text = await post(new URL(path, config.baseUrl), xml, path === wechat.PATHS.refund ? tls : undefined);
    return wechat.parseResponse(text, signOpts);
  }

  const routes = [
    ['POST', /^\/orders$/, createOrder],
    ['GET', /^\/orders\/([\w-]+)$/, (m) => showOrder(m[1])],
    ['POST', /^\/orders\/([\w-]+)\/refund$/, (m) => refundOrder(m[1])],
    ['POST', /^\/wxpay\/notify$/, (m, body) => paymentNotify(body)],
    ['POST', /^\/wxpay\/refund-notify$/, (m, body) => refundNotify(body)],
    ['POST', /^\/admin\/reconcile$/, (m, body) => reconcile(body ? JSON.parse(body) : {})],
    ['GET', /^\/admin\/stats$/, () => json(200, db.counts())],
  ];

  const server = createServer(async (req, res) => {
    let reply;
    try {
      const body = await readBody(req);
      const path = new URL(req.url, 'http://shop').pathname;
      const route = routes.find(([m, re]) => m === req.method && re.test(path));
      reply = route ? await route[2](route[1].exec(path), body) : json(404, { error: `no route ${req.method} ${path}` });
    } catch (e) {
      log(`error on ${req.method} ${req.url}: ${e.code ?? ''} ${e.message}`);
      reply = e instanceof SyntaxError ? json(400, { error: 'bad JSON body' }) : json(500, { error: 'internal error' });
    }
    res.writeHead(reply.status, { 'content-type': reply.type, 'content-length': Buffer.byteLength(reply.body) });
    res.end(reply.body);
  });

  async function createOrder(_m, body) {
    const input = JSON.parse(body || '{}');
    const totalFee = Number(input.total_fee);
    if (!Number.isSafeInteger(totalFee) || totalFee <= 0) return json(400, { error: 'total_fee must be a positive integer (fen)' });
    if (typeof input.openid !== 'string' || !input.openid) return json(400, { error: 'openid is required (from wx.login → code2Session)' });
    const now = Date.now();
    const row = {
      out_trade_no: `O${compact(now)}${randomBytes(6).toString('hex')}`, openid: input.openid,
      body: typeof input.body === 'string' && input.body ? input.body : 'Mini-program order', total_fee: totalFee,
      created_at: now, expires_at: now + config.orderTtlSeconds * 1000,
    };
    db.createOrder(row);
    let reply;
    try {
      const xml = wx.buildUnifiedOrderXml({
        appid: config.appid, mch_id: config.mchId, body: row.body, out_trade_no: row.out_trade_no, total_fee: totalFee,
        spbill_create_ip: '127.0.0.1', notify_url: `${notifyBase()}/wxpay/notify`, trade_type: 'JSAPI',
        openid: row.openid, time_expire: compact(row.expires_at),
      }, signOpts);
      reply = await callWechat(wechat.PATHS.unifiedOrder, xml);
    } catch (e) {
      // The order stays CREATED: reconciliation asks WeChat later and closes it if it never existed.
      log(`order ${row.out_trade_no}: unified order failed: ${e.code ?? e.name} ${e.errCode ?? ''} ${e.message}`);
      return json(502, { error: 'unified order failed', code: e.code, errCode: e.errCode, out_trade_no: row.out_trade_no });
    }
    db.setPrepay(row.out_trade_no, reply.prepay_id);
    log(`order ${row.out_trade_no} CREATED: ${totalFee} fen, prepay_id ${reply.prepay_id}`);
    const payment = wx.requestPaymentParams({ appId: config.appid, prepayId: reply.prepay_id, key: config.key, signType: signOpts.signType });
    return json(201, { out_trade_no: row.out_trade_no, state: 'CREATED', total_fee: totalFee, payment });
  }

  function showOrder(no) {
    const order = db.order(no);
    if (!order) return json(404, { error: `no order ${no}` });
    return json(200, { ...order, history: db.history(no), refunds: db.refundsOf(no) });
  }

  /** WeChat's payment-result notification. Every path answers; only SUCCESS stops WeChat retrying. */
  function paymentNotify(body) {
    let no;
    try {
      no = wx.parseXml(body).out_trade_no;
    } catch (e) {
      log(`notify rejected: unreadable XML (${e.code})`);
      return xml(wx.notifyReply(false, 'bad XML'));
    }
    const order = no && db.order(no);
    if (!order) {
      log(`notify rejected: unknown out_trade_no ${no}`);
      return xml(wx.notifyReply(false, 'unknown order'));
    }
    let n;
    try {
      n = wx.verifyNotify(body, {
        key: config.key, appid: config.appid, mchId: config.mchId, outTradeNo: order.out_trade_no, totalFee: String(order.total_fee),
      });
    } catch (e) {
      log(`notify ${no} REJECTED ${e.code}: ${e.message} — order stays ${order.state}`);
      return xml(wx.notifyReply(false, e.code));
    }
    if (!n.paid) {
      const t = db.transition(no, ['CREATED'], 'PAY_FAILED', 'notify');
      log(`notify ${no}: payment failed (${n.err_code ?? 'no err_code'}) — ${t.changed ? 'CREATED → PAY_FAILED' : `unchanged, ${t.order.state}`}`);
      return xml(wx.notifyReply(true));
    }
    const t = db.transition(no, ['CREATED', 'PAY_FAILED'], 'PAID', 'notify', { transactionId: n.transaction_id });
    if (t.changed) log(`notify ${no}: ${order.state} → PAID (transaction_id ${n.transaction_id})`);
    else if (t.order.state === 'CLOSED') log(`notify ${no}: PAID AFTER CLOSE — money received for a closed order, refund it by hand (transaction_id ${n.transaction_id})`);
    else log(`notify ${no}: duplicate, already ${t.order.state} — nothing changed`);
    return xml(wx.notifyReply(true));
  }

  async function refundOrder(no) {
    const order = db.order(no);
    if (!order) return json(404, { error: `no order ${no}` });
    const outRefundNo = `R${compact(Date.now())}${randomBytes(6).toString('hex')}`;
    const started = db.startRefund(no, outRefundNo, order.total_fee);
    if (!started.changed) return json(409, { error: `order ${no} is ${started.order.state}; only PAID orders can be refunded` });
    log(`order ${no}: PAID → REFUNDING (${outRefundNo}, ${order.total_fee} fen)`);
    try {
      const reply = await callWechat(wechat.PATHS.refund, wechat.buildRefundXml({
        appid: config.appid, mch_id: config.mchId, out_trade_no: no, out_refund_no: outRefundNo,
        total_fee: order.total_fee, refund_fee: order.total_fee, notify_url: `${notifyBase()}/wxpay/refund-notify`,
      }, signOpts));
      db.setRefundId(outRefundNo, reply.refund_id);
      return json(202, { out_trade_no: no, out_refund_no: outRefundNo, state: 'REFUNDING', refund_id: reply.refund_id });
    } catch (e) {
      if (e.code === 'RESULT_FAIL' || e.code === 'RETURN_FAIL') {
        db.finishRefund(outRefundNo, false, undefined, 'refund');
        log(`refund ${outRefundNo} refused by WeChat: ${e.errCode ?? e.returnMsg} — order back to PAID`);
        return json(502, { error: 'refund refused', code: e.code, errCode: e.errCode });
      }
      // Unknown outcome (network, bad sign): stay REFUNDING; reconciliation asks refundquery.
      log(`refund ${outRefundNo}: outcome unknown (${e.code ?? e.message}); reconciliation will query it`);
      return json(202, { out_trade_no: no, out_refund_no: outRefundNo, state: 'REFUNDING' });
    }
  }

  /** Refund notifications are not signed: decrypting req_info with the key is their proof. */
  function refundNotify(body) {
    let n;
    try {
      n = wechat.decryptRefundNotify(body, { key: config.key, appid: config.appid, mchId: config.mchId });
    } catch (e) {
      log(`refund notify REJECTED ${e.code}: ${e.message}`);
      return xml(wx.notifyReply(false, e.code));
    }
    const refund = db.refund(n.out_refund_no);
    if (!refund || refund.out_trade_no !== n.out_trade_no || String(refund.refund_fee) !== n.refund_fee) {
      log(`refund notify REJECTED: ${n.out_refund_no} does not match a refund of ours`);
      return xml(wx.notifyReply(false, 'unknown refund'));
    }
    const ok = n.refund_status === 'SUCCESS';
    const t = db.finishRefund(n.out_refund_no, ok, n.refund_id, 'refund-notify');
    log(`refund notify ${n.out_refund_no} ${n.refund_status}: ${t.changed ? `order ${refund.out_trade_no} → ${t.order.state}` : 'duplicate, nothing changed'}`);
    return xml(wx.notifyReply(true));
  }

  /**
   * Asks WeChat about orders still CREATED after `unpaidAfterSeconds` (their notification may be
   * lost) and closes the expired ones; asks about refunds still PROCESSING. The overrides exist
   * for tests and for an operator who wants a sweep now.
   */
  async function reconcile({ unpaidAfterSeconds = config.reconcileAfterSeconds, expireAfterSeconds } = {}) {
    const now = Date.now();
    const outcome = { checked: 0, paid: 0, closed: 0, failed: 0, unchanged: 0, refunds: 0, errors: 0 };
    for (const order of db.staleOrders(now - unpaidAfterSeconds * 1000)) {
      outcome.checked++;
      const expired = now >= (expireAfterSeconds === undefined ? order.expires_at : order.created_at + expireAfterSeconds * 1000);
      try {
        outcome[await reconcileOrder(order, expired)]++;
      } catch (e) {
        outcome.errors++;
        log(`reconcile ${order.out_trade_no}: ${e.code ?? ''} ${e.errCode ?? ''} ${e.message}`);
      }
    }
    for (const refund of db.staleRefunds(now - unpaidAfterSeconds * 1000)) {
      try {
        const r = await callWechat(wechat.PATHS.refundQuery, wechat.buildRefundQueryXml({ appid: config.appid, mch_id: config.mchId, out_refund_no: refund.out_refund_no }, signOpts));
        const status = r.refund_status_0;
        if (status !== 'PROCESSING' && db.finishRefund(refund.out_refund_no, status === 'SUCCESS', r.refund_id_0, 'reconcile').changed) outcome.refunds++;
      } catch (e) {
        outcome.errors++;
        log(`reconcile refund ${refund.out_refund_no}: ${e.code ?? ''} ${e.message}`);
      }
    }
    if (outcome.checked || outcome.refunds || outcome.errors) log(`reconcile: ${JSON.stringify(outcome)}`);
    return json(200, outcome);
  }

  async function reconcileOrder(order, expired) {
    const no = order.out_trade_no;
    const base = { appid: config.appid, mch_id: config.mchId, out_trade_no: no };
    let q;
    try {
      q = await callWechat(wechat.PATHS.orderQuery, wechat.buildOrderQueryXml(base, signOpts));
    } catch (e) {
      if (e.errCode !== 'ORDERNOTEXIST' || !expired) throw e;
      return moved(db.transition(no, ['CREATED'], 'CLOSED', 'reconcile'), 'closed', 'never reached WeChat');
    }
    if (q.trade_state === 'SUCCESS' || q.trade_state === 'REFUND') return markPaid(order, q);
    if (q.trade_state === 'PAYERROR') return moved(db.transition(no, ['CREATED'], 'PAY_FAILED', 'reconcile'), 'failed', 'PAYERROR');
    if (q.trade_state === 'CLOSED') return moved(db.transition(no, ['CREATED'], 'CLOSED', 'reconcile'), 'closed', 'closed at WeChat');
    if (!expired) return 'unchanged';
    try {
      await callWechat(wechat.PATHS.closeOrder, wechat.buildCloseOrderXml(base, signOpts));
    } catch (e) {
      // Paid between the query and the close: the money is there, so the order is PAID.
      if (e.errCode === 'ORDERPAID') return markPaid(order, await callWechat(wechat.PATHS.orderQuery, wechat.buildOrderQueryXml(base, signOpts)));
      if (e.errCode !== 'ORDERCLOSED') throw e;
    }
    return moved(db.transition(no, ['CREATED'], 'CLOSED', 'reconcile'), 'closed', 'expired');
  }

  function markPaid(order, q) {
    if (q.total_fee !== String(order.total_fee)) {
      throw new wx.WxPayError('AMOUNT_MISMATCH', `orderquery says ${q.total_fee} fen, order is ${order.total_fee}`);
    }
    return moved(db.transition(order.out_trade_no, ['CREATED', 'PAY_FAILED'], 'PAID', 'reconcile', { transactionId: q.transaction_id }), 'paid', 'notification lost, found by orderquery');
  }

  function moved(t, counter, why) {
    if (!t.changed) return 'unchanged';
    log(`reconcile ${t.order.out_trade_no}: → ${t.order.state} (${why})`);
    return counter;
  }

  async function listen(port = 0, host = '127.0.0.1') {
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, resolve);
    });
    const { address, port: p } = server.address();
    selfUrl = `http://${address}:${p}`;
    return selfUrl;
  }

  async function close() {
    server.closeAllConnections?.();
    await new Promise((resolve) => server.close(resolve));
    db.close();
  }

  return { server, listen, close, reconcile, db };
}

const json = (status, obj) => ({ status, type: 'application/json; charset=utf-8', body: `${JSON.stringify(obj)}\n` });
const xml = (body) => ({ status: 200, type: 'text/xml; charset=utf-8', body });

/** yyyyMMddHHmmss in Beijing time, as WeChat reads time_expire. */
function compact(ms) {
  return new Date(ms + 8 * 3600e3).toISOString().slice(0, 19).replace(/[-T:]/g, '');
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks = [];
    req.on('data', (c) => {
      size += c.length;
      if (size > MAX_BODY) { reject(new Error('body too large')); req.destroy(); } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** POST with node's own client: https needs the merchant certificate for refunds. */
function post(url, body, tls) {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: 'POST', headers: { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(body) }, timeout: 10000, ...tls }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`WeChat did not answer within 10s: ${url}`)));
    req.on('error', reject);
    req.end(body);
  });
}
