//! A parameter set: WeChat field names to string values.
//!
//! One place decides what "empty" means and how names sort, so signing, XML and
//! diagnosis cannot disagree. A `BTreeMap<String, String>` sorts by byte order, which is
//! exactly the order WeChat's signing rule asks for (case-sensitive, ASCII first).

use std::collections::BTreeMap;

use crate::core::error::{Result, WxError};

pub type Params = BTreeMap<String, String>;

/// The field that carries the signature; it is never part of what is signed.
pub const SIGN: &str = "sign";

/// Empty values are left out of the signature and count as absent for validation.
pub fn is_empty(value: &str) -> bool {
    value.is_empty()
}

/// Whether a field takes part in the signature.
pub fn is_signed(name: &str, value: &str) -> bool {
    name != SIGN && !is_empty(value)
}

/// The fields that take part in a signature, in signing order.
pub fn signed_fields(params: &Params) -> impl Iterator<Item = (&str, &str)> + Clone {
    params.iter().map(|(k, v)| (k.as_str(), v.as_str())).filter(|(k, v)| is_signed(k, v))
}

/// A field's value when present and not empty.
pub fn get<'a>(params: &'a Params, name: &str) -> Option<&'a str> {
    params.get(name).map(String::as_str).filter(|v| !is_empty(v))
}

/// A field's value, or `MISSING_FIELD` naming it.
pub fn require<'a>(params: &'a Params, name: &str) -> Result<&'a str> {
    get(params, name).ok_or_else(|| WxError::missing(name))
}

/// A field name given twice: which value counts would be ambiguous, so neither does.
pub fn duplicate(name: &str) -> WxError {
    WxError::field(crate::core::error::Code::DuplicateField, name, format!("field `{name}` appears twice"))
}

/// Builds a parameter set from pairs; handy for tests and for Rust callers.
pub fn from_pairs<K: Into<String>, V: Into<String>>(pairs: impl IntoIterator<Item = (K, V)>) -> Params {
    pairs.into_iter().map(|(k, v)| (k.into(), v.into())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_fields_skip_sign_and_empty_and_sort_by_bytes() {
        let p = from_pairs([("b", "2"), ("sign", "X"), ("A", "1"), ("a", ""), ("_", "u")]);
        let got: Vec<_> = signed_fields(&p).collect();
        assert_eq!(got, vec![("A", "1"), ("_", "u"), ("b", "2")]);
    }

    #[test]
    fn whitespace_is_not_empty() {
        assert!(!is_empty(" "));
        let p = from_pairs([("a", " ")]);
        assert_eq!(require(&p, "a").unwrap(), " ");
        assert_eq!(require(&p, "b").unwrap_err().field.as_deref(), Some("b"));
    }
}
