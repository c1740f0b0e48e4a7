//! The JavaScript boundary, and the only Rust that knows about it. Each API family has
//! its own file of exports (`v2.rs`, `v3.rs`; `diagnose.rs` and `miniprogram.rs`, wasm files
//! of their own), called by one JS module each (js/v2/wasm.js, js/v3/wasm.js,
//! js/miniprogram/wasm.js); every export decodes its arguments,
//! makes one core call and encodes the result. No decision about payments is made here.
//!
//! # One convention per kind of call
//!
//! Written once here and in js/core/boundary.js (its JS half), with the reasons and figures
//! in docs/development/boundary.md. The speed tricks are measured wins
//! (docs/development/performance.md).
//!
//! 1. **Hot string calls** (v2's sign, verify, builders, parsers): JS writes the string
//!    arguments back to back into one reusable input buffer and passes their byte lengths
//!    (`usize`); the export splits them with [`args`] and leaves its string result in the
//!    output buffer with [`output`], returning its length. JS half: `wasmStrings`.
//! 2. **Parameter objects** (v2): a field list, or a flat JSON object when the list cannot
//!    carry them ([`fields`], [`flat_json`]); options objects always as JSON, read name by
//!    name ([`options`]). Results: one JSON string JS parses ([`results`]). JS half:
//!    `withFields`, `params`, `options`.
//! 3. **Cold calls** (the rare v2 exports, all of v3, diagnosis): wasm-bindgen's own glue,
//!    `&str`, `&[u8]`, `Option<…>` in, a `String` or bytes out; its per-string copy is noise
//!    next to what these calls do.
//! 4. **Several results at once** (v3): one array, a tuple whose members [`tuples`] names
//!    once; a bless test writes the names to js/v3/tuples.json (JS half: `namedTuples`).
//! 5. **Errors**: every failure leaves as a `WxError`, turned into a JS `Error` named
//!    WxPayError with its code and details by [`to_js`], the single place errors cross;
//!    JS makes it a WxPayError instance (`rethrow`). Nothing here panics.
//!
//! # Files
//!
//! - `bridge`: wasm-bindgen glue: the string buffers and the error mapping (wasm only).
//! - [`fields`], [`flat_json`], [`options`], [`results`]: v2's parameter sets, its flat JSON
//!   reader, options objects and JSON results. They compile natively too, so property tests
//!   and fuzzers drive them.
//! - [`tuples`]: the names of v3's tuples.

#[cfg(feature = "v2")]
pub mod fields;
#[cfg(feature = "v2")]
pub mod flat_json;
#[cfg(feature = "v2")]
pub mod options;
#[cfg(feature = "v2")]
pub mod results;

#[cfg(target_arch = "wasm32")]
mod bridge;
#[cfg(target_arch = "wasm32")]
pub use bridge::*;

// `diagnose-only` builds the diagnosis wasm: its one export and the boundary (see diagnose.rs).
#[cfg(all(target_arch = "wasm32", feature = "diagnose"))]
pub mod diagnose;
#[cfg(all(target_arch = "wasm32", feature = "miniprogram"))]
pub mod miniprogram;
#[cfg(feature = "v3")]
pub mod tuples;
#[cfg(all(target_arch = "wasm32", feature = "v2", not(feature = "diagnose-only")))]
pub mod v2;
#[cfg(all(target_arch = "wasm32", feature = "v3"))]
pub mod v3;
