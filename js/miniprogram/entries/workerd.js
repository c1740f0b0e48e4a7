// The Workers entry of `wxpay-wasm/miniprogram` (pkg/miniprogram/web/workerd.js), built like
// js/v3/entries/workerd.js: the `.wasm` import is a compiled WebAssembly.Module there, so
// the instance is made synchronously at import.
import wasmModule from './wxpay_wasm_bg.wasm';
import * as glue from './wxpay_wasm.js';
import { bindWasm } from '../wasm.js';
import * as api from '../api.js';

export * from '../api.js';

glue.initSync({ module: wasmModule });
bindWasm(glue);

/** The wasm is instantiated at import; init() exists so universal code can await it. */
export function init() {
  return Promise.resolve();
}

export default { ...api, init };
