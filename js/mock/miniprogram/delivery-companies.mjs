// GET-like POST /cgi-bin/express/delivery/open_msg/get_delivery_list: the express companies whose
// ids upload_shipping_info's express_company takes. The mock lists a few of the big ones, with the
// ids WeChat's list gives them; real WeChat lists about a thousand.

export const DELIVERY_COMPANIES = Object.freeze([
  ['SF', '顺丰速运'],
  ['ZTO', '中通快递'],
  ['YTO', '圆通速递'],
  ['YD', '韵达速递'],
  ['STO', '申通快递'],
  ['JTSD', '极兔速递'],
  ['JD', '京东物流'],
  ['EMS', '中国邮政速递物流'],
  ['YZPY', '邮政快递包裹'],
  ['DBL', '德邦快递'],
]);

/** The answer's list: { delivery_list: [{ delivery_id, delivery_name }], count }. */
export function deliveryList() {
  const list = DELIVERY_COMPANIES.map(([id, name]) => ({ delivery_id: id, delivery_name: name }));
  return { delivery_list: list, count: list.length };
}
