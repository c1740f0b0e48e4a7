// Virtual payment (虚拟支付, /xpay/*) with a simple model: per user and env, a coin balance
// (bought through wx.requestVirtualPayment, played by the control interface's `recharge`, spent by
// currency_pay) and goods orders paid in cash (the control interface's `xpay/orders`, then
// notify_provide_goods, query_order, refund_order). Both of WeChat's signatures are checked with
// node:crypto on the body exactly as received:
//   pay_sig   = hex HMAC-SHA256(AppKey of the env, uri + '&' + body)   (every call)
//   signature = hex HMAC-SHA256(session_key of the user's last login, body)
//               (the calls WeChat marks 用户态签名: query_user_balance, currency_pay, cancel_currency_pay)
// `ctx` is the mini-program context (../miniprogram.mjs).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { MpError, mpError, unixSeconds } from './answer.mjs';
import { eventMessage, push } from './push.mjs';

/** The calls that carry the user's signature besides pay_sig. */
export const USER_SIGNED = new Set(['/xpay/query_user_balance', '/xpay/currency_pay', '/xpay/cancel_currency_pay']);
/** query_order's status values. */
export const XPAY_STATUS = Object.freeze({ PAID: 2, PROVIDED: 4, REFUNDED: 5 });

const hmac = (key, text) => createHmac('sha256', key).update(text, 'utf8').digest();
const equalHex = (hex, mac) =>
  typeof hex === 'string' && /^[0-9a-f]{64}$/.test(hex) && timingSafeEqual(Buffer.from(hex, 'hex'), mac);

/** The AppKey WeChat signs env 0 (现网) or 1 (沙箱) with. */
const appKeyOf = ({ cfg }, env) => (env === 1 ? cfg.sandboxAppKey : cfg.appKey);

/** Both signatures of a call, in WeChat's order: env, pay_sig, then the user's session and signature. */
export function checkSignatures(ctx, uri, query, text, b) {
  if (b.env !== 0 && b.env !== 1) throw mpError(268490002, 'env must be 0 (现网) or 1 (沙箱)');
  const method = query.get('sig_method');
  if (method !== null && method !== 'hmac_sha256') throw mpError(268490002, 'sig_method must be hmac_sha256');
  if (!equalHex(query.get('pay_sig'), hmac(appKeyOf(ctx, b.env), `${uri}&${text}`)))
    throw mpError(268490003, 'pay_sig');
  if (!USER_SIGNED.has(uri)) return;
  if (typeof b.openid !== 'string' || !b.openid) throw mpError(268490001);
  const session = ctx.sessions.get(b.openid);
  if (!session) throw mpError(268490009);
  if (!equalHex(query.get('signature'), hmac(session.session_key, text))) throw mpError(268490003, 'signature');
}

function account(ctx, env, openid) {
  const id = `${env}:${openid}`;
  let a = ctx.xpay.accounts.get(id);
  if (!a) {
    a = {
      balance: 0,
      present_balance: 0,
      sum_save: 0,
      sum_present: 0,
      sum_balance: 0,
      sum_cost: 0,
      first_save_flag: true,
    };
    ctx.xpay.accounts.set(id, a);
  }
  return a;
}

const positive = (v, name) => {
  if (!Number.isSafeInteger(v) || v <= 0) throw mpError(268490002, `${name} must be a positive integer`);
  return v;
};
const text = (v, name) => {
  if (typeof v !== 'string' || !v) throw mpError(268490002, `${name} is required`);
  return v;
};

/** POST /xpay/query_user_balance {openid, env, user_ip}. */
export function queryUserBalance(ctx, b) {
  return { ...account(ctx, b.env, b.openid) };
}

