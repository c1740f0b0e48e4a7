// The order-shipping service (发货信息管理, /wxa/sec/order/*) over the mock's paid orders, v2 and
// v3 alike (the shared Store): a paid order of the mini-program's appid is order_state 1 待发货;
// upload_shipping_info ships it (2 已发货; a split delivery stays 1 until is_all_delivered); one
// re-shipment is allowed; the user confirming receipt (the control interface) makes it 3 确认收货
// and pushes trade_manage_order_settlement; a refunded order is 5 已退款. Shipping state is kept in
// memory beside the store (`ctx.shipping`, by transaction_id), not in the state file.
// `ctx` is the mini-program context (../miniprogram.mjs).
import { MpError, mpError, unixSeconds } from './answer.mjs';
import { eventMessage, push } from './push.mjs';
import { orderKey, uploadBody } from './shipping-checks.mjs';

export const ORDER_STATES = Object.freeze({
  1: '待发货',
  2: '已发货',
  3: '确认收货',
  4: '交易完成',
  5: '已退款',
  6: '资金待结算',
});
const MAX_PAGE = 100;

const mchidOf = (o) => o.mchid ?? o.mch_id;
const paid = (o) => o?.transaction_id && (o.trade_state === 'SUCCESS' || o.trade_state === 'REFUND');

/** A paid order of this mini-program by { transaction_id } or { mchid, out_trade_no }, else undefined. */
function findPaid({ store, cfg }, key) {
  const o = key.transaction_id ? store.orderByTransaction(key.transaction_id) : store.order(key.out_trade_no);
  if (!paid(o) || o.appid !== cfg.appid) return undefined;
  if (!key.transaction_id && mchidOf(o) !== key.mchid) return undefined;
  return o;
}

function shippingOf(ctx, o) {
  let r = ctx.shipping.get(o.transaction_id);
  if (!r) {
    r = { state: 1, shipping: null, uploads: 0, uploadMs: 0, reminded: false };
    ctx.shipping.set(o.transaction_id, r);
  }
  return r;
}

const stateOf = (o, r) => (o.trade_state === 'REFUND' && r.state < 3 ? 5 : r.state);

/** An order as get_order / get_order_list show it. */
export function orderView(ctx, o) {
  const r = shippingOf(ctx, o);
  return {
    transaction_id: o.transaction_id,
    merchant_id: mchidOf(o),
    sub_merchant_id: '',
    merchant_trade_no: o.out_trade_no,
    description: o.description ?? o.body ?? '',
    paid_amount: o.total ?? Number(o.total_fee),
    openid: o.openid,
    trade_create_time: unixSeconds(o.created_at),
    pay_time: unixSeconds(o.paid_at),
    in_complaint: false,
    order_state: stateOf(o, r),
    shipping: r.shipping
      ? {
          ...r.shipping,
          shipping_list: r.shipping.shipping_list.map((p) => ({ ...p, upload_time: unixSeconds(r.uploadMs) })),
        }
      : {
          delivery_mode: 0,
          logistics_type: 0,
          finish_shipping: false,
          goods_desc: '',
          finish_shipping_count: 0,
          shipping_list: [],
        },
  };
}

/** Checks one upload against the order's state: { o, r, reship } or the MpError WeChat answers. */
function shippable(ctx, u) {
  const o = findPaid(ctx, u.key);
  if (!o) throw mpError(10060001);
  if (o.openid !== u.openid) throw mpError(10060031);
  const r = shippingOf(ctx, o);
  const state = stateOf(o, r);
  if (state !== 1 && state !== 2) throw mpError(10060004, `order_state ${state} ${ORDER_STATES[state]}`);
  if (r.special?.type === 2) throw mpError(10060004, 'a test order (opspecialorder type 2) needs no shipping');
  const reship = state === 2;
  if (reship && r.reshipped) throw mpError(10060003);
  if (r.shipping && u.uploadMs <= r.uploadMs)
    throw mpError(10060014, "upload_time must be later than the previous upload's");
  const bare = (x) => ({ ...x, finish_shipping_count: 0 });
  if (r.shipping && JSON.stringify(bare(r.shipping)) === JSON.stringify(bare(u.shipping))) throw mpError(10060023);
  return { o, r, reship };
}

