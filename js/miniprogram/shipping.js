// 发货信息管理 (order shipping management): every /wxa/sec/order/* call, and the carrier
// list, validated before anything is sent. Once a mini-program is enrolled, the merchant's
// money stays frozen until shipping is uploaded and the user (or the system) confirms
// receipt, and WeChat allows one re-shipment per order: a request WeChat would refuse, or
// worse accept wrongly, is refused here first, with INVALID_FIELD / MISSING_FIELD naming the
// field. The limits are WeChat's (developers.weixin.qq.com, 发货信息管理服务): at most 15
// parcels, one for unified delivery, split delivery only by express with is_all_delivered,
// item_desc 1 to 120 characters, tracking_no and express_company for express, a masked
// contact (its last four digits clear) and required for SF Express, upload_time RFC 3339.
import { WxPayError, describe, isPlainObject } from '../core/index.js';
import { withToken } from './request.js';

export const MAX_PARCELS = 15;
export const ITEM_DESC_MAX = 120;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

const bad = (field, msg) => new WxPayError('INVALID_FIELD', `${field} ${msg}`, { field });
const missing = (field, msg) =>
  new WxPayError('MISSING_FIELD', `${field} is required${msg ? `: ${msg}` : ''}`, { field });

function object(v, where) {
  if (!isPlainObject(v))
    throw new WxPayError('INVALID_PARAM', `${where} must be an object, got ${describe(v)}`, { field: where });
  return v;
}
/** Refuses names not in `names` (a misspelt optional field would be dropped by WeChat silently). */
function only(o, names, where) {
  for (const k of Object.keys(o))
    if (!names.includes(k)) throw bad(`${where}.${k}`, `is not a field of ${where} (it takes ${names.join(', ')})`);
}
function str(o, name, where, { max = 128, optional = false } = {}) {
  const v = o[name];
  if (v === undefined && optional) return undefined;
  if (v === undefined || v === '') throw missing(`${where}.${name}`);
  if (typeof v !== 'string' || [...v].length > max)
    throw bad(`${where}.${name}`, `must be a string of at most ${max} characters, got ${describe(v)}`);
  return v;
}
function int(o, name, where, min, max, { optional = false } = {}) {
  const v = o[name];
  if (v === undefined && optional) return undefined;
  if (v === undefined) throw missing(`${where}.${name}`);
  if (!Number.isSafeInteger(v) || v < min || v > max)
    throw bad(`${where}.${name}`, `must be an integer from ${min} to ${max}, got ${describe(v)}`);
  return v;
}

/** order_key: `{ order_number_type: 1, mchid, out_trade_no }` or `{ order_number_type: 2, transaction_id }`. */
function orderKey(k, where) {
  object(k, where);
  only(k, ['order_number_type', 'mchid', 'out_trade_no', 'transaction_id'], where);
  const type = int(k, 'order_number_type', where, 1, 2);
  if (type === 1) {
    str(k, 'mchid', where, { max: 32 });
    str(k, 'out_trade_no', where, { max: 32 });
    if (k.transaction_id !== undefined)
      throw bad(`${where}.transaction_id`, 'goes with order_number_type 2, not 1 (mchid + out_trade_no)');
  } else {
    str(k, 'transaction_id', where, { max: 32 });
    if (k.mchid !== undefined || k.out_trade_no !== undefined)
      throw bad(`${where}.mchid`, 'goes with order_number_type 1, not 2 (transaction_id)');
  }
  return type;
}

/** A contact as WeChat wants it: masked, its last four digits in clear (`189****1234`). */
function contactValue(v, field) {
  if (typeof v !== 'string' || v === '' || v.length > 1024)
    throw bad(field, `must be a string of 1 to 1024 characters, got ${describe(v)}`);
  const marks = v.replace(/[^0-9*]/g, '');
  if (!marks.includes('*') || !/\d{4}$/.test(marks))
    throw bad(field, 'must be masked with *, its last four digits in clear (e.g. 189****1234, 021-****1234)');
}

