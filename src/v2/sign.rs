//! WeChat Pay v2 signatures: MD5 or HMAC-SHA256 over `k=v&…&key=<API key>`.

use hmac::{Hmac, KeyInit, Mac};
use md5::{Digest, Md5};
use sha2::Sha256;

use crate::core::error::{Code, Result, WxError};
use crate::core::ct::ct_eq;
use crate::v2::params::{self, Params};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignType {
    Md5,
    HmacSha256,
}

impl SignType {
    pub fn as_str(self) -> &'static str {
        match self {
            SignType::Md5 => "MD5",
            SignType::HmacSha256 => "HMAC-SHA256",
        }
    }

    /// Accepts WeChat's spelling exactly; anything else is `UNSUPPORTED_SIGN_TYPE` rather
    /// than a silent fallback to MD5, which is how SDKs end up verifying the wrong thing.
    pub fn parse(s: &str) -> Result<SignType> {
        match s {
            "MD5" => Ok(SignType::Md5),
            "HMAC-SHA256" => Ok(SignType::HmacSha256),
            other => Err(WxError::field(
                Code::UnsupportedSignType,
                "sign_type",
                format!("unsupported sign type {}: use \"MD5\" or \"HMAC-SHA256\"", crate::core::error::quoted(other)),
            )),
        }
    }

    /// The hex length of each algorithm tells them apart when a message names neither.
    pub fn from_sign_len(sign: &str) -> Option<SignType> {
        match sign.len() {
            32 => Some(SignType::Md5),
            64 => Some(SignType::HmacSha256),
            _ => None,
        }
    }
}

/// The sorted `k=v&…` string without the key: what a developer compares when a sign differs.
pub fn signing_string(params: &Params) -> String {
    let mut out = String::with_capacity(estimate(params));
    join_pairs(params::signed_fields(params), &mut out);
    out
}

fn estimate(params: &Params) -> usize {
    params.iter().map(|(k, v)| k.len() + v.len() + 2).sum::<usize>() + 48
}

/// Appends `k=v&k=v…` in the order given; diagnosis builds its variants with it so a
/// variant differs from the real rule only where it means to.
pub fn join_pairs<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>, out: &mut String) {
    for (i, (k, v)) in pairs.enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
}

/// The full string that is hashed, key included. Never log it.
fn string_to_sign<'a>(fields: impl Iterator<Item = (&'a str, &'a str)> + Clone, key: &str) -> String {
    let len = fields.clone().map(|(k, v)| k.len() + v.len() + 2).sum::<usize>();
    let mut s = String::with_capacity(len + key.len() + 5);
    join_pairs(fields, &mut s);
    if !s.is_empty() {
        s.push('&');
    }
    s.push_str("key=");
    s.push_str(key);
    s
}

/// Uppercase hex signature of `params` (its `sign` and empty values excluded).
pub fn sign(params: &Params, key: &str, sign_type: SignType) -> String {
    sign_sorted(params::signed_fields(params), key, sign_type)
}

/// [`sign`] for fields already filtered ([`params::is_signed`]) and in byte order of
/// their names, for callers that hold them as borrowed pairs instead of a [`Params`].
pub fn sign_sorted<'a>(fields: impl Iterator<Item = (&'a str, &'a str)> + Clone, key: &str, sign_type: SignType) -> String {
    digest_hex(string_to_sign(fields, key).as_bytes(), key, sign_type)
}

/// Hashes an already-built signing string; `key` is the HMAC key (unused for MD5).
pub fn digest_hex(data: &[u8], key: &str, sign_type: SignType) -> String {
    match sign_type {
        SignType::Md5 => hex_upper(&Md5::digest(data)),
        SignType::HmacSha256 => {
            // HMAC takes keys of any length, so the error arm is never taken; an empty
            // result would fail every comparison, which is the safe way to be wrong.
            let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(key.as_bytes()) else {
                return String::new();
            };
            mac.update(data);
            hex_upper(&mac.finalize().into_bytes())
        }
    }
}

