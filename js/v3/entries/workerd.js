// The Workers entry of `wxpay-wasm/v3` (pkg/v3/web/workerd.js; the exports map's `workerd`
// condition: Cloudflare Workers, wrangler, miniflare). scripts/build-pkg.mjs bundles it with
// esbuild like web.js; the glue and `.wasm` imports are left as written, relative to
// pkg/v3/web/.
//
// There the `.wasm` import is a compiled WebAssembly.Module (wrangler's default rule for
// `*.wasm`), so the instance is made synchronously at import, with no fetch of a URL. The
// same web glue and pkg/core as web.js, so WxPayError is one class across both entries.
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
