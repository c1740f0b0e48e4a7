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
//   POST /_mock/reset                       (the mini-program platform's state too)
//   /_mock/miniprogram/…                    the mini-program platform: js/mock/miniprogram/control.mjs
//   (v3 products: /_mock/transfers, /_mock/profitsharing, /_mock/complaints, /_mock/media; see control/products.mjs.
//    /_mock/orders/:no/pay pays every kind: JSAPI, Native, H5, App, partner (SUB_MCHID:NO when ambiguous), combine)
// The modules under control/ each hold one concern and take the context made here (`ctx`:
// { wx, store, config, notifier, api, v3, log }) as their first argument:
//   payments.mjs        pay, fail, expire
//   payment-notify.mjs  payment notifications (v2 XML; v3 handed to the v3 module)
//   refunds.mjs         a refund's end and its notification
//   records.mjs         orders and refunds found, shown, their attempts recorded
//   errors.mjs          HttpError, the v3 module's errors mapped to 400/409
//   products.mjs        v3 products: transfers confirmed/rejected, complaints, profit sharing, media
import { HttpError } from './control/errors.mjs';
import { notifyPayment } from './control/payment-notify.mjs';
import { expire, failPayment, pay } from './control/payments.mjs';
import { completeRefund, notifyRefund, refundCreated } from './control/refunds.mjs';
import { findOrder, findRefund, view } from './control/records.mjs';
import { PRODUCT_CONTROL_ROUTES } from './control/products.mjs';

/** [method, path, handler(ctx, match, jsonBody)]: the control interface's routes. */
export const ROUTES = [
  [
    'GET',
    /^\/_mock\/health$/,
    ({ store, notifier }) => ({
      ok: true,
      orders: store.orders.size,
      refunds: store.refunds.size,
      pending: notifier.pending(),
    }),
  ],
  ['GET', /^\/_mock\/orders$/, (ctx) => [...ctx.store.orders.values()].map((o) => view(ctx, o))],
  ['GET', /^\/_mock\/orders\/([^/]+)$/, (ctx, m) => view(ctx, findOrder(ctx, m[1]))],
  ['POST', /^\/_mock\/orders\/([^/]+)\/pay$/, (ctx, m, b) => pay(ctx, m[1], b)],
  ['POST', /^\/_mock\/orders\/([^/]+)\/fail$/, (ctx, m, b) => failPayment(ctx, m[1], b)],
  ['POST', /^\/_mock\/orders\/([^/]+)\/expire$/, (ctx, m) => expire(ctx, m[1])],
  ['POST', /^\/_mock\/orders\/([^/]+)\/notify$/, (ctx, m, b) => notifyPayment(ctx, findOrder(ctx, m[1]), b)],
  ['GET', /^\/_mock\/refunds$/, (ctx) => [...ctx.store.refunds.values()].map((r) => view(ctx, r))],
  ['GET', /^\/_mock\/refunds\/([^/]+)$/, (ctx, m) => view(ctx, findRefund(ctx, m[1]))],
  ['POST', /^\/_mock\/refunds\/([^/]+)\/complete$/, (ctx, m, b) => completeRefund(ctx, m[1], b)],
  ['POST', /^\/_mock\/refunds\/([^/]+)\/notify$/, (ctx, m, b) => notifyRefund(ctx, findRefund(ctx, m[1]), b)],
  // --- mockproducts
  ...PRODUCT_CONTROL_ROUTES,
  // --- end mockproducts
  [
    'POST',
    /^\/_mock\/reset$/,
    ({ notifier, store, log }) => {
      notifier.stop();
      store.reset();
      log('state reset');
      return { reset: true };
    },
  ],
];

/** One control request: { status, json }; an HttpError is answered as { error }. */
export async function handleControl(ctx, method, path, body) {
  try {
    let parsed = {};
    if (body.length) {
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        throw new HttpError(400, 'control requests take a JSON body');
      }
      if (parsed === null || typeof parsed !== 'object')
        throw new HttpError(400, 'control requests take a JSON object');
    }
    for (const [m, re, fn] of ROUTES) {
      const match = re.exec(path);
      if (match && m === method) return { status: 200, json: await fn(ctx, match.map(decodeURIComponent), parsed) };
    }
    throw new HttpError(404, `no control route ${method} ${path}`);
  } catch (e) {
    if (!(e instanceof HttpError)) throw e;
    return { status: e.status, json: { error: e.message } };
  }
}

export function createControl({ wx, store, config, notifier, api, v3, log }) {
  const ctx = { wx, store, config, notifier, api, v3, log };
  return {
    handle: (method, path, body) => handleControl(ctx, method, path, body),
    refundCreated: (r) => refundCreated(ctx, r),
    stop: () => {},
  };
}