/** POST /xpay/currency_pay {openid, env, user_ip, amount, order_id, payitem?, remark?}: coins spent. */
export function currencyPay(ctx, b) {
  const amount = positive(b.amount, 'amount');
  const orderId = text(b.order_id, 'order_id');
  const key = `${b.env}:${orderId}`;
  if (ctx.xpay.coinPays.has(key)) throw mpError(268490004, `order_id ${orderId} was already paid`);
  const a = account(ctx, b.env, b.openid);
  if (a.balance < amount) throw mpError(268490006, `balance ${a.balance}, amount ${amount}`);
  const fromPresent = Math.min(a.present_balance, amount);
  Object.assign(a, {
    balance: a.balance - amount,
    present_balance: a.present_balance - fromPresent,
    sum_cost: a.sum_cost + amount,
  });
  ctx.xpay.coinPays.set(key, { openid: b.openid, amount, cancelled: false });
  ctx.log(`mini-program: xpay ${b.openid} spent ${amount} coins (order ${orderId}), balance ${a.balance}`);
  return { order_id: orderId, balance: a.balance, used_present_amount: fromPresent };
}

/** POST /xpay/cancel_currency_pay {openid, env, user_ip, pay_order_id, order_id, amount}: coins back. */
export function cancelCurrencyPay(ctx, b) {
  const pay = ctx.xpay.coinPays.get(`${b.env}:${text(b.pay_order_id, 'pay_order_id')}`);
  if (!pay || pay.openid !== b.openid) throw mpError(268490002, `no currency_pay ${b.pay_order_id} of this user`);
  if (pay.cancelled) throw mpError(268490005);
  if (positive(b.amount, 'amount') !== pay.amount) throw mpError(268490002, `amount must be the paid ${pay.amount}`);
  pay.cancelled = true;
  const a = account(ctx, b.env, b.openid);
  Object.assign(a, { balance: a.balance + pay.amount, sum_cost: a.sum_cost - pay.amount });
  return { order_id: text(b.order_id, 'order_id') };
}

/** POST /xpay/present_currency {openid, env, order_id, amount}: coins given. */
export function presentCurrency(ctx, b) {
  const amount = positive(b.amount, 'amount');
  const openid = text(b.openid, 'openid');
  const key = `present:${b.env}:${text(b.order_id, 'order_id')}`;
  if (ctx.xpay.coinPays.has(key)) throw mpError(268490004);
  ctx.xpay.coinPays.set(key, { openid, amount });
  const a = account(ctx, b.env, openid);
  Object.assign(a, {
    balance: a.balance + amount,
    present_balance: a.present_balance + amount,
    sum_present: a.sum_present + amount,
    sum_balance: a.sum_balance + amount,
  });
  return { balance: a.balance, order_id: b.order_id, present_balance: a.present_balance };
}

function goodsOrder(ctx, b) {
  const o = b.order_id
    ? ctx.xpay.orders.get(`${b.env}:${b.order_id}`)
    : [...ctx.xpay.orders.values()].find((x) => x.wx_order_id === b.wx_order_id && x.env === b.env);
  if (!o) throw mpError(268490002, 'no such order (order_id or wx_order_id)');
  if (b.openid !== undefined && b.openid !== o.openid) throw mpError(268490001);
  return o;
}

/** POST /xpay/query_order {openid, env, order_id | wx_order_id}. */
export function queryOrder(ctx, b) {
  const { openid: _o, env: _e, ...order } = goodsOrder(ctx, b);
  return { order };
}

/** POST /xpay/notify_provide_goods {order_id | wx_order_id, env}: the goods were given. */
export function notifyProvideGoods(ctx, b) {
  const o = goodsOrder(ctx, b);
  if (o.status !== XPAY_STATUS.PAID) throw mpError(268490004, `order status ${o.status}`);
  Object.assign(o, { status: XPAY_STATUS.PROVIDED, provide_time: unixSeconds(Date.now()) });
  return {};
}

