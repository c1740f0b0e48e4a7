// The v3 products beyond the mini-program order, each in its own module, routed here:
//   payments.mjs        Native, H5, App; partner (服务商) orders of every kind, their queries and close
//   combine.mjs         合单 combine orders: create, query, close; paid and notified together
//   abnormal-refund.mjs 异常退款 of a refund that ended ABNORMAL
//   profitsharing.mjs   分账: receivers, orders (PROCESSING → FINISHED), returns, unfreeze, amounts
//   transfers.mjs       商家转账 (2025): WAIT_USER_CONFIRM, the user's answer, cancel, queries
//   bills.mjs           tradebill, fundflowbill and their download (unsigned, hashed)
//   media.mjs           media upload (multipart read by spec-multipart.mjs, the meta signed)
//   complaints.mjs      消费者投诉 2.0: notification URL, list, detail, history, response, complete
// Each handler is (ctx, match, query, bodyText, call): call as routes.mjs describes it (headers, upload, …).
import { applyAbnormalRefund } from './abnormal-refund.mjs';
import { fundFlowBill, billDownload, tradeBill } from './bills.mjs';
import { combineClose, combineCreate, combineQuery, findCombine, payCombine } from './combine.mjs';
import * as complaints from './complaints.mjs';
import { listMedia, upload } from './media.mjs';
import { createOrder, partnerClose, partnerQueryById, partnerQueryByNo } from './payments.mjs';
import * as ps from './profitsharing.mjs';
import * as tr from './transfers.mjs';

const PAY = '/v3/pay/transactions';
const PARTNER = '/v3/pay/partner/transactions';
const MCH = '/v3/fund-app/mch-transfer/transfer-bills';
const CMP = '/v3/merchant-service/complaints-v2/([^/]+)';
const r = (path) => new RegExp(`^${path.replaceAll('/', '\\/')}$`);
const notifications = (method) => [
  method,
  /^\/v3\/merchant-service\/complaint-notifications$/,
  (ctx, _m, _q, b) => complaints.complaintNotifications(ctx, method, b),
];

