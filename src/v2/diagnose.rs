//! "Why doesn't my signature match?" — given the parameters, the key and a signature some
//! other system produced, find the common mistake that reproduces that signature.
//!
//! Each candidate mistake is one concrete signing string (and key) that differs from the
//! real rule in exactly one way. A cause is reported only when hashing that string gives
//! the other side's signature byte for byte, so a reported cause is evidence, not a guess;
//! when nothing reproduces it, the answer is "no known mistake" and the likeliest
//! explanation is a different key, which no amount of trying can reveal.

pub use crate::contract::v2::Cause;
use crate::core::error::{mask_key, Code, Result, WxError};
use crate::core::json::{push_string_styled, Lexer, Style};
use crate::v2::params::{self, Params};
use crate::v2::sign::{self, SignType};
use crate::v2::validate;

/// The outcome of a diagnosis. `signing_string` never contains the key, only its mask.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnosis {
    /// The signature equals ours under the intended sign type.
    pub matched: bool,
    pub cause: Option<Cause>,
    /// A sentence for people; the cause's explanation plus the specifics.
    pub message: String,
    /// What the reproducing variant changed, e.g. "dropped field `detail`".
    pub variant: Option<String>,
    /// The field the variant concerns, when it concerns one.
    pub field: Option<String>,
    /// The algorithm that reproduced the signature (the intended one when nothing did).
    pub sign_type: SignType,
    /// The string that reproduces the signature (ours when nothing did), key masked.
    pub signing_string: String,
    /// Our signature under the intended sign type.
    pub computed_sign: String,
}

/// How the key is attached to `k=v&…`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Suffix {
    /// `&key=<key>`: WeChat's rule.
    Standard,
    Nothing,
    /// `&<key>`
    AmpKey,
    /// `<key>` glued on
    Bare,
}

/// One candidate mistake: the `k=v&…` part, how the key is attached and which key.
struct Attempt {
    cause: Cause,
    variant: String,
    field: Option<String>,
    pairs: String,
    suffix: Suffix,
    key: String,
}

impl Attempt {
    fn new(cause: Cause, variant: impl Into<String>, pairs: String, key: &str) -> Attempt {
        Attempt { cause, variant: variant.into(), field: None, pairs, suffix: Suffix::Standard, key: key.to_owned() }
    }

    fn on(mut self, field: &str) -> Attempt {
        self.field = Some(field.to_owned());
        self
    }

    fn string(&self, key_text: &str) -> String {
        let mut s = self.pairs.clone();
        match self.suffix {
            Suffix::Standard => {
                if !s.is_empty() {
                    s.push('&');
                }
                s.push_str("key=");
                s.push_str(key_text);
            }
            Suffix::Nothing => {}
            Suffix::AmpKey => {
                s.push('&');
                s.push_str(key_text);
            }
            Suffix::Bare => s.push_str(key_text),
        }
        s
    }

    fn sign(&self, sign_type: SignType) -> String {
        sign::digest_hex(self.string(&self.key).as_bytes(), &self.key, sign_type)
    }

    fn masked(&self) -> String {
        self.string(&display_key(&self.key))
    }
}

