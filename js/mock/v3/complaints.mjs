// 消费者投诉 2.0: a payer complains about a paid order (POST /_mock/complaints, the control
// interface), WeChat posts COMPLAINT.CREATE to the URL the merchant registered with
// /v3/merchant-service/complaint-notifications, and the merchant lists, reads, answers
// (PENDING → PROCESSING) and completes (PROCESSED) it; each of those posts COMPLAINT.STATE_CHANGE
// with its action_type, and each is kept in the negotiation history.
import { digits } from '../util.mjs';
import { callback } from './callbacks.mjs';
import { V3Error, paramError, strip } from './errors.mjs';
import { json, optStr, sameMerchant, str } from './request.mjs';
import { rfc3339, v3Order } from './views.mjs';

const complaints = (store) => store.collection('complaints');
const settings = (store) => store.collection('settings');

/** GET|POST|PUT|DELETE /v3/merchant-service/complaint-notifications: the merchant's complaint callback URL. */
export function complaintNotifications(ctx, method, body) {
  const { store, cfg } = ctx;
  if (method === 'DELETE') {
    settings(store).delete('complaint_notify_url');
    store.save();
    return { status: 204 };
  }
  if (method === 'GET') {
    const url = settings(store).get('complaint_notify_url');
    if (!url) throw new V3Error(404, 'RESOURCE_NOT_EXISTS', '未设置投诉通知回调地址');
    return { status: 200, json: { mchid: cfg.mchid, url } };
  }
  const url = str(json(body), '/url', 256);
  if (!/^https?:\/\/[^\s?#]+$/.test(url)) throw paramError('/url', '应为不带参数的 http(s) URL', 'body', url);
  settings(store).set('complaint_notify_url', url);
  store.save();
  return { status: 200, json: { mchid: cfg.mchid, url } };
}

/** The complaint as the list and the detail show it. */
export const complaintView = (c) =>
  strip({
    complaint_id: c.complaint_id,
    complaint_time: rfc3339(c.created_at),
    complaint_detail: c.detail,
    complaint_state: c.state,
    complainted_mchid: c.complainted_mchid,
    payer_phone: undefined,
    payer_openid: c.openid,
    complaint_order_info: [{ transaction_id: c.transaction_id, out_trade_no: c.out_trade_no, amount: c.amount }],
    complaint_full_refunded: false,
    incoming_user_response: false,
    problem_description: c.problem,
    user_complaint_times: 1,
    problem_type: 'REFUND',
    apply_refund_amount: c.amount,
    user_tag_list: [],
    service_order_info: [],
  });

/** One entry of the negotiation history, and its COMPLAINT.* callback (none when no URL is registered). */
function act(ctx, c, operator, type, details, images = []) {
  c.history.push({
    log_id: `${c.complaint_id}-${c.history.length + 1}`,
    operator,
    operate_time: rfc3339(),
    operate_type: type,
    operate_details: details,
    image_list: images,
  });
  ctx.store.save();
  const url = settings(ctx.store).get('complaint_notify_url');
  if (!url) return ctx.log(`v3 complaint ${c.complaint_id} ${type}: no complaint-notifications URL, no callback`);
  const create = type === 'USER_CREATE_COMPLAINT';
  const target = { notify_url: url, deliveries: c.deliveries };
  callback(ctx, target, {
    cycleId: `complaint:${c.complaint_id}:${c.history.length}`,
    eventType: create ? 'COMPLAINT.CREATE' : 'COMPLAINT.STATE_CHANGE',
    summary: create ? '产生新投诉' : '投诉单状态变化',
    originalType: 'complaint',
    resource: { complaint_id: c.complaint_id, action_type: create ? 'CREATE_COMPLAINT' : type },
    label: `v3 complaint ${c.complaint_id} ${type}`,
  });
}

/** POST /_mock/complaints {out_trade_no, detail?, amount?}: the payer of a paid order complains. */
export function openComplaint(ctx, { out_trade_no: no, detail = '商品未收到, 申请退款', amount } = {}) {
  if (typeof no !== 'string') throw new Error('out_trade_no must be given (a paid v3 order)');
  const o = v3Order(ctx.store.order(no));
  if (!o) throw new Error(`no v3 order with out_trade_no ${no}: not found`);
  if (o.trade_state !== 'SUCCESS' && o.trade_state !== 'REFUND')
    throw new Error(`order ${no} is ${o.trade_state}: a complaint needs an order already paid`);
  const c = {
    complaint_id: `200000020${digits(17)}`,
    created_at: Date.now(),
    detail: String(detail),
    problem: '退款问题',
    state: 'PENDING',
    complainted_mchid: ctx.cfg.mchid,
    openid: o.openid,
    transaction_id: o.transaction_id,
    out_trade_no: no,
    amount: Number.isInteger(amount) && amount > 0 ? amount : o.total,
    history: [],
    deliveries: [],
  };
  complaints(ctx.store).set(c.complaint_id, c);
  ctx.log(`v3 complaint ${c.complaint_id} opened on ${no}`);
  act(ctx, c, '投诉人', 'USER_CREATE_COMPLAINT', c.detail);
  return { ...complaintView(c), history: c.history };
}

const find = ({ store }, id) => {
  const c = complaints(store).get(id);
  if (!c) throw new V3Error(404, 'RESOURCE_NOT_EXISTS', `投诉单不存在: ${id}`);
  return c;
};

/** limit (1..50, default 10) and offset of a list query. */
function page(query, max = 50) {
  const limit = query.get('limit') === null ? 10 : Number(query.get('limit'));
  const offset = query.get('offset') === null ? 0 : Number(query.get('offset'));
  if (!Number.isInteger(limit) || limit < 1 || limit > max)
    throw paramError('limit', `应为 1-${max}`, 'query', query.get('limit'));
  if (!Number.isInteger(offset) || offset < 0) throw paramError('offset', '应为非负整数', 'query', query.get('offset'));
  return { limit, offset };
}

/** GET /v3/merchant-service/complaints-v2?begin_date=&end_date=&limit=&offset= (dates yyyy-MM-dd, Beijing). */
export function listComplaints(ctx, query) {
  const begin = query.get('begin_date');
  const end = query.get('end_date');
  for (const [k, v] of [
    ['begin_date', begin],
    ['end_date', end],
  ]) {
    if (!v) throw paramError(k, '为必填参数 (required)', 'query');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) throw paramError(k, '格式为 yyyy-MM-dd', 'query', v);
  }
  const { limit, offset } = page(query);
  const day = (ms) => rfc3339(ms).slice(0, 10);
  const all = [...complaints(ctx.store).values()].filter((c) => day(c.created_at) >= begin && day(c.created_at) <= end);
  return {
    status: 200,
    json: { data: all.slice(offset, offset + limit).map(complaintView), limit, offset, total_count: all.length },
  };
}

/** GET /v3/merchant-service/complaints-v2/{complaint_id}. */
export const complaintDetail = (ctx, id) => ({ status: 200, json: complaintView(find(ctx, id)) });

/** GET /v3/merchant-service/complaints-v2/{complaint_id}/negotiation-historys. */
export function complaintHistory(ctx, id, query) {
  const c = find(ctx, id);
  const { limit, offset } = page(query, 300);
  return {
    status: 200,
    json: { data: c.history.slice(offset, offset + limit), limit, offset, total_count: c.history.length },
  };
}

/** POST …/{complaint_id}/response {complainted_mchid, response_content, response_images?}: PROCESSING, 204. */
export function respondComplaint(ctx, id, body) {
  const b = json(body);
  sameMerchant(ctx, undefined, str(b, '/complainted_mchid', 32));
  const content = str(b, '/response_content', 200);
  const images = b.response_images ?? [];
  if (!Array.isArray(images) || images.length > 4) throw paramError('/response_images', '最多 4 张图片', 'body');
  images.forEach((m, i) => {
    if (!ctx.media?.has(m))
      throw paramError(
        `/response_images/${i}`,
        '不是已上传的 media_id (upload it with /v3/merchant-service/images/upload or /v3/merchant/media/upload)',
        'body',
        m,
      );
  });
  optStr(b, '/jump_url', 256);
  const c = find(ctx, id);
  if (c.state === 'PROCESSED') throw new V3Error(400, 'INVALID_REQUEST', `投诉单已处理完成: ${id}`);
  c.state = 'PROCESSING';
  c.responses = (c.responses ?? 0) + 1;
  act(ctx, c, '商户', 'MERCHANT_RESPONSE', content, images);
  return { status: 204 };
}

/** POST …/{complaint_id}/complete {complainted_mchid}: PROCESSED, 204 (after at least one response, as WeChat asks). */
export function completeComplaint(ctx, id, body) {
  sameMerchant(ctx, undefined, str(json(body), '/complainted_mchid', 32));
  const c = find(ctx, id);
  if (c.state === 'PROCESSED') return { status: 204 };
  if (!c.responses) throw new V3Error(400, 'INVALID_REQUEST', `请先回复用户再反馈处理完成: ${id}`);
  c.state = 'PROCESSED';
  act(ctx, c, '商户', 'MERCHANT_CONFIRM_COMPLETE', '商户反馈处理完成');
  return { status: 204 };
}

export const listAll = ({ store }) =>
  [...complaints(store).values()].map((c) => ({ ...complaintView(c), history: c.history, deliveries: c.deliveries }));
