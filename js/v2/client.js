// createClient for WeChat Pay v2 (issue 13): one method per API of the order lifecycle, each
// building the signed XML once (js/v2/api.js), sending it (js/client/transport.js), reading
// the reply with parseResponse (sign, return_code, result_code) plus the client's own
// appid/mch_id, and repeating only what js/client/retry.js allows. The raw builders stay
// the layer below (docs/guide/client.md). One call: client-calls.js; lost answers and
// reconcile: client-recovery.js; both take the context `c` made here.
import { WxPayError, describe, strictOptions } from '../core/index.js';
import CONTRACT from '../contract.json' with { type: 'json' };
import { CLIENT_DEFAULTS } from '../client/retry.js';
import { createTransport, clientTls } from '../client/transport.js';
import { makeNotifyHandler } from '../client/notify.js';
import {
  baseUrlOption,
  clientOptions,
  eventOption,
  fetchOption,
  intOption,
  requiredString,
} from '../client/options.js';
import { downloadBillV2, requestPaymentParamsV2, runV2 } from './client-calls.js';
import { orderQueryV2, reconcileV2, refundQueryV2, resolveOrder, resolveRefund } from './client-recovery.js';

const WECHAT_V2_BASE = 'https://api.mch.weixin.qq.com';
/** Refuses client option names src/contract/v2.rs CLIENT does not list. */
const checkClient = strictOptions(CONTRACT.client.v2);

/** The client's context from its options, each checked at creation. */
function v2ClientContext(wx, opts) {
  clientOptions('createClient', opts, checkClient);
  const appid = requiredString(opts, 'appid', 'createClient');
  const mchId = requiredString(opts, 'mchId', 'createClient');
  const key = requiredString(opts, 'key', 'createClient');
  const signType = opts.signType ?? 'MD5';
  if (signType !== 'MD5' && signType !== 'HMAC-SHA256')
    throw new WxPayError(
      'UNSUPPORTED_SIGN_TYPE',
      `option \`signType\` must be 'MD5' or 'HMAC-SHA256', got ${describe(signType)}`,
      { field: 'signType' },
    );
  const baseUrl = baseUrlOption(opts.baseUrl, WECHAT_V2_BASE);
  const timeoutMs = intOption(opts, 'timeoutMs', CLIENT_DEFAULTS.timeoutMs, 1, 120000);
  const retries = intOption(opts, 'retries', CLIENT_DEFAULTS.retries, 0, 10);
  const backoffMs = intOption(opts, 'backoffMs', CLIENT_DEFAULTS.backoffMs, 0, 60000);
  const emit = eventOption(opts.onEvent);
  const transport = createTransport({ fetch: fetchOption(opts.fetch), timeoutMs, tls: clientTls(opts) });
  return {
    wx,
    appid,
    mchId,
    baseUrl,
    retries,
    backoffMs,
    emit,
    transport,
    signing: { key, signType },
    needsCert: new Set(wx.CLIENT_CERT_APIS),
  };
}

/** The v2 notify middleware: verifyNotify with the client's key, appid and mch_id. */
function v2NotifyHandler(c, o) {
  clientOptions('createNotifyHandler', o, checkClient);
  const { wx, signing, appid, mchId } = c;
  return makeNotifyHandler(
    {
      verify: async (bytes) => {
        const n = wx.verifyNotify(bytes, { ...signing, appid, mchId, maxBytes: Math.max(bytes.byteLength, 1) });
        return { paid: n.paid === true, orderKey: n.out_trade_no, event: n, total: n.total_fee };
      },
      ok: () => ({ status: 200, headers: { 'content-type': 'text/xml; charset=utf-8' }, body: wx.notifyReply(true) }),
      refuse: (status, message) => ({
        status,
        headers: { 'content-type': 'text/xml; charset=utf-8' },
        body: wx.notifyReply(false, message),
      }),
      invalidStatus: 400,
    },
    o,
  );
}

function createV2Client(wx, opts) {
  const c = v2ClientContext(wx, opts);
  const { appid, mchId, baseUrl } = c;
  return Object.freeze({
    appid,
    mchId,
    unifiedOrder: (f) =>
      runV2(c, 'unifiedOrder', 'buildUnifiedOrderXml', f, { resolve: () => resolveOrder(c, f?.out_trade_no) }),
    orderQuery: (f) => orderQueryV2(c, f),
    closeOrder: (f) => runV2(c, 'closeOrder', 'buildCloseOrderXml', f),
    refund: (f) => runV2(c, 'refund', 'buildRefundXml', f, { resolve: () => resolveRefund(c, f) }),
    refundQuery: (f) => refundQueryV2(c, f),
    downloadBill: (f) => downloadBillV2(c, f),
    reconcile: (outTradeNo) => reconcileV2(c, outTradeNo),
    requestPaymentParams: (prepayId) => requestPaymentParamsV2(c, prepayId),
    createNotifyHandler: (o) => v2NotifyHandler(c, o),
    close: () => c.transport.close(),
    toString: () => `[wxpay-wasm v2 client ${mchId}]`,
    toJSON: () => ({ appid, mchId, baseUrl }),
  });
}

export { createV2Client, WECHAT_V2_BASE };
