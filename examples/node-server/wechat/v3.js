// WeChat Pay API v3 behind the interface of wechat/index.js: JSON requests signed with the
// merchant key (authorization), every answer and callback verified with the WeChat Pay public
// key (verifySignature / verifyNotify), all from the package's `wxpay-wasm/v3`; this module
// maps v3's fields onto the interface and sends the requests.
import v3 from 'wxpay-wasm/v3';

const { WxPayError } = v3;

/**
 * config: { appid, mchId, baseUrl, v3: { serialNo, privateKey (PEM), publicKeyId, publicKey (PEM), apiV3Key } }
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

  /** One request built by a build* function: signed out, verified back; a WxPayError for a non-2xx answer. */
  async function call({ method, url, body }) {
    const auth = await v3.authorization({ mchId: mchid, serialNo: k.serialNo, privateKey, method, url, body });
    const res = await fetch(new URL(url, config.baseUrl), {
      method,
      headers: { authorization: auth, accept: 'application/json', 'content-type': 'application/json', 'user-agent': 'wxpay-wasm-example/0.1' },
      body: method === 'GET' ? undefined : body,
      signal: AbortSignal.timeout(10000),
    });
    const text = await res.text();
    await v3.verifySignature(text, res.headers, { publicKeys });
    if (!res.ok) throw await v3.parseErrorResponse(res.status, text);
    return res.status === 204 ? null : JSON.parse(text);
  }

  return {
    api: 'v3',
    async createPayment({ no, description, total, openid, expiresAt, notifyUrl }) {
      const { prepay_id: prepayId } = await call(await v3.buildJsapiOrder({
        appid: config.appid, mchid, description, out_trade_no: no, notify_url: notifyUrl,
        amount: { total, currency: 'CNY' }, payer: { openid }, time_expire: rfc3339(expiresAt),
      }));
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

    async queryOrder(no) {
      let q;
      try {
        q = await call(await v3.buildQueryByOutTradeNo({ mchid, out_trade_no: no }));
      } catch (e) {
        if (e.errCode === 'ORDER_NOT_EXIST') return { tradeState: 'NOTEXIST' };
        throw e;
      }
      if (q.out_trade_no !== no || q.mchid !== mchid || q.appid !== config.appid) {
        throw new WxPayError('OUT_TRADE_NO_MISMATCH', `the query for ${no} answered about another order`);
      }
      return { tradeState: q.trade_state, total: q.amount?.total, transactionId: q.transaction_id };
    },

    async closeOrder(no) {
      try {
        await call(await v3.buildCloseOrder({ mchid, out_trade_no: no }));
      } catch (e) {
        if (e.errCode === 'ORDERPAID') return 'paid';
        if (e.errCode !== 'ORDER_CLOSED') throw e;
      }
      return 'closed';
    },

    async refund({ no, outRefundNo, total, refund, notifyUrl }) {
      try {
        const r = await call(await v3.buildRefund({
          out_trade_no: no, out_refund_no: outRefundNo, notify_url: notifyUrl, amount: { refund, total, currency: 'CNY' },
        }));
        return { refused: false, refundId: r.refund_id };
      } catch (e) {
        // WeChat's own error body that says a retry cannot help is a refusal; the rest is an unknown outcome.
        if (e.code === 'RESULT_FAIL' && !e.retryable) return { refused: true, code: e.code, errCode: e.errCode };
        throw e;
      }
    },

    async queryRefund(outRefundNo) {
      const r = await call(await v3.buildRefundQuery({ out_refund_no: outRefundNo }));
      return { status: r.status, refundId: r.refund_id };
    },

    async readRefundNotify(body, headers) {
      const n = await v3.verifyNotify(body, headers, { apiV3Key: k.apiV3Key, publicKeys, mchId: mchid });
      const r = n.resource;
      if (!n.event_type.startsWith('REFUND.')) throw new WxPayError('INVALID_FIELD', `not a refund callback: ${n.event_type}`);
      return { outRefundNo: r.out_refund_no, outTradeNo: r.out_trade_no, refundFee: r.amount?.refund, status: r.refund_status, refundId: r.refund_id };
    },

    notifyReply: (ok, message) => v3.notifyReply(ok, message),
  };
}

/** RFC 3339 in Beijing time, as v3 reads time_expire: 2026-12-01T10:34:56+08:00. */
function rfc3339(ms) {
  return `${new Date(ms + 8 * 3600e3).toISOString().slice(0, 19)}+08:00`;
}
