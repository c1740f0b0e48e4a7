//! JSON's lexical layer: whitespace, string literals with their escapes, number literals,
//! and the one string writer.
//!
//! Shared by every JSON reader and writer in the crate, so the wasm carries one copy: the
//! boundary's flat parameter objects and results (`wasm::flat_json`, `wasm::results`), v3's documents
//! (`v3::json`), and `v2::diagnose`, which re-writes a JSON value token by token in other
//! libraries' styles ([`Style`]). Each reader words its own errors from a [`Fault`], since
//! the same fault is a caller's bug at the boundary (INVALID_PARAM) and a malformed document
//! in v3 (INVALID_JSON).
//!
//! Strict RFC 8259: a string ends at its closing quote and may not hold a raw control
//! character; `\u` takes exactly four hex digits; a UTF-16 surrogate must come as a pair
//! (a lone one has no UTF-8 form, so decoding it to U+FFFD would sign or compare text nobody
//! wrote).

use std::borrow::Cow;

/// What is wrong at the lexer's position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The input ends inside a string.
    Unterminated,
    /// A raw control character (below U+0020) inside a string.
    Control,
    /// A backslash followed by something JSON has no escape for.
    BadEscape,
    /// `\u` not followed by four hex digits.
    BadUnicodeEscape,
    /// A UTF-16 surrogate without its other half (the code unit).
    LoneSurrogate(u32),
    /// Not a JSON number (`-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`).
    BadNumber,
}

impl Fault {
    /// A message that says what is wrong, for readers to put in their own words around it.
    pub fn message(self) -> String {
        match self {
            Fault::Unterminated => "a string is not terminated".to_owned(),
            Fault::Control => "a string holds a raw control character (escape it as \\u00XX)".to_owned(),
            Fault::BadEscape => "invalid escape in a string".to_owned(),
            Fault::BadUnicodeEscape => "a \\u escape needs four hex digits".to_owned(),
            Fault::LoneSurrogate(unit) => {
                format!("a string contains a lone UTF-16 surrogate (U+{unit:04X}), which has no UTF-8 form")
            }
            Fault::BadNumber => "malformed number".to_owned(),
        }
    }
}

/// Bytes that end a run of plain string characters, reading or writing: `"`, `\\` and
/// controls. Speed: one load per byte instead of three compares (callgrind: see
/// docs/development/performance.md).
const STRING_STOP: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = true;
        b += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
};

/// `s[from..to]` where both ends are known character boundaries (cut at ASCII bytes), `""`
/// were they not. Size: `&s[a..b]` on a `str` links `str::slice_error_fail`, whose message
/// formats a `char` with Debug and so pulls core's Unicode printable tables into the wasm
/// (~3 KB gzipped in the v3 wasm with the other sites); `get` makes the same check without it.
#[inline]
pub fn cut(s: &str, from: usize, to: usize) -> &str {
    s.get(from..to).unwrap_or_default()
}

/// Writes `s` as a JSON string literal: `"` `\\` `\n` `\r` `\t` as short escapes, other
/// controls as `\u00xx`, everything else (CJK, emoji) as is. Plain runs are copied whole.
pub fn push_string(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    let mut rest = s;
    // Each stop is an ASCII byte, so both sides of it are character boundaries (`get`, not
    // indexing: the same check without str's panic path, see [`cut`]).
    while let Some(at) = rest.bytes().position(|b| STRING_STOP[b as usize]) {
        out.push_str(cut(rest, 0, at));
        push_escape(out, rest.as_bytes()[at]);
        rest = cut(rest, at + 1, rest.len());
    }
    out.push_str(rest);
    out.push('"');
}

/// Lowercase, as `JSON.stringify` and the libraries `v2::diagnose` imitates write `\u`.
const HEX: &[u8; 16] = b"0123456789abcdef";

/// The escape of one [`STRING_STOP`] byte. `\b` and `\f` stay `\u0008` and `\u000c` here
/// (equal JSON; two more short escapes cost the v2 wasm bytes for characters no payment
/// field holds); [`push_string_styled`] writes them short, as the libraries do. Inlined into
/// [`push_string`] as it was before the styled writer shared it (measured: the v2 wasm is
/// its old size with it, +4 bytes gzipped without).
#[inline(always)]
fn push_escape(out: &mut String, b: u8) {
    match b {
        b'"' => out.push_str("\\\""),
        b'\\' => out.push_str("\\\\"),
        b'\n' => out.push_str("\\n"),
        b'\r' => out.push_str("\\r"),
        b'\t' => out.push_str("\\t"),
        _ => {
            out.push_str("\\u00");
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        }
    }
}

