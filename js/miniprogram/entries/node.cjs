// The Node entry of `wxpay-wasm/miniprogram` for require() (pkg/miniprogram/node/index.cjs),
// built like js/v3/entries/node.cjs: js/ modules bundled, js/core a require() of the shared
// pkg/core/index.cjs, the wasm-bindgen glue left as written (relative to pkg/miniprogram/node/).
// Node loads the wasm synchronously, so the package works with no init() call.
'use strict';
const { bindWasm } = require('../wasm.js');

bindWasm(require('./wxpay_wasm.js'));

// A plain object of the API's names (a module namespace's members would be getters).
const api = { ...require('../api.js') };
/** Node loads the module synchronously; init() exists so universal code can await it. */
api.init = () => Promise.resolve();
module.exports = api;