function parcel(p, where, logistics) {
  object(p, where);
  only(p, ['tracking_no', 'express_company', 'item_desc', 'contact'], where);
  const desc = str(p, 'item_desc', where, { max: ITEM_DESC_MAX });
  if (desc.trim() === '') throw missing(`${where}.item_desc`, 'a description of the goods');
  const express = logistics === 1;
  str(p, 'tracking_no', where, { optional: !express });
  const company = str(p, 'express_company', where, { optional: !express });
  if (p.contact !== undefined) {
    object(p.contact, `${where}.contact`);
    only(p.contact, ['consignor_contact', 'receiver_contact'], `${where}.contact`);
    for (const [k, v] of Object.entries(p.contact)) contactValue(v, `${where}.contact.${k}`);
  }
  if (company === 'SF' && (p.contact === undefined || Object.keys(p.contact).length === 0))
    throw missing(`${where}.contact`, 'SF Express needs consignor_contact or receiver_contact');
}

/** One order's delivery: logistics_type, delivery_mode, is_all_delivered and its shipping_list. */
function delivery(o, where) {
  const logistics = int(o, 'logistics_type', where, 1, 4);
  const mode = int(o, 'delivery_mode', where, 1, 2);
  const list = o.shipping_list;
  if (!Array.isArray(list) || list.length === 0) throw missing(`${where}.shipping_list`, 'at least one parcel');
  if (list.length > MAX_PARCELS)
    throw bad(`${where}.shipping_list`, `has ${list.length} parcels; WeChat takes at most ${MAX_PARCELS}`);
  if (mode === 1 && list.length !== 1)
    throw bad(`${where}.shipping_list`, 'must hold exactly one parcel for unified delivery (delivery_mode 1)');
  if (mode === 2) {
    if (logistics !== 1)
      throw bad(`${where}.delivery_mode`, 'split delivery (2) is for express (logistics_type 1) only');
    if (typeof o.is_all_delivered !== 'boolean')
      throw missing(`${where}.is_all_delivered`, 'split delivery must say whether everything has shipped');
  } else if (o.is_all_delivered !== undefined && typeof o.is_all_delivered !== 'boolean') {
    throw bad(`${where}.is_all_delivered`, 'must be a boolean');
  }
  for (const [i, p] of list.entries()) parcel(p, `${where}.shipping_list[${i}]`, logistics);
}

/** upload_time (RFC 3339; now when absent) and payer.openid. */
function uploadCommon(info) {
  const out = { ...info };
  if (out.upload_time === undefined) out.upload_time = new Date().toISOString();
  else if (
    typeof out.upload_time !== 'string' ||
    !RFC3339.test(out.upload_time) ||
    Number.isNaN(Date.parse(out.upload_time))
  )
    throw bad(
      'upload_time',
      `must be an RFC 3339 time such as 2022-12-15T13:29:35.120+08:00, got ${describe(out.upload_time)}`,
    );
  object(out.payer, 'payer');
  only(out.payer, ['openid'], 'payer');
  str(out.payer, 'openid', 'payer');
  return out;
}

export function checkUpload(info) {
  object(info, 'upload_shipping_info');
  only(
    info,
    ['order_key', 'logistics_type', 'delivery_mode', 'is_all_delivered', 'shipping_list', 'upload_time', 'payer'],
    'upload_shipping_info',
  );
  orderKey(info.order_key, 'order_key');
  delivery(info, 'upload_shipping_info');
  return uploadCommon(info);
}

export function checkCombined(info) {
  object(info, 'upload_combined_shipping_info');
  only(info, ['order_key', 'sub_orders', 'upload_time', 'payer'], 'upload_combined_shipping_info');
  const type = orderKey(info.order_key, 'order_key');
  const subs = info.sub_orders;
  if (!Array.isArray(subs) || subs.length === 0) throw missing('sub_orders', 'at least one sub-order');
  if (subs.length > 100) throw bad('sub_orders', 'has more than 100 sub-orders');
  const seen = new Set();
  subs.forEach((s, i) => {
    const where = `sub_orders[${i}]`;
    object(s, where);
    only(s, ['order_key', 'logistics_type', 'delivery_mode', 'is_all_delivered', 'shipping_list'], where);
    if (orderKey(s.order_key, `${where}.order_key`) !== type)
      throw bad(`${where}.order_key.order_number_type`, "must be the combined order's");
    const id = JSON.stringify([s.order_key.transaction_id, s.order_key.mchid, s.order_key.out_trade_no]);
    if (seen.has(id)) throw bad(`${where}.order_key`, 'repeats another sub-order');
    seen.add(id);
    delivery(s, where);
  });
  return uploadCommon(info);
}

