// The browser entry of `wxpay-wasm/v3` (pkg/v3/web/index.js; the exports map's `browser`,
// `import` and `default`: browsers and bundlers). scripts/build-pkg.mjs bundles it with
// esbuild: js/ modules are resolved from this file, js/core becomes an import of the shared
// pkg/core/index.js, and the wasm-bindgen glue (`./wxpay_wasm.js`) is left as written,
// relative to pkg/v3/web/.
//
// A browser fetches the wasm: `await init()` first (a URL, bytes or a Response may be
// given); until then every call throws a WxPayError saying so.
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
