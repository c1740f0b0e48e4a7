// The v2 boundary: the one module of js/v2 that holds the v2 wasm. Its exports are those of
// src/wasm/v2.rs (the diagnosis wasm's: src/wasm/diagnose.rs); the runtime entry
// (js/v2/entries/*) binds them with `bindWasm` before any call, from the wasm-bindgen glue
// of its runtime. Every other module of js/v2 calls wasm through the helpers here, which
// follow the conventions written in js/core/boundary.js.
import { options, rethrow, strictOptions, wasmStrings } from '../core/index.js';
import CONTRACT from '../contract.json' with { type: 'json' };
import { resultHint } from './errcodes.js';

/**
 * The v2 wasm's exports (wasm-bindgen glue), as the entry bound them; called directly for
 * the cold calls, which use wasm-bindgen's own glue (convention 3).
 */
export let wasm = null;
/** The string buffers over `wasm` (convention 1). */
let io = null;
/** Returns the diagnosis wasm's exports, loading it or throwing where it must be loaded first. */
let diagnosisLoader = null;

/**
 * Binds the v2 wasm (`exports`: the glue's module, or a stand-in that throws until it is
 * initialised) and how to reach the diagnosis wasm. An entry may bind again (the browser
 * entry binds the real glue once `init()` has loaded it).
 */
export function bindWasm(exports, diagnosis) {
  wasm = exports;
  io = wasmStrings(exports);
  if (diagnosis !== undefined) diagnosisLoader = diagnosis;
}

/** The diagnosis wasm's exports (src/wasm/diagnose.rs). */
export const diagnosis = () => diagnosisLoader();

/** Runs `f`, turning what wasm threw into a WxPayError (a RESULT_FAIL err_code explained). */
export function call(f) {
  try {
    return f();
  } catch (e) {
    return rethrow(e, resultHint);
  }
}

/** Convention 1: calls export `fn` with string arguments through the buffers; its string result. */
export const text = (fn, ...args) => io.take(wasm[fn](...io.put(args)));

/** Convention 1 for an export whose result is not a string: the byte lengths to pass it. */
export const put = (args) => io.put(args);

/** Refuses option names the contract does not list for the function. */
const check = strictOptions(CONTRACT.functions.v2);

/** An options object as JSON for wasm, its names checked against the contract first. */
export const opt = (o, fn) => options(o, check, fn);
