// The browser entry of `wxpay-wasm/miniprogram` (pkg/miniprogram/web/index.js), built like
// js/v3/entries/web.js: `await init()` first; until then every wasm call throws a WxPayError
// saying so. (A browser is for the debugging page: push signatures and decryption, xpay
// signatures; the server calls need the mini-program's secret and belong on a server.)
import initWasm, * as glue from './wxpay_wasm.js';
import { notLoaded } from '../../core/index.js';
import { bindWasm } from '../wasm.js';
import * as api from '../api.js';

export * from '../api.js';

bindWasm(notLoaded('wxpay-wasm is not initialised yet: await init() first'));

let loading;
/** Loads the wasm once; later calls return the same promise. */
export function init(input) {
  loading ??= initWasm(input === undefined ? undefined : { module_or_path: input }).then(() => bindWasm(glue));
  return loading;
}

export default { ...api, init };
