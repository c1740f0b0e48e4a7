// WeChat Pay API v3 behind the interface of wechat/index.js, over the package's client
// (`v3.createClient`: authorization, every answer's signature verified, the retry table,
// timeouts); callbacks are checked with the package's verifyNotify (signature over the raw
// body, timestamp window, appid/mchid, decryption), then against the stored order.
import v3 from 'wxpay-wasm/v3';

const { WxPayError } = v3;

/**
 * config: { appid, mchId, baseUrl, v3: { serialNo, privateKey (PEM), publicKeyId, publicKey (PEM), apiV3Key }, log? }
 * (the mock's --keys-dir holds exactly these: wechatpay.json, apiclient_key.pem, pub_key.pem).
 */
export async function createV3(config) {
  const k = config.v3 ?? {};
  for (const f of ['serialNo', 'privateKey', 'publicKeyId', 'publicKey', 'apiV3Key']) {
    if (typeof k[f] !== 'string' || !k[f]) throw new Error(`v3 mode needs ${f} (WXPAY_V3_KEYS_DIR, see README.md)`);
  }
  const privateKey = await v3.importPrivateKey(k.privateKey);
  const publicKeys = { [k.publicKeyId]: k.publicKey };
  const mchid = config.mchId;
  const client = v3.createClient({
    appid: config.appid, mchId: mchid, serialNo: k.serialNo, privateKey, apiV3Key: k.apiV3Key, publicKeys, baseUrl: config.baseUrl,
    onEvent: (e) => { if (e.outcome !== 'ok') config.log?.(`wechat v3 ${e.api} ${e.ref ?? ''} attempt ${e.attempt}: ${e.outcome} ${e.code ?? ''} (${e.ms} ms)`); },
  });

  return {
    api: 'v3',
    async createPayment({ no, description, total, openid, expiresAt, notifyUrl }) {
      const { prepay_id: prepayId } = await client.jsapi({
        description, out_trade_no: no, notify_url: notifyUrl,
        amount: { total, currency: 'CNY' }, payer: { openid }, time_expire: rfc3339(expiresAt),
      });
      const payment = await v3.requestPaymentParams({ appId: config.appid, prepayId, privateKey });
      return { prepayId, payment };
    },

    /**
     * verifyNotify checks the signature, the timestamp window, the appid and mchid, and
     * decrypts; the amount is then checked against the stored order.
     */
    async readPaymentNotify(body, headers, findOrder) {
      const n = await v3.verifyNotify(body, headers, { apiV3Key: k.apiV3Key, publicKeys, appid: config.appid, mchId: mchid });
      const r = n.resource;
      const no = r.out_trade_no;
      const order = typeof no === 'string' ? await findOrder(no) : undefined;
      if (!order) return { no, order };
      if (r.amount?.total !== order.total_fee) {
        throw new WxPayError('AMOUNT_MISMATCH', `callback says ${r.amount?.total} fen, order ${no} is ${order.total_fee}`);
      }
      return { no, order, paid: n.paid, failed: r.trade_state === 'PAYERROR', transactionId: r.transaction_id };
    },

    /** The client's reconcile: the order query (ORDER_NOT_EXIST → NOTEXIST; out_trade_no, appid, mchid checked). */
    async queryOrder(no) {
      const r = await client.reconcile(no);
      return { tradeState: r.state, total: r.totalFee, transactionId: r.transactionId };
    },

    async closeOrder(no) {
      try {
        await client.close(no);
      } catch (e) {
        if (e.errCode === 'ORDERPAID') return 'paid';
        if (e.errCode !== 'ORDER_CLOSED') throw e;
      }
      return 'closed';
    },

    async refund({ no, outRefundNo, total, refund, notifyUrl }) {
      try {
        const r = await client.refund({
          out_trade_no: no, out_refund_no: outRefundNo, notify_url: notifyUrl, amount: { refund, total, currency: 'CNY' },
        });
        return { refused: false, refundId: r.refund_id };
      } catch (e) {
        // WeChat's own error body that says a retry cannot help is a refusal; the rest is an unknown outcome.
        if (e.code === 'RESULT_FAIL' && !e.retryable) return { refused: true, code: e.code, errCode: e.errCode };
        throw e;
      }
    },

    async queryRefund(outRefundNo) {
      const r = await client.queryRefund(outRefundNo);
      return { status: r.status, refundId: r.refund_id };
    },

    async readRefundNotify(body, headers) {
      const n = await v3.verifyNotify(body, headers, { apiV3Key: k.apiV3Key, publicKeys, mchId: mchid });
      const r = n.resource;
      if (!n.event_type.startsWith('REFUND.')) throw new WxPayError('INVALID_FIELD', `not a refund callback: ${n.event_type}`);
      return { outRefundNo: r.out_refund_no, outTradeNo: r.out_trade_no, refundFee: r.amount?.refund, status: r.refund_status, refundId: r.refund_id };
    },

    notifyReply: (ok, message) => v3.notifyReply(ok, message),
    close: () => {},
  };
}

/** RFC 3339 in Beijing time, as v3 reads time_expire: 2026-12-01T10:34:56+08:00. */
function rfc3339(ms) {
  return `${new Date(ms + 8 * 3600e3).toISOString().slice(0, 19)}+08:00`;
}
