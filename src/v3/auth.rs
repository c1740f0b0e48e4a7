//! The request `Authorization` header: the message the merchant key signs and the header
//! that carries the signature (`WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",…`).
//!
//! Every part is validated before it is signed: WeChat rebuilds the message from the request
//! line it receives, so a URL with a host, a fragment, spaces or raw non-ASCII would sign
//! something other than what arrives, and a `"` or `,` in a header value would let one field
//! spill into the next.

use crate::core::error::{quoted, Code, Result, WxError};
use crate::core::nonce;

/// The scheme name WeChat expects before the header's fields.
pub const SCHEME: &str = "WECHATPAY2-SHA256-RSA2048";
/// The methods WeChat Pay v3 endpoints use.
pub const METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];
/// Longest URL (path and query) we sign; WeChat's longest documented paths are far shorter.
pub const MAX_URL_LEN: usize = 2048;
/// The official SDKs send 32-character nonces; WeChat documents `nonce_str` as at most 32.
pub const NONCE_LEN: usize = 32;

fn bad(field: &str, msg: impl Into<String>) -> WxError {
    WxError::field(Code::InvalidParam, field, msg)
}

fn check_method(method: &str) -> Result<()> {
    if METHODS.contains(&method) {
        Ok(())
    } else {
        Err(bad(
            "method",
            format!("method must be one of GET, POST, PUT, PATCH, DELETE (upper case), got {}", quoted(method)),
        ))
    }
}

/// An absolute path with an optional query: `/v3/...?a=b`, printable ASCII only.
pub fn check_url(url: &str) -> Result<()> {
    if url.is_empty() {
        return Err(bad("url", "url is empty; give the path and query, e.g. /v3/pay/transactions/jsapi"));
    }
    if url.len() > MAX_URL_LEN {
        return Err(bad("url", format!("url is longer than {MAX_URL_LEN} characters")));
    }
    if url.starts_with("http://") || url.starts_with("https://") {
        return Err(bad("url", "url must be the path and query only (e.g. /v3/pay/transactions/jsapi), without scheme and host: WeChat signs the request line"));
    }
    if !url.starts_with('/') || url.starts_with("//") {
        return Err(bad("url", format!("url must start with a single `/`, got {}", quoted(url))));
    }
    if let Some(c) = url.chars().find(|c| !c.is_ascii_graphic()) {
        return Err(bad("url", format!("url contains {} (whitespace, a control or a non-ASCII character); percent-encode it so the signed URL is exactly the one sent", quoted(&c.to_string()))));
    }
    if url.contains('#') {
        return Err(bad("url", "url contains a `#` fragment, which is never sent and so cannot be signed"));
    }
    Ok(())
}

/// The value of 1 to 12 ASCII digits (checked by the caller; at most 10^12 − 1, so no
/// overflow). Size: not `str::parse(…).expect(…)`, whose panic path links `ParseIntError`'s
/// Debug formatting into the wasm.
pub fn digits_value(digits: &str) -> i64 {
    digits.bytes().fold(0, |n, b| n * 10 + i64::from(b - b'0'))
}

/// All digits, 1 to 12 of them (Unix seconds).
pub fn check_timestamp(field: &str, ts: &str) -> Result<i64> {
    if ts.is_empty() || ts.len() > 12 || !ts.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad(field, format!("{field} must be Unix seconds (digits only), got {}", quoted(ts))));
    }
    Ok(digits_value(ts))
}

/// `[A-Za-z0-9_-]{1,32}`: safe inside the header's quotes and the signed message.
pub fn check_nonce(field: &str, nonce: &str) -> Result<()> {
    if nonce.is_empty()
        || nonce.len() > NONCE_LEN
        || !nonce.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return Err(bad(
            field,
            format!("{field} must be 1 to {NONCE_LEN} characters of A-Z a-z 0-9 _ -, got {}", quoted(nonce)),
        ));
    }
    Ok(())
}

/// A fresh 32-character nonce from the platform CSPRNG.
pub fn new_nonce() -> Result<String> {
    nonce::nonce_str(NONCE_LEN)
}

/// The message the merchant private key signs: `METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n`.
pub fn message(method: &str, url: &str, timestamp: &str, nonce: &str, body: &str) -> Result<String> {
    check_method(method)?;
    check_url(url)?;
    check_timestamp("timestamp", timestamp)?;
    check_nonce("nonce", nonce)?;
    if method == "GET" && !body.is_empty() {
        return Err(bad("body", "a GET request has no body; put parameters in the url's query"));
    }
    let mut m = String::with_capacity(method.len() + url.len() + timestamp.len() + nonce.len() + body.len() + 5);
    for part in [method, url, timestamp, nonce, body] {
        m.push_str(part);
        m.push('\n');
    }
    Ok(m)
}

fn check_mchid(mchid: &str) -> Result<()> {
    if mchid.is_empty() || mchid.len() > 32 || !mchid.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad("mchId", format!("mchId must be the merchant number (digits), got {}", quoted(mchid))));
    }
    Ok(())
}

fn check_serial(serial: &str) -> Result<()> {
    if serial.is_empty() || serial.len() > 64 || !serial.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad(
            "serialNo",
            format!("serialNo must be the merchant certificate's serial number (hex), got {}", quoted(serial)),
        ));
    }
    Ok(())
}

