// The v3 callbacks the mock posts to a merchant's notify_url: TRANSACTION.SUCCESS and
// REFUND.<status>, either as WeChat's retry cycle or one-off, plus the one-off attacks a
// handler must refuse. `ctx` is the v3 mock's context (see ../v3.mjs).
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { newTransactionId } from '../util.mjs';
import { encryptResource } from './cipher.mjs';
import { callbackSigner, signatureHeaders } from './signing.mjs';
import { TRADE_STATE_DESC, refundResource, rfc3339, transaction } from './views.mjs';

/** The one-off kinds of POST /_mock/orders/{no}/notify on a v3 order (retry is the cycle). */
export const NOTIFY_KINDS = Object.freeze([
  'once',
  'duplicate',
  'forged',
  'tampered',
  'stale',
  'probe',
  'unknown-serial',
  'wrong-amount',
]);

/** event_type and summary of a refund callback, by the refund's final status. */
export const REFUND_EVENTS = Object.freeze({
  SUCCESS: ['REFUND.SUCCESS', '退款成功'],
  ABNORMAL: ['REFUND.ABNORMAL', '退款异常'],
  CLOSED: ['REFUND.CLOSED', '退款关闭'],
});
export const V3_REFUND_STATUSES = Object.freeze(Object.keys(REFUND_EVENTS));

/** A merchant acknowledges a v3 callback with 200 or 204. */
const acknowledged = (status) => status === 200 || status === 204;

/** The callback's JSON: a fresh id and create_time, the resource encrypted with the APIv3 key. */
export function callbackBody({ cfg }, eventType, summary, originalType, resource) {
  return JSON.stringify({
    id: randomUUID(),
    create_time: rfc3339(),
    resource_type: 'encrypt-resource',
    event_type: eventType,
    summary,
    resource: encryptResource(cfg.apiV3Key, JSON.stringify(resource), originalType),
  });
}

/**
 * Starts a callback cycle for `target` (an order or a refund): one notification id, each
 * attempt signed afresh (WeChat re-signs retries, or the 300 s window would refuse them),
 * until the merchant answers 200 or 204.
 */
export function callback(ctx, target, { cycleId, eventType, summary, originalType, resource, label }) {
  const { store, notifier, log } = ctx;
  const body = callbackBody(ctx, eventType, summary, originalType, resource);
  target.notify_state = 'pending';
  store.save();
  notifier.cycle(cycleId, {
    url: target.notify_url,
    label,
    payload: () => ({
      body,
      headers: { 'content-type': 'application/json', ...signatureHeaders(ctx, body, { signer: callbackSigner(ctx) }) },
    }),
    acknowledged,
    onAttempt: (rec, n) => {
      target.deliveries.push({ kind: 'retry', ...rec, attempt: n });
      if (target.deliveries.length > 100) target.deliveries.shift();
      store.save();
    },
    onEnd: (how) => {
      target.notify_state = how;
      store.save();
      log(`notify ${label}: ${how}`);
    },
  });
}

/** A key WeChat never had: what a forger signs with (made once per mock). */
const stranger = (ctx) => (ctx.strangerKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);

/** The TRANSACTION.SUCCESS resource of a one-off callback: the order as paid, whether it is or not. */
function paidResource(o, kind, amount) {
  const paid = o.trade_state === 'SUCCESS' || o.trade_state === 'REFUND';
  let resource = paid
    ? transaction(o)
    : {
        ...transaction(o),
        trade_state: 'SUCCESS',
        trade_state_desc: TRADE_STATE_DESC.SUCCESS,
        transaction_id: newTransactionId(),
        bank_type: 'OTHERS',
        success_time: rfc3339(),
        amount: { total: o.total, payer_total: o.total, currency: o.currency, payer_currency: o.currency },
      };
  if (kind === 'wrong-amount') {
    const total = amount === undefined ? (o.total === 1 ? 2 : 1) : amount;
    if (!Number.isInteger(total) || total <= 0 || total === o.total)
      throw new Error(`amount must be a positive integer of fen other than the order's ${o.total}`);
    resource = { ...resource, amount: { ...resource.amount, total, payer_total: total } };
  }
  return resource;
}

