// The v2 API (`wxpay-wasm`): every name the package's main entry exports, gathered from the
// modules of one concern beside this file. The runtime entries (js/v2/entries/*) bind the
// wasm (js/v2/wasm.js) and export these names, plus init() and initDiagnose().
//
// Each module checks its arguments, hands parameter objects to wasm as a field list (JSON
// when the list cannot carry them) and options as JSON, and turns the errors wasm throws
// into WxPayError instances (js/core/boundary.js says how values cross).
import CONTRACT from '../contract.json' with { type: 'json' };
import { createV2Client } from './client.js';
import * as api from './api.js';

export { WxPayError, ERROR_CODES } from '../core/index.js';
export { sign, signingString, verify, nonceStr, toXml, diagnoseSign, __wasmMemoryBytes } from './sign.js';
export {
  buildUnifiedOrderXml,
  buildNotifyXml,
  buildOrderQueryXml,
  buildCloseOrderXml,
  buildRefundXml,
  buildRefundQueryXml,
  buildDownloadBillXml,
  buildSandboxSignKeyXml,
  requestPaymentParams,
} from './requests.js';
export {
  parseXml,
  parseUnifiedOrderResponse,
  parseResponse,
  verifyNotify,
  notifyReply,
  parseSandboxSignKeyResponse,
  parseBill,
  groupIndexed,
  decryptReqInfo,
  decryptRefundNotify,
} from './replies.js';
export { describeErrCode, errorCatalogue } from './errcodes.js';

/** What diagnoseSign can blame, in the order it tries them. */
export const DIAGNOSIS_CAUSES = Object.freeze(CONTRACT.causes.map((c) => c.cause));
/** Each cause explained in English, by cause id (the debugging page shows these). */
export const DIAGNOSIS_TEXTS = Object.freeze(Object.fromEntries(CONTRACT.causes.map((c) => [c.cause, c.en])));
/** Endpoint paths under https://api.mch.weixin.qq.com, by API name. */
export const API_PATHS = Object.freeze(Object.fromEntries(CONTRACT.endpoints.v2.map((e) => [e.name, e.path])));
/** APIs whose HTTPS request must present the merchant's client certificate. */
export const CLIENT_CERT_APIS = Object.freeze(CONTRACT.endpoints.v2.filter((e) => e.clientCert).map((e) => e.name));

/** The client over this API (js/v2/client.js): sign, send, verify, retry where safe. */
export function createClient(opts) {
  return createV2Client(api, opts);
}
