// The public JavaScript API of `wxpay-wasm/v3`: every name the entry exports, gathered from
// the modules of one concern beside this file. The runtime entries (js/v3/entries/*) bind
// the wasm (js/v3/wasm.js) and export these names, plus init().
//
// The split, and why: every RSA operation and the AES-256-GCM block work run in the host's
// crypto (crypto.js says why). Everything else is the Rust core's: the signed messages, the
// Authorization header, reading the Wechatpay-* headers, the skew window, the probe check,
// key selection by serial, PEM/DER/X.509 (PKCS#1 → PKCS#8, SPKI out of a certificate), the
// encrypted resource's fields (algorithm, nonce, Base64, tag length), JSON validation and
// the expectations. js/v3 only moves bytes between the two, checks argument types and
// options (args.js), and caches imported keys (keys.js).
import { createV3Client } from './client.js';
import * as api from './api.js';

export { WxPayError } from '../core/index.js';
export { importPrivateKey } from './keys.js';
export {
  authorization,
  requestPaymentParams,
  buildJsapiOrder,
  buildQueryByOutTradeNo,
  buildQueryById,
  buildCloseOrder,
  buildRefund,
  buildRefundQuery,
  parseErrorResponse,
  buildRequest,
} from './requests.js';
export { verifySignature, verifyNotify, decryptResource, parseCertificates, notifyReply } from './callbacks.js';
export { encryptSensitive, decryptSensitive } from './sensitive.js';

/** The client over this API (js/v3/client.js): sign, send, verify, retry where safe. */
export function createClient(opts) {
  return createV3Client(api, opts);
}
