// The v3 orders besides JSAPI: Native (code_url), H5 (h5_url), App (prepay_id), and the partner
// (服务商) orders of every kind under /v3/pay/partner/transactions/…, with their queries and close.
// A partner order is kept under `partner:<sub_mchid>:<out_trade_no>`, so two sub-merchants may use
// the same out_trade_no, as at WeChat. Paying any of them is the JSAPI order's `pay` (orders.mjs).
import { randomBytes } from 'node:crypto';
import { digits, newPrepayId } from '../util.mjs';
import { V3Error, paramError } from './errors.mjs';
import { commonOrderFields, expiryOf } from './orders.mjs';
import { json, optStr, sameMerchant, str } from './request.mjs';
import { transaction, v3Order } from './views.mjs';

/** The order kinds and WeChat's trade_type for each. */
export const KINDS = Object.freeze({ jsapi: 'JSAPI', native: 'NATIVE', h5: 'MWEB', app: 'APP' });

/** Where a partner order lives in the store (':' is not allowed in out_trade_no, so keys never collide). */
export const partnerKey = (subMchid, no) => `partner:${subMchid}:${no}`;

/** What the payer is sent to: a QR code's URL, an H5 page, or a prepay_id for JSAPI and App (also combine.mjs). */
export function answerOf(o) {
  if (o.trade_type === 'NATIVE') return { code_url: o.code_url };
  if (o.trade_type === 'MWEB') return { h5_url: o.h5_url };
  return { prepay_id: o.prepay_id };
}

/** A Native order's QR code URL and an H5 order's page (undefined for the other kinds; also combine.mjs). */
export function payerUrls(kind, prepayId) {
  return {
    code_url: kind === 'native' ? `weixin://wxpay/bizpayurl?pr=${randomBytes(6).toString('base64url')}` : undefined,
    h5_url:
      kind === 'h5'
        ? `https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=${prepayId}&package=${digits(10)}`
        : undefined,
  };
}

/** The merchant fields of a direct body (appid, mchid) or a partner one (sp_appid, sp_mchid, sub_mchid, sub_appid). */
function merchantFields(ctx, b, partner) {
  if (!partner) {
    const appid = str(b, '/appid', 32);
    const mchid = str(b, '/mchid', 32);
    sameMerchant(ctx, appid, mchid);
    return { appid, mchid };
  }
  const spAppid = str(b, '/sp_appid', 32);
  const spMchid = str(b, '/sp_mchid', 32);
  sameMerchant(ctx, spAppid, spMchid);
  const subMchid = str(b, '/sub_mchid', 32);
  return { sp_appid: spAppid, sp_mchid: spMchid, sub_mchid: subMchid, sub_appid: optStr(b, '/sub_appid', 32) };
}

/** The payer a JSAPI order names (openid; a partner order sp_openid or sub_openid); H5 needs its scene. */
function kindFields(b, kind, partner) {
  if (kind === 'jsapi' && !partner) return { openid: str(b, '/payer/openid', 128) };
  if (kind === 'jsapi') {
    const sp = optStr(b, '/payer/sp_openid', 128);
    const sub = optStr(b, '/payer/sub_openid', 128);
    if (!sp && !sub) throw paramError('/payer/sp_openid', '与 /payer/sub_openid 必填其一 (one of them is required)');
    return { openid: sp, sub_openid: sub };
  }
  // H5's scene_info (payer_client_ip, h5_info.type) is required by WeChat's H5 page but not by the
  // derived spec, whose validation runs first; the mock follows the spec (a looser mock, not a stricter one).
  return {};
}

/** The fields every order body has (commonOrderFields, shared with JSAPI's in orders.mjs), its expiry and attach. */
function orderFields(b) {
  const common = commonOrderFields(b);
  const timeExpire = optStr(b, '/time_expire', 64);
  const expireAt = expiryOf(timeExpire, Date.now());
  return { ...common, attach: optStr(b, '/attach', 128), expireAt };
}

