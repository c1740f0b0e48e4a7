// What every entry (wxpay-wasm, wxpay-wasm/v3) shares. scripts/build-pkg.mjs bundles
// these modules, in this order, into pkg/core/index.cjs (Node) and pkg/core/index.js
// (browsers); each entry imports that one module, so WxPayError is one class.
export * from './contract.js';
export * from './error.js';
export * from './describe.js';
export * from './args.js';
export * from './options.js';
export * from './body.js';
export * from './wasm.js';