/// Finds which common mistake makes `params` + `key` produce `expected`. `expected` empty
/// means "the `sign` field of `params`". The intended algorithm is `explicit`, else the
/// `sign_type` field, else MD5 (what WeChat assumes without the field).
pub fn diagnose_sign(params: &Params, key: &str, expected: &str, explicit: Option<SignType>) -> Result<Diagnosis> {
    validate::key(key)?;
    let expected = match expected.trim() {
        "" => params::get(params, params::SIGN).map(str::trim).ok_or_else(|| {
            WxError::field(
                Code::MissingField,
                "sign",
                "give the signature to compare with (or a `sign` field in the parameters)",
            )
        })?,
        e => e,
    };
    let intended = match explicit {
        Some(t) => t,
        None => params::get(params, "sign_type").map(SignType::parse).transpose()?.unwrap_or(SignType::Md5),
    };
    let canonical = Attempt::new(Cause::OtherSignType, "", sign::signing_string(params), key);
    let computed = canonical.sign(intended);
    let result = |matched, cause, message: String, a: &Attempt, t| Diagnosis {
        matched,
        cause,
        message,
        variant: (!a.variant.is_empty()).then(|| a.variant.clone()),
        field: a.field.clone(),
        sign_type: t,
        signing_string: a.masked(),
        computed_sign: computed.clone(),
    };
    if crate::core::ct::ct_eq(computed.as_bytes(), expected.as_bytes()) {
        return Ok(result(true, None, "The signature matches.".into(), &canonical, intended));
    }
    let no_cause = |why: String| Ok(result(false, None, why, &canonical, intended));
    let Some(algo) = SignType::from_sign_len(expected) else {
        return no_cause(format!(
            "The signature has {} characters; MD5 signatures have 32 hex digits and HMAC-SHA256 ones 64.",
            expected.chars().count()
        ));
    };
    if !expected.bytes().all(|b| b.is_ascii_hexdigit()) {
        return no_cause("The signature contains characters other than hex digits.".into());
    }
    let also = if algo == intended {
        String::new()
    } else {
        format!(" It was also made with {} rather than {}.", algo.as_str(), intended.as_str())
    };
    if algo != intended && canonical.sign(algo) == expected {
        let msg = format!(
            "{} Expected {}, the signature is {}.",
            Cause::OtherSignType.explain(),
            intended.as_str(),
            algo.as_str()
        );
        let a =
            Attempt::new(Cause::OtherSignType, format!("signed with {}", algo.as_str()), canonical.pairs.clone(), key);
        return Ok(result(false, Some(Cause::OtherSignType), msg, &a, algo));
    }
    let upper = expected.to_ascii_uppercase();
    if upper != expected && canonical.sign(algo) == upper {
        let a = Attempt::new(Cause::LowercaseHex, "hex digits in lowercase", canonical.pairs.clone(), key);
        let msg = format!("{}{also}", Cause::LowercaseHex.explain());
        return Ok(result(false, Some(Cause::LowercaseHex), msg, &a, algo));
    }
    if let Some(a) = search(params, key, algo, |a| a.sign(algo) == expected) {
        let msg = format!("{} ({}){also}", a.cause.explain(), a.variant);
        return Ok(result(false, Some(a.cause), msg, &a, algo));
    }
    no_cause(format!(
        "No common mistake reproduces this {} signature. The likeliest cause is a different key: check it is the API key \
         (API密钥) set in the merchant platform, not the AppSecret, and that both sides use the same one.",
        algo.as_str()
    ))
}

/// Tries every candidate, likeliest first, and returns the first that `hits`. Candidates
/// are built one at a time, so a large message never holds all its variants in memory.
fn search(params: &Params, key: &str, algo: SignType, hits: impl Fn(&Attempt) -> bool) -> Option<Attempt> {
    // One out-of-line check instead of the hash inlined at every candidate keeps the wasm small.
    #[inline(never)]
    fn check(hits: &dyn Fn(&Attempt) -> bool, a: Attempt) -> Option<Attempt> {
        hits(&a).then_some(a)
    }
    macro_rules! attempt {
        ($a:expr) => {
            if let Some(a) = check(&hits, $a) {
                return Some(a);
            }
        };
    }
    let pairs = |p: &Params| sign::signing_string(p);
    if params::get(params, "sign_type").is_some() {
        let s = joined(params::signed_fields(params).filter(|(k, _)| *k != "sign_type"));
        attempt!(
            Attempt::new(Cause::SignTypeExcluded, "`sign_type` left out of the signed fields", s, key).on("sign_type")
        );
    } else {
        let mut p = params.clone();
        p.insert("sign_type".into(), algo.as_str().into());
        let v = format!("`sign_type={}` added to the signed fields", algo.as_str());
        attempt!(Attempt::new(Cause::SignTypeAdded, v, pairs(&p), key).on("sign_type"));
    }
    let unsigned = params.iter().filter(|(k, _)| k.as_str() != params::SIGN);
    if unsigned.clone().any(|(_, v)| params::is_empty(v)) {
        let s = joined(unsigned.map(|(k, v)| (k.as_str(), v.as_str())));
        attempt!(Attempt::new(Cause::EmptyValuesIncluded, "empty values signed as `name=`", s, key));
    }
    let base = pairs(params);
    if params.values().any(|v| v.trim() != v) {
        attempt!(Attempt::new(Cause::ValuesTrimmed, "values trimmed", mapped(params, |v| v.trim().to_owned()), key));
    }
    for (name, encode) in
        [("encodeURIComponent", component_encode as fn(&str) -> String), ("form encoding, space as +", form_encode)]
    {
        let s = mapped(params, encode);
        if s != base {
            attempt!(Attempt::new(Cause::ValuesUrlEncoded, format!("values URL-encoded ({name})"), s, key));
        }
    }
    for (suffix, v) in [
        (Suffix::Nothing, "nothing appended after the fields"),
        (Suffix::AmpKey, "`&<key>` appended without `key=`"),
        (Suffix::Bare, "the key appended directly, without `&key=`"),
    ] {
        attempt!(Attempt { suffix, ..Attempt::new(Cause::KeySuffixMissing, v, base.clone(), key) });
    }
    for k in key_variants(key) {
        let v = format!("key used as \"{}\"", display_key(&k));
        attempt!(Attempt::new(Cause::KeyWhitespace, v, base.clone(), &k));
    }
    for (name, value) in params::signed_fields(params) {
        if name != "sign_type" {
            let s = joined(params::signed_fields(params).filter(|(k, _)| *k != name));
            let v = format!("field `{name}` not signed by the other side");
            attempt!(Attempt::new(Cause::FieldOneSide, v, s, key).on(name));
        }
        for (style, json) in json_variants(value) {
            let s = joined(params::signed_fields(params).map(|(k, v)| (k, if k == name { json.as_str() } else { v })));
            let v = format!("`{name}` re-serialised as {style}");
            attempt!(Attempt::new(Cause::JsonReserialized, v, s, key).on(name));
        }
    }
    None
}

