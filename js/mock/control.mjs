// The control interface (/_mock/…): what the payer and WeChat's notifier do, on demand.
//   GET  /_mock/health                      pending notification cycles
//   GET  /_mock/orders[/:no]                orders with their notification attempts
//   POST /_mock/orders/:no/pay   {notify}   the user pays (then the notification cycle starts)
//   POST /_mock/orders/:no/fail  {notify}   the payment fails (v2: result_code FAIL notification;
//                                           v3: trade_state PAYERROR, no callback, as WeChat)
//   POST /_mock/orders/:no/expire           the order's time_expire passes: it can no longer be paid
//   POST /_mock/orders/:no/notify {kind, delay, amount, count}
//        kind: retry (default: the full retry cycle) | once | duplicate | delayed | forged | tampered | wrong-amount
//        v3 kind: retry | once | duplicate | forged | tampered | stale | probe | unknown-serial | wrong-amount
//   GET  /_mock/refunds[/:no]
//   POST /_mock/refunds/:no/complete {status: SUCCESS | CHANGE | REFUNDCLOSE; v3: SUCCESS | ABNORMAL | CLOSED}
//   POST /_mock/refunds/:no/notify {kind: retry | once | duplicate}
//   POST /_mock/reset
import { compactTime, encryptReqInfo, newTransactionId, refundRootXml, spacedTime } from './util.mjs';
import { NOTIFY_KINDS as V3_NOTIFY_KINDS, V3_REFUND_STATUSES } from './v3.mjs';