/** POST /xpay/refund_order {openid, env, order_id | wx_order_id, refund_order_id, left_fee, refund_fee, refund_reason, req_from}. */
export function refundOrder(ctx, b) {
  const o = goodsOrder(ctx, b);
  const refundId = text(b.refund_order_id, 'refund_order_id');
  if (!Number.isSafeInteger(b.left_fee) || b.left_fee !== o.left_fee)
    throw mpError(268490016, `left_fee is ${o.left_fee}`);
  const fee = positive(b.refund_fee, 'refund_fee');
  if (fee > o.left_fee) throw mpError(268490006, `refund_fee ${fee} > left_fee ${o.left_fee}`);
  if (o.refunds.includes(refundId)) throw mpError(268490004);
  o.refunds.push(refundId);
  o.left_fee -= fee;
  o.refund_fee += fee;
  if (!o.left_fee) o.status = XPAY_STATUS.REFUNDED;
  const wxRefund = `${randomBytes(12).toString('hex')}`;
  return {
    refund_order_id: refundId,
    refund_wx_order_id: wxRefund,
    pay_order_id: o.order_id,
    pay_wx_order_id: o.wx_order_id,
  };
}

const controlInt = (v, name) => {
  if (!Number.isSafeInteger(v) || v <= 0) throw new MpError(400, `${name} must be a positive integer`, 400);
  return v;
};

/** WeChatPayInfo of an xpay push: the cash payment behind it. */
const payInfo = () => ({
  MchOrderNo: `mock${randomBytes(8).toString('hex')}`,
  TransactionId: `4200${randomBytes(12).toString('hex')}`,
  PaidTime: unixSeconds(Date.now()),
});

/** POST /_mock/miniprogram/xpay/recharge {openid, amount, env?}: the user buys coins; pushes xpay_coin_pay_notify. */
export async function recharge(ctx, { openid, amount, env = 0, order_id: orderId }) {
  if (typeof openid !== 'string' || !openid) throw new MpError(400, 'openid is required', 400);
  controlInt(amount, 'amount');
  const a = account(ctx, env, openid);
  Object.assign(a, {
    balance: a.balance + amount,
    sum_save: a.sum_save + amount,
    sum_balance: a.sum_balance + amount,
    first_save_flag: false,
  });
  const out = orderId ?? `coin${Date.now()}${randomBytes(3).toString('hex')}`;
  const fields = {
    OpenId: openid,
    OutTradeNo: out,
    Env: env,
    WeChatPayInfo: payInfo(),
    CoinInfo: { Quantity: amount, OrigPrice: amount * 10, ActualPrice: amount * 10, Attach: '' },
  };
  const delivery = await push(ctx, eventMessage(ctx, 'xpay_coin_pay_notify', fields, openid), openid);
  return { account: { ...a }, push: delivery };
}

/** POST /_mock/miniprogram/xpay/orders {openid, order_id, amount, env?, product_id?}: goods paid in cash; pushes xpay_goods_deliver_notify. */
export async function payGoods(
  ctx,
  { openid, order_id: orderId, amount, env = 0, product_id: productId = 'mock_product' },
) {
  if (typeof openid !== 'string' || !openid) throw new MpError(400, 'openid is required', 400);
  if (typeof orderId !== 'string' || !orderId) throw new MpError(400, 'order_id is required', 400);
  controlInt(amount, 'amount');
  if (ctx.xpay.orders.has(`${env}:${orderId}`)) throw new MpError(409, `order ${orderId} exists`, 409);
  const now = unixSeconds(Date.now());
  const o = {
    openid,
    env,
    order_id: orderId,
    wx_order_id: randomBytes(12).toString('hex'),
    status: XPAY_STATUS.PAID,
    biz_type: 0,
    order_type: 0,
    order_fee: amount,
    paid_fee: amount,
    coupon_fee: 0,
    refund_fee: 0,
    left_fee: amount,
    create_time: now,
    update_time: now,
    paid_time: now,
    provide_time: 0,
    env_type: env,
    refunds: [],
  };
  ctx.xpay.orders.set(`${env}:${orderId}`, o);
  const fields = {
    OpenId: openid,
    OutTradeNo: orderId,
    Env: env,
    WeChatPayInfo: payInfo(),
    GoodsInfo: { ProductId: productId, Quantity: 1, OrigPrice: amount, ActualPrice: amount, Attach: '' },
  };
  const delivery = await push(ctx, eventMessage(ctx, 'xpay_goods_deliver_notify', fields, openid), openid);
  return { order: { ...o }, push: delivery };
}
