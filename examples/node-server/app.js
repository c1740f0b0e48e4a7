// The merchant server: HTTP routes over the store (store/) and WeChat Pay (wechat/, v2 or
// v3 behind one interface), so the state machine below is written once. createApp() is what
// server.js runs and what the tests start; nothing here reads the environment.
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import wx from 'wxpay-wasm';
import { openStore } from './store/index.js';
import { openWechat } from './wechat/index.js';

const MAX_BODY = 64 * 1024;

/**
 * config: { api? ('v2' default, or 'v3'), appid, mchId, key (v2), signType? (v2), v3? (v3 keys),
 * baseUrl (WeChat or the mock), notifyBaseUrl? (how WeChat reaches this server; default its own
 * address), databaseUrl? (PostgreSQL) or dbFile (SQLite), orderTtlSeconds, reconcileAfterSeconds,
 * certFile?, keyFile?, timeoutMs?, retries?, backoffMs? (the client's; its defaults otherwise), log?,
 * miniprogram? ({ secret, baseUrl?, pushToken?, pushAesKey? }: login, shipping and the push endpoint,
 * miniprogram.js; the appid is `appid`) }
 */
export async function createApp(config) {
  const log = config.log ?? ((line) => console.log(`[shop ${new Date().toISOString().slice(11, 23)}] ${line}`));
  const wechat = await openWechat({ ...config, log });
  const db = await openStore(config);
  const mini = config.miniprogram ? await openMini(config, db, log) : null;
  let selfUrl;
  /** Where WeChat posts notifications; defaults to this server's own address (development). */
  const notifyBase = () => config.notifyBaseUrl ?? selfUrl;
  // API v3: Native orders and transfers to users (flows.js).
  const flows =
    wechat.api === 'v3'
      ? (await import('./flows.js')).v3Flows({
          wechat,
          db,
          log,
          notifyBase,
          json,
          compact,
          orderTtlSeconds: config.orderTtlSeconds,
        })
      : null;

  const routes = [
    ['POST', /^\/orders$/, createOrder],
    ['GET', /^\/orders\/([\w-]+)$/, (m) => showOrder(m[1])],
    ['POST', /^\/orders\/([\w-]+)\/refund$/, (m) => refundOrder(m[1])],
    ['POST', /^\/wxpay\/notify$/, (_m, body, headers) => paymentNotify(body, headers)],
    ['POST', /^\/wxpay\/refund-notify$/, (_m, body, headers) => refundNotify(body, headers)],
    ['POST', /^\/admin\/reconcile$/, (_m, body) => reconcile(body ? JSON.parse(body) : {})],
    ['GET', /^\/admin\/stats$/, async () => json(200, await db.counts())],
    // The mini-program (miniprogram.js): 404 when it is not configured.
    ...(mini
      ? [
          ['POST', /^\/login$/, (_m, body) => login(body)],
          ['POST', /^\/orders\/([\w-]+)\/ship$/, (m, body) => shipOrder(m[1], body)],
        ]
      : []),
    ...(flows?.routes ?? []),
  ];

  const server = createServer(async (req, res) => {
    // The push handler reads the body itself (size and time limits) and answers WeChat itself.
    if (mini?.push && new URL(req.url, 'http://shop').pathname === '/wechat/push') return mini.push(req, res);
    // So does the package's transfer callback handler (flows.js).
    if (flows && req.method === 'POST' && new URL(req.url, 'http://shop').pathname === '/wxpay/transfer-notify')
      return flows.transferNotify(req, res);
    let reply;
    try {
      const body = await readBody(req);
      const path = new URL(req.url, 'http://shop').pathname;
      const route = routes.find(([m, re]) => m === req.method && re.test(path));
      reply = route
        ? await route[2](route[1].exec(path), body, req.headers)
        : json(404, { error: `no route ${req.method} ${path}` });
    } catch (e) {
      log(`error on ${req.method} ${req.url}: ${e.code ?? ''} ${e.message}`);
      reply = e instanceof SyntaxError ? json(400, { error: 'bad JSON body' }) : json(500, { error: 'internal error' });
    }
    res.writeHead(reply.status, { ...reply.headers, 'content-length': Buffer.byteLength(reply.body) });
    res.end(reply.body);
  });

  async function createOrder(_m, body) {
    const input = JSON.parse(body || '{}');
    const totalFee = Number(input.total_fee);
    if (!Number.isSafeInteger(totalFee) || totalFee <= 0)
      return json(400, { error: 'total_fee must be a positive integer (fen)' });
    if (typeof input.openid !== 'string' || !input.openid)
      return json(400, { error: 'openid is required (from wx.login → code2Session)' });
    const now = Date.now();
    const row = {
      out_trade_no: `O${compact(now)}${randomBytes(6).toString('hex')}`,
      openid: input.openid,
      body: typeof input.body === 'string' && input.body ? input.body : 'Mini-program order',
      total_fee: totalFee,
      created_at: now,
      expires_at: now + config.orderTtlSeconds * 1000,
    };
    await db.createOrder(row);
    let created;
    try {
      created = await wechat.createPayment({
        no: row.out_trade_no,
        description: row.body,
        total: totalFee,
        openid: row.openid,
        expiresAt: row.expires_at,
        notifyUrl: `${notifyBase()}/wxpay/notify`,
      });
    } catch (e) {
      // The order stays CREATED: reconciliation asks WeChat later and closes it if it never existed.
      log(
        `order ${row.out_trade_no}: creating the payment failed: ${e.code ?? e.name} ${e.errCode ?? ''} ${e.message}`,
      );
      return json(502, {
        error: 'unified order failed',
        code: e.code,
        errCode: e.errCode,
        out_trade_no: row.out_trade_no,
      });
    }
    await db.setPrepay(row.out_trade_no, created.prepayId);
    log(`order ${row.out_trade_no} CREATED: ${totalFee} fen, prepay_id ${created.prepayId}`);
    return json(201, {
      out_trade_no: row.out_trade_no,
      state: 'CREATED',
      total_fee: totalFee,
      payment: created.payment,
    });
  }

  async function showOrder(no) {
    const order = await db.order(no);
    if (!order) return json(404, { error: `no order ${no}` });
    const shipping = mini ? { shipping: (await db.shipping(no)) ?? null } : {};
    return json(200, { ...order, history: await db.history(no), refunds: await db.refundsOf(no), ...shipping });
  }

  /** POST /login {code}: wx.login's code → the user's openid (session_key kept here, never sent back). */
  async function login(body) {
    const { code } = JSON.parse(body || '{}');
    if (typeof code !== 'string' || !code) return json(400, { error: 'code is required (from wx.login)' });
    let s;
    try {
      s = await mini.login(code);
    } catch (e) {
      log(`login refused: ${e.code ?? e.name} ${e.message}`);
      const status = e.code === 'LOGIN_CODE_INVALID' ? 400 : e.code === 'RATE_LIMITED' ? 503 : 502;
      return json(status, { error: 'login failed', code: e.code });
    }
    await db.saveUser(s.openid, s.sessionKey, s.unionid);
    log(`login: openid ${s.openid}`);
    return json(200, { openid: s.openid });
  }

  /**
   * POST /orders/:no/ship {tracking_no, express_company, item_desc?, receiver_contact?}: a PAID order's
   * shipping uploaded to WeChat (receiver_contact, masked, for SF Express).
   */
  async function shipOrder(no, body) {
    const input = JSON.parse(body || '{}');
    const order = await db.order(no);
    if (!order) return json(404, { error: `no order ${no}` });
    if (order.state !== 'PAID' || !order.transaction_id)
      return json(409, { error: `order ${no} is ${order.state}; only a PAID order can be shipped` });
    try {
      await mini.ship({
        transactionId: order.transaction_id,
        openid: order.openid,
        trackingNo: input.tracking_no,
        expressCompany: input.express_company,
        itemDesc: typeof input.item_desc === 'string' && input.item_desc ? input.item_desc : order.body,
        receiverContact: input.receiver_contact,
      });
    } catch (e) {
      log(`ship ${no} refused: ${e.code ?? e.name} ${e.errCode ?? ''} ${e.message}`);
      // Refused by the package before sending (WeChat's rules checked locally) → 400; WeChat's refusal → 502.
      const local = ['INVALID_FIELD', 'INVALID_PARAM', 'MISSING_FIELD'].includes(e.code);
      return json(local ? 400 : 502, {
        error: 'shipping upload failed',
        code: e.code,
      });
    }
    await db.markShipped(no, input.tracking_no, input.express_company);
    log(`order ${no}: shipping uploaded (${input.express_company} ${input.tracking_no})`);
    return json(200, { out_trade_no: no, shipping: await db.shipping(no) });
  }

  /** WeChat's payment-result notification. Every path answers; only success stops WeChat retrying. */
  async function paymentNotify(body, headers) {
    let n;
    try {
      n = await wechat.readPaymentNotify(body, headers, (no) => db.order(no));
    } catch (e) {
      log(`notify REJECTED ${e.code ?? e.name}: ${e.message}`);
      return wechat.notifyReply(false, e.code ?? 'bad notification');
    }
    const { no, order } = n;
    if (!order) {
      log(`notify rejected: unknown out_trade_no ${no}`);
      return wechat.notifyReply(false, 'unknown order');
    }
    if (!n.paid) {
      if (!n.failed) {
        log(`notify ${no}: not a payment result, nothing changed`);
        return wechat.notifyReply(true);
      }
      const t = await db.transition(no, ['CREATED'], 'PAY_FAILED', 'notify');
      log(
        `notify ${no}: payment failed (${n.errCode ?? 'no err_code'}) — ${t.changed ? 'CREATED → PAY_FAILED' : `unchanged, ${t.order.state}`}`,
      );
      return wechat.notifyReply(true);
    }
    const t = await db.transition(no, ['CREATED', 'PAY_FAILED'], 'PAID', 'notify', { transactionId: n.transactionId });
    if (t.changed) log(`notify ${no}: ${order.state} → PAID (transaction_id ${n.transactionId})`);
    else if (t.order.state === 'CLOSED')
      log(
        `notify ${no}: PAID AFTER CLOSE — money received for a closed order, refund it by hand (transaction_id ${n.transactionId})`,
      );
    else log(`notify ${no}: duplicate, already ${t.order.state} — nothing changed`);
    return wechat.notifyReply(true);
  }

  async function refundOrder(no) {
    const order = await db.order(no);
    if (!order) return json(404, { error: `no order ${no}` });
    const outRefundNo = `R${compact(Date.now())}${randomBytes(6).toString('hex')}`;
    const started = await db.startRefund(no, outRefundNo, order.total_fee);
    if (!started.changed)
      return json(409, { error: `order ${no} is ${started.order.state}; only PAID orders can be refunded` });
    log(`order ${no}: PAID → REFUNDING (${outRefundNo}, ${order.total_fee} fen)`);
    let r;
    try {
      r = await wechat.refund({
        no,
        outRefundNo,
        total: order.total_fee,
        refund: order.total_fee,
        notifyUrl: `${notifyBase()}/wxpay/refund-notify`,
      });
    } catch (e) {
      // Unknown outcome (network, bad sign): stay REFUNDING; reconciliation asks refundquery.
      log(`refund ${outRefundNo}: outcome unknown (${e.code ?? e.message}); reconciliation will query it`);
      return json(202, { out_trade_no: no, out_refund_no: outRefundNo, state: 'REFUNDING' });
    }
    if (r.refused) {
      await db.finishRefund(outRefundNo, false, undefined, 'refund');
      const by = r.notSent ? 'before sending' : 'by WeChat';
      log(`refund ${outRefundNo} refused ${by}: ${r.errCode ?? r.code} — order back to PAID`);
      return json(502, { error: 'refund refused', code: r.code, errCode: r.errCode });
    }
    await db.setRefundId(outRefundNo, r.refundId);
    return json(202, { out_trade_no: no, out_refund_no: outRefundNo, state: 'REFUNDING', refund_id: r.refundId });
  }

  /** A refund's outcome; it must match a refund of ours (out_refund_no, out_trade_no, amount). */
  async function refundNotify(body, headers) {
    let n;
    try {
      n = await wechat.readRefundNotify(body, headers);
    } catch (e) {
      log(`refund notify REJECTED ${e.code}: ${e.message}`);
      return wechat.notifyReply(false, e.code ?? 'bad notification');
    }
    const refund = await db.refund(n.outRefundNo);
    if (!refund || refund.out_trade_no !== n.outTradeNo || refund.refund_fee !== n.refundFee) {
      log(`refund notify REJECTED: ${n.outRefundNo} does not match a refund of ours`);
      return wechat.notifyReply(false, 'unknown refund');
    }
    if (n.status === 'PROCESSING') return wechat.notifyReply(true);
    const t = await db.finishRefund(n.outRefundNo, n.status === 'SUCCESS', n.refundId, 'refund-notify');
    log(
      `refund notify ${n.outRefundNo} ${n.status}: ${t.changed ? `order ${refund.out_trade_no} → ${t.order.state}` : 'duplicate, nothing changed'}`,
    );
    return wechat.notifyReply(true);
  }

  /**
   * Asks WeChat about orders still CREATED after `unpaidAfterSeconds` (their notification may be
   * lost) and closes the expired ones; asks about refunds still PROCESSING. The overrides exist
   * for tests and for an operator who wants a sweep now.
   */
  async function reconcile({ unpaidAfterSeconds = config.reconcileAfterSeconds, expireAfterSeconds } = {}) {
    const now = Date.now();
    const outcome = { checked: 0, paid: 0, closed: 0, failed: 0, unchanged: 0, refunds: 0, errors: 0 };
    for (const order of await db.staleOrders(now - unpaidAfterSeconds * 1000)) {
      outcome.checked++;
      const expired =
        now >= (expireAfterSeconds === undefined ? order.expires_at : order.created_at + expireAfterSeconds * 1000);
      try {
        outcome[await reconcileOrder(order, expired)]++;
      } catch (e) {
        outcome.errors++;
        log(`reconcile ${order.out_trade_no}: ${e.code ?? ''} ${e.errCode ?? ''} ${e.message}`);
      }
    }
    for (const refund of await db.staleRefunds(now - unpaidAfterSeconds * 1000)) {
      try {
        const r = await wechat.queryRefund(refund.out_refund_no);
        if (r.status === 'NOTEXIST') await resendRefund(refund);
        else if (
          r.status !== 'PROCESSING' &&
          (await db.finishRefund(refund.out_refund_no, r.status === 'SUCCESS', r.refundId, 'reconcile')).changed
        )
          outcome.refunds++;
      } catch (e) {
        outcome.errors++;
        log(`reconcile refund ${refund.out_refund_no}: ${e.code ?? ''} ${e.message}`);
      }
    }
    if (outcome.checked || outcome.refunds || outcome.errors) log(`reconcile: ${JSON.stringify(outcome)}`);
    return json(200, outcome);
  }

  /**
   * A refund WeChat does not know: its request never arrived (the answer to POST /orders/:no/refund
   * was "outcome unknown"). Sent again with the same out_refund_no, so a copy still in flight
   * cannot make it twice; the order stays REFUNDING until WeChat says how it ended.
   */
  async function resendRefund(refund) {
    const order = await db.order(refund.out_trade_no);
    log(`reconcile refund ${refund.out_refund_no}: unknown to WeChat, sending it again`);
    const r = await wechat.refund({
      no: refund.out_trade_no,
      outRefundNo: refund.out_refund_no,
      total: order.total_fee,
      refund: refund.refund_fee,
      notifyUrl: `${notifyBase()}/wxpay/refund-notify`,
    });
    if (r.refused) await db.finishRefund(refund.out_refund_no, false, undefined, 'reconcile');
    else await db.setRefundId(refund.out_refund_no, r.refundId);
  }

  async function reconcileOrder(order, expired) {
    const no = order.out_trade_no;
    const q = await wechat.queryOrder(no);
    if (q.tradeState === 'NOTEXIST') {
      if (!expired) return 'unchanged';
      return moved(await db.transition(no, ['CREATED'], 'CLOSED', 'reconcile'), 'closed', 'never reached WeChat');
    }
    if (q.tradeState === 'SUCCESS' || q.tradeState === 'REFUND') return markPaid(order, q);
    if (q.tradeState === 'PAYERROR')
      return moved(await db.transition(no, ['CREATED'], 'PAY_FAILED', 'reconcile'), 'failed', 'PAYERROR');
    if (q.tradeState === 'CLOSED')
      return moved(await db.transition(no, ['CREATED'], 'CLOSED', 'reconcile'), 'closed', 'closed at WeChat');
    if (!expired) return 'unchanged';
    // Paid between the query and the close: the money is there, so the order is PAID.
    if ((await wechat.closeOrder(no)) === 'paid') return markPaid(order, await wechat.queryOrder(no));
    return moved(await db.transition(no, ['CREATED'], 'CLOSED', 'reconcile'), 'closed', 'expired');
  }

  async function markPaid(order, q) {
    if (q.total !== order.total_fee) {
      throw new wx.WxPayError('AMOUNT_MISMATCH', `the query says ${q.total} fen, order is ${order.total_fee}`);
    }
    const t = await db.transition(order.out_trade_no, ['CREATED', 'PAY_FAILED'], 'PAID', 'reconcile', {
      transactionId: q.transactionId,
    });
    return moved(t, 'paid', 'notification lost, found by the order query');
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
    await db.close();
    wechat.close();
    mini?.close();
  }

  return { server, listen, close, reconcile, db };
}

/** The mini-program module, its settlement pushes marking orders settled in the store. */
async function openMini(config, db, log) {
  const { openMiniProgram } = await import('./miniprogram.js');
  return openMiniProgram({
    appid: config.appid,
    ...config.miniprogram,
    timeoutMs: config.timeoutMs,
    log,
    onSettled: async (m) => {
      const t = await db.markSettled(m.transaction_id);
      if (!t.order) log(`push: settlement of an unknown transaction_id ${m.transaction_id}, ignored`);
      else log(`push: order ${t.order.out_trade_no} ${t.changed ? 'SETTLED' : 'settled already (repeat push)'}`);
    },
  });
}

const json = (status, obj) => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: `${JSON.stringify(obj)}\n`,
});

/** yyyyMMddHHmmss in Beijing time: the readable start of every out_trade_no / out_refund_no. */
function compact(ms) {
  return new Date(ms + 8 * 3600e3).toISOString().slice(0, 19).replace(/[-T:]/g, '');
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks = [];
    req.on('data', (c) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
