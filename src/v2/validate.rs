//! Field checks shared by the request builders. Each failure names its field so a form
//! can show the message next to the input that caused it.

use crate::core::error::{quoted, Code, Result, WxError};
use crate::v2::params::{self, Params};

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
        invalid(field, format!("`{field}` must be a positive whole number of fen (分), got {}", quoted(v)))
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
        return Err(invalid(
            field,
            format!("`{field}` must be at most 32 characters of A-Z a-z 0-9 _ - | *, got {}", quoted(v)),
        ));
    }
    Ok(())
}

pub fn max_bytes(params: &Params, field: &str, max: usize) -> Result<()> {
    match params::get(params, field) {
        Some(v) if v.len() > max => {
            Err(invalid(field, format!("`{field}` is {} bytes in UTF-8; WeChat allows at most {max}", v.len())))
        }
        _ => Ok(()),
    }
}

pub fn ip(params: &Params, field: &str) -> Result<()> {
    let v = params::require(params, field)?;
    if !is_ip_addr(v) {
        return Err(invalid(field, format!("`{field}` must be an IPv4 or IPv6 address, got {}", quoted(v))));
    }
    Ok(())
}

/// Exactly the syntax `v.parse::<std::net::IpAddr>()` accepts (a test checks them against
/// each other), written out because std's parser adds ~4 KB to the wasm.
pub fn is_ip_addr(v: &str) -> bool {
    let mut p = IpParser { s: v.as_bytes(), i: 0 };
    (p.ipv4() || p.ipv6()) && p.i == p.s.len()
}

struct IpParser<'a> {
    s: &'a [u8],
    i: usize,
}

impl IpParser<'_> {
    /// Runs `f`, rewinding when it fails, like std's `read_atomically`.
    fn atomically(&mut self, f: impl FnOnce(&mut Self) -> bool) -> bool {
        let start = self.i;
        let ok = f(self);
        if !ok {
            self.i = start;
        }
        ok
    }

    fn char(&mut self, c: u8) -> bool {
        let ok = self.s.get(self.i) == Some(&c);
        self.i += ok as usize;
        ok
    }

    /// 1 to `max` digits of `radix`; decimal ones without a leading zero and at most 255.
    fn number(&mut self, radix: u32, max: usize) -> bool {
        let digits = self.s[self.i..].iter().take(max).take_while(|b| (**b as char).is_digit(radix)).count();
        let text = &self.s[self.i..self.i + digits];
        let ok = match (radix, text) {
            (_, []) => false,
            (10, [b'0', _, ..]) => false,
            (10, _) => text.iter().fold(0u32, |n, b| n * 10 + u32::from(b - b'0')) <= 255,
            _ => true,
        };
        self.i += if ok { digits } else { 0 };
        ok
    }

    fn ipv4(&mut self) -> bool {
        self.atomically(|p| (0..4).all(|i| (i == 0 || p.char(b'.')) && p.number(10, 3)))
    }

    /// Up to `limit` groups; an embedded IPv4 address may end them when two groups remain.
    /// Returns the groups read and whether the last was IPv4.
    fn groups(&mut self, limit: usize) -> (usize, bool) {
        for i in 0..limit {
            let sep = |p: &mut Self| i == 0 || p.char(b':');
            if i + 1 < limit && self.atomically(|p| sep(p) && p.ipv4()) {
                return (i + 2, true);
            }
            if !self.atomically(|p| sep(p) && p.number(16, 4)) {
                return (i, false);
            }
        }
        (limit, false)
    }

    fn ipv6(&mut self) -> bool {
        self.atomically(|p| {
            let (head, head_ipv4) = p.groups(8);
            if head == 8 {
                return true;
            }
            if head_ipv4 || !p.char(b':') || !p.char(b':') {
                return false;
            }
            p.groups(8 - head - 1);
            true
        })
    }
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
            format!(
                "`{field}` must be an absolute http(s) URL of at most 256 characters without a query string, got {}",
                quoted(v)
            ),
        ));
    }
    Ok(())
}

pub fn one_of(params: &Params, field: &str, allowed: &[&str]) -> Result<()> {
    let v = params::require(params, field)?;
    if !allowed.contains(&v) {
        let list = allowed.iter().fold(String::new(), |s, a| if s.is_empty() { (*a).to_owned() } else { s + ", " + a });
        return Err(invalid(field, format!("`{field}` must be one of {list}, got {}", quoted(v))));
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
        return Err(invalid(field, format!("`{field}` must be a date and time as yyyyMMddHHmmss, got {}", quoted(v))));
    }
    Ok(())
}

/// The value of ASCII digits the caller has already checked. Bytes, not `&str` slices:
/// str slicing links a panic message that formats with Unicode tables.
fn num(digits: &[u8]) -> u32 {
    digits.iter().fold(0, |n, d| n * 10 + u32::from(d.wrapping_sub(b'0')))
}

pub fn is_date8(v: &str) -> bool {
    if v.len() != 8 || !v.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let b = v.as_bytes();
    let (y, m, d) = (num(&b[..4]), num(&b[4..6]), num(&b[6..8]));
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
    let b = v.as_bytes();
    b.len() == 14
        && v.get(..8).is_some_and(is_date8)
        && b[8..].iter().all(|b| b.is_ascii_digit())
        && num(&b[8..10]) < 24
        && num(&b[10..12]) < 60
        && num(&b[12..14]) < 60
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
    fn ip_syntax_is_std_syntax() {
        let fixed = [
            "1.2.3.4",
            "255.255.255.255",
            "0.0.0.0",
            "256.1.1.1",
            "01.2.3.4",
            "1.2.3",
            "1.2.3.4.5",
            "1..3.4",
            "1.2.3.4 ",
            "::",
            "::1",
            "1::",
            "1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7::",
            "1:2:3:4:5:6:7:8::",
            "::1:2:3:4:5:6:7",
            "::1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6:1.2.3.4",
            "::ffff:1.2.3.4",
            "1::1.2.3.4",
            "1.2.3.4::",
            "1:2:3:4:5:6:7:1.2.3.4",
            "12345::",
            "abcd:EF01::",
            ":1",
            "1:",
            ":::",
            "1:::2",
            "1::2::3",
            "[::1]",
            "fe80::1%eth0",
            "",
            "::1.2.3",
            "0:0:0:0:0:0:0:0",
            "g::",
            "1:2:3:4:5:6:7:8:9",
            "::0255.1.1.1",
            "::001",
            "1:2:3:4:5::1.2.3.4",
        ];
        for v in fixed {
            assert_eq!(is_ip_addr(v), v.parse::<std::net::IpAddr>().is_ok(), "{v:?}");
        }
        // Random strings over the characters that matter, from a fixed-seed generator.
        let alphabet = b"0123456789abfF:.:.";
        let mut seed = 0x2545F4914F6CDD1Du64;
        for _ in 0..200_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 24) as usize;
            let v: String = (0..len)
                .map(|i| alphabet[((seed >> (i * 2 % 60)) as usize + i * 7) % alphabet.len()] as char)
                .collect();
            assert_eq!(is_ip_addr(&v), v.parse::<std::net::IpAddr>().is_ok(), "{v:?}");
        }
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
