// WeChat Pay API v2 behind the interface of wechat/index.js, over the package's client
// (`wx.createClient`: signing, sending, reply checks, the retry table, timeouts, the client
// certificate for refunds); notifications are checked with the package's verifyNotify /
// decryptRefundNotify against the stored order. This module only maps v2's fields.
import { readFileSync } from 'node:fs';
import wx from 'wxpay-wasm';
import { clientTuning } from './tuning.js';

/** config: { appid, mchId, key, signType?, baseUrl, certFile?, keyFile?, log? } */
export function createV2(config) {
  const client = wx.createClient({
    appid: config.appid,
    mchId: config.mchId,
    key: config.key,
    signType: config.signType ?? 'MD5',
    baseUrl: config.baseUrl,
    // apiclient_cert.pem / apiclient_key.pem: refunds need them (the client refuses a refund without).
    ...(config.certFile
      ? { cert: readFileSync(config.certFile, 'utf8'), certKey: readFileSync(config.keyFile, 'utf8') }
      : {}),
    ...clientTuning(config),
    onEvent: (e) => {
      if (e.outcome !== 'ok')
        config.log?.(
          `wechat v2 ${e.api} ${e.ref ?? ''} attempt ${e.attempt}: ${e.outcome} ${e.code ?? ''} (${e.ms} ms)`,
        );
    },
  });

  return {
    api: 'v2',
    async createPayment({ no, description, total, openid, expiresAt, notifyUrl }) {
      const reply = await client.unifiedOrder({
        body: description,
        out_trade_no: no,
        total_fee: total,
        spbill_create_ip: '127.0.0.1',
        notify_url: notifyUrl,
        trade_type: 'JSAPI',
        openid,
        time_expire: compact(expiresAt),
      });
      const payment = wx.requestPaymentParams({
        appId: config.appid,
        prepayId: reply.prepay_id,
        key: config.key,
        signType: config.signType ?? 'MD5',
      });
      return { prepayId: reply.prepay_id, payment };
    },

    /** The order is looked up first: its stored appid, mch_id, out_trade_no and total_fee are verifyNotify's expectations. */
    async readPaymentNotify(body, _headers, findOrder) {
      const no = wx.parseXml(body).out_trade_no;
      const order = no ? await findOrder(no) : undefined;
      if (!order) return { no, order };
      const n = wx.verifyNotify(body, {
        key: config.key,
        appid: config.appid,
        mchId: config.mchId,
        outTradeNo: order.out_trade_no,
        totalFee: String(order.total_fee),
      });
      return { no, order, paid: n.paid, failed: !n.paid, transactionId: n.transaction_id, errCode: n.err_code };
    },

    /** The client's reconcile: orderquery (ORDERNOTEXIST → NOTEXIST), and its refunds. */
    async queryOrder(no) {
      const r = await client.reconcile(no);
      return { tradeState: r.state, total: r.totalFee, transactionId: r.transactionId };
    },

    async closeOrder(no) {
      try {
        await client.closeOrder({ out_trade_no: no });
      } catch (e) {
        if (e.errCode === 'ORDERPAID') return 'paid';
        if (e.errCode !== 'ORDERCLOSED') throw e;
      }
      return 'closed';
    },

    async refund({ no, outRefundNo, total, refund, notifyUrl }) {
      try {
        // A lost answer is resolved by the client with refundquery (resolvedByQuery).
        const r = await client.refund({
          out_trade_no: no,
          out_refund_no: outRefundNo,
          total_fee: total,
          refund_fee: refund,
          notify_url: notifyUrl,
        });
        return { refused: false, refundId: r.refund_id };
      } catch (e) {
        // WeChat answered and said no (after the client's retries); anything else (network,
        // timeout, bad sign) is an unknown outcome that reconciliation settles.
        if ((e.code === 'RESULT_FAIL' || e.code === 'RETURN_FAIL') && e.retryable !== true)
          return { refused: true, code: e.code, errCode: e.errCode ?? e.returnMsg };
        // No client certificate configured: the client refused before sending, so nothing
        // reached WeChat and there is no outcome to reconcile.
        if (e.code === 'CLIENT_CERT_UNAVAILABLE') return { refused: true, code: e.code, notSent: true };
        throw e;
      }
    },

    /** NOTEXIST: WeChat never got the refund (its request was lost); it may be sent again, same out_refund_no. */
    async queryRefund(outRefundNo) {
      try {
        const r = await client.refundQuery({ out_refund_no: outRefundNo });
        return { status: r.refund_status_0, refundId: r.refund_id_0 };
      } catch (e) {
        if (e.code === 'RESULT_FAIL' && e.errCode === 'REFUNDNOTEXIST') return { status: 'NOTEXIST' };
        throw e;
      }
    },

    /** Refund notifications carry no sign: decrypting req_info with the key is their proof. */
    async readRefundNotify(body) {
      const n = wx.decryptRefundNotify(body, { key: config.key, appid: config.appid, mchId: config.mchId });
      return {
        outRefundNo: n.out_refund_no,
        outTradeNo: n.out_trade_no,
        refundFee: Number(n.refund_fee),
        status: n.refund_status,
        refundId: n.refund_id,
      };
    },

    notifyReply: async (ok, message) => ({
      status: 200,
      headers: { 'content-type': 'text/xml; charset=utf-8' },
      body: wx.notifyReply(ok, message),
    }),
    close: () => client.close(),
  };
}

/** yyyyMMddHHmmss in Beijing time, as WeChat v2 reads time_expire. */
function compact(ms) {
  return new Date(ms + 8 * 3600e3).toISOString().slice(0, 19).replace(/[-T:]/g, '');
}
