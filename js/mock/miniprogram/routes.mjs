// One mini-program platform call through the mock: the route found (api.weixin.qq.com's paths),
// the access_token checked where WeChat requires it, the JSON body read, xpay's signatures checked,
// the handler run, and WeChat's answer made: HTTP 200 and JSON, `errcode` 0 with errmsg "ok" on the
// /wxa and /xpay calls, the bare result on /sns and /cgi-bin, `{ errcode, errmsg }` on an error.
import { MpError, jsonBody, mpError, withRid } from './answer.mjs';
import { jscode2session } from './login.mjs';
import {
  getOrder,
  getOrderList,
  isTradeManaged,
  isTradeManagementConfirmationCompleted,
  notifyConfirmReceive,
  opSpecialOrder,
  setMsgJumpPath,
  uploadCombinedShippingInfo,
  uploadShippingInfo,
} from './shipping.mjs';
import { deliveryList } from './delivery-companies.mjs';
import { checkAccessToken, plainToken, stableToken } from './tokens.mjs';
import {
  cancelCurrencyPay,
  checkSignatures,
  currencyPay,
  notifyProvideGoods,
  presentCurrency,
  queryOrder,
  queryUserBalance,
  refundOrder,
} from './xpay.mjs';

const ORDER = '/wxa/sec/order/';
/** path → [method, handler(ctx, query, body), kind]: kind 'open' (no token), 'wxa' or 'xpay'. */
export const ROUTES = Object.freeze({
  '/sns/jscode2session': ['GET', (ctx, q) => jscode2session(ctx, q), 'open'],
  '/cgi-bin/stable_token': ['POST', (ctx, _q, b) => stableToken(ctx, b), 'open'],
  '/cgi-bin/token': ['GET', (ctx, q) => plainToken(ctx, q), 'open'],
  [`${ORDER}upload_shipping_info`]: ['POST', (ctx, _q, b) => uploadShippingInfo(ctx, b), 'wxa'],
  [`${ORDER}upload_combined_shipping_info`]: ['POST', (ctx, _q, b) => uploadCombinedShippingInfo(ctx, b), 'wxa'],
  [`${ORDER}opspecialorder`]: ['POST', (ctx, _q, b) => opSpecialOrder(ctx, b), 'wxa'],
  '/cgi-bin/express/delivery/open_msg/get_delivery_list': ['POST', () => deliveryList(), 'wxa'],
  [`${ORDER}get_order`]: ['POST', (ctx, _q, b) => getOrder(ctx, b), 'wxa'],
  [`${ORDER}get_order_list`]: ['POST', (ctx, _q, b) => getOrderList(ctx, b), 'wxa'],
  [`${ORDER}notify_confirm_receive`]: ['POST', (ctx, _q, b) => notifyConfirmReceive(ctx, b), 'wxa'],
  [`${ORDER}set_msg_jump_path`]: ['POST', (ctx, _q, b) => setMsgJumpPath(ctx, b), 'wxa'],
  [`${ORDER}is_trade_managed`]: ['POST', (ctx, _q, b) => isTradeManaged(ctx, b), 'wxa'],
  [`${ORDER}is_trade_management_confirmation_completed`]: [
    'POST',
    (ctx, _q, b) => isTradeManagementConfirmationCompleted(ctx, b),
    'wxa',
  ],
  '/xpay/query_user_balance': ['POST', (ctx, _q, b) => queryUserBalance(ctx, b), 'xpay'],
  '/xpay/currency_pay': ['POST', (ctx, _q, b) => currencyPay(ctx, b), 'xpay'],
  '/xpay/cancel_currency_pay': ['POST', (ctx, _q, b) => cancelCurrencyPay(ctx, b), 'xpay'],
  '/xpay/present_currency': ['POST', (ctx, _q, b) => presentCurrency(ctx, b), 'xpay'],
  '/xpay/query_order': ['POST', (ctx, _q, b) => queryOrder(ctx, b), 'xpay'],
  '/xpay/refund_order': ['POST', (ctx, _q, b) => refundOrder(ctx, b), 'xpay'],
  '/xpay/notify_provide_goods': ['POST', (ctx, _q, b) => notifyProvideGoods(ctx, b), 'xpay'],
});

/** The paths this module answers (server.mjs routes them here). */
export const isMiniProgramPath = (path) => /^\/(sns|cgi-bin|wxa|xpay)\//.test(path);

function run(ctx, req, url, raw) {
  const route = ROUTES[url.pathname];
  if (!route) throw new MpError(40066, `invalid url: the mock has no ${url.pathname}`, 404);
  const [method, fn, kind] = route;
  if (req.method !== method) throw mpError(method === 'POST' ? 43002 : 43001);
  if (kind !== 'open') checkAccessToken(ctx, url.searchParams);
  let text = '';
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw mpError(47001, 'body is not UTF-8');
  }
  const body = method === 'POST' ? jsonBody(text) : {};
  if (kind === 'xpay') checkSignatures(ctx, url.pathname, url.searchParams, text, body);
  const result = fn(ctx, url.searchParams, body);
  return kind === 'open' ? result : { errcode: 0, errmsg: 'ok', ...result };
}

/** One platform call: { status, headers, body }. Never throws an MpError. */
export function handle(ctx, req, url, raw) {
  let status = 200;
  let json;
  try {
    json = run(ctx, req, url, raw);
  } catch (e) {
    if (!(e instanceof MpError)) throw e;
    status = e.status;
    json = { errcode: e.errcode, errmsg: withRid(e.message) };
  }
  ctx.log(`mini-program ${req.method} ${url.pathname} → ${json.errcode ? `${json.errcode} ${json.errmsg}` : 'ok'}`);
  const body = JSON.stringify(json);
  return { status, headers: { 'Content-Type': 'application/json; encoding=utf-8' }, body };
}

/** WeChat's "busy" answer, for the mock's system_error fault. */
export const systemError = () => ({
  status: 200,
  headers: { 'Content-Type': 'application/json; encoding=utf-8' },
  body: JSON.stringify({ errcode: -1, errmsg: withRid('system error') }),
});
