// createClient for WeChat Pay v3 (issue 13): each method builds its request once (the
// v3 builders), signs an Authorization per attempt over the SAME body, sends it, verifies
// the answer's Wechatpay-Signature with the key its Wechatpay-Serial names (public-key mode:
// PUB_KEY_ID_…; certificate mode: platform certificates, downloaded again from
// /v3/certificates when one nears its expiry or an unknown serial signs), and repeats only
// what js/client/retry.js allows. The modules, each taking the context `c` made here:
// client-request.js (one call), client-keys.js (the keys and their refresh),
// client-calls.js (the API methods).
import { WxPayError, strictOptions } from '../core/index.js';
import CONTRACT from '../contract.json' with { type: 'json' };
import { CLIENT_DEFAULTS } from '../client/retry.js';
import { createTransport } from '../client/transport.js';
import { streamFetch } from '../client/transport-stream.js';
import { makeNotifyHandler } from '../client/notify.js';
import { routedOptions } from './notify-routes.js';
import {
  baseUrlOption,
  clientOptions,
  eventOption,
  fetchOption,
  intOption,
  isLoopbackOrigin,
  requiredString,
} from '../client/options.js';
import { REFRESH_BEFORE_S, createKeyring, downloadCertificates, publicKeysOption, verifyWith } from './client-keys.js';
import { verificationKey } from './keys.js';
import {
  closeV3,
  jsapiV3,
  queryByIdV3,
  queryByOutTradeNoV3,
  queryRefundV3,
  reconcileV3,
  refundV3,
  requestPaymentParamsV3,
} from './client-calls.js';
// Files (issue 27: downloads, bills, uploads, complaint images).
import { complaintImageV3, downloadStreamV3, downloadV3, uploadV3 } from './client-files.js';
import { billStreamV3, billV3 } from './client-bills.js';
import { genericMethods } from './client-generic.js';
import { productMethods } from './client-products.js';
import { partnerMethods } from './client-partner.js';
import { profitSharingMethods } from './client-profit-sharing.js';
import { transferMethods, transferParams } from './client-transfer.js';
import { complaintMethods } from './client-complaints.js';

const WECHAT_V3_BASE = 'https://api.mch.weixin.qq.com';
const checkClientV3 = strictOptions(CONTRACT.client.v3);

/** The client's context from its options, each checked at creation, in this order. */
function v3ClientContext(v3, opts) {
  clientOptions('createClient', opts, checkClientV3);
  const appid = requiredString(opts, 'appid', 'createClient');
  const mchId = requiredString(opts, 'mchId', 'createClient');
  const serialNo = requiredString(opts, 'serialNo', 'createClient');
  const apiV3Key = requiredString(opts, 'apiV3Key', 'createClient');
  if (new TextEncoder().encode(apiV3Key).length !== 32)
    throw new WxPayError('INVALID_PARAM', 'createClient: option `apiV3Key` must be the 32-byte APIv3 key', {
      field: 'apiV3Key',
    });
  const privateKey = opts.privateKey;
  if (typeof privateKey !== 'string' && (privateKey === null || typeof privateKey !== 'object')) {
    throw new WxPayError(
      'INVALID_PARAM',
      'createClient: option `privateKey` is required (apiclient_key.pem, or a key from importPrivateKey)',
      { field: 'privateKey' },
    );
  }
  const keys = publicKeysOption(opts.publicKeys);
  // Each PEM read by the core now: a certificate filed under another serial (or under a
  // PUB_KEY_ID_…), or text that is no key, is refused at creation, not at the first answer.
  for (const [serial, pem] of keys) verificationKey(serial, pem);
  const baseUrl = baseUrlOption(opts.baseUrl, WECHAT_V3_BASE, { origin: true });
  const timeoutMs = intOption(opts, 'timeoutMs', CLIENT_DEFAULTS.timeoutMs, 1, 120000);
  const retries = intOption(opts, 'retries', CLIENT_DEFAULTS.retries, 0, 10);
  const backoffMs = intOption(opts, 'backoffMs', CLIENT_DEFAULTS.backoffMs, 0, 60000);
  const refreshBefore = intOption(opts, 'refreshBeforeSeconds', REFRESH_BEFORE_S, 0, 365 * 86400) * 1000;
  const fetch = fetchOption(opts.fetch);
  const emit = eventOption(opts.onEvent);
  return {
    v3,
    appid,
    mchId,
    serialNo,
    apiV3Key,
    privateKey,
    baseUrl,
    retries,
    backoffMs,
    emit,
    // The mock on this machine: a loopback http:// notify_url is accepted (issue 26).
    buildOptions: isLoopbackOrigin(baseUrl) ? { allowLoopbackHttp: true } : undefined,
    transport: {
      ...createTransport({ fetch, timeoutMs, tls: null }),
      stream: (req) => streamFetch(fetch, timeoutMs, req),
    },
    ring: createKeyring(keys, refreshBefore),
    refundsMade: new Map(), // out_trade_no → Set(out_refund_no), for reconcile
  };
}