/** An order named by transaction_id, or by merchant_id + merchant_trade_no (sub_merchant_id optional). */
function orderRef(o, where, extra = []) {
  object(o, where);
  only(o, ['transaction_id', 'merchant_id', 'sub_merchant_id', 'merchant_trade_no', ...extra], where);
  if (o.transaction_id !== undefined) str(o, 'transaction_id', where, { max: 32 });
  else {
    str(o, 'merchant_id', where, { max: 32 });
    str(o, 'merchant_trade_no', where, { max: 32 });
  }
  str(o, 'sub_merchant_id', where, { max: 32, optional: true });
  return o;
}

function checkOrderList(q) {
  object(q, 'get_order_list');
  only(q, ['pay_time_range', 'order_state', 'openid', 'last_index', 'page_size'], 'get_order_list');
  if (q.pay_time_range !== undefined) {
    object(q.pay_time_range, 'pay_time_range');
    only(q.pay_time_range, ['begin_time', 'end_time'], 'pay_time_range');
    int(q.pay_time_range, 'begin_time', 'pay_time_range', 0, 2 ** 32 - 1, { optional: true });
    int(q.pay_time_range, 'end_time', 'pay_time_range', 0, 2 ** 32 - 1, { optional: true });
  }
  int(q, 'order_state', 'get_order_list', 1, 6, { optional: true });
  str(q, 'openid', 'get_order_list', { optional: true });
  str(q, 'last_index', 'get_order_list', { optional: true, max: 1024 });
  int(q, 'page_size', 'get_order_list', 1, 100, { optional: true });
  return q;
}

function checkSpecial(o) {
  object(o, 'opspecialorder');
  only(o, ['order_id', 'type', 'delay_to'], 'opspecialorder');
  str(o, 'order_id', 'opspecialorder', { max: 32 });
  const type = int(o, 'type', 'opspecialorder', 1, 2);
  int(o, 'delay_to', 'opspecialorder', 1, 2 ** 32 - 1, { optional: type === 2 });
  return o;
}

const post = (c, path, body) => withToken(c, path, JSON.stringify(body));

/** The shipping methods of one instance (`mp.shipping`). Validation runs before the token is fetched. */
export function shippingMethods(c) {
  const call = (path, check) => async (arg) => post(c, path, check(arg));
  return Object.freeze({
    isTradeManaged: async () =>
      (await post(c, '/wxa/sec/order/is_trade_managed', { appid: c.appid })).is_trade_managed === true,
    isTradeManagementConfirmationCompleted: async () =>
      (await post(c, '/wxa/sec/order/is_trade_management_confirmation_completed', { appid: c.appid })).completed ===
      true,
    uploadShippingInfo: call('/wxa/sec/order/upload_shipping_info', checkUpload),
    uploadCombinedShippingInfo: call('/wxa/sec/order/upload_combined_shipping_info', checkCombined),
    getOrder: async (ref) => (await post(c, '/wxa/sec/order/get_order', orderRef(ref, 'get_order'))).order,
    getOrderList: call('/wxa/sec/order/get_order_list', checkOrderList),
    notifyConfirmReceive: call('/wxa/sec/order/notify_confirm_receive', (o) => {
      orderRef(o, 'notify_confirm_receive', ['received_time']);
      int(o, 'received_time', 'notify_confirm_receive', 1, 2 ** 32 - 1);
      return o;
    }),
    setMsgJumpPath: async (path) => {
      if (typeof path !== 'string' || path.length > 1024)
        throw bad('path', `must be a mini-program page path (a string), got ${describe(path)}`);
      await post(c, '/wxa/sec/order/set_msg_jump_path', { path });
    },
    opSpecialOrder: call('/wxa/sec/order/opspecialorder', checkSpecial),
    getDeliveryList: () => post(c, '/cgi-bin/express/delivery/open_msg/get_delivery_list', {}),
  });
}
