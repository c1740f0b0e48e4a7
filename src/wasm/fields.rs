//! Parameter sets as they cross from JavaScript (v2): a field list, the fast path, or a flat
//! JSON object ([`super::flat_json`]) when the list cannot carry them. js/core/boundary.js
//! writes both (`withFields`); this file reads them into [`Params`] or borrowed pairs.

use std::borrow::Cow;

use super::flat_json::{bad_param, parse_object, Value};
use crate::core::error::{Code, Result, WxError};
use crate::v2::params::{Entry, Params};

/// A parameter set from JSON or a [field list](field_list): `null` means empty and is
/// left out; an integer becomes its decimal text.
pub fn params_from_wire(src: &str) -> Result<Params> {
    let mut out = Params::new();
    parse_params(src, |name, value| match out.entry(name.into_owned()) {
        // One search per field: the key comparisons dominate for wide objects.
        Entry::Occupied(e) => Err(duplicate(e.key())),
        Entry::Vacant(e) => {
            if let Some(v) = value {
                e.insert(v.text().into_owned());
            }
            Ok(())
        }
    })?;
    Ok(out)
}

/// The non-null fields in document order, borrowed from `src` where no escape forces a
/// copy: for callers that only read the fields once (signing), which is cheaper than
/// building a [`Params`]. Duplicate names are the caller's to find (after sorting).
pub fn pairs_from_wire(src: &str) -> Result<Vec<(Cow<'_, str>, Cow<'_, str>)>> {
    let mut out = Vec::new();
    parse_params(src, |name, value| {
        if let Some(v) = value {
            out.push((name, v.text()));
        }
        Ok(())
    })?;
    Ok(out)
}

/// Parses a parameter set, JSON or a [field list](field_list), handing each field to
/// `field` in order (`None` for `null`). `dyn`, not generic: one copy of the parser in the wasm instead of one per caller.
fn parse_params<'a>(src: &'a str, mut field: impl FnMut(Cow<'a, str>, Option<Value<'a>>) -> Result<()>) -> Result<()> {
    match src.strip_prefix('\0') {
        Some(list) => field_list(list, &mut field),
        None => parse_object(src, field),
    }
}

/// The detail that marks [`retry_as_json`]'s error; js/core/boundary.js (`withFields`) looks for it.
pub const RETRY_AS_JSON: &str = "retryAsJson";

/// A field list that cannot be split unambiguously because a name or value holds U+0000
/// itself. Not an error the caller sees: js/core/boundary.js sends the same object again as
/// JSON, which carries any character.
fn retry_as_json() -> WxError {
    bad_param("a field name or value holds U+0000: send the parameters as JSON").with_detail(RETRY_AS_JSON, "true")
}

/// Speed trick (issue 15): a parameter set written by js/core/boundary.js without
/// `JSON.stringify`, as `\0` + field count + `\0` + `name\0value\0` for each field, values
/// as their text (strings as given, safe integers in decimal; `null` and `undefined` left
/// out). JS sends it only for objects of strings and safe integers whose strings are
/// well-formed UTF-16; anything else (and every error message about a value) goes by JSON.
/// `list` is what follows the leading `\0`.
///
/// A U+0000 inside a name or value would shift every later field; the count shows it:
/// such a list has more separators than two per field. They are counted only when the
/// split fails (pieces left over, or `field` refused one), so a good list is read once.
fn field_list<'a>(list: &'a str, field: &mut dyn FnMut(Cow<'a, str>, Option<Value<'a>>) -> Result<()>) -> Result<()> {
    let malformed = || bad_param("malformed field list");
    let (count, fields) = list.split_once('\0').ok_or_else(malformed)?;
    let count: usize = count.parse().map_err(|_| malformed())?;
    let split = split_fields(fields, count, field);
    let separators = || fields.bytes().filter(|&b| b == 0).count();
    match split {
        Ok(true) => Ok(()),
        _ if count.checked_mul(2) != Some(separators()) => Err(retry_as_json()),
        Ok(_) => Err(malformed()),
        Err(e) => Err(e),
    }
}

/// Hands `count` name/value pairs of `rest` to `field`; `Ok(false)` if the pieces do not
/// come out as exactly that many pairs.
fn split_fields<'a>(
    mut rest: &'a str,
    count: usize,
    field: &mut dyn FnMut(Cow<'a, str>, Option<Value<'a>>) -> Result<()>,
) -> Result<bool> {
    for _ in 0..count {
        let Some((name, value, after)) =
            rest.split_once('\0').and_then(|(n, r)| r.split_once('\0').map(|(v, a)| (n, v, a)))
        else {
            return Ok(false);
        };
        if name.is_empty() {
            return Err(WxError::new(Code::InvalidField, "a field name is empty"));
        }
        field(Cow::Borrowed(name), Some(Value::Str(Cow::Borrowed(value))))?;
        rest = after;
    }
    Ok(rest.is_empty())
}

