//! Response and callback signatures: everything around the RSA check.
//!
//! WeChat signs `TIMESTAMP\nNONCE\nBODY\n` over the RAW body bytes (never a re-serialised
//! body: key order, spacing and escapes would differ) and names its key in `Wechatpay-Serial`:
//! a platform certificate's serial or a `PUB_KEY_ID_…`. [`prepare`] checks the headers and
//! the clock, picks nothing itself (the caller's `has_key` says which serials it holds) and
//! returns the exact bytes and signature for the RSA verification, which happens outside
//! (WebCrypto in JavaScript, [`crate::v3::sign::Verifier`] natively).
//!
//! Order of the checks, and why:
//! 1. presence (`SIGN_MISSING`): without all four headers nothing else can be judged;
//! 2. probe (`SIGN_MISMATCH`): WeChat's `WECHATPAY/SIGNTEST/` probe callbacks test that the
//!    merchant rejects bad signatures; they fail the same way whatever their time and serial;
//! 3. skew (`TIMESTAMP_SKEW`): a replay is a replay whichever key it names, and the check
//!    is free; it is also what a wrong server clock shows up as, so it should say so first;
//! 4. serial (`UNKNOWN_SERIAL`): the actionable "fetch the new certificate / public key";
//! 5. signature decoding (`SIGN_MISMATCH`): a signature that is not base64 cannot match.
//!
//! A `Wechatpay-Timestamp` that is not Unix seconds, or a `Wechatpay-Nonce` with a control
//! character (a newline would move the boundary between nonce and body in the message), is
//! `INVALID_FIELD`; the same header twice with different values is `DUPLICATE_FIELD`.

use crate::core::base64;
use crate::core::error::{clip, quoted, Code, Result, WxError, QUOTE_MAX};
use crate::v3::auth::digits_value;

/// WeChat's documented window: refuse a timestamp more than 5 minutes from now either way.
pub const DEFAULT_MAX_SKEW_SECS: i64 = 300;
/// The widest window a caller may ask for: beyond an hour the check no longer stops replays.
pub const MAX_MAX_SKEW_SECS: i64 = 3600;
/// The prefix of WeChat's probe signatures, which must never verify.
pub const PROBE_PREFIX: &str = "WECHATPAY/SIGNTEST/";

/// The four header names, in their canonical spelling.
pub const TIMESTAMP: &str = "Wechatpay-Timestamp";
pub const NONCE: &str = "Wechatpay-Nonce";
pub const SIGNATURE: &str = "Wechatpay-Signature";
pub const SERIAL: &str = "Wechatpay-Serial";
const NAMES: [&str; 4] = [TIMESTAMP, NONCE, SIGNATURE, SERIAL];

/// The signature headers of one response or callback.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Headers {
    values: [Option<String>; 4],
}

impl Headers {
    /// Takes the four `Wechatpay-*` headers from `(name, value)` pairs in any capitalisation
    /// (Node's lower-case `req.headers`, fetch's `Headers`, …); other headers are ignored.
    /// Values are trimmed of surrounding spaces and tabs as HTTP allows. The same header
    /// twice with different values is refused (`DUPLICATE_FIELD`): which one was signed?
    pub fn from_pairs<I, N, V>(pairs: I) -> Result<Headers>
    where
        I: IntoIterator<Item = (N, V)>,
        N: AsRef<str>,
        V: AsRef<str>,
    {
        let mut h = Headers::default();
        for (name, value) in pairs {
            let Some(i) = NAMES.iter().position(|n| n.eq_ignore_ascii_case(name.as_ref())) else { continue };
            let v = value.as_ref().trim_matches([' ', '\t']);
            match &h.values[i] {
                Some(old) if old != v => {
                    return Err(WxError::field(
                        Code::DuplicateField,
                        NAMES[i],
                        format!("the {} header appears twice with different values", NAMES[i]),
                    ));
                }
                _ => h.values[i] = Some(v.to_owned()),
            }
        }
        Ok(h)
    }

    /// The value of one of the four headers (canonical name, any case).
    pub fn get(&self, name: &str) -> Option<&str> {
        NAMES.iter().position(|n| n.eq_ignore_ascii_case(name)).and_then(|i| self.values[i].as_deref())
    }

    fn required(&self, name: &'static str) -> Result<&str> {
        match self.get(name) {
            Some(v) if !v.is_empty() => Ok(v),
            _ => Err(WxError::field(
                Code::SignMissing,
                name,
                format!("the {name} header is missing or empty: this is not a signed WeChat Pay response or callback"),
            )),
        }
    }
}

/// What the RSA verification needs: the exact signed bytes, the decoded signature and the
/// key's serial; plus the checked timestamp for the caller's records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    /// `TIMESTAMP\nNONCE\nBODY\n` over the raw body bytes (an empty body still ends in `\n`).
    pub message: Vec<u8>,
    /// The base64-decoded `Wechatpay-Signature`.
    pub signature: Vec<u8>,
    /// `Wechatpay-Serial`: the key to verify with.
    pub serial: String,
    pub timestamp: i64,
}

