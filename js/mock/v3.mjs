// WeChat Pay API v3 in the mock, beside v2 on the same port (as api.mch.weixin.qq.com).
// Every request's Authorization is checked with node:crypto against the merchant public key
// on disk (never with the package's own verify code: the mock judges our client, so it must
// not share its mistakes); every answer, errors included, is signed with the WeChat Pay key
// of the mode (--v3-keys): the public key (`pubkey`), the platform certificate (`cert`), or
// during WeChat's switch between them (`migrating`) either one, as the rules in v3/signing.mjs say.
//
// The modules under v3/ each hold one concern and take the context made here (`ctx`) as
// their first argument, so each can be imported and tested alone:
//   signing.mjs       Authorization checked; Wechatpay-* headers made (the mode's keys)
//   request.mjs       the JSON body and its fields, read as WeChat reads them
//   orders.mjs        JSAPI order, queries, close; pay / fail
//   refunds.mjs       refund, refund query, a refund's end
//   certificates.mjs  GET /v3/certificates
//   callbacks.mjs     TRANSACTION.* / REFUND.* callbacks: retry cycles, one-offs, attacks
//   views.mjs         the order and refund as WeChat shows them
//   cipher.mjs        AEAD_AES_256_GCM with the APIv3 key
//   routes.mjs        one HTTP call: route, body, signature check, signed answer
//   errors.mjs        V3Error, WeChat's JSON error answer
//   products.mjs      Native, H5, App, partner, combine, abnormal refunds, profit sharing, transfers,
//                     bills, media, complaints: their routes, each product in a module of its own
import { callbackBody, notifyOnce, notifyPayment, notifyRefund } from './v3/callbacks.mjs';
import { failPayment, pay } from './v3/orders.mjs';
import { completeRefund } from './v3/refunds.mjs';
import { handle } from './v3/routes.mjs';
import { V3_KEY_MODES, responseHeaders, signatureHeaders } from './v3/signing.mjs';
import { refundView, transaction } from './v3/views.mjs';
import { productControls } from './v3/products.mjs';

export { NOTIFY_KINDS, V3_REFUND_STATUSES } from './v3/callbacks.mjs';
export { V3_KEY_MODES, parseAuthorization } from './v3/signing.mjs';
export { rfc3339 } from './v3/views.mjs';

/**
 * The v3 mock's context, which every v3/ module takes: keys (loadV3Keys()), cfg (its
 * wechatpay.json: mchid, appid, serialNo, apiV3Key, …), signers (the WeChat Pay keys), mode,
 * store, notifier, config (the mock's: timeScale, refundDelay), log.
 */
export function createV3Context({ keys, store, notifier, config, log, mode = 'pubkey', faults }) {
  if (!V3_KEY_MODES.includes(mode))
    throw new Error(`v3 key mode must be one of ${V3_KEY_MODES.join(', ')}, got ${mode}`);
  return {
    keys,
    cfg: keys.config,
    signers: keys.signers,
    mode,
    store,
    notifier,
    config,
    log,
    strangerKey: null,
    faults,
  };
}

/**
 * keys: loadV3Keys(); store: the shared Store; notifier: the shared notifier; config: the
 * mock's config (timeScale, refundDelay); log; mode: one of V3_KEY_MODES (default pubkey).
 * Returns the v3 mock's interface for server.mjs, control.mjs and the CLI, bound to one context.
 */
export function createV3(options) {
  const ctx = createV3Context(options);
  return {
    handle: (req, url, raw, maxBody) => handle(ctx, req, url, raw, maxBody),
    notifyPayment: (o) => notifyPayment(ctx, o),
    notifyOnce: (o, opts) => notifyOnce(ctx, o, opts),
    notifyRefund: (r, opts) => notifyRefund(ctx, r, opts),
    completeRefund: (r, status) => completeRefund(ctx, r, status),
    failPayment: (o) => failPayment(ctx, o),
    pay: (o) => pay(ctx, o),
    transaction,
    refundView,
    signatureHeaders: (body, opts) => signatureHeaders(ctx, body, opts),
    responseHeaders: (body, requestHeaders) => responseHeaders(ctx, body, requestHeaders),
    callbackBody: (eventType, summary, originalType, resource) =>
      callbackBody(ctx, eventType, summary, originalType, resource),
    config: ctx.cfg,
    mode: ctx.mode,
    products: productControls(ctx),
  };
}
