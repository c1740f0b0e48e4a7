// The mini-program platform's answers: HTTP 200 with JSON `{ errcode, errmsg, … }`, errcode 0
// on success, WeChat's own errmsg (with its " rid: …" suffix) otherwise. Handlers throw an
// MpError; routes.mjs turns it into the answer. Codes and wording from developers.weixin.qq.com
// (jscode2session, getStableAccessToken, the order-shipping API's error table, xpay's error table).
import { randomBytes } from 'node:crypto';

export class MpError extends Error {
  constructor(errcode, errmsg, status = 200) {
    super(errmsg);
    this.errcode = errcode;
    this.status = status;
  }
}

/** WeChat's errmsg for each errcode the mock answers (defined once). */
export const ERRMSG = Object.freeze({
  [-1]: 'system error',
  40001: 'invalid credential, access_token is invalid or not latest',
  40002: 'invalid grant_type',
  40013: 'invalid appid',
  40029: 'invalid code',
  40066: 'invalid url',
  40125: 'invalid appsecret',
  40163: 'code been used',
  40226: 'high risk user',
  41001: 'access_token missing',
  41002: 'appid missing',
  41004: 'appsecret missing',
  41008: 'missing code',
  42001: 'access_token expired',
  43001: 'require GET method',
  43002: 'require POST method',
  45009: 'reach max api daily quota limit',
  45011: 'api minute-quota reach limit mustslower retry next minute',
  47001: 'data format error',
  10060001: '支付单不存在',
  10060002: '支付单已完成发货，无法继续发货',
  10060003: '支付单已使用重新发货机会',
  10060004: '支付单处于不可发货的状态',
  10060005: '物流类型有误',
  10060006: '非快递发货时不允许分拆发货',
  10060007: '分拆发货模式下必须填写 is_all_delivered 字段',
  10060008: '商品描述 item_desc 字段不能为空',
  10060009: '商品描述 item_desc 字段太长',
  10060014: '参数错误',
  10060023: '发货信息未更新',
  10060024: '物流信息列表太长',
  10060025: '物流公司编码太长',
  10060026: '物流单号太长',
  10060031: '该笔支付单不属于 openid 所指定的用户',
  268485194: '订单单号类型非法',
  268485195: '微信支付单号形式下 transaction_id 字段不能为空',
  268485196: '商户侧单号形式下 mchid 字段不能为空',
  268485197: '商户侧单号形式下 out_trade_no 字段不能为空',
  268485216: '上传时间非法，请按照 RFC 3339 格式填写',
  268485224: '发货模式非法',
  268485226: '物流单号不能为空',
  268485227: '物流公司编码不能为空',
  268485228: '统一发货模式下，物流信息列表长度必须为 1',
  268546000: 'type非法',
  268546001: 'delay_to非法',
  268546002: '账户不存在这个待发货单号',
  268490001: 'openid错误',
  268490002: '请求参数字段错误',
  268490003: '签名错误',
  268490004: '重复操作',
  268490005: '订单已经通过cancel_currency_pay接口退款，不支持再退款',
  268490006: '代币的退款/支付操作金额不足',
  268490009: '用户session_key不存在或已过期，请重新登录',
  268490016: '退款的left_fee字段与实际不符，请通过query_order接口查询确认',
});

/** An MpError with WeChat's wording for `errcode`, and what the mock adds after a colon. */
export const mpError = (errcode, detail) =>
  new MpError(errcode, detail ? `${ERRMSG[errcode] ?? 'error'}: ${detail}` : (ERRMSG[errcode] ?? 'error'));

/** WeChat ends every error errmsg with a request id. */
export const withRid = (errmsg) =>
  `${errmsg} rid: ${randomBytes(4).toString('hex')}-${randomBytes(4).toString('hex')}-${randomBytes(4).toString('hex')}`;

/** The JSON body of a request, or 47001 as WeChat answers a body it cannot read. */
export function jsonBody(text) {
  if (!text.trim()) throw mpError(47001, 'empty body');
  let b;
  try {
    b = JSON.parse(text);
  } catch {
    throw mpError(47001, 'body is not JSON');
  }
  if (b === null || typeof b !== 'object' || Array.isArray(b)) throw mpError(47001, 'body is not a JSON object');
  return b;
}

/** Unix seconds of a millisecond instant, as the platform writes times. */
export const unixSeconds = (ms) => Math.floor(ms / 1000);
