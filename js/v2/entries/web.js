// The browser entry of `wxpay-wasm` (pkg/web/index.js; the exports map's `browser`,
// `import` and `default`: browsers and bundlers). scripts/build-pkg.mjs bundles it with
// esbuild: js/ modules are resolved from this file, js/core becomes an import of the shared
// pkg/core/index.js, and the wasm-bindgen glue (`./wxpay_wasm.js`,
// `../diagnose/web/wxpay_wasm.js`) is left as written, relative to pkg/web/.
//
// A browser fetches the wasm: `await init()` first (a URL, bytes or a Response may be
// given); until then every call throws a WxPayError saying so. diagnoseSign's own wasm is
// fetched by `await initDiagnose()`, so a page that never diagnoses never downloads it.
import initWasm, * as glue from './wxpay_wasm.js';
import { notLoaded, onDemand } from '../../core/index.js';
import { bindWasm } from '../wasm.js';
import * as api from '../api.js';

export * from '../api.js';

const diagnosis = onDemand(async (input) => {
  const g = await import('../diagnose/web/wxpay_wasm.js');
  await g.default(input === undefined ? undefined : { module_or_path: input });
  return g;
}, 'diagnoseSign has its own wasm in browsers and Workers: await initDiagnose() first');

bindWasm(notLoaded('wxpay-wasm is not initialised yet: await init() first'), diagnosis.get);

let loading;
/** Loads the wasm once; later calls return the same promise. */
export function init(input) {
  loading ??= initWasm(input === undefined ? undefined : { module_or_path: input }).then(() => bindWasm(glue));
  return loading;
}

/** Loads diagnoseSign's own wasm once; later calls return the same promise. */
export const initDiagnose = diagnosis.load;

export default { ...api, init, initDiagnose };
