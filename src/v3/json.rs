//! JSON for v3: a strict value type and its reader.
//!
//! `serde_json::Value` silently keeps the last of two equal keys and sorts objects. Both are
//! wrong for a payment library: a body with `"out_trade_no"` twice means whatever the reader
//! decides, and a caller comparing our output with what it sent wants its own order back. So
//! [`Json`] keeps object members in order and its reader refuses duplicate names.
//!
//! The reader is our own (RFC 8259, over the shared lexer in `core::json`), not serde_json:
//! serde_json and the serde glue were ~17 KB of the v3 wasm (~6 KB gzipped), and numbers
//! needed its `arbitrary_precision` trick to keep their text. Its grammar, escapes,
//! surrogate rules and nesting limit (127 levels) are serde_json's, which the tests and the
//! `v3_json` fuzzer check it against (docs/development/performance.md, 2026-12-04 evening).

use crate::core::error::{quoted, Code, Result, WxError};
use crate::core::json::{push_string, Fault, Lexer};

/// A JSON value; objects keep their members in document order (no duplicate names).
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    /// The number's text as it was written: no float is parsed or printed, so every number
    /// reaches JS exactly as WeChat (or the caller) wrote it.
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
        Self::parse_with(src, what, false)
    }

    /// [`parse`](Self::parse) for a document JavaScript will read with `JSON.parse` (a
    /// callback's decrypted resource): an integer beyond ±(2^53−1) is refused, since
    /// JS would round it (2^53+1 becomes 2^53) and an amount must not change on its way.
    pub fn parse_js(src: &[u8], what: &str) -> Result<Json> {
        Self::parse_with(src, what, true)
    }

    #[inline(never)] // one copy for both entries
    fn parse_with(src: &[u8], what: &str, js: bool) -> Result<Json> {
        let invalid = |why: &str, at: usize| {
            WxError::new(Code::InvalidJson, format!("the {what} is not valid JSON: {why} at byte {at}"))
        };
        // Checked whole first: outside strings only ASCII is JSON, so this is the check
        // strings need, and the lexer can then cut the text anywhere at an ASCII byte.
        let text = std::str::from_utf8(src).map_err(|e| invalid("it is not UTF-8", e.valid_up_to()))?;
        let mut p = Parser { lex: Lexer::new(text), depth: 0, js };
        let v = p.value().map_err(|e| invalid(&e.why, e.at))?;
        p.lex.ws();
        if !p.lex.at_end() {
            return Err(invalid("trailing characters after the value", p.lex.i));
        }
        Ok(v)
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
            Json::String(s) => push_string(out, s),
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
                    push_string(out, n);
                    out.push(':');
                    v.write(out);
                }
                out.push('}');
            }
        }
    }
}

/// The object members of `v`, or INVALID_JSON naming `what`.
pub fn object<'a>(v: &'a Json, what: &str) -> Result<&'a [(String, Json)]> {
    v.as_object()
        .ok_or_else(|| WxError::new(Code::InvalidJson, format!("the {what} must be a JSON object, got {}", v.kind())))
}

/// A required non-empty string member `name` of the object `v` (INVALID_JSON otherwise: these
/// are documents WeChat writes, so a wrong shape means the document is not what we expect).
pub fn req_str<'a>(v: &'a Json, name: &str, what: &str) -> Result<&'a str> {
    match v.get(name) {
        Some(Json::String(s)) if !s.is_empty() => Ok(s),
        Some(Json::String(_)) | None => {
            Err(WxError::field(Code::InvalidJson, name, format!("the {what} has no `{name}` string")))
        }
        Some(other) => Err(WxError::field(
            Code::InvalidJson,
            name,
            format!("`{name}` in the {what} must be a string, got {}", other.kind()),
        )),
    }
}

/// serde_json's recursion limit: 127 nested arrays or objects parse, 128 do not. Deeper
/// input is an error, never a stack overflow.
const MAX_DEPTH: usize = 128;

/// Whether the JSON number `n` is an integer (no fraction, no exponent) beyond ±(2^53−1).
/// Compared as digits (JSON has no leading zeros): smaller in the wasm than parsing.
fn beyond_js(n: &str) -> bool {
    let d = n.strip_prefix('-').unwrap_or(n).as_bytes();
    (d.len() > 16 || (d.len() == 16 && d > b"9007199254740991")) && d.iter().all(u8::is_ascii_digit)
}

/// A recursive-descent reader over the shared lexer.
struct Parser<'a> {
    lex: Lexer<'a>,
    depth: usize,
    /// Refuse integers a JS number cannot hold exactly ([`Json::parse_js`]).
    js: bool,
}

/// Why a text is not JSON, with the byte offset where the reader stopped.
struct Syntax {
    why: String,
    at: usize,
}