const KINDS = ['retry', 'once', 'duplicate', 'delayed', 'forged', 'tampered', 'wrong-amount'];
const ATTACKS = ['forged', 'tampered', 'wrong-amount'];
const REFUND_STATUSES = ['SUCCESS', 'CHANGE', 'REFUNDCLOSE'];
const MAX_RECORDS = 100;

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export function createControl({ wx, store, config, notifier, api, v3, log }) {
  const scaled = (seconds) => Number(seconds) * 1000 * config.timeScale;

  function order(no) {
    const o = store.order(no);
    if (!o) throw new HttpError(404, `no order with out_trade_no ${no}`);
    return o;
  }

  function refund(no) {
    const r = store.refunds.get(no);
    if (!r) throw new HttpError(404, `no refund with out_refund_no ${no}`);
    return r;
  }

  function unpaid(o, action) {
    if (o.trade_state !== 'NOTPAY') throw new HttpError(409, `cannot ${action} order ${o.out_trade_no}: it is ${o.trade_state}`);
    if (o.expire_at < Date.now()) throw new HttpError(409, `cannot ${action} order ${o.out_trade_no}: it expired at ${spacedTime(o.expire_at)} (Beijing time)`);
  }


  function pay(no, { notify = true } = {}) {
    const o = order(no);
    unpaid(o, 'pay');
    if (o.api === 'v3') {
      v3.pay(o);
      log(`v3 order ${no} PAID by the user (transaction_id ${o.transaction_id})${notify ? '' : ' — notification withheld'}`);
      if (notify) v3.notifyPayment(o);
      return view(o);
    }
    const now = Date.now();
    Object.assign(o, { trade_state: 'SUCCESS', transaction_id: newTransactionId(), time_end: compactTime(now), paid_at: now, bank_type: 'CMC' });
    store.save();
    log(`order ${no} PAID by the user (transaction_id ${o.transaction_id})${notify ? '' : ' — notification withheld'}`);
    if (notify) notifyPayment(o, { kind: 'retry' });
    return view(o);
  }

  function failPayment(no, { notify = true } = {}) {
    const o = order(no);
    unpaid(o, 'fail');
    if (o.api === 'v3') {
      v3.failPayment(o);
      log(`v3 order ${no} payment FAILED (PAYERROR); WeChat sends no v3 callback for a failed payment`);
      return view(o);
    }
    o.trade_state = 'PAYERROR';
    store.save();
    log(`order ${no} payment FAILED${notify ? '' : ' — notification withheld'}`);
    if (notify) notifyPayment(o, { kind: 'retry' });
    return view(o);
  }

  function expire(no) {
    const o = order(no);
    if (o.trade_state !== 'NOTPAY') throw new HttpError(409, `order ${no} is ${o.trade_state}, only an unpaid order can expire`);
    o.expire_at = Date.now() - 1000;
    store.save();
    log(`order ${no} EXPIRED: the user can no longer pay it; orderquery still says NOTPAY until the merchant closes it`);
    return view(o);
  }

  /** The payment-result notification WeChat would send for the order now. */
  function paymentFields(o, kind) {
    const f = {
      appid: o.appid, mch_id: o.mch_id, nonce_str: wx.nonceStr(), openid: o.openid, is_subscribe: 'N',
      trade_type: o.trade_type, total_fee: o.total_fee, fee_type: o.fee_type, out_trade_no: o.out_trade_no, attach: o.attach,
    };
    if (o.trade_state === 'PAYERROR') return { ...f, result_code: 'FAIL', err_code: 'PAYERROR', err_code_des: '支付失败' };
    if (!o.transaction_id) {
      // An attacker's notification needs no payment behind it.
      if (!ATTACKS.includes(kind)) throw new HttpError(409, `order ${o.out_trade_no} is ${o.trade_state}: pay or fail it before notifying (forged, tampered and wrong-amount work on unpaid orders)`);
      return { ...f, bank_type: 'CMC', cash_fee: o.total_fee, transaction_id: newTransactionId(), time_end: compactTime() };
    }
    return { ...f, bank_type: o.bank_type, cash_fee: o.total_fee, transaction_id: o.transaction_id, time_end: o.time_end };
  }

  const clean = (f) => Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined && v !== null && v !== ''));
  const notifyXml = (fields, key = config.key, signType) => wx.buildNotifyXml(clean(fields), { key, signType });

  function record(target, rec) {
    target.deliveries.push(rec);
    if (target.deliveries.length > MAX_RECORDS) target.deliveries.shift();
    store.save();
  }

  async function notifyPayment(o, { kind = 'retry', delay = 0, amount, count = 2 } = {}) {
    if (o.api === 'v3') return notifyV3(o, { kind, count, amount });
    if (!KINDS.includes(kind)) throw new HttpError(400, `kind must be one of ${KINDS.join(', ')}`);
    const fields = paymentFields(o, kind);
    const signType = o.sign_type;
    const label = `${kind} ${o.out_trade_no}`;
    const keep = (rec) => record(o, { kind, ...rec });
    if (kind === 'retry') {
      o.notify_state = 'pending';
      notifier.cycle(`pay:${o.out_trade_no}`, {
        url: o.notify_url, xml: notifyXml(fields, config.key, signType), label: `payment ${o.out_trade_no}`,
        onAttempt: (rec, n) => keep({ ...rec, attempt: n }),
        onEnd: (how) => { o.notify_state = how; store.save(); log(`notify payment ${o.out_trade_no}: ${how}`); },
      });
      return { started: 'retry cycle', out_trade_no: o.out_trade_no };
    }
    let xml;
    if (kind === 'forged') xml = notifyXml(fields, `forged-${config.key}`, signType);
    else if (kind === 'wrong-amount') xml = notifyXml({ ...fields, total_fee: String(amount ?? otherAmount(o.total_fee)), cash_fee: undefined }, config.key, signType);
    else if (kind === 'tampered') {
      // Signed, then edited: what someone between WeChat and the merchant could do.
      const signedFields = wx.parseXml(notifyXml(fields, config.key, signType));
      xml = wx.toXml({ ...signedFields, total_fee: String(amount ?? otherAmount(o.total_fee)) });
    } else xml = notifyXml(fields, config.key, signType);
    if (kind === 'delayed') {
      const ms = scaled(delay || 60);
      notifier.once(o.notify_url, xml, label, ms).then(keep);
      return { scheduled: `in ${ms}ms`, out_trade_no: o.out_trade_no };
    }
    const n = kind === 'duplicate' ? Math.min(Math.max(Number(count) || 2, 2), 20) : 1;
    const results = await Promise.all(Array.from({ length: n }, () => notifier.once(o.notify_url, xml, label)));
    results.forEach(keep);
    return { kind, replies: results };
  }

  async function notifyV3(o, { kind, count, amount }) {
    if (kind !== 'retry' && !V3_NOTIFY_KINDS.includes(kind)) throw new HttpError(400, `kind must be one of retry, ${V3_NOTIFY_KINDS.join(', ')} for a v3 order`);
    if (kind === 'retry') {
      if (o.trade_state !== 'SUCCESS' && o.trade_state !== 'REFUND') throw new HttpError(409, `order ${o.out_trade_no} is ${o.trade_state}: pay it before notifying`);
      return v3.notifyPayment(o);
    }
    return v3Call(() => v3.notifyOnce(o, { kind, count, amount }));
  }

  /** The v3 module throws plain Errors for a request that cannot be done now (409) or is malformed (400). */
  async function v3Call(fn) {
    try {
      return await fn();
    } catch (e) {
      if (/before notifying|already|complete it first/.test(e.message)) throw new HttpError(409, e.message);
      if (/must be/.test(e.message)) throw new HttpError(400, e.message);
      throw e;
    }
  }

  function otherAmount(fee) {
    return fee === '1' ? 2 : 1;
  }

  function refundCreated(r) {
    if (config.refundDelay < 0) return;
    notifier.later(scaled(config.refundDelay), () => {
      if (store.refunds.get(r.out_refund_no)?.refund_status === 'PROCESSING') completeRefund(r.out_refund_no, {});
    });
  }

  function completeRefund(no, { status = 'SUCCESS' } = {}) {
    const r = refund(no);
    if (r.api === 'v3') {
      if (!V3_REFUND_STATUSES.includes(status)) throw new HttpError(400, `status must be one of ${V3_REFUND_STATUSES.join(', ')} for a v3 refund`);
      return v3Call(() => v3.completeRefund(r, status)).then(() => view(r));
    }
    if (!REFUND_STATUSES.includes(status)) throw new HttpError(400, `status must be one of ${REFUND_STATUSES.join(', ')}`);
    if (r.refund_status !== 'PROCESSING') throw new HttpError(409, `refund ${no} is already ${r.refund_status}`);
    r.refund_status = status;
    r.success_time = status === 'SUCCESS' ? spacedTime() : undefined;
    const o = store.order(r.out_trade_no);
    if (status !== 'SUCCESS' && !store.refundsOf(o.out_trade_no).some((x) => x.refund_status === 'SUCCESS' || x.refund_status === 'PROCESSING')) {
      o.trade_state = 'SUCCESS';
    }
    store.save();
    log(`refund ${no} ${status}`);
    notifyRefund(r, { kind: 'retry' });
    return view(r);
  }

  /** Refund notifications carry no sign: `req_info` is encrypted with the key's MD5 instead. */
  function refundXml(r) {
    const o = store.order(r.out_trade_no);
    const plain = refundRootXml({
      transaction_id: r.transaction_id, out_trade_no: r.out_trade_no, refund_id: r.refund_id, out_refund_no: r.out_refund_no,
      total_fee: r.total_fee, settlement_total_fee: r.total_fee, refund_fee: r.refund_fee, settlement_refund_fee: r.refund_fee,
      refund_status: r.refund_status, success_time: r.success_time, refund_recv_accout: '支付用户零钱',
      refund_account: 'REFUND_SOURCE_RECHARGE_FUNDS', refund_request_source: 'API',
    });
    return wx.toXml({ return_code: 'SUCCESS', appid: o.appid, mch_id: o.mch_id, nonce_str: wx.nonceStr(), req_info: encryptReqInfo(plain, config.key) });
  }

  async function notifyRefund(r, { kind = 'retry' } = {}) {
    if (r.api === 'v3') return v3Call(() => v3.notifyRefund(r, { kind }));
    if (!r.notify_url) {
      log(`refund ${r.out_refund_no}: no notify_url in the refund request, no notification sent`);
      return { sent: false, reason: 'the refund request had no notify_url' };
    }
    if (r.refund_status === 'PROCESSING') throw new HttpError(409, `refund ${r.out_refund_no} is still PROCESSING: complete it first`);
    const keep = (rec) => record(r, { kind, ...rec });
    if (kind === 'retry') {
      r.notify_state = 'pending';
      notifier.cycle(`refund:${r.out_refund_no}`, {
        url: r.notify_url, xml: refundXml(r), label: `refund ${r.out_refund_no}`,
        onAttempt: (rec, n) => keep({ ...rec, attempt: n }),
        onEnd: (how) => { r.notify_state = how; store.save(); log(`notify refund ${r.out_refund_no}: ${how}`); },
      });
      return { started: 'retry cycle', out_refund_no: r.out_refund_no };
    }
    if (kind !== 'once' && kind !== 'duplicate') throw new HttpError(400, 'refund notification kind must be retry, once or duplicate');
    const xml = refundXml(r);
    const results = await Promise.all(Array.from({ length: kind === 'duplicate' ? 2 : 1 }, () => notifier.once(r.notify_url, xml, `${kind} refund ${r.out_refund_no}`)));
    results.forEach(keep);
    return { kind, replies: results };
  }

  function view(x) {
    const { digest: _d, ...rest } = x;
    if (x.out_refund_no) return x.api === 'v3' ? { ...rest, query: v3.refundView(x) } : rest;
    if (x.api === 'v3') return { ...rest, query: v3.transaction(x), refunds: store.refundsOf(x.out_trade_no).map((r) => r.out_refund_no) };
    return { ...rest, query: api.orderFields(x), refunds: store.refundsOf(x.out_trade_no).map((r) => r.out_refund_no) };
  }

  const routes = [
    ['GET', /^\/_mock\/health$/, () => ({ ok: true, orders: store.orders.size, refunds: store.refunds.size, pending: notifier.pending() })],
    ['GET', /^\/_mock\/orders$/, () => [...store.orders.values()].map(view)],
    ['GET', /^\/_mock\/orders\/([^/]+)$/, (m) => view(order(m[1]))],
    ['POST', /^\/_mock\/orders\/([^/]+)\/pay$/, (m, b) => pay(m[1], b)],
    ['POST', /^\/_mock\/orders\/([^/]+)\/fail$/, (m, b) => failPayment(m[1], b)],
    ['POST', /^\/_mock\/orders\/([^/]+)\/expire$/, (m) => expire(m[1])],
    ['POST', /^\/_mock\/orders\/([^/]+)\/notify$/, (m, b) => notifyPayment(order(m[1]), b)],
    ['GET', /^\/_mock\/refunds$/, () => [...store.refunds.values()].map(view)],
    ['GET', /^\/_mock\/refunds\/([^/]+)$/, (m) => view(refund(m[1]))],
    ['POST', /^\/_mock\/refunds\/([^/]+)\/complete$/, (m, b) => completeRefund(m[1], b)],
    ['POST', /^\/_mock\/refunds\/([^/]+)\/notify$/, (m, b) => notifyRefund(refund(m[1]), b)],
    ['POST', /^\/_mock\/reset$/, () => { notifier.stop(); store.reset(); log('state reset'); return { reset: true }; }],
  ];

  async function handle(method, path, body) {
    try {
      let parsed = {};
      if (body.length) {
        try { parsed = JSON.parse(body.toString('utf8')); } catch { throw new HttpError(400, 'control requests take a JSON body'); }
        if (parsed === null || typeof parsed !== 'object') throw new HttpError(400, 'control requests take a JSON object');
      }
      for (const [m, re, fn] of routes) {
        const match = re.exec(path);
        if (match && m === method) return { status: 200, json: await fn(match.map(decodeURIComponent), parsed) };
      }
      throw new HttpError(404, `no control route ${method} ${path}`);
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
      return { status: e.status, json: { error: e.message } };
    }
  }

  return { handle, refundCreated, stop: () => {} };
}
