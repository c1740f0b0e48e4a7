// The Node entry of `wxpay-wasm` for import (pkg/node/index.mjs; the exports map's
// `node.import`, `bun.import` and `deno`). It re-exports the CommonJS entry beside it
// (js/v2/entries/node.cjs → pkg/node/index.cjs), so require() and import share one module
// and WxPayError is one class.
//
// createRequire, not `import api from './index.cjs'`: importing CommonJS makes Node scan the
// whole bundle with cjs-module-lexer for its export names (~30 ms of a fresh process's
// start-up, measured with --cpu-prof); require()'s module is the same object. So the names
// are listed here; scripts/build-pkg.mjs fails when they differ from the CommonJS entry's.
import { createRequire } from 'node:module';

const api = createRequire(import.meta.url)('./index.cjs');

export const {
  API_PATHS,
  CLIENT_CERT_APIS,
  DIAGNOSIS_CAUSES,
  DIAGNOSIS_TEXTS,
  ERROR_CODES,
  WxPayError,
  __wasmMemoryBytes,
  buildCloseOrderXml,
  buildDownloadBillXml,
  buildNotifyXml,
  buildOrderQueryXml,
  buildRefundQueryXml,
  buildRefundXml,
  buildSandboxSignKeyXml,
  buildUnifiedOrderXml,
  createClient,
  decryptRefundNotify,
  decryptReqInfo,
  describeErrCode,
  diagnoseSign,
  errorCatalogue,
  groupIndexed,
  init,
  initDiagnose,
  nonceStr,
  notifyReply,
  parseBill,
  parseResponse,
  parseSandboxSignKeyResponse,
  parseUnifiedOrderResponse,
  parseXml,
  requestPaymentParams,
  sign,
  signingString,
  toXml,
  verify,
  verifyNotify,
} = api;
export default api;
