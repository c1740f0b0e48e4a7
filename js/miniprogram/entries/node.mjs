// The Node entry of `wxpay-wasm/miniprogram` for import (pkg/miniprogram/node/index.mjs): it
// re-exports the CommonJS entry beside it, so require() and import share one module and
// WxPayError is one class (js/v3/entries/node.mjs says why the names are listed here;
// scripts/build-pkg.mjs fails when they differ from the CommonJS entry's).
import { createRequire } from 'node:module';

const api = createRequire(import.meta.url)('./index.cjs');

export const {
  WxPayError,
  createMiniProgram,
  createPushHandler,
  decryptPush,
  encryptPush,
  init,
  pushRequest,
  verifyPushUrl,
  virtualPaymentParams,
  xpaySignatures,
} = api;
export default api;
