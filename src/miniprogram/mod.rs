//! The mini-program server around a payment (issue 29), the parts that are cryptography:
//! WeChat's message push (the URL check and safe mode's AES-256-CBC envelope) and virtual
//! payment's (xpay) two HMAC-SHA256 signatures. The HTTP calls (code2Session, the access
//! token, shipping, xpay's server APIs) are plain JSON over fetch and live in
//! js/miniprogram; only what must be exact and constant-time is here.
//!
//! Built only with the `miniprogram` feature, into a wasm of its own
//! (pkg/miniprogram), so neither the v2 nor the v3 wasm carries it. It reads only `core`.
//!
//! - [`push`]: `signature` / `msg_signature` (SHA-1 of the sorted parts) and safe mode.
//! - [`xml`]: a push message's XML (nested elements) as JSON text, hardened like v2's parser.
//! - [`xpay`]: `paySig` and the user-state `signature`.

pub mod push;
pub mod xml;
pub mod xpay;