/** Records a checked upload: the shipping, and 2 已发货 once everything is shipped. */
function ship(ctx, u, { o, r, reship }) {
  const count = (r.shipping?.finish_shipping_count ?? 0) + (u.shipping.finish_shipping ? 1 : 0);
  const shipping = { ...u.shipping, finish_shipping_count: count };
  Object.assign(r, { shipping, uploadMs: u.uploadMs, uploads: r.uploads + 1, reshipped: r.reshipped || reship });
  if (shipping.finish_shipping) {
    r.state = 2;
    r.shippedAt ??= Date.now();
  }
  ctx.log(
    `mini-program: order ${o.transaction_id} ${reship ? 're-shipped (its one re-shipment)' : 'shipped'}: ${shipping.shipping_list.length} parcel(s), order_state ${r.state} ${ORDER_STATES[r.state]}`,
  );
}

/** POST /wxa/sec/order/upload_shipping_info. */
export function uploadShippingInfo(ctx, b) {
  const u = uploadBody(b);
  ship(ctx, u, shippable(ctx, u));
  return {};
}

/**
 * POST /wxa/sec/order/upload_combined_shipping_info {order_key, sub_orders, upload_time, payer}. The
 * mock has no combined payments (合单支付): the parent key's form is checked, and each sub-order is
 * shipped as an order of its own; all are checked before any is recorded.
 */
export function uploadCombinedShippingInfo(ctx, b) {
  orderKey(b.order_key);
  if (!Array.isArray(b.sub_orders) || !b.sub_orders.length) throw mpError(10060014, 'sub_orders is required');
  const uploads = b.sub_orders.map((sub) => uploadBody({ ...sub, upload_time: b.upload_time, payer: b.payer }));
  const checked = uploads.map((u) => shippable(ctx, u));
  for (const [i, u] of uploads.entries()) ship(ctx, u, checked[i]);
  return {};
}

const DAY_S = 86400;

/** POST /wxa/sec/order/opspecialorder {order_id, type: 1 预售 | 2 测试, delay_to?}: an unshipped order reported. */
export function opSpecialOrder(ctx, b) {
  if (b.type !== 1 && b.type !== 2)
    throw mpError(268546000, `type must be 1 (预售) or 2 (测试), got ${JSON.stringify(b.type)}`);
  const id = typeof b.order_id === 'string' ? b.order_id : '';
  const o =
    findPaid(ctx, { transaction_id: id }) ??
    [...ctx.store.orders.values()].find((x) => x.out_trade_no === id && paid(x) && x.appid === ctx.cfg.appid);
  if (!o || stateOf(o, shippingOf(ctx, o)) !== 1) throw mpError(268546002, id);
  const paidS = unixSeconds(o.paid_at);
  if (
    b.type === 1 &&
    !(Number.isInteger(b.delay_to) && b.delay_to >= paidS + 15 * DAY_S && b.delay_to <= paidS + 330 * DAY_S)
  )
    throw mpError(268546001, '预售的预计发货时间在支付后 15 到 330 天之间');
  shippingOf(ctx, o).special = { type: b.type, delay_to: b.delay_to };
  return {};
}

/** The key of get_order / notify_confirm_receive: transaction_id, or merchant_id + merchant_trade_no. */
function queryKey(b) {
  if (typeof b.transaction_id === 'string' && b.transaction_id) return { transaction_id: b.transaction_id };
  if (typeof b.merchant_id === 'string' && typeof b.merchant_trade_no === 'string')
    return { mchid: b.merchant_id, out_trade_no: b.merchant_trade_no };
  throw mpError(10060014, 'give transaction_id, or merchant_id and merchant_trade_no');
}

/** POST /wxa/sec/order/get_order. */
export function getOrder(ctx, b) {
  const o = findPaid(ctx, queryKey(b));
  if (!o) throw mpError(10060001);
  return { order: orderView(ctx, o) };
}

function listFilter(b) {
  const range = b.pay_time_range ?? {};
  const begin = range.begin_time ?? 0;
  const end = range.end_time ?? Number.MAX_SAFE_INTEGER;
  const size = b.page_size ?? MAX_PAGE;
  if (!Number.isInteger(begin) || !Number.isInteger(end))
    throw mpError(10060014, 'pay_time_range times are unix seconds');
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE)
    throw mpError(10060014, `page_size must be 1-${MAX_PAGE}`);
  if (b.order_state !== undefined && !Object.hasOwn(ORDER_STATES, b.order_state))
    throw mpError(10060014, `order_state must be 1-6, got ${b.order_state}`);
  const from = b.last_index === undefined || b.last_index === '' ? 0 : Number(b.last_index);
  if (!Number.isInteger(from) || from < 0) throw mpError(10060014, 'last_index is the value a previous page returned');
  return { begin, end, size, state: b.order_state, openid: b.openid, from };
}

