// 商家转账 (the 2025 API): a transfer bill waits for the user (WAIT_USER_CONFIRM, with the
// package_info the mini-program passes to wx.requestMerchantTransfer); the user confirms
// (SUCCESS) or rejects (FAIL) through the control interface; the merchant may cancel it
// (CANCELING, then CANCELLED). Every end posts MCHTRANSFER.BILL.FINISHED to notify_url.
// Scene rules, from WeChat's docs:
//   1000 现金营销 — https://pay.weixin.qq.com/doc/v3/merchant/4013774588: two report infos, exactly
//     the types 活动名称 and 奖励说明 (info_type ≤ 15 chars, info_content ≤ 32), user_recv_perception
//     现金奖励 or 活动奖励 (absent: 活动奖励); WeChat's answers for a wrong one are PARAM_ERROR
//     "需传入转账场景报备信息,请检查" and INVALID_REQUEST "暂不支持展示当前传入的用户收款感知".
//   1005 佣金报酬 — report infos 岗位类型 and 报酬说明, perception 劳务报酬 (from doc 4012711988, as
//     quoted in WeChat's developer community; the mock checks the types only).
//   Other scene ids of the spec's enum: at least one report info, each well-formed (their own
//     required types are not imitated).
// fail_reason, from WeChat's list (https://pay.weixin.qq.com/doc/v3/merchant/4013774966): a
// cancelled bill says MCH_CANCEL; a bill the user declines (the mock's reject) OTHER_FAIL_REASON_TYPE.
import { randomBytes } from 'node:crypto';
import { digits } from '../util.mjs';
import { callback } from './callbacks.mjs';
import { V3Error, paramError, strip } from './errors.mjs';
import { fen, json, optStr, sameMerchant, str } from './request.mjs';
import { decryptField } from './sensitive.mjs';
import { rfc3339 } from './views.mjs';

export const SCENES = Object.freeze({
  1000: { infos: ['活动名称', '奖励说明'], perceptions: ['现金奖励', '活动奖励'] },
  1005: { infos: ['岗位类型', '报酬说明'] },
  1002: {},
  1004: {},
  1009: {},
  1010: {},
  1011: {},
  1013: {},
});
const REPORT_MISSING = '需传入转账场景报备信息,请检查';
const transfers = (store) => store.collection('transfers');

/** The report infos of the body, checked against the scene's rules. */
function reportInfos(b, sceneId) {
  const infos = b.transfer_scene_report_infos;
  if (!Array.isArray(infos) || !infos.length) throw paramError('/transfer_scene_report_infos', REPORT_MISSING);
  infos.forEach((_, i) => {
    str(b, `/transfer_scene_report_infos/${i}/info_type`, 15);
    str(b, `/transfer_scene_report_infos/${i}/info_content`, 32);
  });
  const want = SCENES[sceneId].infos;
  if (!want) return infos;
  const types = infos.map((x) => x.info_type);
  if (types.length !== want.length || new Set(types).size !== types.length || !want.every((t) => types.includes(t)))
    throw paramError(
      '/transfer_scene_report_infos',
      `${REPORT_MISSING} (scene ${sceneId}: info_type ${want.join(' + ')})`,
    );
  return infos;
}

/** The transfer as WeChat's queries show it. */
export function transferView(t) {
  return strip({
    mch_id: t.mch_id,
    out_bill_no: t.out_bill_no,
    transfer_bill_no: t.transfer_bill_no,
    appid: t.appid,
    state: t.state,
    transfer_amount: t.transfer_amount,
    transfer_remark: t.transfer_remark,
    fail_reason: t.fail_reason,
    openid: t.openid,
    create_time: rfc3339(t.created_at),
    update_time: rfc3339(t.updated_at),
  });
}

/** The fields of a transfer body, each checked as WeChat does; user_name decrypted when given. */
function transferFields(ctx, b, headers) {
  const appid = str(b, '/appid', 32);
  sameMerchant(ctx, appid, ctx.cfg.mchid);
  const no = str(b, '/out_bill_no', 32);
  if (!/^[0-9A-Za-z]{5,32}$/.test(no)) throw paramError('/out_bill_no', '只能是 5-32 位数字、大小写字母', 'body', no);
  const sceneId = str(b, '/transfer_scene_id', 36);
  if (!Object.hasOwn(SCENES, sceneId))
    throw paramError(
      '/transfer_scene_id',
      `不是已开通的转账场景 (one of ${Object.keys(SCENES).join(', ')})`,
      'body',
      sceneId,
    );
  const perception = optStr(b, '/user_recv_perception', 32);
  const allowed = SCENES[sceneId].perceptions;
  if (perception !== undefined && allowed && !allowed.includes(perception))
    throw new V3Error(
      400,
      'INVALID_REQUEST',
      `暂不支持展示当前传入的用户收款感知 (scene ${sceneId}: ${allowed.join(' / ')})`,
    );
  const infos = reportInfos(b, sceneId);
  const amount = fen(b, '/transfer_amount');
  const encryptedName = optStr(b, '/user_name', 2048);
  return {
    appid,
    no,
    sceneId,
    perception,
    infos,
    amount,
    openid: str(b, '/openid', 64),
    remark: str(b, '/transfer_remark', 32),
    notifyUrl: optStr(b, '/notify_url', 256),
    userName: encryptedName === undefined ? undefined : decryptField(ctx, headers, encryptedName, '/user_name'),
  };
}

