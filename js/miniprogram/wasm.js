// The mini-program boundary: the one module of js/miniprogram that holds its wasm (the
// exports of src/wasm/miniprogram.rs, every name starting with `mp`). The runtime entry
// (js/miniprogram/entries/*) binds them with `bindWasm` before any call. Cold calls only
// (convention 3 of js/core/boundary.js): wasm-bindgen's own glue, strings in and out.
import { rethrow } from '../core/index.js';

/** The mini-program wasm's exports (wasm-bindgen glue), as the entry bound them. */
export let wasm = null;

/** Binds the wasm: the glue's module, or a stand-in that throws until it is initialised. */
export function bindWasm(exports) {
  wasm = exports;
}

/** Calls export `fn`, turning what wasm threw into a WxPayError. */
export function call(fn, ...args) {
  try {
    return wasm[fn](...args);
  } catch (e) {
    return rethrow(e);
  }
}
