// 分账 (profit sharing) on the mock's paid orders: receivers added and deleted, orders that go
// PROCESSING → FINISHED after the mock's delay (config.refundDelay, scaled; negative: only through
// the control interface), returns (PROCESSING → SUCCESS), unfreeze, the unsplit amount. Each
// receiver's share that succeeds, and each return, posts PROFITSHARING.SUCCESS / PROFITSHARING.RETURN
// (the event types of WeChat's 分账动账通知, https://pay.weixin.qq.com/wiki/doc/apiv3/apis/chapter8_1_10.shtml;
// WeChat's newer page and its community report TRANSACTION.SUCCESS for both in practice) to the URL
// a receiver sets in WeChat's merchant platform; the mock's is POST /_mock/profitsharing/notify-url.
import { digits } from '../util.mjs';
import { callback } from './callbacks.mjs';
import { V3Error, paramError, strip } from './errors.mjs';
import { json, optStr, str } from './request.mjs';
import { decryptField } from './sensitive.mjs';
import { rfc3339, v3Order } from './views.mjs';

const RECEIVER_TYPES = ['MERCHANT_ID', 'PERSONAL_OPENID', 'PERSONAL_SUB_OPENID'];
const col = (store, name) => store.collection(name);
const setting = (store) => col(store, 'settings').get('profitsharing_notify_url');

/** The paid order of a transaction_id, or WeChat's 404. */
function paidOrder({ store }, id) {
  const o = v3Order(store.orderByTransaction(id));
  if (!o || (o.trade_state !== 'SUCCESS' && o.trade_state !== 'REFUND'))
    throw new V3Error(404, 'RESOURCE_NOT_EXISTS', `订单不存在或未支付: transaction_id ${id}`);
  return o;
}

/** What is still unsplit of an order: its total less every share not closed and every unfreeze. */
function unsplit(ctx, o) {
  const used = [...col(ctx.store, 'profitsharing').values()]
    .filter((p) => p.transaction_id === o.transaction_id)
    .flatMap((p) => p.receivers)
    .filter((r) => r.result !== 'CLOSED')
    .reduce((s, r) => s + r.amount, 0);
  return o.unfrozen ? 0 : o.total - used;
}

/** The order as WeChat's answers show it. */
export const sharingView = (p) =>
  strip({
    sub_mchid: p.sub_mchid,
    transaction_id: p.transaction_id,
    out_order_no: p.out_order_no,
    order_id: p.order_id,
    state: p.state,
    receivers: p.receivers.map((r) =>
      strip({
        ...r,
        create_time: rfc3339(p.created_at),
        finish_time: p.finished_at ? rfc3339(p.finished_at) : undefined,
      }),
    ),
  });

/** POST /v3/profitsharing/receivers/add: the receiver (a merchant or an openid) may receive shares. */
export function addReceiver(ctx, body, { headers }) {
  const b = json(body);
  const type = str(b, '/type', 32);
  if (!RECEIVER_TYPES.includes(type)) throw paramError('/type', `应为 ${RECEIVER_TYPES.join('/')}`, 'body', type);
  const account = str(b, '/account', 64);
  const name = optStr(b, '/name', 2048);
  const relation = str(b, '/relation_type', 32);
  if (type === 'MERCHANT_ID' && name === undefined) throw paramError('/name', '为必填字段 (required for MERCHANT_ID)');
  const r = strip({
    type,
    account,
    relation_type: relation,
    custom_relation: b.custom_relation,
    sub_mchid: b.sub_mchid,
  });
  if (name !== undefined) r.plain_name = decryptField(ctx, headers, name, '/name');
  col(ctx.store, 'receivers').set(`${type}:${account}`, r);
  ctx.store.save();
  ctx.log(`v3 profit-sharing receiver added: ${type} ${account}`);
  return {
    status: 200,
    json: strip({
      sub_mchid: b.sub_mchid,
      type,
      account,
      name,
      relation_type: relation,
      custom_relation: b.custom_relation,
    }),
  };
}

