//! The JavaScript boundary, and the only Rust that knows about it. Each API family has
//! its own file of exports (`v2.rs`, `v3.rs`; `diagnose.rs`, a wasm of its own); every
//! export decodes its arguments ([`wire`], [`options`]), makes one core call and encodes
//! the result ([`wire`]).
//!
//! - `bridge`: wasm-bindgen glue: the string buffers and the error mapping (wasm only).
//! - [`wire`]: the JSON the boundary reads and writes; [`options`]: options objects read
//!   name by name. Both compile natively too, so property tests and fuzzers drive them.

#[cfg(feature = "v2")]
pub mod options;
#[cfg(feature = "v2")]
pub mod wire;

#[cfg(target_arch = "wasm32")]
mod bridge;
#[cfg(target_arch = "wasm32")]
pub use bridge::*;

// `diagnose-only` builds the diagnosis wasm: its one export and the boundary (see diagnose.rs).
#[cfg(all(target_arch = "wasm32", feature = "v2", not(feature = "diagnose-only")))]
pub mod v2;
#[cfg(all(target_arch = "wasm32", feature = "diagnose"))]
pub mod diagnose;
#[cfg(all(target_arch = "wasm32", feature = "v3"))]
pub mod v3;