pub use crate::v2::params::duplicate;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::v2::params::from_pairs;
    use crate::wasm::flat_json::object_from_json;

    #[test]
    fn values() {
        let p =
            params_from_wire(r#"{"a":"x\"\\\u4e2d\ud83d\ude00","n":-0,"m":9007199254740991,"z":null,"e":""}"#).unwrap();
        assert_eq!(p, from_pairs([("a", "x\"\\中😀"), ("n", "0"), ("m", "9007199254740991"), ("e", "")]));
    }

    #[test]
    fn pairs_borrow_unless_escaped() {
        let src = r#"{"a":"plain","b":"esc\"aped","n":-0,"z":null}"#;
        let pairs = pairs_from_wire(src).unwrap();
        let got: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_ref(), v.as_ref())).collect();
        assert_eq!(got, vec![("a", "plain"), ("b", "esc\"aped"), ("n", "0")]);
        assert!(matches!(pairs[0].1, Cow::Borrowed(_)));
        assert!(matches!(pairs[1].1, Cow::Owned(_)));
    }

    #[test]
    fn field_lists() {
        let p = params_from_wire("\u{0}3\u{0}a\u{0}x\u{0}n\u{0}0\u{0}e\u{0}\u{0}").unwrap();
        assert_eq!(p, from_pairs([("a", "x"), ("n", "0"), ("e", "")]));
        let pairs = pairs_from_wire("\u{0}2\u{0}b\u{0}中\u{0}a\u{0}1\u{0}").unwrap();
        let got: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_ref(), v.as_ref())).collect();
        assert_eq!(got, vec![("b", "中"), ("a", "1")]);
        assert!(params_from_wire("\u{0}0\u{0}").unwrap().is_empty());
        // A U+0000 inside a value: more separators than the count allows, so JS retries as JSON.
        for list in ["\u{0}1\u{0}a\u{0}x\u{0}y\u{0}", "\u{0}2\u{0}a\u{0}x\u{0}y\u{0}a\u{0}z\u{0}"] {
            let e = params_from_wire(list).unwrap_err();
            assert_eq!(e.detail(RETRY_AS_JSON), Some("true"), "{list:?}");
        }
        // Duplicate names and empty names are the JSON path's errors, not retries.
        assert_eq!(params_from_wire("\u{0}2\u{0}a\u{0}1\u{0}a\u{0}2\u{0}").unwrap_err().code, Code::DuplicateField);
        assert_eq!(params_from_wire("\u{0}1\u{0}\u{0}1\u{0}").unwrap_err().code, Code::InvalidField);
        for bad in ["\u{0}", "\u{0}x\u{0}", "\u{0}1\u{0}a\u{0}1\u{0}tail"] {
            let e = params_from_wire(bad).unwrap_err();
            assert_eq!((e.code, e.detail(RETRY_AS_JSON)), (Code::InvalidParam, None), "{bad:?}");
        }
        // Options never come as a field list: their types matter (a key must be a string).
        assert!(object_from_json("\u{0}1\u{0}key\u{0}k\u{0}").is_err());
    }

    #[test]
    fn rejections() {
        let code = |s: &str| params_from_wire(s).unwrap_err();
        assert_eq!(code("[]").code, Code::InvalidParam);
        assert_eq!(code(r#"{"a":1.5}"#).field.as_deref(), Some("a"));
        assert_eq!(code(r#"{"a":1e21}"#).code, Code::InvalidField);
        assert_eq!(code(r#"{"a":true}"#).code, Code::InvalidField);
        assert_eq!(code(r#"{"a":{}}"#).code, Code::InvalidField);
        assert_eq!(code(r#"{"a":"\ud800"}"#).code, Code::InvalidField);
        assert_eq!(code(r#"{"a":"\udc00x"}"#).code, Code::InvalidField);
        assert_eq!(code(r#"{"a":"1","a":"2"}"#).code, Code::DuplicateField);
        assert_eq!(code(r#"{"a":"1""#).code, Code::InvalidParam);
        assert_eq!(code(r#"{"":"1"}"#).code, Code::InvalidField);
        // Regression (issue 5 hostile suite): a lone surrogate in a name was INVALID_PARAM
        // while the same surrogate in a value was INVALID_FIELD.
        assert_eq!(code(r#"{"\ud800":"1"}"#).code, Code::InvalidField);
        assert_eq!(code(r#"{1:"1"}"#).code, Code::InvalidParam);
        // Regression: `\u` took whatever u32::from_str_radix took, a sign included, so
        // "\u+041" read as "A".
        assert_eq!(code(r#"{"a":"\u+041"}"#).code, Code::InvalidParam);
    }

    /// Regression (issue 5 hostile suite): duplicate detection was quadratic, so signing a
    /// 100,000-field object took 26 s. Now it is a set lookup; this finishes at once.
    #[test]
    fn many_fields_are_linear_enough() {
        let n = 100_000;
        let mut src = String::from("{");
        for i in 0..n {
            if i > 0 {
                src.push(',');
            }
            src.push_str(&format!("\"f{i}\":\"v\""));
        }
        src.push('}');
        assert_eq!(params_from_wire(&src).unwrap().len(), n);
        let dup = format!("{},\"f7\":\"w\"}}", &src[..src.len() - 1]);
        assert_eq!(params_from_wire(&dup).unwrap_err().field.as_deref(), Some("f7"));
    }
}
