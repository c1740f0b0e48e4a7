// The JavaScript half of the boundary with wasm, and where its conventions are written down
// (the Rust half: src/wasm/mod.rs; both halves: docs/development/boundary.md). Every call
// into a family's wasm goes through that family's boundary module (js/v2/wasm.js,
// js/v3/wasm.js), which uses the helpers here. One convention per kind of call:
//
// 1. Hot string calls (v2's sign, verify, builders, parsers): `wasmStrings`. The arguments
//    are written back to back into one reusable wasm buffer with TextEncoder.encodeInto,
//    only their byte lengths (`usize`) cross, and the result is decoded where wasm left it.
//    Rust half: `args` / `output` in src/wasm/bridge.rs.
// 2. Parameter objects (v2): `withFields`. A field list (`\0` + count + `\0` +
//    `name\0value\0`…) when the object holds only strings and safe integers, else JSON
//    (`params` in args.js). Options objects always go as JSON (`options` in args.js), since
//    their types matter. Rust half: src/wasm/fields.rs, src/wasm/options.rs.
// 3. Cold calls (rare v2 exports, every v3 export): wasm-bindgen's own glue, `&str`,
//    `&[u8]`, `Option<…>` in, a string or bytes out. Its per-string copy is noise next to
//    what those calls do (an RSA operation costs ~1 ms).
// 4. Several results at once (v3): one array per call, whose positions are named once in
//    Rust (src/wasm/tuples.rs, written to js/v3/tuples.json by a bless test) and read here
//    by `namedTuples`: one crossing per call, where an object built in Rust would cost one
//    crossing per member.
// 5. Errors: wasm throws a plain Error named WxPayError with `code` and details
//    (src/wasm/bridge.rs `to_js`); `rethrow` (error.js) makes it a WxPayError instance.
//
// The speed tricks (1, 2, 4) are measured wins: docs/development/performance.md says by how much.
import { params } from './args.js';
import { isPlainObject } from './describe.js';

// Speed trick 1: string arguments are written into one wasm buffer with
// TextEncoder.encodeInto and results are decoded where wasm left them, instead of
// wasm-bindgen's per-string copies.
export function wasmStrings(raw) {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  // Node's Buffer decodes UTF-8 several times faster than its TextDecoder.
  const NodeBuffer = typeof Buffer === 'function' && typeof Buffer.prototype.utf8Slice === 'function' ? Buffer : null;
  let memory = null;
  let bytes = null; // Uint8Array over wasm memory, for writing (subarrays of it are cheap)
  let nodeBytes = null; // Buffer over the same memory, for decoding in Node
  // Views of wasm memory, renewed when the memory grows (the old buffer then has length 0).
  const fresh = () => {
    if (bytes === null || bytes.byteLength === 0) {
      memory ??= raw.wasmMemory();
      bytes = new Uint8Array(memory.buffer);
      nodeBytes = NodeBuffer ? NodeBuffer.from(memory.buffer) : null;
    }
  };
  return {
    /** Writes the strings back to back into wasm's input buffer; returns their byte lengths. */
    put(strings) {
      let room = 0;
      for (let i = 0; i < strings.length; i++) room += strings[i].length * 3; // UTF-16 unit: ≤ 3 UTF-8 bytes
      let at = raw.inputBuffer(room);
      fresh();
      const lens = new Array(strings.length);
      for (let i = 0; i < strings.length; i++) {
        lens[i] = encoder.encodeInto(strings[i], bytes.subarray(at)).written;
        at += lens[i];
      }
      return lens;
    },
    /** The string result of the call that just returned `len`. */
    take(len) {
      const at = raw.outputPtr();
      fresh();
      return nodeBytes ? nodeBytes.utf8Slice(at, at + len) : decoder.decode(bytes.subarray(at, at + len));
    },
  };
}

/**
 * Speed trick 2 (issue 15; the format is `field_list` in src/wasm/fields.rs): a parameter
 * object of strings and safe integers as `\0` + count + `\0` + `name\0value\0`…, cheaper to
 * build than JSON.stringify and for wasm to split (sign: −14 to −17 % a call, see
 * docs/development/performance.md). Anything else (bigint, a wrong type, a lone surrogate,
 * a symbol key) goes by `params`, so every check and error message is the JSON path's.
 * `null` and `undefined` are left out, as JSON does.
 */
export function fieldList(p, what) {
  if (!isPlainObject(p)) return params(p, what);
  const names = Object.keys(p); // own enumerable names, what JSON.stringify writes
  let list = '';
  let count = 0;
  for (let i = 0; i < names.length; i++) {
    const v = p[names[i]];
    if (typeof v === 'string' || (typeof v === 'number' && Number.isSafeInteger(v))) {
      list += names[i] + '\0' + v + '\0';
      count++;
    } else if (v !== undefined && v !== null) {
      return params(p, what);
    }
  }
  list = '\0' + count + '\0' + list;
  return list.isWellFormed() && Object.getOwnPropertySymbols(p).length === 0 ? list : params(p, what);
}

/**
 * `f(wire)` with the parameter object `p` as a field list; again with JSON when wasm cannot
 * split the list (a U+0000 inside a name or value, which JSON carries as `\u0000`; wasm
 * marks that error with the detail `retryAsJson`, src/wasm/fields.rs RETRY_AS_JSON).
 */
export function withFields(p, what, f) {
  const list = fieldList(p, what);
  try {
    return f(list);
  } catch (e) {
    if (e?.retryAsJson !== 'true') throw e;
    return f(params(p, what));
  }
}

/**
 * Convention 4: turns the arrays exports return into objects whose member names are the
 * ones src/wasm/tuples.rs gives each export (`table`: `{ exportName: [name, …] }`, the JSON
 * a bless test writes from it). `one(fn, array)`: the array is one tuple; `many(fn, array)`:
 * tuples back to back (one per certificate). A length the names do not fit is a build
 * mismatch, thrown as a plain Error (a bug of ours, not the caller's).
 */
export function namedTuples(table) {
  const keysOf = (fn, length) => {
    const keys = table[fn];
    if (keys === undefined || length % keys.length !== 0) {
      throw new Error(`wxpay-wasm: ${fn} returned a tuple this build does not name`);
    }
    return keys;
  };
  const at = (keys, array, from) => {
    const out = {};
    for (let i = 0; i < keys.length; i++) out[keys[i]] = array[from + i];
    return out;
  };
  return {
    one(fn, array) {
      const keys = keysOf(fn, array.length);
      if (array.length !== keys.length) {
        throw new Error(`wxpay-wasm: ${fn} returned ${array.length} values, not ${keys.length}`);
      }
      return at(keys, array, 0);
    },
    many(fn, array) {
      const keys = keysOf(fn, array.length);
      const out = [];
      for (let i = 0; i < array.length; i += keys.length) out.push(at(keys, array, i));
      return out;
    },
  };
}