/** POST /v3/pay/transactions/{native,h5,app} and /v3/pay/partner/transactions/{jsapi,native,h5,app}. */
export function createOrder(ctx, kind, partner, body) {
  const { store, log } = ctx;
  const b = json(body);
  const m = merchantFields(ctx, b, partner);
  const f = orderFields(b);
  const payer = kindFields(b, kind, partner);
  const key = partner ? partnerKey(m.sub_mchid, f.no) : f.no;
  const digest = JSON.stringify([kind, m, f.description, f.notifyUrl, f.total, payer, f.attach ?? null]);
  const existing = store.orders.get(key);
  if (existing) {
    if (existing.api !== 'v3' || existing.digest !== digest)
      throw new V3Error(403, 'OUT_TRADE_NO_USED', `商户订单号重复: ${f.no} (same out_trade_no, different order)`);
    if (existing.trade_state !== 'NOTPAY')
      throw new V3Error(403, 'OUT_TRADE_NO_USED', `商户订单号重复: ${f.no} 已${existing.trade_state}`);
    return { status: 200, json: answerOf(existing) };
  }
  const prepayId = newPrepayId();
  const o = {
    api: 'v3',
    ...(partner ? { key } : {}),
    out_trade_no: f.no,
    ...m,
    ...payer,
    description: f.description,
    attach: f.attach,
    total: f.total,
    currency: f.currency,
    notify_url: f.notifyUrl,
    trade_type: KINDS[kind],
    prepay_id: prepayId,
    ...payerUrls(kind, prepayId),
    trade_state: 'NOTPAY',
    created_at: Date.now(),
    expire_at: f.expireAt,
    digest,
    deliveries: [],
  };
  store.orders.set(key, o);
  store.save();
  log(`v3 ${partner ? `partner (sub_mchid ${m.sub_mchid}) ` : ''}${KINDS[kind]} order ${f.no} created: ${f.total} fen`);
  return { status: 200, json: answerOf(o) };
}

/** sp_mchid and sub_mchid of a partner query or close; sp_mchid must be the mock's merchant. */
function partnerOf(ctx, get) {
  const sp = get('sp_mchid');
  if (!sp) throw paramError('sp_mchid', '为必填参数 (required)', 'query');
  const sub = get('sub_mchid');
  if (!sub) throw paramError('sub_mchid', '为必填参数 (required)', 'query');
  sameMerchant(ctx, undefined, sp);
  return sub;
}

/** GET /v3/pay/partner/transactions/out-trade-no/{no}?sp_mchid=&sub_mchid= (only that sub-merchant's order). */
export function partnerQueryByNo(ctx, no, query) {
  const sub = partnerOf(ctx, (k) => query.get(k));
  const o = v3Order(ctx.store.orders.get(partnerKey(sub, no)));
  if (!o) throw new V3Error(404, 'ORDER_NOT_EXIST', `订单不存在: sub_mchid ${sub} out_trade_no ${no}`);
  return { status: 200, json: transaction(o) };
}

/** GET /v3/pay/partner/transactions/id/{transaction_id}?sp_mchid=&sub_mchid=. */
export function partnerQueryById(ctx, id, query) {
  const sub = partnerOf(ctx, (k) => query.get(k));
  const o = [...ctx.store.orders.values()].find((x) => x.transaction_id === id && x.sub_mchid === sub);
  if (!o) throw new V3Error(404, 'ORDER_NOT_EXIST', `订单不存在: sub_mchid ${sub} transaction_id ${id}`);
  return { status: 200, json: transaction(o) };
}

/** POST /v3/pay/partner/transactions/out-trade-no/{no}/close {sp_mchid, sub_mchid}: 204. */
export function partnerClose(ctx, no, body) {
  const b = json(body);
  const sub = partnerOf(ctx, (k) => b[k]);
  const o = v3Order(ctx.store.orders.get(partnerKey(sub, no)));
  if (!o) throw new V3Error(404, 'ORDER_NOT_EXIST', `订单不存在: sub_mchid ${sub} out_trade_no ${no}`);
  if (o.trade_state === 'SUCCESS' || o.trade_state === 'REFUND')
    throw new V3Error(400, 'ORDERPAID', `订单已支付, 不能关闭: ${no}`);
  if (o.trade_state !== 'CLOSED') {
    o.trade_state = 'CLOSED';
    ctx.store.save();
    ctx.log(`v3 partner order ${no} (sub_mchid ${sub}) CLOSED by the merchant`);
  }
  return { status: 204 };
}
