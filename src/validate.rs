//! Field checks shared by the request builders. Each failure names its field so a form
//! can show the message next to the input that caused it.

use std::net::IpAddr;

use crate::error::{Code, Result, WxError};
use crate::params::{self, Params};

pub fn invalid(field: &str, msg: impl Into<String>) -> WxError {
    WxError::field(Code::InvalidField, field, msg)
}

/// The API key signs everything; an empty one is always a configuration mistake.
pub fn key(key: &str) -> Result<()> {
    if key.is_empty() {
        return Err(WxError::new(Code::InvalidParam, "the API key is empty"));
    }
    Ok(())
}

/// A positive integer amount in fen, written without sign, fraction or leading zero.
pub fn amount(params: &Params, field: &str) -> Result<u64> {
    let v = params::require(params, field)?;
    parse_amount(v).ok_or_else(|| {
        invalid(field, format!("`{field}` must be a positive whole number of fen (分), got {v:?}"))
    })
}

pub fn parse_amount(v: &str) -> Option<u64> {
    if v.starts_with('0') || !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    v.parse::<u64>().ok().filter(|n| *n > 0)
}

/// Merchant order numbers: at most 32 of `[A-Za-z0-9_-|*]` (WeChat's own rule).
pub fn order_no(params: &Params, field: &str) -> Result<()> {
    let v = params::require(params, field)?;
    let ok = v.len() <= 32 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b"_-|*".contains(&b));
    if !ok {
        return Err(invalid(field, format!("`{field}` must be at most 32 characters of A-Z a-z 0-9 _ - | *, got {v:?}")));
    }
    Ok(())
}

pub fn max_bytes(params: &Params, field: &str, max: usize) -> Result<()> {
    match params::get(params, field) {
        Some(v) if v.len() > max => Err(invalid(
            field,
            format!("`{field}` is {} bytes in UTF-8; WeChat allows at most {max}", v.len()),
        )),
        _ => Ok(()),
    }
}

pub fn ip(params: &Params, field: &str) -> Result<()> {
    let v = params::require(params, field)?;
    v.parse::<IpAddr>()
        .map(|_| ())
        .map_err(|_| invalid(field, format!("`{field}` must be an IPv4 or IPv6 address, got {v:?}")))
}

/// WeChat calls this URL back, and drops query strings from it; a query here would
/// silently lose whatever the merchant put in it.
pub fn notify_url(params: &Params, field: &str) -> Result<()> {
    let v = params::require(params, field)?;
    let rest = v.strip_prefix("https://").or_else(|| v.strip_prefix("http://"));
    let host_ok = rest.is_some_and(|r| {
        let host = r.split('/').next().unwrap_or("");
        !host.is_empty()
    });
    if !host_ok || v.len() > 256 || v.contains(['?', '#']) || v.chars().any(|c| c.is_whitespace()) {
        return Err(invalid(
            field,
            format!("`{field}` must be an absolute http(s) URL of at most 256 characters without a query string, got {v:?}"),
        ));
    }
    Ok(())
}

pub fn one_of(params: &Params, field: &str, allowed: &[&str]) -> Result<()> {
    let v = params::require(params, field)?;
    if !allowed.contains(&v) {
        return Err(invalid(field, format!("`{field}` must be one of {}, got {v:?}", allowed.join(", "))));
    }
    Ok(())
}

/// Like [`one_of`] for optional fields: only a given value is checked.
pub fn one_of_if_present(params: &Params, field: &str, allowed: &[&str]) -> Result<()> {
    match params::get(params, field) {
        Some(_) => one_of(params, field, allowed),
        None => Ok(()),
    }
}

/// `yyyyMMddHHmmss` with a real calendar date, when the field is present.
pub fn timestamp14(params: &Params, field: &str) -> Result<()> {
    let Some(v) = params::get(params, field) else { return Ok(()) };
    if !is_datetime14(v) {
        return Err(invalid(field, format!("`{field}` must be a date and time as yyyyMMddHHmmss, got {v:?}")));
    }
    Ok(())
}

fn num(s: &str) -> u32 {
    s.parse().unwrap_or(u32::MAX)
}

pub fn is_date8(v: &str) -> bool {
    if v.len() != 8 || !v.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let (y, m, d) = (num(&v[..4]), num(&v[4..6]), num(&v[6..8]));
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    y >= 1970 && (1..=days).contains(&d)
}

pub fn is_datetime14(v: &str) -> bool {
    v.len() == 14
        && v.is_char_boundary(8)
        && is_date8(&v[..8])
        && v[8..].bytes().all(|b| b.is_ascii_digit())
        && num(&v[8..10]) < 24
        && num(&v[10..12]) < 60
        && num(&v[12..14]) < 60
}

/// `nonce_str` when the caller brings one: WeChat allows at most 32 characters.
pub fn nonce(params: &Params) -> Result<()> {
    match params::get(params, "nonce_str") {
        Some(v) if v.len() > 32 => Err(invalid("nonce_str", "`nonce_str` must be at most 32 characters")),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert!(is_datetime14("20240229235959"));
        assert!(!is_datetime14("20230229000000"));
        assert!(!is_datetime14("20241301000000"));
        assert!(!is_datetime14("20240101240000"));
        assert!(!is_datetime14("2024010100000"));
        assert!(!is_datetime14("2024-1-1000000"));
    }

    #[test]
    fn amounts() {
        assert_eq!(parse_amount("1"), Some(1));
        assert_eq!(parse_amount("01"), None);
        assert_eq!(parse_amount("0"), None);
        assert_eq!(parse_amount("1.0"), None);
        assert_eq!(parse_amount("-1"), None);
        assert_eq!(parse_amount("99999999999999999999999"), None);
    }
}