fn check_signature(sig: &str) -> Result<()> {
    if sig.is_empty()
        || sig.len() > 1024
        || !sig.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'=')
    {
        return Err(bad("signature", "signature must be standard base64"));
    }
    Ok(())
}

/// The header value: `WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",timestamp="…",serial_no="…",signature="…"`.
pub fn header(mchid: &str, serial_no: &str, timestamp: &str, nonce: &str, signature_b64: &str) -> Result<String> {
    check_mchid(mchid)?;
    check_serial(serial_no)?;
    check_timestamp("timestamp", timestamp)?;
    check_nonce("nonce", nonce)?;
    check_signature(signature_b64)?;
    Ok(format!("{SCHEME} mchid=\"{mchid}\",nonce_str=\"{nonce}\",timestamp=\"{timestamp}\",serial_no=\"{serial_no}\",signature=\"{signature_b64}\""))
}

/// The fields of an `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthHeader {
    pub mchid: String,
    pub nonce_str: String,
    pub timestamp: String,
    pub serial_no: String,
    pub signature: String,
}

/// Parses a header [`header`] writes (fields in any order, each exactly once, nothing else),
/// validating each field as `header` does. For the mock server and for tests.
pub fn parse_header(value: &str) -> Result<AuthHeader> {
    let fields = value
        .strip_prefix(SCHEME)
        .and_then(|r| r.strip_prefix(' '))
        .ok_or_else(|| bad("authorization", format!("the Authorization header must start with `{SCHEME} `")))?;
    let names = ["mchid", "nonce_str", "timestamp", "serial_no", "signature"];
    let mut got: [Option<&str>; 5] = [None; 5];
    for part in fields.split(',') {
        let (name, quoted_value) = part
            .split_once('=')
            .ok_or_else(|| bad("authorization", "the Authorization header has a field without `=`"))?;
        let v =
            quoted_value.strip_prefix('"').and_then(|v| v.strip_suffix('"')).filter(|v| !v.contains('"')).ok_or_else(
                || bad("authorization", format!("the Authorization field `{name}` must be a double-quoted value")),
            )?;
        let i = names.iter().position(|n| *n == name).ok_or_else(|| {
            bad("authorization", format!("the Authorization header has an unknown field {}", quoted(name)))
        })?;
        if got[i].replace(v).is_some() {
            return Err(WxError::field(
                Code::DuplicateField,
                name,
                format!("the Authorization header has `{name}` twice"),
            ));
        }
    }
    let [Some(mchid), Some(nonce_str), Some(timestamp), Some(serial_no), Some(signature)] = got else {
        let missing = names.iter().zip(got).find(|(_, g)| g.is_none()).map(|(n, _)| *n).unwrap_or("?");
        return Err(WxError::missing(missing));
    };
    header(mchid, serial_no, timestamp, nonce_str, signature)?;
    Ok(AuthHeader {
        mchid: mchid.into(),
        nonce_str: nonce_str.into(),
        timestamp: timestamp.into(),
        serial_no: serial_no.into(),
        signature: signature.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_shape_and_refusals() {
        assert_eq!(
            message("GET", "/v3/certificates", "1554208460", "593BEC0C930BF1AFEB40B4A08C8FB242", "").unwrap(),
            "GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n"
        );
        for (m, u, t, n, b) in [
            ("get", "/v3", "1", "n", ""),
            ("GET", "https://api.mch.weixin.qq.com/v3", "1", "n", ""),
            ("GET", "v3/x", "1", "n", ""),
            ("GET", "//evil/v3", "1", "n", ""),
            ("GET", "/v3/a b", "1", "n", ""),
            ("GET", "/v3/中", "1", "n", ""),
            ("GET", "/v3#f", "1", "n", ""),
            ("GET", "/v3", "1.5", "n", ""),
            ("GET", "/v3", "", "n", ""),
            ("GET", "/v3", "1", "", ""),
            ("GET", "/v3", "1", "a\"b", ""),
            ("GET", "/v3", "1", &"a".repeat(33), ""),
            ("GET", "/v3", "1", "n", "{}"),
        ] {
            assert_eq!(message(m, u, t, n, b).unwrap_err().code, Code::InvalidParam, "{m} {u} {t} {n} {b}");
        }
    }

    #[test]
    fn header_round_trip() {
        let h = header("1900000109", "1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C", "1554208460", "abc", "c2ln").unwrap();
        let p = parse_header(&h).unwrap();
        assert_eq!((p.mchid.as_str(), p.nonce_str.as_str(), p.signature.as_str()), ("1900000109", "abc", "c2ln"));
        assert_eq!(header("19x", "AB", "1", "n", "c2ln").unwrap_err().field.as_deref(), Some("mchId"));
        assert_eq!(header("1", "AB\"", "1", "n", "c2ln").unwrap_err().field.as_deref(), Some("serialNo"));
        let dup = h.replace("nonce_str=\"abc\"", "mchid=\"1\"");
        assert_eq!(parse_header(&dup).unwrap_err().code, Code::DuplicateField);
        assert_eq!(parse_header(&h.replace(",signature=\"c2ln\"", "")).unwrap_err().code, Code::MissingField);
        assert_eq!(parse_header(&h.replace(SCHEME, "Bearer")).unwrap_err().code, Code::InvalidParam);
        assert_eq!(new_nonce().unwrap().len(), 32);
    }
}