/** The v3 callback middleware: verifyNotify with the client's keys, APIv3 key, appid and mchid. */
function v3NotifyHandler(c, o) {
  clientOptions('createNotifyHandler', o, checkClientV3);
  const { v3, apiV3Key, appid, mchId } = c;
  const maxSkewSeconds = o.maxSkewSeconds;
  return makeNotifyHandler(
    {
      verify: async (bytes, headers) => {
        const n = await verifyWith(c, (publicKeys) =>
          v3.verifyNotify(bytes, headers, {
            apiV3Key,
            publicKeys,
            appid,
            mchId,
            ...(maxSkewSeconds === undefined ? {} : { maxSkewSeconds }),
          }),
        );
        const amount = n.resource?.amount;
        // Only payments and refunds are about one of the merchant's orders (findOrder); a
        // complaint's out_trade_no is not checked against it.
        const refunded = n.event_type.startsWith('REFUND.');
        const order = refunded || n.event_type.startsWith('TRANSACTION.');
        const refund = refunded ? amount?.refund : undefined;
        const orderKey = order ? n.resource?.out_trade_no : undefined;
        return { paid: n.paid === true, orderKey, event: n, total: order ? amount?.total : undefined, refund };
      },
      ok: () => v3.notifyReply(true),
      refuse: async (status, message) => ({ ...(await v3.notifyReply(false, message)), status }),
      invalidStatus: 401,
      serialHeader: 'wechatpay-serial',
    },
    routedOptions(o),
  );
}

function createV3Client(v3, opts) {
  const c = v3ClientContext(v3, opts);
  const { appid, mchId, serialNo, baseUrl } = c;
  return Object.freeze({
    appid,
    mchId,
    jsapi: (order) => jsapiV3(c, order),
    queryByOutTradeNo: (no) => queryByOutTradeNoV3(c, no),
    queryById: (id) => queryByIdV3(c, id),
    close: (no) => closeV3(c, no),
    refund: (r) => refundV3(c, r),
    queryRefund: (no) => queryRefundV3(c, no),
    certificates: () => downloadCertificates(c),
    reconcile: (outTradeNo, outRefundNos) => reconcileV3(c, outTradeNo, outRefundNos),
    requestPaymentParams: (prepayId) => requestPaymentParamsV3(c, prepayId),
    createNotifyHandler: (o) => v3NotifyHandler(c, o),
    // Files (issue 27): see client-files.js and client-bills.js.
    download: (url, o) => downloadV3(c, url, o),
    downloadStream: (url, o) => downloadStreamV3(c, url, o),
    bill: (kind, query, o) => billV3(c, kind, query, o),
    billStream: (kind, query, o) => billStreamV3(c, kind, query, o),
    upload: (url, f) => uploadV3(c, url, f),
    complaintImage: (mediaUrlOrId, o) => complaintImageV3(c, mediaUrlOrId, o),
    // Any v3 path, and sensitive fields (issue 27: js/v3/client-generic.js).
    ...genericMethods(c),
    // Product helpers over it (issue 27: client-products.js and the modules named below).
    ...productMethods(c),
    partner: partnerMethods(c), // client-partner.js
    profitSharing: profitSharingMethods(c), // client-profit-sharing.js
    transfer: transferMethods(c), // client-transfer.js
    transferParams: (answer) => transferParams(c, answer),
    complaints: complaintMethods(c), // client-complaints.js
    /** The serials (or PUB_KEY_ID_…) the client verifies with now. */
    serials: () => [...c.ring.keys.keys()],
    toString: () => `[wxpay-wasm v3 client ${mchId}]`,
    toJSON: () => ({ appid, mchId, serialNo, baseUrl }),
  });
}

export { createV3Client, WECHAT_V3_BASE };
