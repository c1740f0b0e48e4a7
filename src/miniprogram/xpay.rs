//! Virtual payment (虚拟支付, "xpay") signatures. Two lower-case hex HMAC-SHA256s:
//!
//! - `paySig` = HMAC-SHA256(AppKey, uri + "&" + body): proves the merchant's server made the
//!   request; `uri` is the API's path without host or query (`/xpay/query_user_balance`),
//!   or `requestVirtualPayment` for the mini-program's `wx.requestVirtualPayment`.
//! - `signature` = HMAC-SHA256(session_key, body): proves the user's login session, with
//!   the `session_key` code2Session returned.
//!
//! `body` is the exact JSON text sent (the signData for the payment call): a signature over
//! a re-serialised copy would not match, so the caller signs the string it sends.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::core::error::{Code, Result, WxError};

/// Bodies are small JSON documents; larger ones are refused before hashing.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

fn hmac_hex(key: &[u8], parts: &[&[u8]]) -> Result<String> {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key)
        .map_err(|_| WxError::new(Code::InvalidParam, "the HMAC key cannot be used"))?;
    for p in parts {
        mac.update(p);
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = mac.finalize().into_bytes();
    let mut s = String::with_capacity(64);
    for b in digest.iter() {
        s.push(HEX[(b >> 4) as usize] as char);
        s.push(HEX[(b & 15) as usize] as char);
    }
    Ok(s)
}

fn required<'a>(v: &'a str, name: &str) -> Result<&'a str> {
    if v.is_empty() {
        return Err(WxError::missing(name));
    }
    Ok(v)
}

fn bounded(body: &str) -> Result<&str> {
    if body.len() > MAX_BODY_BYTES {
        return Err(WxError::field(
            Code::InputTooLarge,
            "body",
            format!("the body is larger than {MAX_BODY_BYTES} bytes"),
        ));
    }
    Ok(body)
}

/// `paySig`: HMAC-SHA256 keyed by the AppKey over `uri&body`.
pub fn pay_sig(app_key: &str, uri: &str, body: &str) -> Result<String> {
    let key = required(app_key, "appKey")?;
    let uri = required(uri, "uri")?;
    hmac_hex(key.as_bytes(), &[uri.as_bytes(), b"&", bounded(body)?.as_bytes()])
}

/// `signature`: HMAC-SHA256 keyed by the user's `session_key` over the body.
pub fn user_signature(session_key: &str, body: &str) -> Result<String> {
    let key = required(session_key, "sessionKey")?;
    hmac_hex(key.as_bytes(), &[bounded(body)?.as_bytes()])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected values from Python's hmac/hashlib (tests/python/miniprogram_reference.py).
    #[test]
    fn signatures_match_the_reference() {
        assert_eq!(
            pay_sig("appkey", "/xpay/query_user_balance", r#"{"a":1}"#).unwrap(),
            "9d2d553a7515c3ceebe747e506bb2525f9830a3c9b5318db993e7e90c566d2e7"
        );
        assert_eq!(
            user_signature("sessionkey", r#"{"a":1}"#).unwrap(),
            "7fbbfa8bfdaa21080d7d7a825d85034aea691883f8516c6d5702ab6fe1e538d7"
        );
        assert_eq!(pay_sig("", "/x", "{}").unwrap_err().code, Code::MissingField);
        assert_eq!(user_signature("k", &"x".repeat(MAX_BODY_BYTES + 1)).unwrap_err().code, Code::InputTooLarge);
    }
}