/// The signing string with every value passed through `f`; values that become empty
/// are left out, as the rule says.
fn mapped(params: &Params, f: impl Fn(&str) -> String) -> String {
    let values: Vec<(&str, String)> = params::signed_fields(params).map(|(k, v)| (k, f(v))).collect();
    joined(values.iter().filter(|(_, v)| !params::is_empty(v)).map(|(k, v)| (*k, v.as_str())))
}

fn joined<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let mut s = String::new();
    sign::join_pairs(pairs, &mut s);
    s
}

/// The key as the other side may hold it: trimmed when ours has whitespace around it,
/// else with the whitespace files and copy-paste tend to add.
fn key_variants(key: &str) -> Vec<String> {
    if key.trim() != key {
        return vec![key.trim().to_owned()];
    }
    vec![format!("{key}\n"), format!("{key}\r\n"), format!("{key} "), format!(" {key}")]
}

/// The key's mask, with surrounding whitespace made visible so a key-whitespace variant
/// can be told apart from the plain one.
fn display_key(key: &str) -> String {
    let body = key.trim();
    let start = key.len() - key.trim_start().len();
    format!("{}{}{}", visible(&key[..start]), mask_key(body), visible(&key[start + body.len()..]))
}

/// Newlines, carriage returns and tabs written as escapes. One pass by hand: three
/// `str::replace` calls inlined into `display_key` cost ~2 KB of wasm.
fn visible(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out
}

fn percent_encode(s: &str, keep: impl Fn(u8) -> bool, space_plus: bool) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if keep(b) {
            out.push(b as char);
        } else if b == b' ' && space_plus {
            out.push('+');
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        }
    }
    out
}

/// JavaScript's `encodeURIComponent`.
fn component_encode(s: &str) -> String {
    percent_encode(s, |b| b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b), false)
}

/// PHP `urlencode` / `http_build_query`, close to Java's `URLEncoder`.
fn form_encode(s: &str) -> String {
    percent_encode(s, |b| b.is_ascii_alphanumeric() || b"-_.".contains(&b), true)
}

/// Ways JSON libraries write the same value: (description, item separator, key
/// separator, string escapes).
const JSON_STYLES: [(&str, &str, &str, Style); 5] = [
    ("compact JSON (JSON.stringify)", ",", ":", Style { ascii: false, slash: false }),
    ("JSON with spaces and \\u escapes (Python json.dumps default)", ", ", ": ", Style { ascii: true, slash: false }),
    (
        "JSON with spaces, non-ASCII kept (json.dumps ensure_ascii=False)",
        ", ",
        ": ",
        Style { ascii: false, slash: false },
    ),
    ("compact JSON with \\u escapes", ",", ":", Style { ascii: true, slash: false }),
    ("compact JSON with \\u and \\/ escapes (PHP json_encode default)", ",", ":", Style { ascii: true, slash: true }),
];