/// `\uxxxx`.
fn push_unit(out: &mut String, unit: u16) {
    out.push_str("\\u");
    for shift in [12, 8, 4, 0] {
        out.push(HEX[usize::from((unit >> shift) & 15)] as char);
    }
}

/// What a JSON library escapes beyond what [`push_string`] does: the styles `v2::diagnose`
/// tries when the other side may have re-serialised a JSON value before signing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// Every non-ASCII character as `\uxxxx` UTF-16 units (Python's `json.dumps`, PHP's
    /// `json_encode` by default).
    pub ascii: bool,
    /// `/` as `\/` (PHP's `json_encode` by default).
    pub slash: bool,
}

/// [`push_string`] in a [`Style`], with `\b` and `\f` short as every library writes them.
/// Character by character, so it is kept apart from the fast writer the hot paths use.
pub fn push_string_styled(out: &mut String, s: &str, style: Style) {
    out.push('"');
    for c in s.chars() {
        match c {
            '/' if style.slash => out.push_str("\\/"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if c.is_ascii() && STRING_STOP[c as usize] => push_escape(out, c as u8),
            c if style.ascii && !c.is_ascii() => {
                for &unit in c.encode_utf16(&mut [0; 2]).iter() {
                    push_unit(out, unit);
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A position in a JSON text. `src` is a `str`, so every slice cut at an ASCII byte is
/// valid UTF-8 with no further check.
pub struct Lexer<'a> {
    src: &'a str,
    /// The byte offset of the next unread byte.
    pub i: usize,
}

impl<'a> Lexer<'a> {
    pub fn new(src: &'a str) -> Self {
        Lexer { src, i: 0 }
    }

    pub fn peek(&self) -> Option<u8> {
        self.src.as_bytes().get(self.i).copied()
    }

    /// The text from byte `start` to the lexer's position (both at ASCII bytes the caller
    /// stepped over).
    pub fn since(&self, start: usize) -> &'a str {
        cut(self.src, start, self.i)
    }

    /// True once every byte has been read.
    pub fn at_end(&self) -> bool {
        self.i >= self.src.len()
    }

    /// Skips JSON whitespace (space, tab, line feed, carriage return; nothing else).
    pub fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    /// Consumes `word` if the input continues with it.
    pub fn literal(&mut self, word: &str) -> bool {
        let hit = self.src.as_bytes()[self.i..].starts_with(word.as_bytes());
        if hit {
            self.i += word.len();
        }
        hit
    }

    /// The string literal that starts at the current byte (a `"`, which the caller has
    /// checked), decoded; borrowed from the source unless it holds an escape.
    pub fn string(&mut self) -> Result<Cow<'a, str>, Fault> {
        self.i += 1;
        let mut out = String::new();
        loop {
            // One scan per run of plain characters, taken as a whole: the run ends at an
            // ASCII byte, so both ends are character boundaries of `src`.
            let start = self.i;
            let rest = &self.src.as_bytes()[start..];
            self.i += rest.iter().position(|&b| STRING_STOP[b as usize]).unwrap_or(rest.len());
            let run = cut(self.src, start, self.i);
            match self.peek() {
                // No escape met: the string is a slice of the source.
                Some(b'"') if out.is_empty() => {
                    self.i += 1;
                    return Ok(Cow::Borrowed(run));
                }
                Some(b'"') => {
                    self.i += 1;
                    out.push_str(run);
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    self.i += 1;
                    out.push_str(run);
                    out.push(self.escape()?);
                }
                Some(_) => return Err(Fault::Control),
                None => return Err(Fault::Unterminated),
            }
        }
    }

    fn escape(&mut self) -> Result<char, Fault> {
        let b = self.peek().ok_or(Fault::Unterminated)?;
        self.i += 1;
        Ok(match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => return self.unicode_escape(),
            _ => return Err(Fault::BadEscape),
        })
    }

    /// Four hex digits, nothing else (`u32::from_str_radix` would also take a sign).
    fn hex4(&mut self) -> Result<u32, Fault> {
        let digits = self.src.as_bytes().get(self.i..self.i + 4).ok_or(Fault::BadUnicodeEscape)?;
        let mut v = 0;
        for &d in digits {
            v = v * 16 + (d as char).to_digit(16).ok_or(Fault::BadUnicodeEscape)?;
        }
        self.i += 4;
        Ok(v)
    }

    fn unicode_escape(&mut self) -> Result<char, Fault> {
        let hi = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&hi) {
            if !self.literal("\\u") {
                return Err(Fault::LoneSurrogate(hi));
            }
            let lo = self.hex4()?;
            if !(0xDC00..0xE000).contains(&lo) {
                return Err(Fault::LoneSurrogate(hi));
            }
            0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
        } else {
            hi
        };
        char::from_u32(code).ok_or(Fault::LoneSurrogate(code))
    }

    /// The number literal that starts at the current byte, as written (no float is parsed,
    /// so every number keeps its exact text).
    pub fn number(&mut self) -> Result<&'a str, Fault> {
        let b = self.src.as_bytes();
        let start = self.i;
        let mut i = start + usize::from(b.get(start) == Some(&b'-'));
        let digits = |i: &mut usize| {
            let from = *i;
            while b.get(*i).is_some_and(u8::is_ascii_digit) {
                *i += 1;
            }
            *i > from
        };
        match b.get(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => {
                digits(&mut i);
            }
            _ => return Err(Fault::BadNumber),
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            if !digits(&mut i) {
                return Err(Fault::BadNumber);
            }
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            if !digits(&mut i) {
                return Err(Fault::BadNumber);
            }
        }
        self.i = i;
        Ok(cut(self.src, start, i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn string(s: &str) -> Result<Cow<'_, str>, Fault> {
        Lexer::new(s).string()
    }

    #[test]
    fn strings() {
        assert_eq!(string(r#""x\"\\\/\b\f\n\r\t\u4e2d\ud83d\ude00" tail"#).unwrap(), "x\"\\/\u{8}\u{c}\n\r\t中😀");
        assert!(matches!(string(r#""plain""#).unwrap(), Cow::Borrowed("plain")));
        for (bad, fault) in [
            ("\"abc", Fault::Unterminated),
            ("\"a\\", Fault::Unterminated),
            ("\"a\nb\"", Fault::Control),
            ("\"\\x\"", Fault::BadEscape),
            ("\"\\u12\"", Fault::BadUnicodeEscape),
            ("\"\\u+123\"", Fault::BadUnicodeEscape),
            ("\"\\ud800\"", Fault::LoneSurrogate(0xD800)),
            ("\"\\ud800\\u0041\"", Fault::LoneSurrogate(0xD800)),
            ("\"\\udc00\"", Fault::LoneSurrogate(0xDC00)),
        ] {
            assert_eq!(string(bad).unwrap_err(), fault, "{bad}");
        }
    }

    #[test]
    fn writes_what_it_reads() {
        let mut out = String::new();
        push_string(&mut out, "q\"b\\s\u{1}\u{8}\n\r\t\u{1f}中😀/");
        assert_eq!(out, r#""q\"b\\s\u0001\u0008\n\r\t\u001f中😀/""#);
        assert_eq!(string(&out).unwrap(), "q\"b\\s\u{1}\u{8}\n\r\t\u{1f}中😀/");
    }

    /// The styles against what the libraries write. Expected values as printed by Node's
    /// `JSON.stringify` and Python 3's `json.dumps` (`ensure_ascii` on); PHP's `\/` is
    /// `json_encode`'s documented default (no `JSON_UNESCAPED_SLASHES`).
    #[test]
    fn styles() {
        let styled = |s: &str, ascii, slash| {
            let mut out = String::new();
            push_string_styled(&mut out, s, Style { ascii, slash });
            out
        };
        let s = "a/\"中😀\u{8}\u{1}";
        assert_eq!(styled(s, false, false), r#""a/\"中😀\b\u0001""#);
        assert_eq!(styled(s, true, false), r#""a/\"\u4e2d\ud83d\ude00\b\u0001""#);
        assert_eq!(styled(s, true, true), r#""a\/\"\u4e2d\ud83d\ude00\b\u0001""#);
        assert_eq!(styled(s, false, true), r#""a\/\"中😀\b\u0001""#);
    }

    #[test]
    fn numbers() {
        for (s, want) in [
            ("0", Some("0")),
            ("-1.5e-3,", Some("-1.5e-3")),
            ("12E+2]", Some("12E+2")),
            ("01", Some("0")),
            ("1.", None),
            ("-", None),
            ("1e", None),
            ("+1", None),
            (".5", None),
        ] {
            let mut l = Lexer::new(s);
            assert_eq!(l.number().ok(), want, "{s}");
        }
    }
}
