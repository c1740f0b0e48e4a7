// The public JavaScript API of `wxpay-wasm/miniprogram` (issue 29): every name the entry
// exports, gathered from the modules of one concern beside this file. The runtime entries
// (js/miniprogram/entries/*) bind the wasm (js/miniprogram/wasm.js) and export these, plus init().
//
// The split: the message push's signatures and AES-256-CBC envelope, the push XML parser and
// xpay's HMAC-SHA256 signatures are the Rust core's (src/miniprogram); the HTTP calls to
// WeChat (login, access token, shipping, xpay's server APIs) are plain JSON and live here.
export { WxPayError } from '../core/index.js';
export { verifyPushUrl, decryptPush, encryptPush, pushRequest } from './push.js';
export { createPushHandler } from './push-handler.js';
export { xpaySignatures, virtualPaymentParams } from './xpay.js';
export { createMiniProgram } from './client.js';
