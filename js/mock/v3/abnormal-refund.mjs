// 异常退款: a refund that ended ABNORMAL (the payer's card closed: POST /_mock/refunds/{no}/complete
// {"status":"ABNORMAL"} posts REFUND.ABNORMAL) is sent again, to the user's or the merchant's bank
// card: POST /v3/refund/domestic/refunds/{refund_id}/apply-abnormal-refund. The refund is
// PROCESSING again and ends SUCCESS after the mock's delay (REFUND.SUCCESS), as the first time.
import { completeRefund } from './refunds.mjs';
import { V3Error, paramError } from './errors.mjs';
import { json, optStr, str } from './request.mjs';
import { decryptField } from './sensitive.mjs';
import { refundView } from './views.mjs';

const TYPES = ['USER_BANK_CARD', 'MERCHANT_BANK_CARD'];

/** POST /v3/refund/domestic/refunds/{refund_id}/apply-abnormal-refund. */
export function applyAbnormalRefund(ctx, refundId, body, { headers }) {
  const { store, config, notifier, log } = ctx;
  const b = json(body);
  const outRefundNo = str(b, '/out_refund_no', 64);
  const type = str(b, '/type', 32);
  if (!TYPES.includes(type)) throw paramError('/type', `应为 ${TYPES.join('/')}`, 'body', type);
  const r = store.refunds.get(outRefundNo);
  if (r?.api !== 'v3' || r.refund_id !== refundId)
    throw new V3Error(404, 'RESOURCE_NOT_EXISTS', `退款单不存在: refund_id ${refundId} out_refund_no ${outRefundNo}`);
  if (r.status !== 'ABNORMAL')
    throw new V3Error(400, 'INVALID_REQUEST', `退款状态为 ${r.status}, 只有异常 (ABNORMAL) 退款可以发起异常退款`);
  if (type === 'USER_BANK_CARD') {
    str(b, '/bank_type', 32);
    r.abnormal = {
      type,
      bank_type: b.bank_type,
      bank_account: decryptField(ctx, headers, str(b, '/bank_account', 2048), '/bank_account'),
      real_name: decryptField(ctx, headers, str(b, '/real_name', 2048), '/real_name'),
    };
  } else r.abnormal = { type, sub_mchid: optStr(b, '/sub_mchid', 32) };
  Object.assign(r, { status: 'PROCESSING', success_at: undefined });
  const o = store.order(r.out_trade_no) ?? store.orderByTransaction(r.transaction_id);
  if (o) o.trade_state = 'REFUND';
  store.save();
  log(`v3 refund ${outRefundNo}: abnormal refund applied (${type}), PROCESSING`);
  if (config.refundDelay >= 0)
    notifier.later(config.refundDelay * 1000 * config.timeScale, () => {
      if (store.refunds.get(outRefundNo)?.status === 'PROCESSING') completeRefund(ctx, r, 'SUCCESS');
    });
  return {
    status: 200,
    json: {
      ...refundView(r),
      ...(type === 'USER_BANK_CARD' ? { user_received_account: `${b.bank_type} 银行卡` } : {}),
    },
  };
}