/** [method, path, handler, options?]: appended to routes.mjs's ROUTES. */
export const PRODUCT_ROUTES = [
  ...['native', 'h5', 'app'].map((k) => ['POST', r(`${PAY}/${k}`), (ctx, _m, _q, b) => createOrder(ctx, k, false, b)]),
  ...['jsapi', 'native', 'h5', 'app'].map((k) => [
    'POST',
    r(`${PARTNER}/${k}`),
    (ctx, _m, _q, b) => createOrder(ctx, k, true, b),
  ]),
  ['GET', r(`${PARTNER}/out-trade-no/([^/]+)`), (ctx, m, q) => partnerQueryByNo(ctx, m[1], q)],
  ['GET', r(`${PARTNER}/id/([^/]+)`), (ctx, m, q) => partnerQueryById(ctx, m[1], q)],
  ['POST', r(`${PARTNER}/out-trade-no/([^/]+)/close`), (ctx, m, _q, b) => partnerClose(ctx, m[1], b)],
  ...['jsapi', 'native', 'app', 'h5'].map((k) => [
    'POST',
    r(`/v3/combine-transactions/${k}`),
    (ctx, _m, _q, b) => combineCreate(ctx, k, b),
  ]),
  ['GET', r('/v3/combine-transactions/out-trade-no/([^/]+)'), (ctx, m) => combineQuery(ctx, m[1])],
  ['POST', r('/v3/combine-transactions/out-trade-no/([^/]+)/close'), (ctx, m, _q, b) => combineClose(ctx, m[1], b)],
  [
    'POST',
    r('/v3/refund/domestic/refunds/([^/]+)/apply-abnormal-refund'),
    (ctx, m, _q, b, c) => applyAbnormalRefund(ctx, m[1], b, c),
  ],
  ['POST', r('/v3/profitsharing/receivers/add'), (ctx, _m, _q, b, c) => ps.addReceiver(ctx, b, c)],
  ['POST', r('/v3/profitsharing/receivers/delete'), (ctx, _m, _q, b) => ps.deleteReceiver(ctx, b)],
  ['POST', r('/v3/profitsharing/orders'), (ctx, _m, _q, b) => ps.createSharing(ctx, b)],
  ['POST', r('/v3/profitsharing/orders/unfreeze'), (ctx, _m, _q, b) => ps.unfreeze(ctx, b)],
  ['GET', r('/v3/profitsharing/orders/([^/]+)'), (ctx, m, q) => ps.querySharing(ctx, m[1], q)],
  ['POST', r('/v3/profitsharing/return-orders'), (ctx, _m, _q, b) => ps.createReturn(ctx, b)],
  ['GET', r('/v3/profitsharing/return-orders/([^/]+)'), (ctx, m, q) => ps.queryReturn(ctx, m[1], q)],
  ['GET', r('/v3/profitsharing/transactions/([^/]+)/amounts'), (ctx, m) => ps.amounts(ctx, m[1])],
  ['POST', r(MCH), (ctx, _m, _q, b, c) => tr.transferCreate(ctx, b, c)],
  ['GET', r(`${MCH}/out-bill-no/([^/]+)`), (ctx, m) => tr.transferByNo(ctx, m[1])],
  ['GET', r(`${MCH}/transfer-bill-no/([^/]+)`), (ctx, m) => tr.transferById(ctx, m[1])],
  ['POST', r(`${MCH}/out-bill-no/([^/]+)/cancel`), (ctx, m) => tr.transferCancel(ctx, m[1])],
  ['GET', r('/v3/bill/tradebill'), (ctx, _m, q, _b, c) => tradeBill(ctx, q, c)],
  ['GET', r('/v3/bill/fundflowbill'), (ctx, _m, q, _b, c) => fundFlowBill(ctx, q, c)],
  ['GET', r('/v3/billdownload/file'), (ctx, _m, q) => billDownload(ctx, q)],
  ['POST', r('/v3/merchant/media/upload'), (ctx, _m, _q, b, c) => upload(ctx, 'image', b, c)],
  ['POST', r('/v3/merchant/media/video_upload'), (ctx, _m, _q, b, c) => upload(ctx, 'video', b, c)],
  ['POST', r('/v3/merchant-service/images/upload'), (ctx, _m, _q, b, c) => upload(ctx, 'image', b, c)],
  ...['GET', 'POST', 'PUT', 'DELETE'].map(notifications),
  ['GET', r('/v3/merchant-service/complaints-v2'), (ctx, _m, q) => complaints.listComplaints(ctx, q)],
  ['GET', r(CMP), (ctx, m) => complaints.complaintDetail(ctx, m[1])],
  ['GET', r(`${CMP}/negotiation-historys`), (ctx, m, q) => complaints.complaintHistory(ctx, m[1], q)],
  ['POST', r(`${CMP}/response`), (ctx, m, _q, b) => complaints.respondComplaint(ctx, m[1], b)],
  ['POST', r(`${CMP}/complete`), (ctx, m, _q, b) => complaints.completeComplaint(ctx, m[1], b)],
];

/** What the control interface does to the products, bound to one v3 context (createV3 hands it out). */
export const productControls = (ctx) => ({
  findCombine: (no) => findCombine(ctx, no),
  payCombine: (c, opts) => payCombine(ctx, c, opts),
  transferAnswer: (no, accept) => tr.userAnswers(ctx, no, accept),
  transfers: () => tr.listTransfers(ctx).map((t) => ({ ...t, digest: undefined, query: tr.transferView(t) })),
  sharingNotifyUrl: (url) => ps.setSharingNotifyUrl(ctx, url),
  finishSharing: (no) => {
    const p = ps.findSharing(ctx, no);
    if (!p) throw new Error(`no profit sharing order ${no}: not found`);
    return ps.finishSharing(ctx, p);
  },
  sharing: () => ps.listSharing(ctx),
  openComplaint: (b) => complaints.openComplaint(ctx, b),
  complaints: () => complaints.listAll(ctx),
  media: () => listMedia(ctx),
});
