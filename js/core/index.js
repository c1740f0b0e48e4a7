// What every entry (wxpay-wasm, wxpay-wasm/v3) shares. scripts/build-pkg.mjs bundles this
// module with esbuild into pkg/core/index.cjs (Node) and pkg/core/index.js (browsers); every
// entry imports that one module instead of a copy, so WxPayError is one class across them.
export * from './contract.js';
export * from './error.js';
export * from './describe.js';
export * from './args.js';
export * from './options.js';
export * from './body.js';
export * from './boundary.js';
export * from './loading.js';
