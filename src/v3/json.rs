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
    Number(serde_json::Number),
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
            Json::Number(n) => n.as_i64(),
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
            Json::Number(n) => out.push_str(&n.to_string()),
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
        Ok(Json::Number(n.into()))
    }
    fn visit_u64<E>(self, n: u64) -> std::result::Result<Json, E> {
        Ok(Json::Number(n.into()))
    }
    fn visit_f64<E: de::Error>(self, n: f64) -> std::result::Result<Json, E> {
        serde_json::Number::from_f64(n).map(Json::Number).ok_or_else(|| E::custom("a number out of range"))
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
        // Floats round-trip exactly (serde_json's `float_roundtrip`; found by the v3_parsers fuzzer).
        let f = Json::parse(b"[33333333333333333333333333333333,33333333333333333333333333333333.0,0.1,1e-7,-2.5e300]", "t").unwrap();
        assert_eq!(Json::parse(f.to_json().as_bytes(), "t").unwrap(), f);
        let deep = "[".repeat(10_000);
        assert_eq!(Json::parse(deep.as_bytes(), "t").unwrap_err().code, Code::InvalidJson);
    }
}