/** POST /v3/profitsharing/receivers/delete. */
export function deleteReceiver(ctx, body) {
  const b = json(body);
  const type = str(b, '/type', 32);
  const account = str(b, '/account', 64);
  col(ctx.store, 'receivers').delete(`${type}:${account}`);
  ctx.store.save();
  return { status: 200, json: strip({ sub_mchid: b.sub_mchid, type, account }) };
}

/** POST /v3/profitsharing/orders: PROCESSING; an unknown receiver's share is CLOSED NO_RELATION, as WeChat's. */
export function createSharing(ctx, body) {
  const { store } = ctx;
  const b = json(body);
  const o = paidOrder(ctx, str(b, '/transaction_id', 32));
  const no = str(b, '/out_order_no', 64);
  if (typeof b.unfreeze_unsplit !== 'boolean') throw paramError('/unfreeze_unsplit', '为必填布尔值 (required boolean)');
  const existing = col(store, 'profitsharing').get(no);
  if (existing) return { status: 200, json: sharingView(existing) };
  if (!Array.isArray(b.receivers) || !b.receivers.length) throw paramError('/receivers', '为必填字段 (required)');
  const receivers = b.receivers.map((_, i) => {
    const at = `/receivers/${i}`;
    const amount = b.receivers[i].amount;
    if (!Number.isInteger(amount) || amount <= 0) throw paramError(`${at}/amount`, '应为正整数(分)', 'body', amount);
    const r = {
      type: str(b, `${at}/type`, 32),
      account: str(b, `${at}/account`, 64),
      amount,
      description: str(b, `${at}/description`, 80),
    };
    const known = col(store, 'receivers').has(`${r.type}:${r.account}`);
    return {
      ...r,
      result: known ? 'PENDING' : 'CLOSED',
      fail_reason: known ? undefined : 'NO_RELATION',
      detail_id: `3600${digits(26)}`,
    };
  });
  const want = receivers.reduce((s, r) => s + r.amount, 0);
  const left = unsplit(ctx, o);
  if (want > left) throw new V3Error(403, 'NOT_ENOUGH', `分账金额不足: 可分 ${left} 分, 申请 ${want} 分`);
  const p = { ...newSharing(b, o, no, receivers, b.unfreeze_unsplit), notify_url: setting(store) };
  col(store, 'profitsharing').set(no, p);
  store.save();
  ctx.log(`v3 profit sharing ${no} of ${o.out_trade_no}: ${want} fen to ${receivers.length} receivers, PROCESSING`);
  later(ctx, () => p.state === 'PROCESSING' && finishSharing(ctx, p));
  return { status: 200, json: sharingView(p) };
}

/** A sharing order (request body `b`, out_order_no `no`) of paid order `o`, PROCESSING, with WeChat's order_id. */
const newSharing = (b, o, no, receivers, unfreezeUnsplit) => ({
  sub_mchid: b.sub_mchid,
  transaction_id: o.transaction_id,
  out_order_no: no,
  order_id: `3008${digits(26)}`,
  state: 'PROCESSING',
  receivers,
  unfreeze_unsplit: unfreezeUnsplit,
  created_at: Date.now(),
  deliveries: [],
});

/** Runs `fn` after the mock's delay (config.refundDelay, scaled); never when it is negative. */
function later({ config, notifier }, fn) {
  if (config.refundDelay >= 0) notifier.later(config.refundDelay * 1000 * config.timeScale, fn);
}