pub fn hex_upper(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(HEX[(b >> 4) as usize] as char);
        s.push(HEX[(b & 15) as usize] as char);
    }
    s
}

/// Which algorithm checks `params.sign`: the caller's choice, else the message's own
/// `sign_type`, else the sign's length. An HMAC notification without `sign_type` is
/// common, so assuming MD5 there would reject genuine notifications.
pub fn resolve_sign_type(params: &Params, explicit: Option<SignType>) -> Result<SignType> {
    if let Some(t) = explicit {
        return Ok(t);
    }
    if let Some(t) = params::get(params, "sign_type") {
        return SignType::parse(t);
    }
    let sign = params::get(params, params::SIGN).unwrap_or("");
    SignType::from_sign_len(sign).ok_or_else(|| {
        WxError::field(
            Code::SignMismatch,
            "sign",
            format!("sign has {} characters; expected 32 (MD5) or 64 (HMAC-SHA256) hex digits", sign.len()),
        )
    })
}

/// Checks `params.sign`; returns the error a notify handler should report when it fails.
pub fn check(params: &Params, key: &str, explicit: Option<SignType>) -> Result<SignType> {
    let given = params::get(params, params::SIGN)
        .ok_or_else(|| WxError::field(Code::SignMissing, "sign", "the message carries no `sign`; refusing to trust it"))?;
    let sign_type = resolve_sign_type(params, explicit)?;
    let expected = sign(params, key, sign_type);
    if ct_eq(expected.as_bytes(), given.as_bytes()) {
        Ok(sign_type)
    } else {
        Err(WxError::field(
            Code::SignMismatch,
            "sign",
            format!("{} signature does not match the fields and key", sign_type.as_str()),
        ))
    }
}

/// `true` when `params.sign` is present and correct. Only an unsupported explicit sign
/// type is an error; anything wrong with the message itself is `false`.
pub fn verify(params: &Params, key: &str, explicit: Option<SignType>) -> bool {
    check(params, key, explicit).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::v2::params::from_pairs;

    fn doc_params() -> Params {
        from_pairs([
            ("appid", "wxd930ea5d5a258f4f"),
            ("mch_id", "10000100"),
            ("device_info", "1000"),
            ("body", "test"),
            ("nonce_str", "ibuaiVcKdpRxkhJA"),
        ])
    }

    #[test]
    fn official_doc_example() {
        let p = doc_params();
        assert_eq!(
            signing_string(&p),
            "appid=wxd930ea5d5a258f4f&body=test&device_info=1000&mch_id=10000100&nonce_str=ibuaiVcKdpRxkhJA"
        );
        assert_eq!(sign(&p, "192006250b4c09247ec02edce69f6a2d", SignType::Md5), "9A0A8659F005D6984697E2CA0A9CF3B7");
        assert_eq!(
            sign(&p, "192006250b4c09247ec02edce69f6a2d", SignType::HmacSha256),
            "6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6"
        );
    }

    #[test]
    fn sign_type_resolution() {
        let mut p = doc_params();
        p.insert("sign".into(), "A".repeat(64));
        assert_eq!(resolve_sign_type(&p, None).unwrap(), SignType::HmacSha256);
        p.insert("sign_type".into(), "MD5".into());
        assert_eq!(resolve_sign_type(&p, None).unwrap(), SignType::Md5);
        assert_eq!(resolve_sign_type(&p, Some(SignType::HmacSha256)).unwrap(), SignType::HmacSha256);
        p.insert("sign_type".into(), "SHA1".into());
        assert_eq!(resolve_sign_type(&p, None).unwrap_err().code, Code::UnsupportedSignType);
    }

    #[test]
    fn verify_missing_sign_is_false() {
        assert!(!verify(&doc_params(), "k", None));
        assert_eq!(check(&doc_params(), "k", None).unwrap_err().code, Code::SignMissing);
    }
}