const answer = (t) => ({
  status: 200,
  json: strip({
    out_bill_no: t.out_bill_no,
    transfer_bill_no: t.transfer_bill_no,
    create_time: rfc3339(t.created_at),
    state: t.state,
    package_info: t.state === 'WAIT_USER_CONFIRM' ? t.package_info : undefined,
  }),
});

/** POST /v3/fund-app/mch-transfer/transfer-bills: WAIT_USER_CONFIRM with package_info. */
export function transferCreate(ctx, body, { headers }) {
  const { store, log, cfg } = ctx;
  const b = json(body);
  const f = transferFields(ctx, b, headers);
  const digest = JSON.stringify([f.openid, f.amount, f.sceneId, f.remark, f.infos]);
  const existing = transfers(store).get(f.no);
  if (existing) {
    if (existing.digest !== digest)
      throw new V3Error(
        400,
        'INVALID_REQUEST',
        `商户单号 ${f.no} 已用于另一笔转账 (same out_bill_no, different transfer)`,
      );
    return answer(existing);
  }
  const now = Date.now();
  const t = {
    mch_id: cfg.mchid,
    appid: f.appid,
    out_bill_no: f.no,
    transfer_bill_no: `1330${digits(36)}`,
    transfer_scene_id: f.sceneId,
    transfer_scene_report_infos: f.infos,
    user_recv_perception: f.perception,
    openid: f.openid,
    user_name: f.userName,
    transfer_amount: f.amount,
    transfer_remark: f.remark,
    notify_url: f.notifyUrl,
    package_info: randomBytes(60).toString('base64'),
    state: 'WAIT_USER_CONFIRM',
    created_at: now,
    updated_at: now,
    digest,
    deliveries: [],
  };
  transfers(store).set(f.no, t);
  store.save();
  log(
    `v3 transfer ${f.no}: ${f.amount} fen to ${f.openid}, scene ${f.sceneId}, WAIT_USER_CONFIRM${f.userName ? ' (user_name decrypted)' : ''}`,
  );
  return answer(t);
}

const byNo = ({ store }, no) => {
  const t = transfers(store).get(no);
  if (!t) throw new V3Error(404, 'NOT_FOUND', `记录不存在: out_bill_no ${no}`);
  return t;
};

/** GET …/transfer-bills/out-bill-no/{out_bill_no}. */
export const transferByNo = (ctx, no) => ({ status: 200, json: transferView(byNo(ctx, no)) });

/** GET …/transfer-bills/transfer-bill-no/{transfer_bill_no}. */
export function transferById({ store }, id) {
  const t = [...transfers(store).values()].find((x) => x.transfer_bill_no === id);
  if (!t) throw new V3Error(404, 'NOT_FOUND', `记录不存在: transfer_bill_no ${id}`);
  return { status: 200, json: transferView(t) };
}

/** The bill ends (SUCCESS, FAIL or CANCELLED) and MCHTRANSFER.BILL.FINISHED is posted when it had a notify_url. */
export function finishTransfer(ctx, t, state, failReason) {
  Object.assign(t, { state, fail_reason: failReason, updated_at: Date.now() });
  ctx.store.save();
  ctx.log(`v3 transfer ${t.out_bill_no} ${state}${failReason ? ` (${failReason})` : ''}`);
  if (!t.notify_url) return;
  callback(ctx, t, {
    cycleId: `transfer:${t.out_bill_no}`,
    eventType: 'MCHTRANSFER.BILL.FINISHED',
    summary: '商家转账单据终态通知',
    originalType: 'mch_payment',
    resource: strip({ ...transferView(t), appid: undefined, transfer_remark: undefined }),
    label: `v3 transfer ${t.out_bill_no}`,
  });
}

/** POST …/transfer-bills/out-bill-no/{no}/cancel: CANCELING, CANCELLED after the mock's delay (at once when negative). */
export function transferCancel(ctx, no) {
  const t = byNo(ctx, no);
  if (!['ACCEPTED', 'PROCESSING', 'WAIT_USER_CONFIRM'].includes(t.state))
    throw new V3Error(
      400,
      'INVALID_REQUEST',
      `当前转账单状态 ${t.state} 不可撤销 (only a bill not yet accepted by the user)`,
    );
  const { config, notifier } = ctx;
  if (config.refundDelay < 0) finishTransfer(ctx, t, 'CANCELLED', 'MCH_CANCEL');
  else {
    Object.assign(t, { state: 'CANCELING', updated_at: Date.now() });
    ctx.store.save();
    notifier.later(config.refundDelay * 1000 * config.timeScale, () => {
      if (t.state === 'CANCELING') finishTransfer(ctx, t, 'CANCELLED', 'MCH_CANCEL');
    });
  }
  return {
    status: 200,
    json: {
      out_bill_no: t.out_bill_no,
      transfer_bill_no: t.transfer_bill_no,
      state: t.state,
      update_time: rfc3339(t.updated_at),
    },
  };
}

/** The user in WeChat: confirm (SUCCESS) or reject (FAIL) a bill that waits for them (control interface). */
export function userAnswers(ctx, no, accept) {
  const t = transfers(ctx.store).get(no);
  if (!t) throw new Error(`no transfer with out_bill_no ${no}: not found`);
  if (t.state !== 'WAIT_USER_CONFIRM') throw new Error(`transfer ${no} is already ${t.state}`);
  finishTransfer(ctx, t, accept ? 'SUCCESS' : 'FAIL', accept ? undefined : 'OTHER_FAIL_REASON_TYPE');
  return { ...transferView(t), notify_state: t.notify_state };
}

export const listTransfers = ({ store }) => [...transfers(store).values()];
