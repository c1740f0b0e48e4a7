//! WeChat Pay API v2 for mini-program payments, in the order a payment happens:
//! sign and build the unified order ([`order`]), read WeChat's reply ([`response`]), hand
//! the mini-program its `wx.requestPayment` object ([`pay_params`]), verify the
//! payment-result notification ([`notify`]).
//!
//! The core is plain Rust; `wasm.rs` is the only file that knows JavaScript.

pub mod diagnose;
pub mod error;
pub mod json;
pub mod nonce;
pub mod notify;
pub mod order;
pub mod params;
pub mod pay_params;
pub mod request;
pub mod response;
pub mod sign;
pub mod validate;
pub mod xml;

/// The JavaScript boundary; public so the wasm-bindgen tests can call it as JS would.
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use diagnose::{diagnose_sign, Cause, Diagnosis};
pub use error::{Code, Result, WxError};
pub use notify::{build_notify_xml, notify_reply, verify_notify, Expect, NotifyOptions};
pub use order::build_unified_order_xml;
pub use params::Params;
pub use pay_params::{request_payment_params, PayParams};
pub use response::parse_response;
pub use sign::{sign, signing_string, verify, SignType};
pub use xml::{parse_xml, to_xml};
