// The v3 order endpoints (JSAPI order, query by out_trade_no or transaction_id, close) and
// what the payer does to an order (pay, fail). `ctx` is the v3 mock's context (see ../v3.mjs).
import { newTransactionId, newPrepayId } from '../util.mjs';
import { V3Error, paramError } from './errors.mjs';
import { fen, json, optStr, sameMerchant, str } from './request.mjs';
import { transaction, v3Order } from './views.mjs';

const PREPAY_VALID_MS = 2 * 3600 * 1000;

/** What makes two JSAPI orders "the same" (WeChat answers an identical one with its prepay_id). */
export function digest(b) {
  return JSON.stringify([
    b.appid,
    b.mchid,
    b.description,
    b.out_trade_no,
    b.notify_url,
    b.amount?.total,
    b.amount?.currency ?? 'CNY',
    b.payer?.openid,
    b.attach ?? null,
    b.time_expire ?? null,
  ]);
}

/** The fields every v3 order body has (JSAPI here, the other kinds in payments.mjs), checked as WeChat does. */
export function commonOrderFields(b) {
  const description = str(b, '/description', 127);
  const no = str(b, '/out_trade_no', 32);
  if (!/^[0-9A-Za-z_\-|*]{6,32}$/.test(no))
    throw paramError('/out_trade_no', '只能是 6-32 位数字、大小写字母_-|* (6-32 of [0-9A-Za-z_-|*])', 'body', no);
  const notifyUrl = str(b, '/notify_url', 256);
  if (!/^https?:\/\/[^\s?#]+$/.test(notifyUrl))
    throw paramError('/notify_url', '应为不带参数的 http(s) URL', 'body', notifyUrl);
  const total = fen(b, '/amount/total');
  const currency = optStr(b, '/amount/currency', 16) ?? 'CNY';
  if (currency !== 'CNY') throw paramError('/amount/currency', '只支持 CNY', 'body', currency);
  return { description, no, notifyUrl, total, currency };
}

/** When an unpaid order expires: its time_expire (RFC 3339) if given, else two hours after `now`. */
export function expiryOf(timeExpire, now) {
  const expireAt = timeExpire ? Date.parse(timeExpire) : now + PREPAY_VALID_MS;
  if (Number.isNaN(expireAt))
    throw paramError('/time_expire', '应为 RFC 3339 时间 (e.g. 2026-12-01T10:34:56+08:00)', 'body', timeExpire);
  return expireAt;
}

/** The fields of a JSAPI order body, each checked as WeChat does. */
function jsapiFields(b) {
  const appid = str(b, '/appid', 32);
  const mchid = str(b, '/mchid', 32);
  const common = commonOrderFields(b);
  const openid = str(b, '/payer/openid', 128);
  const attach = optStr(b, '/attach', 128);
  const timeExpire = optStr(b, '/time_expire', 64);
  return { appid, mchid, ...common, openid, attach, timeExpire };
}

/** An order already made with this out_trade_no: its prepay_id again when identical and unpaid. */
function repeatedOrder(existing, no, b) {
  if (existing.api !== 'v3') throw new V3Error(403, 'OUT_TRADE_NO_USED', `商户订单号重复: ${no} 是一笔 v2 订单`);
  if (existing.trade_state === 'CLOSED') throw new V3Error(400, 'ORDER_CLOSED', `订单已关闭: ${no}`);
  if (existing.trade_state !== 'NOTPAY')
    throw new V3Error(403, 'OUT_TRADE_NO_USED', `商户订单号重复: ${no} 已支付 (${existing.trade_state})`);
  if (existing.digest !== digest(b))
    throw new V3Error(
      403,
      'OUT_TRADE_NO_USED',
      `商户订单号重复: 同一订单号的请求内容不同 (same out_trade_no, different content)`,
    );
  return { status: 200, json: { prepay_id: existing.prepay_id } };
}

/** POST /v3/pay/transactions/jsapi. */
export function jsapi(ctx, body) {
  const { store, log } = ctx;
  const b = json(body);
  const { appid, mchid, description, no, notifyUrl, total, currency, openid, attach, timeExpire } = jsapiFields(b);
  sameMerchant(ctx, appid, mchid);
  const existing = store.order(no);
  if (existing) return repeatedOrder(existing, no, b);
  const now = Date.now();
  const expireAt = expiryOf(timeExpire, now);
  const o = {
    api: 'v3',
    out_trade_no: no,
    appid,
    mchid,
    description,
    attach,
    total,
    currency,
    openid,
    notify_url: notifyUrl,
    trade_type: 'JSAPI',
    prepay_id: newPrepayId(),
    trade_state: 'NOTPAY',
    created_at: now,
    expire_at: expireAt,
    digest: digest(b),
    deliveries: [],
  };
  store.orders.set(no, o);
  store.save();
  log(`v3 order ${no} created: ${total} fen, JSAPI, notify_url ${notifyUrl}`);
  return { status: 200, json: { prepay_id: o.prepay_id } };
}

function queryMchid(ctx, query) {
  const mchid = query.get('mchid');
  if (!mchid) throw paramError('mchid', '为必填参数 (required)', 'query');
  sameMerchant(ctx, undefined, mchid);
}

/** GET /v3/pay/transactions/out-trade-no/{no}?mchid=. */
export function queryByNo(ctx, no, query) {
  queryMchid(ctx, query);
  const o = v3Order(ctx.store.order(no));
  if (!o) throw new V3Error(404, 'ORDER_NOT_EXIST', `订单不存在: out_trade_no ${no}`);
  return { status: 200, json: transaction(o) };
}

/** GET /v3/pay/transactions/id/{transaction_id}?mchid=. */
export function queryById(ctx, id, query) {
  queryMchid(ctx, query);
  const o = v3Order(ctx.store.orderByTransaction(id));
  if (!o) throw new V3Error(404, 'ORDER_NOT_EXIST', `订单不存在: transaction_id ${id}`);
  return { status: 200, json: transaction(o) };
}

/** POST /v3/pay/transactions/out-trade-no/{no}/close: 204, also for an order already closed. */
export function close(ctx, no, body) {
  const { store, log } = ctx;
  const b = json(body);
  sameMerchant(ctx, undefined, str(b, '/mchid', 32));
  const o = v3Order(store.order(no));
  if (!o) throw new V3Error(404, 'ORDER_NOT_EXIST', `订单不存在: out_trade_no ${no}`);
  if (o.trade_state === 'SUCCESS' || o.trade_state === 'REFUND')
    throw new V3Error(400, 'ORDERPAID', `订单已支付, 不能关闭: ${no}`);
  if (o.trade_state !== 'CLOSED') {
    o.trade_state = 'CLOSED';
    store.save();
    log(`v3 order ${no} CLOSED by the merchant`);
  }
  return { status: 204 };
}

/** The payer pays: SUCCESS with a new transaction_id (the caller starts the callback). */
export function pay({ store }, o) {
  // Native, H5 and App orders learn who paid only now (mockproducts).
  if (!o.openid && !o.sub_openid) o.openid = `oMockPayer${newPrepayId().slice(-12)}`;
  Object.assign(o, {
    trade_state: 'SUCCESS',
    transaction_id: newTransactionId(),
    paid_at: Date.now(),
    bank_type: 'OTHERS',
  });
  store.save();
}

/** The payer's payment fails. WeChat posts no callback for it (v3 notifies TRANSACTION.SUCCESS only); the query says PAYERROR. */
export function failPayment({ store }, o) {
  o.trade_state = 'PAYERROR';
  store.save();
}
