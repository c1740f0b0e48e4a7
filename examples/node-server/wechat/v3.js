// WeChat Pay API v3 behind the interface of wechat/index.js, over the package's client
// (`v3.createClient`: authorization, every answer's signature verified, the retry table,
// timeouts); callbacks are checked with the package's verifyNotify (signature over the raw
// body, timestamp window, appid/mchid, decryption), then against the stored order.
import v3 from 'wxpay-wasm/v3';
import { clientTuning } from './tuning.js';

const { WxPayError } = v3;

/**
 * config: { appid, mchId, baseUrl, v3: { serialNo, privateKey (PEM), apiV3Key, and WeChat's
 * key(s): publicKeyId + publicKey (PEM, public-key mode), platformSerial + platformCert (PEM,
 * certificate mode), or both (while WeChat moves the merchant from one to the other) }, log? }
 * (the mock's --keys-dir holds all of these: wechatpay.json, apiclient_key.pem, pub_key.pem,
 * platform_cert.pem).
 */
export async function createV3(config) {
  const k = config.v3 ?? {};
  for (const f of ['serialNo', 'privateKey', 'apiV3Key']) {
    if (typeof k[f] !== 'string' || !k[f]) throw new Error(`v3 mode needs ${f} (WXPAY_V3_KEYS_DIR, see README.md)`);
  }
  const publicKeys = verificationKeys(k);
  const privateKey = await v3.importPrivateKey(k.privateKey);
  const mchid = config.mchId;
  const client = v3.createClient({
    appid: config.appid,
    mchId: mchid,
    serialNo: k.serialNo,
    privateKey,
    apiV3Key: k.apiV3Key,
    publicKeys,
    baseUrl: config.baseUrl,
    ...clientTuning(config),
    onEvent: (e) => {
      if (e.outcome !== 'ok')
        config.log?.(
          `wechat v3 ${e.api} ${e.ref ?? ''} attempt ${e.attempt}: ${e.outcome} ${e.code ?? ''} (${e.ms} ms)`,
        );
    },
  });
  const certMode = k.platformCert !== undefined;
  let lastDownload = 0;
  /**
   * Certificate mode: GET /v3/certificates through the client (verified with the certificates
   * held, decrypted with the APIv3 key) and keep what it lists, so a certificate WeChat rotates
   * in is known before its first callback. At start, and after a callback names an unknown
   * serial, at most once a minute (a forger's serials must not cause a download storm).
   */
  async function downloadCertificates() {
    lastDownload = Date.now();
    const certs = await client.certificates();
    for (const [serial, c] of Object.entries(certs)) publicKeys[serial] = c.pem;
    config.log?.(`wechat v3 certificates: verifying with ${Object.keys(publicKeys).join(', ')}`);
  }
  // A failed download at start is logged, not fatal: the certificate given still verifies, and
  // a wrong configuration shows on the first answer (UNKNOWN_SERIAL), refused like any other.
  if (certMode) {
    await downloadCertificates().catch((e) =>
      config.log?.(
        `wechat v3 certificates: download failed (${e.code ?? ''} ${e.message}); verifying with platform_cert.pem only`,
      ),
    );
  }
  /** verifyNotify with the keys held; certificate mode retries once after a download when the serial is new. */
  async function verify(body, headers, expect) {
    try {
      return await v3.verifyNotify(body, headers, { apiV3Key: k.apiV3Key, publicKeys, mchId: mchid, ...expect });
    } catch (e) {
      if (!(certMode && e.code === 'UNKNOWN_SERIAL' && Date.now() - lastDownload >= 60e3)) throw e;
      await downloadCertificates();
      return v3.verifyNotify(body, headers, { apiV3Key: k.apiV3Key, publicKeys, mchId: mchid, ...expect });
    }
  }

  return {
    api: 'v3',
    async createPayment({ no, description, total, openid, expiresAt, notifyUrl }) {
      const { prepay_id: prepayId } = await client.jsapi({
        description,
        out_trade_no: no,
        notify_url: notifyUrl,
        amount: { total, currency: 'CNY' },
        payer: { openid },
        time_expire: rfc3339(expiresAt),
      });
      const payment = await client.requestPaymentParams(prepayId);
      return { prepayId, payment };
    },

    /**
     * verifyNotify checks the signature, the timestamp window, the appid and mchid, and
     * decrypts; the amount is then checked against the stored order.
     */
    async readPaymentNotify(body, headers, findOrder) {
      const n = await verify(body, headers, { appid: config.appid });
      const r = n.resource;
      const no = r.out_trade_no;
      const order = typeof no === 'string' ? await findOrder(no) : undefined;
      if (!order) return { no, order };
      if (r.amount?.total !== order.total_fee) {
        throw new WxPayError(
          'AMOUNT_MISMATCH',
          `callback says ${r.amount?.total} fen, order ${no} is ${order.total_fee}`,
        );
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
          out_trade_no: no,
          out_refund_no: outRefundNo,
          notify_url: notifyUrl,
          amount: { refund, total, currency: 'CNY' },
        });
        return { refused: false, refundId: r.refund_id };
      } catch (e) {
        // WeChat's own error body that says a retry cannot help is a refusal; the rest is an unknown outcome.
        if (e.code === 'RESULT_FAIL' && !e.retryable) return { refused: true, code: e.code, errCode: e.errCode };
        throw e;
      }
    },

    /** NOTEXIST: WeChat never got the refund (its request was lost); it may be sent again, same out_refund_no. */
    async queryRefund(outRefundNo) {
      try {
        const r = await client.queryRefund(outRefundNo);
        return { status: r.status, refundId: r.refund_id };
      } catch (e) {
        if (e.code === 'RESULT_FAIL' && e.errCode === 'RESOURCE_NOT_EXISTS') return { status: 'NOTEXIST' };
        throw e;
      }
    },

    async readRefundNotify(body, headers) {
      const n = await verify(body, headers, {});
      const r = n.resource;
      if (!n.event_type.startsWith('REFUND.'))
        throw new WxPayError('INVALID_FIELD', `not a refund callback: ${n.event_type}`);
      return {
        outRefundNo: r.out_refund_no,
        outTradeNo: r.out_trade_no,
        refundFee: r.amount?.refund,
        status: r.refund_status,
        refundId: r.refund_id,
      };
    },

    /** Native: the QR code's code_url; the payment's callback is the JSAPI one (readPaymentNotify). */
    async createNativePayment({ no, description, total, expiresAt, notifyUrl }) {
      const { code_url: codeUrl } = await client.native({
        description,
        out_trade_no: no,
        notify_url: notifyUrl,
        amount: { total, currency: 'CNY' },
        time_expire: rfc3339(expiresAt),
      });
      return { codeUrl };
    },

    /**
     * A transfer bill (商家转账, 2025): WeChat's bill, and what the mini-program passes to
     * wx.requestMerchantTransfer while it waits for the user (WAIT_USER_CONFIRM).
     */
    async createTransfer({ no, openid, amount, remark, sceneId, reportInfos, notifyUrl }) {
      const bill = await client.transfer.create({
        out_bill_no: no,
        transfer_scene_id: sceneId,
        openid,
        transfer_amount: amount,
        transfer_remark: remark,
        notify_url: notifyUrl,
        transfer_scene_report_infos: reportInfos,
      });
      const params = bill.state === 'WAIT_USER_CONFIRM' ? client.transferParams(bill) : undefined;
      return { bill, params };
    },

    queryTransfer: (no) => client.transfer.query({ out_bill_no: no }),

    /**
     * The transfer callback endpoint: the client's notify handler (it reads the body, verifies,
     * decrypts and answers WeChat), its MCHTRANSFER.* events routed to `onTransfer(resource)`.
     * Any other event is refused, so WeChat sends it again to the endpoint it belongs to.
     */
    transferNotifyHandler: (onTransfer) =>
      client.createNotifyHandler({
        on: { transfer: (n) => onTransfer(n.resource) },
        onRefused: (r) => config.log?.(`transfer notify REJECTED ${r.code}: ${r.reason}`),
      }),

    notifyReply: (ok, message) => v3.notifyReply(ok, message),
    close: () => {},
  };
}

/**
 * The keys WeChat's answers and callbacks are verified with, by the serial they name: the
 * public key (PUB_KEY_ID_…), the platform certificate (its serial), or both during the switch.
 */
function verificationKeys(k) {
  const keys = {};
  if (k.publicKey !== undefined || k.publicKeyId !== undefined) {
    if (!k.publicKeyId || !k.publicKey) throw new Error('v3 mode needs publicKeyId with publicKey (pub_key.pem)');
    keys[k.publicKeyId] = k.publicKey;
  }
  if (k.platformCert !== undefined) {
    if (!k.platformSerial || !k.platformCert)
      throw new Error('v3 mode needs platformSerial with platformCert (platform_cert.pem)');
    keys[k.platformSerial] = k.platformCert;
  }
  if (!Object.keys(keys).length)
    throw new Error('v3 mode needs publicKey (pub_key.pem) or platformCert (platform_cert.pem), or both');
  return keys;
}

/** RFC 3339 in Beijing time, as v3 reads time_expire: 2026-12-01T10:34:56+08:00. */
function rfc3339(ms) {
  return `${new Date(ms + 8 * 3600e3).toISOString().slice(0, 19)}+08:00`;
}
