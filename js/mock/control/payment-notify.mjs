// Payment notifications on demand (POST /_mock/orders/:no/notify): v2's signed XML as WeChat's
// retry cycle, one-off, delayed, or as an attack a handler must refuse; v3 orders are handed
// to the v3 module. `ctx` is the control interface's context (see ../control.mjs).
import { compactTime, newTransactionId } from '../util.mjs';
import { NOTIFY_KINDS as V3_NOTIFY_KINDS } from '../v3.mjs';
import { HttpError, v3Call } from './errors.mjs';
import { record } from './records.mjs';

export const KINDS = ['retry', 'once', 'duplicate', 'delayed', 'forged', 'tampered', 'wrong-amount'];
const ATTACKS = ['forged', 'tampered', 'wrong-amount'];

/** Mock seconds → real milliseconds under the time scale. */
export const scaled = ({ config }, seconds) => Number(seconds) * 1000 * config.timeScale;

/** The payment-result notification WeChat would send for the order now. */
export function paymentFields({ wx }, o, kind) {
  const f = {
    appid: o.appid,
    mch_id: o.mch_id,
    nonce_str: wx.nonceStr(),
    openid: o.openid,
    is_subscribe: 'N',
    trade_type: o.trade_type,
    total_fee: o.total_fee,
    fee_type: o.fee_type,
    out_trade_no: o.out_trade_no,
    attach: o.attach,
  };
  if (o.trade_state === 'PAYERROR')
    return { ...f, result_code: 'FAIL', err_code: 'PAYERROR', err_code_des: '支付失败' };
  if (!o.transaction_id) {
    // An attacker's notification needs no payment behind it.
    if (!ATTACKS.includes(kind))
      throw new HttpError(
        409,
        `order ${o.out_trade_no} is ${o.trade_state}: pay or fail it before notifying (forged, tampered and wrong-amount work on unpaid orders)`,
      );
    return {
      ...f,
      bank_type: 'CMC',
      cash_fee: o.total_fee,
      transaction_id: newTransactionId(),
      time_end: compactTime(),
    };
  }
  return {
    ...f,
    bank_type: o.bank_type,
    cash_fee: o.total_fee,
    transaction_id: o.transaction_id,
    time_end: o.time_end,
  };
}

const clean = (f) => Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined && v !== null && v !== ''));
const notifyXml = ({ wx }, fields, key, signType) => wx.buildNotifyXml(clean(fields), { key, signType });
const otherAmount = (fee) => (fee === '1' ? 2 : 1);

/** The XML of a one-off notification of `kind`: signed, forged, re-priced or edited after signing. */
export function oneOffXml(ctx, o, kind, fields, amount) {
  const { wx, config } = ctx;
  const signType = o.sign_type;
  if (kind === 'forged') return notifyXml(ctx, fields, `forged-${config.key}`, signType);
  if (kind === 'wrong-amount')
    return notifyXml(
      ctx,
      { ...fields, total_fee: String(amount ?? otherAmount(o.total_fee)), cash_fee: undefined },
      config.key,
      signType,
    );
  if (kind === 'tampered') {
    // Signed, then edited: what someone between WeChat and the merchant could do.
    const signedFields = wx.parseXml(notifyXml(ctx, fields, config.key, signType));
    return wx.toXml({ ...signedFields, total_fee: String(amount ?? otherAmount(o.total_fee)) });
  }
  return notifyXml(ctx, fields, config.key, signType);
}

/** kind: retry (default: the full retry cycle) | once | duplicate | delayed | forged | tampered | wrong-amount. */
export async function notifyPayment(ctx, o, { kind = 'retry', delay = 0, amount, count = 2 } = {}) {
  const { config, notifier, store, log } = ctx;
  if (o.api === 'v3') return notifyV3(ctx, o, { kind, count, amount });
  if (!KINDS.includes(kind)) throw new HttpError(400, `kind must be one of ${KINDS.join(', ')}`);
  const fields = paymentFields(ctx, o, kind);
  const label = `${kind} ${o.out_trade_no}`;
  const keep = (rec) => record(ctx, o, { kind, ...rec });
  if (kind === 'retry') {
    o.notify_state = 'pending';
    notifier.cycle(`pay:${o.out_trade_no}`, {
      url: o.notify_url,
      xml: notifyXml(ctx, fields, config.key, o.sign_type),
      label: `payment ${o.out_trade_no}`,
      onAttempt: (rec, n) => keep({ ...rec, attempt: n }),
      onEnd: (how) => {
        o.notify_state = how;
        store.save();
        log(`notify payment ${o.out_trade_no}: ${how}`);
      },
    });
    return { started: 'retry cycle', out_trade_no: o.out_trade_no };
  }
  const xml = oneOffXml(ctx, o, kind, fields, amount);
  if (kind === 'delayed') {
    const ms = scaled(ctx, delay || 60);
    notifier.once(o.notify_url, xml, label, ms).then(keep);
    return { scheduled: `in ${ms}ms`, out_trade_no: o.out_trade_no };
  }
  const n = kind === 'duplicate' ? Math.min(Math.max(Number(count) || 2, 2), 20) : 1;
  const results = await Promise.all(Array.from({ length: n }, () => notifier.once(o.notify_url, xml, label)));
  results.forEach(keep);
  return { kind, replies: results };
}

/** v3 kind: retry | once | duplicate | forged | tampered | stale | probe | unknown-serial | wrong-amount. */
async function notifyV3({ v3 }, o, { kind, count, amount }) {
  if (kind !== 'retry' && !V3_NOTIFY_KINDS.includes(kind))
    throw new HttpError(400, `kind must be one of retry, ${V3_NOTIFY_KINDS.join(', ')} for a v3 order`);
  if (kind === 'retry') {
    if (o.trade_state !== 'SUCCESS' && o.trade_state !== 'REFUND')
      throw new HttpError(409, `order ${o.out_trade_no} is ${o.trade_state}: pay it before notifying`);
    return v3.notifyPayment(o);
  }
  return v3Call(() => v3.notifyOnce(o, { kind, count, amount }));
}