/** The order FINISHED: pending shares SUCCESS (one PROFITSHARING.SUCCESS each), the rest unfrozen when asked. */
export function finishSharing(ctx, p) {
  if (p.state !== 'PROCESSING') throw new Error(`profit sharing ${p.out_order_no} is already ${p.state}`);
  p.state = 'FINISHED';
  p.finished_at = Date.now();
  const o = ctx.store.orderByTransaction(p.transaction_id);
  for (const r of p.receivers) if (r.result === 'PENDING') r.result = 'SUCCESS';
  if (p.unfreeze_unsplit && o) o.unfrozen = true;
  ctx.store.save();
  ctx.log(`v3 profit sharing ${p.out_order_no} FINISHED`);
  for (const [i, r] of p.receivers.entries()) {
    if (r.result !== 'SUCCESS') continue;
    const receiver = { type: r.type, account: r.account, amount: r.amount, description: r.description };
    notifySharing(ctx, p, `${p.out_order_no}:${i}`, 'PROFITSHARING.SUCCESS', '分账成功', receiver);
  }
  return sharingView(p);
}

/** One 分账动账通知 to the receivers' notify URL (none set: none sent, logged). */
function notifySharing(ctx, p, id, eventType, summary, receiver, extra = {}) {
  const url = setting(ctx.store);
  if (!url)
    return ctx.log(`v3 ${eventType} ${id}: no notify URL set (POST /_mock/profitsharing/notify-url), none sent`);
  const target = { notify_url: url, deliveries: p.deliveries };
  callback(ctx, target, {
    cycleId: `profitsharing:${id}`,
    eventType,
    summary,
    originalType: 'profitsharing',
    resource: strip({
      mchid: ctx.cfg.mchid,
      sub_mchid: p.sub_mchid,
      transaction_id: p.transaction_id,
      order_id: p.order_id,
      out_order_no: p.out_order_no,
      ...extra,
      receiver,
      success_time: rfc3339(),
    }),
    label: `v3 ${eventType} ${id}`,
  });
  p.notify_state = target.notify_state;
}

const sharingOf = ({ store }, no) => {
  const p = col(store, 'profitsharing').get(no);
  if (!p) throw new V3Error(404, 'RESOURCE_NOT_EXISTS', `分账单不存在: out_order_no ${no}`);
  return p;
};

/** GET /v3/profitsharing/orders/{out_order_no}?transaction_id=. */
export function querySharing(ctx, no, query) {
  if (!query.get('transaction_id')) throw paramError('transaction_id', '为必填参数 (required)', 'query');
  const p = sharingOf(ctx, no);
  if (p.transaction_id !== query.get('transaction_id'))
    throw new V3Error(
      404,
      'RESOURCE_NOT_EXISTS',
      `分账单不存在: out_order_no ${no} transaction_id ${query.get('transaction_id')}`,
    );
  return { status: 200, json: sharingView(p) };
}

/** POST /v3/profitsharing/orders/unfreeze: what is unsplit goes back to the merchant; FINISHED after the delay. */
export function unfreeze(ctx, body) {
  const b = json(body);
  const o = paidOrder(ctx, str(b, '/transaction_id', 32));
  const no = str(b, '/out_order_no', 64);
  const description = str(b, '/description', 80);
  const amount = unsplit(ctx, o);
  const back = { type: 'MERCHANT_ID', account: ctx.cfg.mchid, amount, description };
  const p = newSharing(b, o, no, [{ ...back, result: 'PENDING', detail_id: `3600${digits(26)}` }], true);
  o.unfrozen = true;
  col(ctx.store, 'profitsharing').set(no, p);
  ctx.store.save();
  later(ctx, () => p.state === 'PROCESSING' && finishSharing(ctx, p));
  return { status: 200, json: sharingView(p) };
}

/** GET /v3/profitsharing/transactions/{transaction_id}/amounts. */
export function amounts(ctx, id) {
  const o = paidOrder(ctx, id);
  return { status: 200, json: { transaction_id: id, unsplit_amount: unsplit(ctx, o) } };
}

const returnView = (r) =>
  strip({
    sub_mchid: r.sub_mchid,
    order_id: r.order_id,
    out_order_no: r.out_order_no,
    out_return_no: r.out_return_no,
    return_id: r.return_id,
    return_mchid: r.return_mchid,
    amount: r.amount,
    description: r.description,
    result: r.result,
    create_time: rfc3339(r.created_at),
    finish_time: rfc3339(r.finished_at ?? r.created_at),
  });

