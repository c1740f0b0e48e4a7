// The shared core for require() (pkg/core/index.cjs; js/core/index.js is its browser twin,
// pkg/core/index.js). Every CommonJS entry requires this one module, so WxPayError is one
// class across `wxpay-wasm` and `wxpay-wasm/v3`. scripts/build-pkg.mjs bundles it with esbuild.
'use strict';
// A plain object of the core's names (a module namespace's members would be getters, read
// at every use by the entries' bundles).
module.exports = { ...require('./index.js') };
