//! WeChat Pay for JavaScript from one Rust core. The house, arrows pointing down only:
//!
//! - [`v2`]: API v2 (XML, MD5 / HMAC-SHA256), one module per concern.
//! - [`v3`]: API v3 (RSA, AES-256-GCM), beside v2; the two never import each other.
//! - `miniprogram`: the mini-program server's message push and xpay signatures (issue 29),
//!   beside them, reading only `core`; its own wasm (feature `miniprogram`).
//! - [`contract`]: the data both families and JavaScript share (endpoints, limits, codes,
//!   option names), on its own floor just above `core`: it reads only `core`.
//! - [`core`]: what both use (errors, nonces, encodings, constant-time compare, JSON's lexer
//!   and string writer).
//! - `wasm`: the only code that knows JavaScript; one file of thin exports per API.
//!
//! Each API version is a cargo feature (`v2`, `v3`, both on by default), so the package
//! builds one wasm per version and a v2 user's download does not carry v3.

pub mod contract;
pub mod core;
#[cfg(feature = "miniprogram")]
pub mod miniprogram;
#[cfg(feature = "v2")]
pub mod v2;
#[cfg(feature = "v3")]
pub mod v3;

/// The JavaScript boundary; public so the wasm-bindgen tests can call it as JS would.
/// Its wasm-bindgen exports exist only on wasm32; its wire codec compiles everywhere.
pub mod wasm;

pub use crate::core::error::{Code, Result, WxError};
