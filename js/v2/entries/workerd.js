// The Workers entry of `wxpay-wasm` (pkg/web/workerd.js; the exports map's `workerd`
// condition: Cloudflare Workers, wrangler, miniflare). scripts/build-pkg.mjs bundles it with
// esbuild like web.js; the glue and `.wasm` imports are left as written, relative to pkg/web/.
//
// There the `.wasm` import is a compiled WebAssembly.Module (wrangler's default rule for
// `*.wasm`), so the instance is made synchronously at import, with no fetch of a URL (a
// Worker has no file URL to fetch). The same web glue and pkg/core as web.js, so WxPayError
// is one class across both entries. diagnoseSign's wasm is imported by `initDiagnose()`.
import wasmModule from './wxpay_wasm_bg.wasm';
import * as glue from './wxpay_wasm.js';
import { onDemand } from '../../core/index.js';
import { bindWasm } from '../wasm.js';
import * as api from '../api.js';

export * from '../api.js';

const diagnosis = onDemand(async () => {
  const [m, g] = await Promise.all([
    import('../diagnose/web/wxpay_wasm_bg.wasm'),
    import('../diagnose/web/wxpay_wasm.js'),
  ]);
  g.initSync({ module: m.default });
  return g;
}, 'diagnoseSign has its own wasm in browsers and Workers: await initDiagnose() first');

glue.initSync({ module: wasmModule });
bindWasm(glue, diagnosis.get);

/** The wasm is instantiated at import; init() exists so universal code can await it. */
export function init() {
  return Promise.resolve();
}

/** Loads diagnoseSign's own wasm once; later calls return the same promise. */
export const initDiagnose = diagnosis.load;

export default { ...api, init, initDiagnose };
