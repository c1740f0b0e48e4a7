//! JSON for v3: a strict value type over `serde_json`'s parser.
//!
//! `serde_json::Value` silently keeps the last of two equal keys and sorts objects. Both are
//! wrong for a payment library: a body with `"out_trade_no"` twice means whatever the reader
//! decides, and a caller comparing our output with what it sent wants its own order back. So
//! [`Json`] keeps object members in order and its deserializer refuses duplicate keys; the
//! grammar, escapes, surrogates and the nesting limit (128) are serde_json's.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::core::error::{quoted, Code, Result, WxError};

/// A JSON value; objects keep their members in document order (no duplicate names).
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    /// The number's text as it was written (serde_json's `arbitrary_precision`): no float is
    /// parsed or printed, so every number reaches JS exactly as WeChat (or the caller) wrote it.
    /// Size: this replaced `float_roundtrip`, whose exact float parser cost ~11 KB gzipped
    /// in the v3 wasm (docs/development/performance.md).
    Number(String),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    /// Parses `src` as one JSON document; `what` names it in the error (`callback body`, …).
    pub fn parse(src: &[u8], what: &str) -> Result<Json> {
        serde_json::from_slice(src).map_err(|e| {
            let why = if e.is_data() { e.to_string() } else { format!("{e}") };
            WxError::new(Code::InvalidJson, format!("the {what} is not valid JSON: {why}"))
        })
    }

    /// The member `name` of an object (None for other values or a missing member).
    pub fn get(&self, name: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().find(|(n, _)| n == name).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// An integer that fits i64 (not a float, even `1.0`).
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            // "-0" is not an integer amount ("-0" was a float before this was text, too).
            Json::Number(n) if n != "-0" && !n.contains(['.', 'e', 'E']) => n.parse().ok(),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[(String, Json)]> {
        match self {
            Json::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The name JSON gives this kind of value, for error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Number(_) => "a number",
            Json::String(_) => "a string",
            Json::Array(_) => "an array",
            Json::Object(_) => "an object",
        }
    }

    /// Compact JSON text (no spaces), members in their stored order.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    pub fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Number(n) => out.push_str(n),
            Json::String(s) => write_str(out, s),
            Json::Array(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.write(out);
                }
                out.push(']');
            }
            Json::Object(members) => {
                out.push('{');
                for (i, (n, v)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_str(out, n);
                    out.push(':');
                    v.write(out);
                }
                out.push('}');
            }
        }
    }
}

/// A JSON string literal: `"` `\` and controls escaped, everything else (CJK, emoji) as is.
pub fn write_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 15] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The object members of `v`, or INVALID_JSON naming `what`.
pub fn object<'a>(v: &'a Json, what: &str) -> Result<&'a [(String, Json)]> {
    v.as_object().ok_or_else(|| WxError::new(Code::InvalidJson, format!("the {what} must be a JSON object, got {}", v.kind())))
}

