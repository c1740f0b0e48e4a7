// WeChat Pay API v2 behind the interface of wechat/index.js: signed XML out, verified XML
// back, every builder and check from the package (`wxpay-wasm`); this module only maps
// WeChat's v2 fields onto the interface and sends the requests.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { readFileSync } from 'node:fs';
import wx from 'wxpay-wasm';

const PATHS = wx.API_PATHS;

/** config: { appid, mchId, key, signType?, baseUrl, certFile?, keyFile? } */
export function createV2(config) {
  const signOpts = { key: config.key, signType: config.signType ?? 'MD5' };
  const base = { appid: config.appid, mch_id: config.mchId };
  // Real WeChat refuses refunds without the merchant's client certificate; the mock does not check.
  const tls = config.certFile ? { cert: readFileSync(config.certFile), key: readFileSync(config.keyFile) } : undefined;

  /** One call: signed XML out, verified fields back (or a WxPayError RETURN_FAIL / SIGN_MISMATCH / RESULT_FAIL). */
  async function call(path, xml) {
    const text = await post(new URL(path, config.baseUrl), xml, path === PATHS.refund ? tls : undefined);
    return wx.parseResponse(text, signOpts);
  }

  return {
    api: 'v2',
    async createPayment({ no, description, total, openid, expiresAt, notifyUrl }) {
      const reply = await call(PATHS.unifiedOrder, wx.buildUnifiedOrderXml({
        ...base, body: description, out_trade_no: no, total_fee: total, spbill_create_ip: '127.0.0.1',
        notify_url: notifyUrl, trade_type: 'JSAPI', openid, time_expire: compact(expiresAt),
      }, signOpts));
      const payment = wx.requestPaymentParams({ appId: config.appid, prepayId: reply.prepay_id, key: config.key, signType: signOpts.signType });
      return { prepayId: reply.prepay_id, payment };
    },

    /** The order is looked up first: its stored appid, mch_id, out_trade_no and total_fee are verifyNotify's expectations. */
    async readPaymentNotify(body, _headers, findOrder) {
      const no = wx.parseXml(body).out_trade_no;
      const order = no ? await findOrder(no) : undefined;
      if (!order) return { no, order };
      const n = wx.verifyNotify(body, {
        key: config.key, appid: config.appid, mchId: config.mchId, outTradeNo: order.out_trade_no, totalFee: String(order.total_fee),
      });
      return { no, order, paid: n.paid, failed: !n.paid, transactionId: n.transaction_id, errCode: n.err_code };
    },

    async queryOrder(no) {
      let q;
      try {
        q = await call(PATHS.orderQuery, wx.buildOrderQueryXml({ ...base, out_trade_no: no }, signOpts));
      } catch (e) {
        if (e.errCode === 'ORDERNOTEXIST') return { tradeState: 'NOTEXIST' };
        throw e;
      }
      return { tradeState: q.trade_state, total: q.total_fee === undefined ? undefined : Number(q.total_fee), transactionId: q.transaction_id };
    },

    async closeOrder(no) {
      try {
        await call(PATHS.closeOrder, wx.buildCloseOrderXml({ ...base, out_trade_no: no }, signOpts));
      } catch (e) {
        if (e.errCode === 'ORDERPAID') return 'paid';
        if (e.errCode !== 'ORDERCLOSED') throw e;
      }
      return 'closed';
    },

    async refund({ no, outRefundNo, total, refund, notifyUrl }) {
      try {
        const r = await call(PATHS.refund, wx.buildRefundXml({
          ...base, out_trade_no: no, out_refund_no: outRefundNo, total_fee: total, refund_fee: refund, notify_url: notifyUrl,
        }, signOpts));
        return { refused: false, refundId: r.refund_id };
      } catch (e) {
        // WeChat answered and said no; anything else (network, bad sign) is an unknown outcome.
        if (e.code === 'RESULT_FAIL' || e.code === 'RETURN_FAIL') return { refused: true, code: e.code, errCode: e.errCode ?? e.returnMsg };
        throw e;
      }
    },

    async queryRefund(outRefundNo) {
      const r = await call(PATHS.refundQuery, wx.buildRefundQueryXml({ ...base, out_refund_no: outRefundNo }, signOpts));
      return { status: r.refund_status_0, refundId: r.refund_id_0 };
    },

    /** Refund notifications carry no sign: decrypting req_info with the key is their proof. */
    async readRefundNotify(body) {
      const n = wx.decryptRefundNotify(body, { key: config.key, appid: config.appid, mchId: config.mchId });
      return { outRefundNo: n.out_refund_no, outTradeNo: n.out_trade_no, refundFee: Number(n.refund_fee), status: n.refund_status, refundId: n.refund_id };
    },

    notifyReply: async (ok, message) => ({ status: 200, headers: { 'content-type': 'text/xml; charset=utf-8' }, body: wx.notifyReply(ok, message) }),
  };
}

/** yyyyMMddHHmmss in Beijing time, as WeChat v2 reads time_expire. */
function compact(ms) {
  return new Date(ms + 8 * 3600e3).toISOString().slice(0, 19).replace(/[-T:]/g, '');
}

/** POST with node's own client: https needs the merchant certificate for refunds. */
function post(url, body, tls) {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: 'POST', headers: { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(body) }, timeout: 10000, ...tls }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`WeChat did not answer within 10s: ${url}`)));
    req.on('error', reject);
    req.end(body);
  });
}
