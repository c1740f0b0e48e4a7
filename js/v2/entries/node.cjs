// The Node entry of `wxpay-wasm` for require() (pkg/node/index.cjs; the exports map's
// `node.require`, `bun.require`, and `main`). scripts/build-pkg.mjs bundles it with esbuild:
// js/ modules are resolved from this file, js/core becomes a require() of the shared
// pkg/core/index.cjs, and the wasm-bindgen glue (`./wxpay_wasm.js`) is left as written,
// relative to pkg/node/ where the build puts it.
//
// Node loads the wasm synchronously, so the package works with no init() call; the
// diagnosis wasm (src/wasm/diagnose.rs) is required at diagnoseSign's first call only.
'use strict';
const { bindWasm } = require('../wasm.js');

bindWasm(require('./wxpay_wasm.js'), () => require('../diagnose/node/wxpay_wasm.js'));

// A plain object of the API's names (a module namespace's members would be getters).
const api = { ...require('../api.js') };
/** Node loads the module synchronously; init() exists so universal code can await it. */
api.init = () => Promise.resolve();
/** diagnoseSign's wasm loads at its first call in Node; this exists for universal code. */
api.initDiagnose = () => Promise.resolve();
module.exports = api;
