//! A parameter set: WeChat field names to string values.
//!
//! One place decides what "empty" means and how names sort, so signing, XML and
//! diagnosis cannot disagree. Names sort by byte order, which is exactly the order
//! WeChat's signing rule asks for (case-sensitive, ASCII first).

use crate::core::error::{Result, WxError};

/// Fields sorted by name (byte order), each name once: a sorted `Vec`, not a `BTreeMap`.
/// WeChat's sets are 5–40 fields, where a binary search over one allocation does fewer
/// comparisons than the tree's linear in-node scans and frees one block instead of nodes,
/// and the tree's code leaves the wasm (issue 15, measured: callgrind of a 1 KB
/// `verifyNotify` 102,239 → 94,817 instructions, v2 wasm −4.7 KB gzipped; see
/// docs/development/performance.md, 2026-12-04). The methods are the subset of
/// `BTreeMap`'s this crate uses, with the same meaning (tests/props.rs checks that).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Params {
    fields: Vec<(String, String)>,
}

/// `(name, value)` borrowed, as `BTreeMap::iter` yields them.
pub type Iter<'a> =
    std::iter::Map<std::slice::Iter<'a, (String, String)>, fn(&'a (String, String)) -> (&'a String, &'a String)>;

impl Params {
    pub const fn new() -> Params {
        Params { fields: Vec::new() }
    }

    /// Where `name` is (`Ok`) or would go (`Err`).
    fn find(&self, name: &str) -> std::result::Result<usize, usize> {
        self.fields.binary_search_by(|(k, _)| k.as_str().cmp(name))
    }

    pub fn get(&self, name: &str) -> Option<&String> {
        self.find(name).ok().map(|i| &self.fields[i].1)
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.find(name).is_ok()
    }

    /// Sets `name`; the value it replaces, if any.
    pub fn insert(&mut self, name: String, value: String) -> Option<String> {
        match self.find(&name) {
            Ok(i) => Some(std::mem::replace(&mut self.fields[i].1, value)),
            Err(i) => {
                self.fields.insert(i, (name, value));
                None
            }
        }
    }

    pub fn remove(&mut self, name: &str) -> Option<String> {
        self.find(name).ok().map(|i| self.fields.remove(i).1)
    }

    /// One search for "is it there, and if not, add it" (the parsers' duplicate check).
    pub fn entry(&mut self, name: String) -> Entry<'_> {
        match self.find(&name) {
            Ok(index) => Entry::Occupied(Occupied { params: self, index }),
            Err(index) => Entry::Vacant(Vacant { params: self, index, name }),
        }
    }

    pub fn iter(&self) -> Iter<'_> {
        self.fields.iter().map(|(k, v)| (k, v))
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &String> + ExactSizeIterator + Clone {
        self.fields.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &String> + ExactSizeIterator + Clone {
        self.fields.iter().map(|(_, v)| v)
    }

    pub fn len(&self) -> usize {
        self.fields.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }
}

/// `params["name"]`, which panics when the field is absent, as `BTreeMap`'s does (tests).
impl std::ops::Index<&str> for Params {
    type Output = String;
    fn index(&self, name: &str) -> &String {
        self.get(name).unwrap_or_else(|| panic!("no field `{name}`"))
    }
}

impl std::ops::Index<&String> for Params {
    type Output = String;
    fn index(&self, name: &String) -> &String {
        &self[name.as_str()]
    }
}

/// [`Params::entry`]: the name is there, or where it would go.
pub enum Entry<'a> {
    Occupied(Occupied<'a>),
    Vacant(Vacant<'a>),
}

pub struct Occupied<'a> {
    params: &'a mut Params,
    index: usize,
}

impl Occupied<'_> {
    pub fn key(&self) -> &String {
        &self.params.fields[self.index].0
    }
}

pub struct Vacant<'a> {
    params: &'a mut Params,
    index: usize,
    name: String,
}

impl<'a> Vacant<'a> {
    pub fn insert(self, value: String) -> &'a mut String {
        self.params.fields.insert(self.index, (self.name, value));
        &mut self.params.fields[self.index].1
    }
}

/// Later pairs replace earlier ones with the same name, as for `BTreeMap`.
impl FromIterator<(String, String)> for Params {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(pairs: I) -> Params {
        let mut p = Params::new();
        p.extend(pairs);
        p
    }
}

impl Extend<(String, String)> for Params {
    fn extend<I: IntoIterator<Item = (String, String)>>(&mut self, pairs: I) {
        for (k, v) in pairs {
            self.insert(k, v);
        }
    }
}

impl IntoIterator for Params {
    type Item = (String, String);
    type IntoIter = std::vec::IntoIter<(String, String)>;
    fn into_iter(self) -> Self::IntoIter {
        self.fields.into_iter()
    }
}

impl<'a> IntoIterator for &'a Params {
    type Item = (&'a String, &'a String);
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

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
    use crate::core::error::{clip, escaped, Code, QUOTE_MAX};
    WxError::field(
        Code::DuplicateField,
        clip(name, QUOTE_MAX),
        format!("field `{}` appears twice", escaped(name, QUOTE_MAX)),
    )
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