/** POST /wxa/sec/order/get_order_list: by pay time, state and openid, paged by last_index. */
export function getOrderList(ctx, b) {
  const f = listFilter(b);
  const all = [...ctx.store.orders.values()]
    .filter((o) => paid(o) && o.appid === ctx.cfg.appid)
    .sort((x, y) => x.paid_at - y.paid_at)
    .map((o) => orderView(ctx, o))
    .filter((v) => v.pay_time >= f.begin && v.pay_time <= f.end)
    .filter((v) => f.state === undefined || v.order_state === f.state)
    .filter((v) => f.openid === undefined || v.openid === f.openid);
  const page = all.slice(f.from, f.from + f.size);
  const next = f.from + page.length;
  return { last_index: String(next), has_more: next < all.length, order_list: page };
}

/** POST /wxa/sec/order/notify_confirm_receive {transaction_id | merchant_id + merchant_trade_no, received_time}: once per order. */
export function notifyConfirmReceive(ctx, b) {
  const o = findPaid(ctx, queryKey(b));
  if (!o) throw mpError(10060001);
  if (!Number.isInteger(b.received_time)) throw mpError(10060014, 'received_time (unix seconds) is required');
  const r = shippingOf(ctx, o);
  if (stateOf(o, r) !== 2) throw mpError(10060004, 'only a shipped order (order_state 2) can be reminded');
  if (r.reminded) throw mpError(10060014, 'notify_confirm_receive may be called once per order');
  r.reminded = true;
  ctx.log(`mini-program: the user of ${o.transaction_id} reminded to confirm receipt`);
  return {};
}

/** POST /wxa/sec/order/set_msg_jump_path {path}. */
export function setMsgJumpPath(ctx, b) {
  if (typeof b.path !== 'string' || !b.path) throw mpError(10060014, 'path is required');
  ctx.jumpPath = b.path;
  return {};
}

/** POST /wxa/sec/order/is_trade_managed {appid}. */
export function isTradeManaged(ctx, b) {
  if (b.appid !== ctx.cfg.appid) throw mpError(40013, `appid ${b.appid} is not the mock mini-program's`);
  return { is_trade_managed: ctx.cfg.tradeManaged };
}

/** POST /wxa/sec/order/is_trade_management_confirmation_completed {appid}. */
export function isTradeManagementConfirmationCompleted(ctx, b) {
  if (b.appid !== ctx.cfg.appid) throw mpError(40013, `appid ${b.appid} is not the mock mini-program's`);
  return { completed: true };
}

/** The fields of a trade_manage_* event about order `o`. */
export function tradeFields(o) {
  return {
    transaction_id: o.transaction_id,
    merchant_id: mchidOf(o),
    sub_merchant_id: '',
    merchant_trade_no: o.out_trade_no,
    pay_time: unixSeconds(o.paid_at),
  };
}

/** A paid order of the mini-program by transaction_id, for the control interface (404 otherwise). */
export function controlOrder(ctx, transactionId) {
  const o = findPaid(ctx, { transaction_id: transactionId });
  if (!o) throw new MpError(404, `no paid order of appid ${ctx.cfg.appid} with transaction_id ${transactionId}`, 404);
  return o;
}

/** POST /_mock/miniprogram/orders/{transaction_id}/confirm-receive {method?: 1 by the user | 2 automatic}. */
export async function confirmReceive(ctx, transactionId, { method = 1 } = {}) {
  const o = controlOrder(ctx, transactionId);
  if (method !== 1 && method !== 2)
    throw new MpError(400, 'method is 1 (the user confirmed) or 2 (confirmed automatically)', 400);
  const r = shippingOf(ctx, o);
  if (stateOf(o, r) !== 2)
    throw new MpError(
      409,
      `order ${transactionId} is order_state ${stateOf(o, r)} ${ORDER_STATES[stateOf(o, r)]}; only 2 已发货 can be received`,
      409,
    );
  const now = Date.now();
  Object.assign(r, { state: 3, confirmedAt: now });
  ctx.log(
    `mini-program: order ${transactionId} received (${method === 1 ? 'the user confirmed' : 'automatic'}): order_state 3 确认收货`,
  );
  const fields = {
    ...tradeFields(o),
    shipped_time: unixSeconds(r.shippedAt),
    estimated_settlement_time: unixSeconds(now),
    confirm_receive_method: method,
    confirm_receive_time: unixSeconds(now),
    settlement_time: unixSeconds(now),
  };
  const delivery = await push(ctx, eventMessage(ctx, 'trade_manage_order_settlement', fields, o.openid), o.openid);
  return { order: orderView(ctx, o), push: delivery };
}
