// The Node entry of `wxpay-wasm/v3` for require() (pkg/v3/node/index.cjs; the exports map's
// `node.require` and `bun.require`). scripts/build-pkg.mjs bundles it with esbuild: js/
// modules are resolved from this file, js/core becomes a require() of the shared
// pkg/core/index.cjs, and the wasm-bindgen glue (`./wxpay_wasm.js`) is left as written,
// relative to pkg/v3/node/ where the build puts it.
//
// Node loads the wasm synchronously, so the package works with no init() call.
'use strict';
const { bindWasm } = require('../wasm.js');

bindWasm(require('./wxpay_wasm.js'));

// A plain object of the API's names (a module namespace's members would be getters).
const api = { ...require('../api.js') };
/** Node loads the module synchronously; init() exists so universal code can await it. */
api.init = () => Promise.resolve();
module.exports = api;
