// upload_shipping_info's body, checked as WeChat checks it, in its order and with its codes
// (the error table of developers.weixin.qq.com/miniprogram/dev/server/API/order_shipping/
// api_uploadshippinginfo.html): order_key forms, logistics type, delivery mode, 1-15 parcels
// (exactly 1 in unified delivery), item_desc present and at most 120 characters, tracking number
// and express company for express delivery (and a contact for SF), upload_time in RFC 3339, payer.openid.
import { mpError } from './answer.mjs';

export const MAX_PARCELS = 15;
export const MAX_ITEM_DESC = 120;
const MAX_CODE = 128;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

const chars = (s) => Array.from(s).length;
const isStr = (v) => typeof v === 'string' && v !== '';

/** The order_key: { transaction_id } (type 2) or { mchid, out_trade_no } (type 1). */
export function orderKey(k) {
  if (k === null || typeof k !== 'object') throw mpError(10060014, 'order_key is required');
  if (k.order_number_type === 2) {
    if (!isStr(k.transaction_id)) throw mpError(268485195);
    return { transaction_id: k.transaction_id };
  }
  if (k.order_number_type === 1) {
    if (!isStr(k.mchid)) throw mpError(268485196);
    if (!isStr(k.out_trade_no)) throw mpError(268485197);
    return { mchid: k.mchid, out_trade_no: k.out_trade_no };
  }
  throw mpError(268485194, `order_number_type must be 1 or 2, got ${JSON.stringify(k.order_number_type)}`);
}

function parcel(p, i, express) {
  if (p === null || typeof p !== 'object') throw mpError(10060014, `shipping_list[${i}] must be an object`);
  if (!isStr(p.item_desc)) throw mpError(10060008, `shipping_list[${i}]`);
  if (chars(p.item_desc) > MAX_ITEM_DESC)
    throw mpError(
      10060009,
      `shipping_list[${i}].item_desc has ${chars(p.item_desc)} characters, at most ${MAX_ITEM_DESC}`,
    );
  if (express) {
    if (!isStr(p.tracking_no)) throw mpError(268485226, `shipping_list[${i}]`);
    if (!isStr(p.express_company)) throw mpError(268485227, `shipping_list[${i}]`);
  }
  // WeChat: for SF Express (顺丰) a contact is required, the consignor's or the receiver's, masked but its last 4 digits.
  if (p.express_company === 'SF' && !isStr(p.contact?.consignor_contact) && !isStr(p.contact?.receiver_contact))
    throw mpError(10060014, `shipping_list[${i}].contact: SF needs consignor_contact or receiver_contact`);
  if (p.tracking_no !== undefined && chars(String(p.tracking_no)) > MAX_CODE)
    throw mpError(10060026, `shipping_list[${i}]`);
  if (p.express_company !== undefined && chars(String(p.express_company)) > MAX_CODE)
    throw mpError(10060025, `shipping_list[${i}]`);
  return {
    tracking_no: p.tracking_no ?? '',
    express_company: p.express_company ?? '',
    goods_desc: p.item_desc,
    ...(p.contact ? { contact: p.contact } : {}),
  };
}

/** The whole body: { key, shipping, uploadMs, openid } or the first MpError WeChat would answer. */
export function uploadBody(b) {
  const key = orderKey(b.order_key);
  if (![1, 2, 3, 4].includes(b.logistics_type))
    throw mpError(10060005, `logistics_type must be 1-4, got ${JSON.stringify(b.logistics_type)}`);
  if (![1, 2].includes(b.delivery_mode))
    throw mpError(268485224, `delivery_mode must be 1 or 2, got ${JSON.stringify(b.delivery_mode)}`);
  if (b.delivery_mode === 2 && b.logistics_type !== 1) throw mpError(10060006);
  if (b.delivery_mode === 2 && typeof b.is_all_delivered !== 'boolean') throw mpError(10060007);
  const list = b.shipping_list;
  if (!Array.isArray(list) || !list.length) throw mpError(10060014, 'shipping_list must hold 1 to 15 parcels');
  if (list.length > MAX_PARCELS) throw mpError(10060024, `${list.length} parcels, at most ${MAX_PARCELS}`);
  if (b.delivery_mode === 1 && list.length !== 1) throw mpError(268485228);
  const parcels = list.map((p, i) => parcel(p, i, b.logistics_type === 1));
  const uploadMs = typeof b.upload_time === 'string' && RFC3339.test(b.upload_time) ? Date.parse(b.upload_time) : NaN;
  if (Number.isNaN(uploadMs)) throw mpError(268485216, `got ${JSON.stringify(b.upload_time)}`);
  if (!isStr(b.payer?.openid)) throw mpError(10060014, 'payer.openid is required');
  const finished = b.delivery_mode === 1 || b.is_all_delivered === true;
  const shipping = {
    delivery_mode: b.delivery_mode,
    logistics_type: b.logistics_type,
    finish_shipping: finished,
    goods_desc: parcels.map((p) => p.goods_desc).join(';'),
    finish_shipping_count: 0,
    shipping_list: parcels,
  };
  return { key, shipping, uploadMs, uploadTime: b.upload_time, openid: b.payer.openid };
}
