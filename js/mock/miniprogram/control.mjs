// The mini-program platform's control interface (/_mock/miniprogram/…): what the user, WeChat's
// back office and the developer's settings page do, on demand.
//   GET  /_mock/miniprogram                              appid, secret, AppKeys, original id, push config
//   POST /_mock/miniprogram/login {openid?, unionid?, errcode?}   wx.login: a code for jscode2session
//   GET  /_mock/miniprogram/tokens                       access tokens issued, valid, force refreshes today
//   POST /_mock/miniprogram/tokens/expire                every token past its expiry (42001 next)
//   POST /_mock/miniprogram/tokens/advance {seconds}     the tokens' clock moves on (countdown, renewal)
//   POST /_mock/miniprogram/push-config {url, token, encodingAESKey?, mode?, format?, verify?}
//   GET  /_mock/miniprogram/pushes                       the pushes sent and what the URL answered
//   POST /_mock/miniprogram/push {event, transaction_id?, msg?}   trade_manage_remind_shipping,
//                                                        trade_manage_remind_access_api, or any event
//   GET  /_mock/miniprogram/orders[/:transaction_id]     paid orders as get_order shows them
//   POST /_mock/miniprogram/orders/:transaction_id/confirm-receive {method?}   → 3, settlement pushed
//   POST /_mock/miniprogram/xpay/recharge {openid, amount, env?}              coins bought
//   POST /_mock/miniprogram/xpay/orders {openid, order_id, amount, env?}      goods paid in cash
import { MpError } from './answer.mjs';
import { login } from './login.mjs';
import { eventMessage, push, pushConfig, verifyUrl } from './push.mjs';
import { confirmReceive, controlOrder, orderView, tradeFields } from './shipping.mjs';
import { advanceTokens, expireTokens, tokenStats } from './tokens.mjs';
import { payGoods, recharge } from './xpay.mjs';

const PREFIX = '/_mock/miniprogram';

/** What GET /_mock/miniprogram shows: everything a developer types into the mini-program's settings. */
export const describe = ({ cfg, push: p }) => ({
  appid: cfg.appid,
  secret: cfg.secret,
  appKey: cfg.appKey,
  sandboxAppKey: cfg.sandboxAppKey,
  originalId: cfg.originalId,
  tradeManaged: cfg.tradeManaged,
  push: p,
});

async function setPush(ctx, b) {
  const c = pushConfig(b);
  if (b.verify !== false) await verifyUrl(c);
  ctx.push = c;
  ctx.log(
    `mini-program: push URL ${c.url} (${c.mode} mode, ${c.format})${b.verify === false ? '' : ', URL check passed'}`,
  );
  return c;
}

/** POST /push: a trade_manage_* reminder about an order, or any event with its fields. */
async function pushEvent(ctx, { event, transaction_id: tid, msg, fields = {} }) {
  if (typeof event !== 'string' || !/^[a-z_]+$/.test(event))
    throw new MpError(400, 'event is required, e.g. trade_manage_remind_shipping', 400);
  let openid = '';
  let extra = { ...fields };
  if (tid !== undefined) {
    const o = controlOrder(ctx, tid);
    openid = o.openid;
    extra = { ...tradeFields(o), ...extra };
  }
  if (msg !== undefined) extra.msg = String(msg);
  if (event === 'trade_manage_remind_access_api' && extra.msg === undefined)
    extra.msg = '你的小程序已开通发货信息管理服务，请尽快接入发货信息录入接口';
  if (event === 'trade_manage_remind_shipping' && extra.msg === undefined) extra.msg = '请尽快发货';
  return push(ctx, eventMessage(ctx, event, extra, openid), openid);
}

const paidViews = (ctx) =>
  [...ctx.store.orders.values()]
    .filter((o) => o.transaction_id && o.appid === ctx.cfg.appid && ['SUCCESS', 'REFUND'].includes(o.trade_state))
    .map((o) => orderView(ctx, o));

/** [method, path regex (after the prefix), handler(ctx, match, body)]. */
export const ROUTES = [
  ['GET', /^$/, (ctx) => describe(ctx)],
  ['POST', /^\/login$/, (ctx, _m, b) => login(ctx, b)],
  ['GET', /^\/tokens$/, (ctx) => tokenStats(ctx)],
  ['POST', /^\/tokens\/expire$/, (ctx) => expireTokens(ctx)],
  ['POST', /^\/tokens\/advance$/, (ctx, _m, b) => advanceTokens(ctx, b)],
  ['POST', /^\/push-config$/, (ctx, _m, b) => setPush(ctx, b)],
  ['GET', /^\/pushes$/, (ctx) => ctx.pushes],
  ['POST', /^\/push$/, (ctx, _m, b) => pushEvent(ctx, b)],
  ['GET', /^\/orders$/, (ctx) => paidViews(ctx)],
  ['GET', /^\/orders\/([^/]+)$/, (ctx, m) => orderView(ctx, controlOrder(ctx, m[1]))],
  ['POST', /^\/orders\/([^/]+)\/confirm-receive$/, (ctx, m, b) => confirmReceive(ctx, m[1], b)],
  ['POST', /^\/xpay\/recharge$/, (ctx, _m, b) => recharge(ctx, b)],
  ['POST', /^\/xpay\/orders$/, (ctx, _m, b) => payGoods(ctx, b)],
];

export const isControlPath = (path) => path === PREFIX || path.startsWith(`${PREFIX}/`);

/** One control request: { status, json }; an MpError is answered as { error } with its status. */
export async function handleControl(ctx, method, path, raw) {
  try {
    let body = {};
    if (raw.length) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new MpError(400, 'control requests take a JSON body', 400);
      }
      if (body === null || typeof body !== 'object' || Array.isArray(body))
        throw new MpError(400, 'control requests take a JSON object', 400);
    }
    const rest = path.slice(PREFIX.length);
    for (const [m, re, fn] of ROUTES) {
      const match = re.exec(rest);
      if (match && m === method) return { status: 200, json: await fn(ctx, match.map(decodeURIComponent), body) };
    }
    throw new MpError(404, `no control route ${method} ${path}`, 404);
  } catch (e) {
    if (!(e instanceof MpError)) throw e;
    return { status: e.status === 200 ? 400 : e.status, json: { error: e.message } };
  }
}
