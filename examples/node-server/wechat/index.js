// The one place the server talks WeChat Pay, through the package's client (createClient, v2 and
// v3: retries, timeouts, every answer verified). app.js sees one interface whichever API the
// merchant uses (WXPAY_API=v2 or v3), so the state machine, the notify handling and the
// reconciliation are written once:
//
//   createPayment({ no, description, total, openid, expiresAt, notifyUrl }) → { prepayId, payment }
//   readPaymentNotify(body, headers, findOrder) → { no, order, paid, transactionId, errCode? }   (throws WxPayError)
//   queryOrder(no) → { tradeState: SUCCESS|REFUND|NOTPAY|CLOSED|PAYERROR|USERPAYING|NOTEXIST|…, total, transactionId }
//   closeOrder(no) → 'closed' | 'paid'
//   refund({ no, outRefundNo, total, refund, notifyUrl }) → { refused: false, refundId } | { refused: true, code, errCode }
//   queryRefund(outRefundNo) → { status: SUCCESS|PROCESSING|CHANGE|REFUNDCLOSE|CLOSED|ABNORMAL|NOTEXIST, refundId }
//   readRefundNotify(body, headers) → { outRefundNo, outTradeNo, refundFee, status, refundId }   (throws WxPayError)
//   notifyReply(ok, message?) → { status, headers, body }
//   v3 only (undefined in v2, where app.js has no Native or transfer routes):
//   createNativePayment({ no, description, total, expiresAt, notifyUrl }) → { codeUrl }
//   createTransfer({ no, openid, amount, remark, sceneId, reportInfos, notifyUrl }) → { bill, params? }
//   queryTransfer(no) → WeChat's bill;  transferNotifyHandler(onTransfer) → the package's notify handler
//   close() — the client's keep-alive connections
//
// Every received field is checked here or by the package; anything refused is a WxPayError.
import { createV2 } from './v2.js';
import { createV3 } from './v3.js';

export async function openWechat(config) {
  if ((config.api ?? 'v2') === 'v2') return createV2(config);
  if (config.api === 'v3') return createV3(config);
  throw new Error(`WXPAY_API must be v2 or v3, not ${config.api}`);
}