/// Checks headers and clock (see the module docs for the order) and builds the message.
pub fn prepare(
    body: &[u8],
    headers: &Headers,
    now_secs: i64,
    max_skew_secs: i64,
    has_key: impl Fn(&str) -> bool,
) -> Result<Prepared> {
    if !(0..=MAX_MAX_SKEW_SECS).contains(&max_skew_secs) {
        return Err(WxError::field(Code::InvalidParam, "maxSkewSeconds", format!("maxSkewSeconds must be 0 to {MAX_MAX_SKEW_SECS} (default {DEFAULT_MAX_SKEW_SECS}); fix the server clock rather than widening the window")));
    }
    let ts_text = headers.required(TIMESTAMP)?;
    let nonce = headers.required(NONCE)?;
    let sig_text = headers.required(SIGNATURE)?;
    let serial = headers.required(SERIAL)?;

    if sig_text.starts_with(PROBE_PREFIX) {
        return Err(WxError::field(Code::SignMismatch, SIGNATURE, "this is a WeChat Pay signature probe (WECHATPAY/SIGNTEST/…); it must fail verification, so answer it with a failure"));
    }

    if ts_text.is_empty() || ts_text.len() > 12 || !ts_text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(WxError::field(
            Code::InvalidField,
            TIMESTAMP,
            format!("the {TIMESTAMP} header must be Unix seconds, got {}", quoted(ts_text)),
        ));
    }
    let timestamp: i64 = digits_value(ts_text);
    let skew = now_secs.saturating_sub(timestamp);
    if skew.unsigned_abs() > max_skew_secs as u64 {
        let dir = if skew > 0 { "behind" } else { "ahead of" };
        return Err(WxError::field(Code::TimestampSkew, TIMESTAMP, format!("{TIMESTAMP} is {} s {dir} this server's clock (allowed: {max_skew_secs} s): a replay, or this server's clock is wrong", skew.unsigned_abs()))
            .with_detail("skewSeconds", skew.to_string()));
    }

    if nonce.bytes().any(|b| b.is_ascii_control()) {
        return Err(WxError::field(
            Code::InvalidField,
            NONCE,
            format!("the {NONCE} header contains a control character"),
        ));
    }

    if !has_key(serial) {
        return Err(WxError::field(Code::UnknownSerial, SERIAL, format!("{SERIAL} {} names no key you supplied: download the current platform certificates (/v3/certificates) or add the WeChat Pay public key with this id", quoted(serial)))
            .with_detail("serial", clip(serial, QUOTE_MAX)));
    }

    let signature = base64::decode(sig_text).map_err(|why| {
        WxError::field(
            Code::SignMismatch,
            SIGNATURE,
            format!("the {SIGNATURE} header is not base64 ({why}), so it cannot match"),
        )
    })?;

    let mut message = Vec::with_capacity(ts_text.len() + nonce.len() + body.len() + 3);
    for part in [ts_text.as_bytes(), nonce.as_bytes(), body] {
        message.extend_from_slice(part);
        message.push(b'\n');
    }
    Ok(Prepared { message, signature, serial: serial.to_owned(), timestamp })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(pairs: &[(&str, &str)]) -> Headers {
        Headers::from_pairs(pairs.iter().copied()).unwrap()
    }

    const OK: [(&str, &str); 4] = [
        ("wechatpay-timestamp", "1000"),
        ("WECHATPAY-NONCE", "n"),
        ("Wechatpay-Signature", "c2ln"),
        ("wechatpay-serial", "S"),
    ];

    #[test]
    fn message_over_raw_bytes() {
        let p = prepare(b"", &h(&OK), 1000, 300, |s| s == "S").unwrap();
        assert_eq!(p.message, b"1000\nn\n\n");
        assert_eq!(p.signature, b"sig");
        let p = prepare(b"{\"a\": 1}\xe4\xb8\xad", &h(&OK), 700, 300, |_| true).unwrap();
        assert_eq!(p.message, b"1000\nn\n{\"a\": 1}\xe4\xb8\xad\n");
    }

    #[test]
    fn codes_in_order() {
        let code = |pairs: &[(&str, &str)], now| prepare(b"x", &h(pairs), now, 300, |s| s == "S").unwrap_err().code;
        for i in 0..4 {
            let mut p = OK.to_vec();
            p.remove(i);
            assert_eq!(code(&p, 1000), Code::SignMissing);
            let mut p = OK.to_vec();
            p[i].1 = "";
            assert_eq!(code(&p, 1000), Code::SignMissing);
        }
        let mut probe = OK;
        probe[2].1 = "WECHATPAY/SIGNTEST/abc";
        assert_eq!(code(&probe, 99_999), Code::SignMismatch);
        assert_eq!(code(&OK, 1301), Code::TimestampSkew);
        assert_eq!(code(&OK, 699), Code::TimestampSkew);
        assert!(prepare(b"x", &h(&OK), 1300, 300, |_| true).is_ok());
        assert!(prepare(b"x", &h(&OK), 700, 300, |_| true).is_ok());
        let mut other = OK;
        other[3].1 = "T";
        assert_eq!(code(&other, 1000), Code::UnknownSerial);
        let mut garbage = OK;
        garbage[2].1 = "not base64!";
        assert_eq!(code(&garbage, 1000), Code::SignMismatch);
        let mut ts = OK;
        ts[0].1 = "1e3";
        assert_eq!(code(&ts, 1000), Code::InvalidField);
        assert_eq!(prepare(b"x", &h(&OK), 1000, -1, |_| true).unwrap_err().code, Code::InvalidParam);
        assert_eq!(prepare(b"x", &h(&OK), 1000, 3601, |_| true).unwrap_err().code, Code::InvalidParam);
        assert!(prepare(b"x", &h(&OK), 4600, 3600, |_| true).is_ok());
    }

    #[test]
    fn duplicates() {
        assert!(Headers::from_pairs([("Wechatpay-Nonce", "a"), ("wechatpay-nonce", "a")]).is_ok());
        assert_eq!(
            Headers::from_pairs([("Wechatpay-Nonce", "a"), ("wechatpay-nonce", "b")]).unwrap_err().code,
            Code::DuplicateField
        );
    }
}
