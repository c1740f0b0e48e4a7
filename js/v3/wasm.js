// The v3 boundary: the one module of js/v3 that holds the v3 wasm. Its exports are those of
// src/wasm/v3.rs (every name starts with `v3`); the runtime entry (js/v3/entries/*) binds
// them with `bindWasm` before any call, from the wasm-bindgen glue of its runtime. v3 calls
// are cold next to the RSA each one costs, so they use wasm-bindgen's own glue (convention
// 3 of js/core/boundary.js); calls that return several values get them as one tuple whose
// members src/wasm/tuples.rs names (convention 4; js/v3/tuples.json), read here by `tuple`.
import { namedTuples, rethrow } from '../core/index.js';
import TUPLES from './tuples.json' with { type: 'json' };

/** The v3 wasm's exports (wasm-bindgen glue), as the entry bound them. */
export let wasm = null;

/** Binds the v3 wasm: the glue's module, or a stand-in that throws until it is initialised. */
export function bindWasm(exports) {
  wasm = exports;
}

/** Runs `f`, turning what wasm threw into a WxPayError. */
export function call(f) {
  try {
    return f();
  } catch (e) {
    return rethrow(e);
  }
}

/** Each tuple export's member names, written from src/wasm/tuples.rs by a bless test. */
const named = namedTuples(TUPLES);

/** Calls export `fn`, which returns one tuple, and names its members (src/wasm/tuples.rs). */
export const tuple = (fn, ...args) =>
  named.one(
    fn,
    call(() => wasm[fn](...args)),
  );

/** Calls export `fn`, which returns tuples back to back, and names the members of each. */
export const tuples = (fn, ...args) =>
  named.many(
    fn,
    call(() => wasm[fn](...args)),
  );