/// A required non-empty string member `name` of the object `v` (INVALID_JSON otherwise: these
/// are documents WeChat writes, so a wrong shape means the document is not what we expect).
pub fn req_str<'a>(v: &'a Json, name: &str, what: &str) -> Result<&'a str> {
    match v.get(name) {
        Some(Json::String(s)) if !s.is_empty() => Ok(s),
        Some(Json::String(_)) | None => Err(WxError::field(Code::InvalidJson, name, format!("the {what} has no `{name}` string"))),
        Some(other) => Err(WxError::field(Code::InvalidJson, name, format!("`{name}` in the {what} must be a string, got {}", other.kind()))),
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Json, D::Error> {
        d.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

/// serde_json's name for a number carried as text (`serde_json::number::TOKEN`, private).
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// The value under [`NUMBER_TOKEN`]: only serde_json's own owned number text.
struct NumberText;

impl<'de> de::DeserializeSeed<'de> for NumberText {
    type Value = String;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<String, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for NumberText {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number (a member named $serde_json::private::Number is refused)")
    }
    fn visit_string<E>(self, s: String) -> std::result::Result<String, E> {
        Ok(s)
    }
    // Size: every other kind is refused with one fixed message. serde's defaults describe the
    // value (`invalid_type`), and that description links Rust's f64 printing (~11 KB gzipped).
    fn visit_unit<E: de::Error>(self) -> std::result::Result<String, E> {
        Err(token_member())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> std::result::Result<String, E> {
        Err(token_member())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> std::result::Result<String, E> {
        Err(token_member())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> std::result::Result<String, E> {
        Err(token_member())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> std::result::Result<String, E> {
        Err(token_member())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> std::result::Result<String, E> {
        Err(token_member())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> std::result::Result<String, A::Error> {
        Err(token_member())
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> std::result::Result<String, A::Error> {
        Err(token_member())
    }
}

fn token_member<E: de::Error>() -> E {
    E::custom("a member named $serde_json::private::Number")
}

/// The JSON number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
fn is_number(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i > start
    };
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            digits(&mut i);
        }
        _ => return false,
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if !digits(&mut i) {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digits(&mut i) {
            return false;
        }
    }
    i == b.len()
}

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> std::result::Result<Json, E> {
        Ok(Json::Null)
    }
    fn visit_bool<E>(self, b: bool) -> std::result::Result<Json, E> {
        Ok(Json::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> std::result::Result<Json, E> {
        Ok(Json::Number(n.to_string()))
    }
    fn visit_u64<E>(self, n: u64) -> std::result::Result<Json, E> {
        Ok(Json::Number(n.to_string()))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> std::result::Result<Json, E> {
        // With `arbitrary_precision` serde_json hands non-integers over as text (visit_map).
        Err(E::custom("a number out of range"))
    }
    fn visit_str<E>(self, s: &str) -> std::result::Result<Json, E> {
        Ok(Json::String(s.to_owned()))
    }
    fn visit_string<E>(self, s: String) -> std::result::Result<Json, E> {
        Ok(Json::String(s))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(v) = seq.next_element()? {
            items.push(v);
        }
        Ok(Json::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Json, A::Error> {
        let mut members: Vec<(String, Json)> = Vec::new();
        while let Some(name) = map.next_key::<String>()? {
            // serde_json (`arbitrary_precision`) hands a number that is not an i64/u64 over as
            // a one-member map under this private name, its text as the value. A body that
            // itself uses this name as a member is refused: it would otherwise read as a number.
            // The two are told apart by how the value arrives: serde_json's number text is an
            // owned String (`visit_string`), a string in the document is borrowed or copied
            // (`visit_borrowed_str` / `visit_str`), which `NumberText` refuses.
            if name == NUMBER_TOKEN {
                let text = map.next_value_seed(NumberText)?;
                if members.is_empty() && map.next_key::<String>()?.is_none() && is_number(&text) {
                    return Ok(Json::Number(text));
                }
                return Err(token_member());
            }
            // Objects here have tens of members: a linear scan beats hashing.
            if members.iter().any(|(n, _)| *n == name) {
                return Err(de::Error::custom(format!("duplicate member {}", quoted(&name))));
            }
            let value = map.next_value()?;
            members.push((name, value));
        }
        Ok(Json::Object(members))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_and_refuses_duplicates() {
        let v = Json::parse(br#"{"b":1,"a":[true,null,"x\u00e9\n"],"c":{"d":-2.5}}"#, "t").unwrap();
        assert_eq!(v.to_json(), "{\"b\":1,\"a\":[true,null,\"x\u{e9}\\n\"],\"c\":{\"d\":-2.5}}");
        let e = Json::parse(br#"{"a":1,"b":{"x":1,"x":2}}"#, "t").unwrap_err();
        assert_eq!(e.code, Code::InvalidJson);
        assert!(e.message.contains("duplicate"), "{}", e.message);
        for bad in [&b""[..], b"{", b"{} x", b"[1,]", b"{'a':1}", b"\xff", b"NaN"] {
            assert_eq!(Json::parse(bad, "t").unwrap_err().code, Code::InvalidJson, "{bad:?}");
        }
        // serde_json's recursion limit: deep nesting is an error, not a stack overflow.
        // Numbers keep their text, so they round-trip exactly (found by the v3_parsers fuzzer
        // when floats were parsed); integers beyond i64 stay exact too.
        let src = "[33333333333333333333333333333333,33333333333333333333333333333333.0,0.1,1e-7,-2.5E+300,-0,18446744073709551615,-9223372036854775808]";
        let f = Json::parse(src.as_bytes(), "t").unwrap();
        assert_eq!(f.to_json(), src.replace("E+", "e+")); // serde_json writes the exponent's `e` lower-case
        assert_eq!(Json::parse(f.to_json().as_bytes(), "t").unwrap(), f);
        let n = |s: &str| Json::parse(s.as_bytes(), "t").unwrap().as_i64();
        assert_eq!((n("100"), n("-9223372036854775808"), n("100.0"), n("1e2"), n("-0"), n("9223372036854775808")), (Some(100), Some(i64::MIN), None, None, None, None));
        // The private name serde_json carries such numbers under is not a member a body may use.
        for bad in [&br#"{"$serde_json::private::Number":"5"}"#[..], br#"{"$serde_json::private::Number":"\u0035"}"#, br#"{"$serde_json::private::Number":5}"#, br#"{"a":{"$serde_json::private::Number":"x"}}"#] {
            assert_eq!(Json::parse(bad, "t").unwrap_err().code, Code::InvalidJson);
        }
        for (s, ok) in [("0", true), ("-1.5e-3", true), ("01", false), ("1.", false), ("", false), ("-", false), ("1e", false), ("x", false)] {
            assert_eq!(is_number(s), ok, "{s}");
        }
        let deep = "[".repeat(10_000);
        assert_eq!(Json::parse(deep.as_bytes(), "t").unwrap_err().code, Code::InvalidJson);
    }
}
