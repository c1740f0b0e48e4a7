// What the payer does to an order through the control interface: pay it, fail it, or let it
// expire. `ctx` is the control interface's context (see ../control.mjs).
import { compactTime, newTransactionId, spacedTime } from '../util.mjs';
import { HttpError } from './errors.mjs';
import { notifyPayment } from './payment-notify.mjs';
import { findOrder, view } from './records.mjs';

function unpaid(o, action) {
  if (o.trade_state !== 'NOTPAY')
    throw new HttpError(409, `cannot ${action} order ${o.out_trade_no}: it is ${o.trade_state}`);
  if (o.expire_at < Date.now())
    throw new HttpError(
      409,
      `cannot ${action} order ${o.out_trade_no}: it expired at ${spacedTime(o.expire_at)} (Beijing time)`,
    );
}

/** POST /_mock/orders/:no/pay {notify}: the user pays (then the notification cycle starts). */
export function pay(ctx, no, { notify = true } = {}) {
  const { store, v3, log } = ctx;
  // A combine order is paid as one (mockproducts): every sub-order, one callback.
  const combine = store.order(no) ? undefined : v3.products.findCombine(no);
  if (combine) {
    if (combine.state !== 'NOTPAY') throw new HttpError(409, `cannot pay combine order ${no}: it is ${combine.state}`);
    return v3.products.payCombine(combine, { notify });
  }
  const o = findOrder(ctx, no);
  unpaid(o, 'pay');
  if (o.api === 'v3') {
    v3.pay(o);
    log(
      `v3 order ${no} PAID by the user (transaction_id ${o.transaction_id})${notify ? '' : ' — notification withheld'}`,
    );
    if (notify) v3.notifyPayment(o);
    return view(ctx, o);
  }
  const now = Date.now();
  Object.assign(o, {
    trade_state: 'SUCCESS',
    transaction_id: newTransactionId(),
    time_end: compactTime(now),
    paid_at: now,
    bank_type: 'CMC',
  });
  store.save();
  log(`order ${no} PAID by the user (transaction_id ${o.transaction_id})${notify ? '' : ' — notification withheld'}`);
  if (notify) notifyPayment(ctx, o, { kind: 'retry' });
  return view(ctx, o);
}

/** POST /_mock/orders/:no/fail {notify}: v2 posts a result_code FAIL notification; v3 sends none, as WeChat. */
export function failPayment(ctx, no, { notify = true } = {}) {
  const { store, v3, log } = ctx;
  const o = findOrder(ctx, no);
  unpaid(o, 'fail');
  if (o.api === 'v3') {
    v3.failPayment(o);
    log(`v3 order ${no} payment FAILED (PAYERROR); WeChat sends no v3 callback for a failed payment`);
    return view(ctx, o);
  }
  o.trade_state = 'PAYERROR';
  store.save();
  log(`order ${no} payment FAILED${notify ? '' : ' — notification withheld'}`);
  if (notify) notifyPayment(ctx, o, { kind: 'retry' });
  return view(ctx, o);
}

/** POST /_mock/orders/:no/expire: the order's time_expire passes; it can no longer be paid. */
export function expire(ctx, no) {
  const o = findOrder(ctx, no);
  if (o.trade_state !== 'NOTPAY')
    throw new HttpError(409, `order ${no} is ${o.trade_state}, only an unpaid order can expire`);
  o.expire_at = Date.now() - 1000;
  ctx.store.save();
  ctx.log(
    `order ${no} EXPIRED: the user can no longer pay it; orderquery still says NOTPAY until the merchant closes it`,
  );
  return view(ctx, o);
}
