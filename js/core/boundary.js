// The string protocol over a wasm instance built from src/wasm/mod.rs (every API
// family's wasm has the same input/output buffers).

// Speed trick (see "string passing" in src/wasm/mod.rs): string arguments are written into
// one wasm buffer with TextEncoder.encodeInto and results are decoded where wasm left
// them, instead of wasm-bindgen's per-string copies.
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
