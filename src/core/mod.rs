//! What every API version uses: the one error type, CSPRNG nonces, Base64, JSON's lexer, and the
//! constant-time comparison of signatures. Nothing here knows v2, v3 or JavaScript.

pub mod base64;
pub mod ct;
pub mod error;
pub mod json;
pub mod nonce;
