//! WeChat Pay API v3 in pure Rust, everything except the RSA arithmetic.
//!
//! RSA (SHA256withRSA signing and verification, RSA-OAEP) runs outside this module: in
//! JavaScript through the host's WebCrypto (about 1 ms per signature, against 24.5 ms and
//! +109 KB gzipped for the `rsa` crate compiled to wasm), natively through the [`sign::Signer`]
//! and [`sign::Verifier`] traits (the `native-rsa` feature implements them with the `rsa`
//! crate). This module produces the exact bytes to sign or verify and consumes the results.
//! In the wasm, AES-256-GCM goes the same way: [`notify::open_notify`] and
//! [`certs::open_certificates`] check and decode the encrypted resources into
//! [`aead::Sealed`], the host decrypts, and [`notify::Opened::finish`] /
//! [`certs::finish_certificates`] check the plaintexts. Native code decrypts with
//! [`aead::Sealed::open`] (RustCrypto), which the one-shot functions below call.
//! It never imports `v2` and knows nothing of JavaScript.
//!
//! | module | what | main API |
//! |---|---|---|
//! | [`auth`] | request `Authorization` | `message(method, url, timestamp, nonce, body) -> Result<String>`, `header(mchid, serial_no, timestamp, nonce, signature_b64) -> Result<String>`, `parse_header(&str) -> Result<AuthHeader>`, `new_nonce()` |
//! | [`verify`] | response / callback signature checks | `Headers::from_pairs(iter)`, `prepare(body, &headers, now_secs, max_skew_secs, has_key) -> Result<Prepared { message, signature, serial, timestamp }>`, `DEFAULT_MAX_SKEW_SECS` |
//! | [`keys`] | PEM / DER / X.509 | `private_key_pkcs8_der(pem)`, `public_key_spki_der(pem)`, `verification_key(pem) -> CertInfo` (a public key: serial `""`, validity `i64::MIN…i64::MAX`), `certificate_info(pem_or_der) -> CertInfo { serial_hex_upper, not_before_unix, not_after_unix, spki_der }` |
//! | [`aead`] | AEAD_AES_256_GCM | `Sealed::new(nonce, associated_data, ciphertext_b64)`, `Sealed::open(key) -> Result<Vec<u8>>`, `auth_failed()`, `decrypt(key, nonce, associated_data, ciphertext_b64) -> Result<Vec<u8>>`, `encrypt(key, nonce, associated_data, plaintext) -> Result<String>` |
//! | [`notify`] | callbacks | `decrypt_notify(body, key, &Expect, max_bytes) -> Result<Notification>` = `open_notify(body, key, max_bytes) -> Result<Opened>`, `Opened::sealed()`, `Opened::finish(plaintext, &Expect)`; `Notification::to_json()`, `decrypt_resource(resource_json, key)`, `seal_resource(resource_json) -> Result<Sealed>` |
//! | [`certs`] | `/v3/certificates` | `parse_certificates(body, key) -> Result<Vec<Cert>>` = `open_certificates(body, key) -> Result<Vec<Listed>>` + `finish_certificates(listed, plaintexts)`; `certificates_to_json(&certs)` |
//! | [`pay`] | `wx.requestPayment` | `pay_message(app_id, time_stamp, nonce_str, package) -> Result<String>`, `request_payment_json(…)` |
//! | [`builders`] | requests | `jsapi / query_by_out_trade_no / query_by_id / close / refund / refund_query(fields_json) -> Result<Request { method, url, body }>`, `build(name, fields_json)` |
//! | [`errors`] | error answers | `parse_error_response(status, body) -> WxError`, `CATALOGUE`, `describe(code)` |
//! | [`reply`] | answering a callback | `notify_reply(ok, message) -> (u16, String)` |
//! | [`sign`] | RSA seam | `Signer`, `Verifier`, `authorization(…)`, `pay_sign(…)`, `verify_signature(…)`; `RsaSigner`, `RsaVerifier`, `encrypt_sensitive`, `decrypt_sensitive` with `native-rsa` |
//!
//! The APIv3 key is passed as bytes (`&[u8]`, the 32 bytes of the console's 32-character
//! string); anything else is `INVALID_PARAM`. Errors are [`crate::WxError`] with the codes of
//! [`crate::Code`]; see each module for which.

pub mod aead;
pub mod auth;
pub mod builders;
pub mod certs;
mod der;
pub mod errors;
pub mod json;
pub mod keys;
pub mod notify;
pub mod pay;
pub mod reply;
pub mod sign;
pub mod verify;

pub use auth::AuthHeader;
pub use builders::Request;
pub use certs::Cert;
pub use keys::CertInfo;
pub use notify::{Expect, Notification};
pub use verify::{Headers, Prepared, DEFAULT_MAX_SKEW_SECS};