type Parsed<T> = std::result::Result<T, Syntax>;

impl<'a> Parser<'a> {
    fn fail<T>(&self, why: impl Into<String>) -> Parsed<T> {
        Err(Syntax { why: why.into(), at: self.lex.i })
    }

    fn fault<T>(&self, fault: Fault) -> Parsed<T> {
        self.fail(fault.message())
    }

    fn value(&mut self) -> Parsed<Json> {
        self.lex.ws();
        match self.lex.peek() {
            Some(b'{') => self.nested(Self::object),
            Some(b'[') => self.nested(Self::array),
            Some(b'"') => Ok(Json::String(self.string()?)),
            Some(b'-' | b'0'..=b'9') => match self.lex.number() {
                Ok(n) if self.js && beyond_js(n) => self.fail("an integer beyond 2^53-1 (MAX_SAFE_INTEGER)"),
                Ok(n) => Ok(Json::Number(n.to_owned())),
                Err(f) => self.fault(f),
            },
            Some(b'n') if self.lex.literal("null") => Ok(Json::Null),
            Some(b't') if self.lex.literal("true") => Ok(Json::Bool(true)),
            Some(b'f') if self.lex.literal("false") => Ok(Json::Bool(false)),
            Some(_) => self.fail("expected a value"),
            None => self.fail("the text ends where a value should be"),
        }
    }

    /// Runs `inner` one nesting level down, refusing to go deeper than [`MAX_DEPTH`].
    fn nested(&mut self, inner: fn(&mut Self) -> Parsed<Json>) -> Parsed<Json> {
        self.depth += 1;
        if self.depth >= MAX_DEPTH {
            return self.fail(format!("nested deeper than {} levels", MAX_DEPTH - 1));
        }
        self.lex.i += 1; // the opening bracket
        let v = inner(self)?;
        self.depth -= 1;
        Ok(v)
    }

    fn string(&mut self) -> Parsed<String> {
        match self.lex.string() {
            Ok(s) => Ok(s.into_owned()),
            Err(f) => self.fault(f),
        }
    }

    /// After a member or element: `,` (more follow) or `close` (the end). True for `,`.
    fn next(&mut self, close: u8) -> Parsed<bool> {
        self.lex.ws();
        match self.lex.peek() {
            Some(b',') => {
                self.lex.i += 1;
                Ok(true)
            }
            Some(b) if b == close => {
                self.lex.i += 1;
                Ok(false)
            }
            _ => self.fail(format!("expected `,` or `{}`", close as char)),
        }
    }

    fn array(&mut self) -> Parsed<Json> {
        let mut items = Vec::new();
        self.lex.ws();
        if self.lex.peek() == Some(b']') {
            self.lex.i += 1;
            return Ok(Json::Array(items));
        }
        loop {
            items.push(self.value()?);
            if !self.next(b']')? {
                return Ok(Json::Array(items));
            }
        }
    }

    fn object(&mut self) -> Parsed<Json> {
        let mut members: Vec<(String, Json)> = Vec::new();
        // Where each name past the scan starts, for [`first_duplicate`]'s error: the first
        // repeat is always past it (an earlier one the scan finds), so small objects keep none.
        let mut starts = Vec::new();
        self.lex.ws();
        if self.lex.peek() == Some(b'}') {
            self.lex.i += 1;
            return Ok(Json::Object(members));
        }
        loop {
            self.lex.ws();
            if self.lex.peek() != Some(b'"') {
                return self.fail("expected a member name (a string)");
            }
            let at = self.lex.i;
            let name = self.string()?;
            if members.len() < SCAN_MEMBERS {
                if members.iter().any(|(n, _)| *n == name) {
                    return Err(duplicate(&name, at));
                }
            } else {
                starts.push(at);
            }
            self.lex.ws();
            if !self.lex.literal(":") {
                return self.fail("expected `:`");
            }
            let value = self.value()?;
            members.push((name, value));
            if !self.next(b'}')? {
                if let Some(i) = first_duplicate(&members) {
                    return Err(duplicate(&members[i].0, starts[i - SCAN_MEMBERS]));
                }
                return Ok(Json::Object(members));
            }
        }
    }
}

/// Members whose names are checked against the ones before them as they are read: objects
/// here have tens of members, where a linear scan beats anything else. A larger object is
/// checked once complete, by sorting its names ([`first_duplicate`]): with the scan alone a
/// 1 MiB body of 100,000 members took 11.7 s (quadratic), now milliseconds.
const SCAN_MEMBERS: usize = 32;

fn duplicate(name: &str, at: usize) -> Syntax {
    Syntax { why: format!("duplicate member {}", quoted(name)), at }
}