/// The value written in each JSON style that changes it; nothing for non-JSON values.
fn json_variants(value: &str) -> Vec<(&'static str, String)> {
    let t = value.trim();
    let looks_json = (t.starts_with('{') && t.ends_with('}')) || (t.starts_with('[') && t.ends_with(']'));
    if !looks_json {
        return Vec::new();
    }
    let mut out: Vec<(&'static str, String)> = Vec::new();
    for (name, item, colon, style) in JSON_STYLES {
        if let Some(s) = reserialize(t, item, colon, style) {
            if s != value && !out.iter().any(|(_, o)| *o == s) {
                out.push((name, s));
            }
        }
    }
    out
}

/// Re-emits JSON text token by token (the shared lexer's tokens) with the given separators
/// and escaping, keeping member order and number spelling exactly (a parse into a map
/// would reorder keys and so sign something no library produces). `None` when a token is
/// not JSON: text no JSON library could have read, so none re-serialised it.
fn reserialize(src: &str, item: &str, colon: &str, style: Style) -> Option<String> {
    let mut out = String::with_capacity(src.len() + 16);
    let mut lex = Lexer::new(src);
    loop {
        lex.ws();
        let Some(b) = lex.peek() else { return Some(out) };
        match b {
            b'"' => push_string_styled(&mut out, &lex.string().ok()?, style),
            b't' | b'f' | b'n' => {
                let start = lex.i;
                if !(lex.literal("true") || lex.literal("false") || lex.literal("null")) {
                    return None;
                }
                out.push_str(lex.since(start));
            }
            b',' | b':' => {
                lex.i += 1;
                out.push_str(if b == b',' { item } else { colon });
            }
            b'{' | b'}' | b'[' | b']' => {
                lex.i += 1;
                out.push(char::from(b));
            }
            _ => out.push_str(lex.number().ok()?),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected texts as Python 3 prints `json.dumps(json.loads(SRC))` (default, then
    /// `ensure_ascii=False`, then `separators=(",", ":")`) and Node `JSON.stringify`.
    #[test]
    fn reserialize_writes_what_the_libraries_write() {
        const SRC: &str = r#"{"b":[1.5,-2,3,false], "a":"中/\u00e9\n","c":{"d":null,"e":true}}"#;
        let style = |ascii, slash| Style { ascii, slash };
        let python = r#"{"b": [1.5, -2, 3, false], "a": "\u4e2d/\u00e9\n", "c": {"d": null, "e": true}}"#;
        assert_eq!(reserialize(SRC, ", ", ": ", style(true, false)).as_deref(), Some(python));
        let kept = r#"{"b": [1.5, -2, 3, false], "a": "中/é\n", "c": {"d": null, "e": true}}"#;
        assert_eq!(reserialize(SRC, ", ", ": ", style(false, false)).as_deref(), Some(kept));
        let compact = r#"{"b":[1.5,-2,3,false],"a":"\u4e2d/\u00e9\n","c":{"d":null,"e":true}}"#;
        assert_eq!(reserialize(SRC, ",", ":", style(true, false)).as_deref(), Some(compact));
        let node = r#"{"b":[1.5,-2,3,false],"a":"中/é\n","c":{"d":null,"e":true}}"#;
        assert_eq!(reserialize(SRC, ",", ":", style(false, false)).as_deref(), Some(node));
        // Number spelling is kept as written (a parse would print 1e5 as 100000.0).
        assert_eq!(reserialize("[1E+5, -0.50]", ",", ":", style(false, false)).as_deref(), Some("[1E+5,-0.50]"));
    }

    /// Text no JSON library reads yields no variant.
    #[test]
    fn reserialize_refuses_what_is_not_json() {
        for bad in
            [r#"{"a":tru}"#, r#"{"a":"\x"}"#, "{\"a\":\"\n\"}", r#"{"a":"\ud800"}"#, "{a:1}", "[+1]", r#"["open]"#]
        {
            assert_eq!(reserialize(bad, ",", ":", Style { ascii: false, slash: false }), None, "{bad}");
        }
    }
}
