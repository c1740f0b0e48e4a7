// The Node entry of `wxpay-wasm/v3` for import (pkg/v3/node/index.mjs; the exports map's
// `node.import`, `bun.import` and `deno`). It re-exports the CommonJS entry beside it
// (js/v3/entries/node.cjs → pkg/v3/node/index.cjs), so require() and import share one
// module and WxPayError is one class.
//
// createRequire, not `import api from './index.cjs'`: importing CommonJS makes Node scan the
// whole bundle with cjs-module-lexer for its export names (~30 ms of a fresh process's
// start-up, measured with --cpu-prof); require()'s module is the same object. So the names
// are listed here; scripts/build-pkg.mjs fails when they differ from the CommonJS entry's.
import { createRequire } from 'node:module';

const api = createRequire(import.meta.url)('./index.cjs');

export const {
  WxPayError,
  authorization,
  buildCloseOrder,
  buildJsapiOrder,
  buildQueryById,
  buildQueryByOutTradeNo,
  buildRefund,
  buildRefundQuery,
  buildRequest,
  createClient,
  decryptResource,
  decryptSensitive,
  encryptSensitive,
  importPrivateKey,
  init,
  notifyReply,
  parseCertificates,
  parseErrorResponse,
  requestPaymentParams,
  verifyNotify,
  verifySignature,
} = api;
export default api;