/// For an object larger than [`SCAN_MEMBERS`]: the first member, in document order, whose
/// name an earlier member has (the one the scan would have found; never one of the scanned
/// members, whose repeats the scan already refused). Member indices sorted by (name, index);
/// in each run of one name, the second index is its first repeat.
fn first_duplicate(members: &[(String, Json)]) -> Option<usize> {
    if members.len() <= SCAN_MEMBERS {
        return None;
    }
    let mut order: Vec<usize> = (0..members.len()).collect();
    heapsort(&mut order, |&a, &b| (&members[a].0, a) < (&members[b].0, b));
    order.windows(2).filter(|w| members[w[0]].0 == members[w[1]].0).map(|w| w[1]).min()
}

/// Heapsort: O(n log n) on any input, in a few dozen instructions of code. Size: the
/// standard library's sorts added ~3 KB gzipped to the v3 wasm (measured: 58,960 → 62,021 B),
/// which has no other sort.
fn heapsort(v: &mut [usize], less: impl Fn(&usize, &usize) -> bool) {
    let sift = |v: &mut [usize], mut node: usize, end: usize| loop {
        let mut child = 2 * node + 1;
        if child >= end {
            break;
        }
        if child + 1 < end && less(&v[child], &v[child + 1]) {
            child += 1;
        }
        if !less(&v[node], &v[child]) {
            break;
        }
        v.swap(node, child);
        node = child;
    };
    for i in (0..v.len() / 2).rev() {
        sift(v, i, v.len());
    }
    for end in (1..v.len()).rev() {
        v.swap(0, end);
        sift(v, 0, end);
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
        // Numbers keep their text as written, so they round-trip exactly (found by the
        // v3_parsers fuzzer when floats were parsed); integers beyond i64 stay exact too.
        let src = "[33333333333333333333333333333333,33333333333333333333333333333333.0,0.1,1e-7,-2.5E+300,-0,18446744073709551615,-9223372036854775808]";
        let f = Json::parse(src.as_bytes(), "t").unwrap();
        assert_eq!(f.to_json(), src);
        assert_eq!(Json::parse(f.to_json().as_bytes(), "t").unwrap(), f);
        let n = |s: &str| Json::parse(s.as_bytes(), "t").unwrap().as_i64();
        assert_eq!(
            (n("100"), n("-9223372036854775808"), n("100.0"), n("1e2"), n("-0"), n("9223372036854775808")),
            (Some(100), Some(i64::MIN), None, None, None, None)
        );
        // serde_json carried such numbers under a private member name, which a body could
        // forge; that name is an ordinary member now.
        let forged = Json::parse(br#"{"$serde_json::private::Number":"5"}"#, "t").unwrap();
        assert_eq!(forged.get("$serde_json::private::Number").and_then(Json::as_str), Some("5"));
        // Where the reader stopped, in the message.
        let e = Json::parse(b"{\"a\":1,}", "callback body").unwrap_err();
        assert_eq!(e.message, "the callback body is not valid JSON: expected a member name (a string) at byte 7");
        // serde_json's recursion limit: 127 levels parse, 128 do not; deep nesting is an
        // error, not a stack overflow.
        let nest = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(Json::parse(nest(127).as_bytes(), "t").is_ok());
        assert_eq!(Json::parse(nest(128).as_bytes(), "t").unwrap_err().code, Code::InvalidJson);
        // Large objects: duplicates found by sorting, the first repeat in document order
        // reported; 100,000 members finish at once (quadratic, this took 11.7 s optimised).
        let big = |extra: &str| {
            let members: Vec<String> = (0..100_000).map(|i| format!("\"{i:x}\":0")).collect();
            format!("{{{}{extra}}}", members.join(","))
        };
        assert_eq!(Json::parse(big("").as_bytes(), "t").unwrap().as_object().unwrap().len(), 100_000);
        let e = Json::parse(big(",\"7\":1,\"2a\":2,\"7\":3").as_bytes(), "t").unwrap_err();
        assert!(e.message.contains("duplicate member \"7\" at byte "), "{}", e.message);
        // A repeat among the first members is still found as it is read.
        let e = Json::parse(br#"{"a":1,"b":2,"a":[}"#, "t").unwrap_err();
        assert_eq!(e.message, "the t is not valid JSON: duplicate member \"a\" at byte 13");
        // The sort itself, against the standard library's.
        for n in [0usize, 1, 2, 3, 7, 64, 1000] {
            let mut v: Vec<usize> = (0..n).map(|i| (i * 7919 + 13) % (n / 2 + 1)).collect();
            let mut want = v.clone();
            want.sort_unstable();
            heapsort(&mut v, |a, b| a < b);
            assert_eq!(v, want, "{n}");
        }
        let deep = "[".repeat(10_000);
        assert_eq!(Json::parse(deep.as_bytes(), "t").unwrap_err().code, Code::InvalidJson);
    }
}