/** One attempt of a one-off callback of `kind`: signed as that kind says. */
function oneOffPayload(ctx, kind, body) {
  const signer = callbackSigner(ctx, { next: kind === 'unknown-serial' });
  const opts = { signer };
  if (kind === 'forged') opts.privateKey = stranger(ctx);
  if (kind === 'stale') opts.timestamp = Math.floor(Date.now() / 1000) - 600;
  if (kind === 'probe') opts.probe = true;
  const headers = { 'content-type': 'application/json', ...signatureHeaders(ctx, body, opts) };
  return { body: kind === 'tampered' ? body.replace('"支付成功"', '"支付成功 "') : body, headers };
}

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
export async function notifyOnce(ctx, o, { kind = 'once', count = 2, amount } = {}) {
  if (!NOTIFY_KINDS.includes(kind))
    throw new Error(`kind must be one of retry, ${NOTIFY_KINDS.join(', ')} for a v3 order`);
  const paid = o.trade_state === 'SUCCESS' || o.trade_state === 'REFUND';
  if (!paid && (kind === 'once' || kind === 'duplicate'))
    throw new Error(
      `order ${o.out_trade_no} is ${o.trade_state}: pay it before notifying (${NOTIFY_KINDS.slice(2).join(', ')} work on unpaid orders)`,
    );
  const body = callbackBody(ctx, 'TRANSACTION.SUCCESS', '支付成功', 'transaction', paidResource(o, kind, amount));
  const n = kind === 'duplicate' ? Math.min(Math.max(Number(count) || 2, 2), 20) : 1;
  const payload = () => oneOffPayload(ctx, kind, body);
  const results = await Promise.all(
    Array.from({ length: n }, () =>
      ctx.notifier.once(o.notify_url, payload, `v3 ${kind} ${o.out_trade_no}`, 0, acknowledged),
    ),
  );
  for (const rec of results) o.deliveries.push({ kind, ...rec });
  ctx.store.save();
  return { kind, replies: results };
}

/** TRANSACTION.SUCCESS of a paid order, as WeChat's retry cycle. */
export function notifyPayment(ctx, o) {
  callback(ctx, o, {
    cycleId: `pay:${o.out_trade_no}`,
    eventType: 'TRANSACTION.SUCCESS',
    summary: '支付成功',
    originalType: 'transaction',
    resource: transaction(o),
    label: `v3 payment ${o.out_trade_no}`,
  });
  return { started: 'retry cycle', out_trade_no: o.out_trade_no };
}

/**
 * REFUND.<status> to the refund request's notify_url; without one WeChat sends none either.
 * kind: retry (the cycle, default) | once | duplicate.
 */
export async function notifyRefund(ctx, r, { kind = 'retry' } = {}) {
  const { cfg, log, notifier, store } = ctx;
  const event = REFUND_EVENTS[r.status];
  if (!event) throw new Error(`refund ${r.out_refund_no} is still ${r.status}: complete it first`);
  if (!r.notify_url) {
    log(`v3 refund ${r.out_refund_no}: no notify_url in the refund request, no callback sent`);
    return { sent: false, reason: 'the refund request had no notify_url' };
  }
  const [eventType, summary] = event;
  if (kind === 'retry') {
    callback(ctx, r, {
      cycleId: `refund:${r.out_refund_no}`,
      eventType,
      summary,
      originalType: 'refund',
      label: `v3 refund ${r.out_refund_no}`,
      resource: refundResource(cfg.mchid, r),
    });
    return { started: 'retry cycle', out_refund_no: r.out_refund_no };
  }
  if (kind !== 'once' && kind !== 'duplicate') throw new Error('kind must be retry, once or duplicate for a v3 refund');
  const body = callbackBody(ctx, eventType, summary, 'refund', refundResource(cfg.mchid, r));
  const payload = () => ({
    body,
    headers: { 'content-type': 'application/json', ...signatureHeaders(ctx, body, { signer: callbackSigner(ctx) }) },
  });
  const results = await Promise.all(
    Array.from({ length: kind === 'duplicate' ? 2 : 1 }, () =>
      notifier.once(r.notify_url, payload, `v3 ${kind} refund ${r.out_refund_no}`, 0, acknowledged),
    ),
  );
  for (const rec of results) r.deliveries.push({ kind, ...rec });
  store.save();
  return { kind, replies: results };
}
