// Refunds through the control interface: a refund's end (SUCCESS | CHANGE | REFUNDCLOSE; v3:
// SUCCESS | ABNORMAL | CLOSED) and its notification (v2: req_info encrypted with the key's
// MD5; v3: the v3 module's callback). `ctx` is the control interface's context (see ../control.mjs).
import { encryptReqInfo, refundRootXml, spacedTime } from '../util.mjs';
import { V3_REFUND_STATUSES } from '../v3.mjs';
import { HttpError, v3Call } from './errors.mjs';
import { scaled } from './payment-notify.mjs';
import { findRefund, record, view } from './records.mjs';

const REFUND_STATUSES = ['SUCCESS', 'CHANGE', 'REFUNDCLOSE'];

/** A new refund completes by itself after config.refundDelay (negative: only on demand). */
export function refundCreated(ctx, r) {
  const { config, notifier, store } = ctx;
  if (config.refundDelay < 0) return;
  notifier.later(scaled(ctx, config.refundDelay), () => {
    if (store.refunds.get(r.out_refund_no)?.refund_status === 'PROCESSING') completeRefund(ctx, r.out_refund_no, {});
  });
}

/** POST /_mock/refunds/:no/complete {status}: the refund ends, and its notification cycle starts. */
export function completeRefund(ctx, no, { status = 'SUCCESS' } = {}) {
  const { store, v3, log } = ctx;
  const r = findRefund(ctx, no);
  if (r.api === 'v3') {
    if (!V3_REFUND_STATUSES.includes(status))
      throw new HttpError(400, `status must be one of ${V3_REFUND_STATUSES.join(', ')} for a v3 refund`);
    return v3Call(() => v3.completeRefund(r, status)).then(() => view(ctx, r));
  }
  if (!REFUND_STATUSES.includes(status))
    throw new HttpError(400, `status must be one of ${REFUND_STATUSES.join(', ')}`);
  if (r.refund_status !== 'PROCESSING') throw new HttpError(409, `refund ${no} is already ${r.refund_status}`);
  r.refund_status = status;
  r.success_time = status === 'SUCCESS' ? spacedTime() : undefined;
  const o = store.order(r.out_trade_no);
  if (
    status !== 'SUCCESS' &&
    !store.refundsOf(o.out_trade_no).some((x) => x.refund_status === 'SUCCESS' || x.refund_status === 'PROCESSING')
  ) {
    o.trade_state = 'SUCCESS';
  }
  store.save();
  log(`refund ${no} ${status}`);
  notifyRefund(ctx, r, { kind: 'retry' });
  return view(ctx, r);
}

/** Refund notifications carry no sign: `req_info` is encrypted with the key's MD5 instead. */
export function refundXml({ wx, store, config }, r) {
  const o = store.order(r.out_trade_no);
  const plain = refundRootXml({
    transaction_id: r.transaction_id,
    out_trade_no: r.out_trade_no,
    refund_id: r.refund_id,
    out_refund_no: r.out_refund_no,
    total_fee: r.total_fee,
    settlement_total_fee: r.total_fee,
    refund_fee: r.refund_fee,
    settlement_refund_fee: r.refund_fee,
    refund_status: r.refund_status,
    success_time: r.success_time,
    refund_recv_accout: '支付用户零钱',
    refund_account: 'REFUND_SOURCE_RECHARGE_FUNDS',
    refund_request_source: 'API',
  });
  return wx.toXml({
    return_code: 'SUCCESS',
    appid: o.appid,
    mch_id: o.mch_id,
    nonce_str: wx.nonceStr(),
    req_info: encryptReqInfo(plain, config.key),
  });
}

/** POST /_mock/refunds/:no/notify {kind: retry | once | duplicate}. */
export async function notifyRefund(ctx, r, { kind = 'retry' } = {}) {
  const { notifier, store, v3, log } = ctx;
  if (r.api === 'v3') return v3Call(() => v3.notifyRefund(r, { kind }));
  if (!r.notify_url) {
    log(`refund ${r.out_refund_no}: no notify_url in the refund request, no notification sent`);
    return { sent: false, reason: 'the refund request had no notify_url' };
  }
  if (r.refund_status === 'PROCESSING')
    throw new HttpError(409, `refund ${r.out_refund_no} is still PROCESSING: complete it first`);
  const keep = (rec) => record(ctx, r, { kind, ...rec });
  if (kind === 'retry') {
    r.notify_state = 'pending';
    notifier.cycle(`refund:${r.out_refund_no}`, {
      url: r.notify_url,
      xml: refundXml(ctx, r),
      label: `refund ${r.out_refund_no}`,
      onAttempt: (rec, n) => keep({ ...rec, attempt: n }),
      onEnd: (how) => {
        r.notify_state = how;
        store.save();
        log(`notify refund ${r.out_refund_no}: ${how}`);
      },
    });
    return { started: 'retry cycle', out_refund_no: r.out_refund_no };
  }
  if (kind !== 'once' && kind !== 'duplicate')
    throw new HttpError(400, 'refund notification kind must be retry, once or duplicate');
  const xml = refundXml(ctx, r);
  const results = await Promise.all(
    Array.from({ length: kind === 'duplicate' ? 2 : 1 }, () =>
      notifier.once(r.notify_url, xml, `${kind} refund ${r.out_refund_no}`),
    ),
  );
  results.forEach(keep);
  return { kind, replies: results };
}
