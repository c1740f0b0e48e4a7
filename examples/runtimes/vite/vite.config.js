// `vite build` needs nothing special. `vite dev` pre-bundles dependencies with esbuild,
// which drops the wasm's `new URL(…)`: keep the package out of that step.
export default { optimizeDeps: { exclude: ['wxpay-wasm'] } };