/** POST /v3/profitsharing/return-orders: a receiver merchant gives a share back; PROCESSING → SUCCESS. */
export function createReturn(ctx, body) {
  const b = json(body);
  const outReturnNo = str(b, '/out_return_no', 64);
  const existing = col(ctx.store, 'returns').get(outReturnNo);
  if (existing) return { status: 200, json: returnView(existing) };
  const byNo = optStr(b, '/out_order_no', 64);
  const p = byNo
    ? sharingOf(ctx, byNo)
    : [...col(ctx.store, 'profitsharing').values()].find((x) => x.order_id === str(b, '/order_id', 64));
  if (!p) throw new V3Error(404, 'RESOURCE_NOT_EXISTS', `分账单不存在: order_id ${b.order_id}`);
  const mchid = str(b, '/return_mchid', 32);
  const amount = b.amount;
  if (!Number.isInteger(amount) || amount <= 0) throw paramError('/amount', '应为正整数(分)', 'body', amount);
  const share = p.receivers.find((r) => r.type === 'MERCHANT_ID' && r.account === mchid && r.result === 'SUCCESS');
  if (!share)
    throw new V3Error(400, 'INVALID_REQUEST', `回退方 ${mchid} 没有成功的分账 (no successful share to return)`);
  const returned = [...col(ctx.store, 'returns').values()]
    .filter((x) => x.out_order_no === p.out_order_no && x.return_mchid === mchid && x.result !== 'FAILED')
    .reduce((s, x) => s + x.amount, 0);
  if (returned + amount > share.amount)
    throw new V3Error(403, 'NOT_ENOUGH', `可回退金额不足: ${share.amount - returned} 分`);
  const r = {
    sub_mchid: b.sub_mchid,
    order_id: p.order_id,
    out_order_no: p.out_order_no,
    out_return_no: outReturnNo,
    return_id: `3008${digits(26)}`,
    return_mchid: mchid,
    amount,
    description: str(b, '/description', 80),
    result: 'PROCESSING',
    created_at: Date.now(),
  };
  col(ctx.store, 'returns').set(outReturnNo, r);
  ctx.store.save();
  later(ctx, () => {
    if (r.result !== 'PROCESSING') return;
    Object.assign(r, { result: 'SUCCESS', finished_at: Date.now() });
    ctx.store.save();
    notifySharing(
      ctx,
      p,
      `return:${outReturnNo}`,
      'PROFITSHARING.RETURN',
      '分账回退',
      { type: 'MERCHANT_ID', account: mchid, amount, description: r.description },
      { out_return_no: outReturnNo, return_id: r.return_id },
    );
  });
  return { status: 200, json: returnView(r) };
}

/** GET /v3/profitsharing/return-orders/{out_return_no}?out_order_no=. */
export function queryReturn(ctx, no, query) {
  if (!query.get('out_order_no')) throw paramError('out_order_no', '为必填参数 (required)', 'query');
  const r = col(ctx.store, 'returns').get(no);
  if (!r || r.out_order_no !== query.get('out_order_no'))
    throw new V3Error(404, 'RESOURCE_NOT_EXISTS', `回退单不存在: out_return_no ${no}`);
  return { status: 200, json: returnView(r) };
}

/** The control interface: the receivers' notify URL, and the orders and returns. */
export function setSharingNotifyUrl({ store, log }, url) {
  if (typeof url !== 'string' || !/^https?:\/\/[^\s?#]+$/.test(url))
    throw new Error('url must be an http(s) URL without a query');
  col(store, 'settings').set('profitsharing_notify_url', url);
  store.save();
  log(`v3 profit-sharing notifications go to ${url}`);
  return { profitsharing_notify_url: url };
}
export const listSharing = ({ store }) => ({
  orders: [...col(store, 'profitsharing').values()].map(sharingView),
  returns: [...col(store, 'returns').values()].map(returnView),
});
export const findSharing = ({ store }, no) => col(store, 'profitsharing').get(no);
