//! WeChat Pay v2 signatures: MD5 or HMAC-SHA256 over `k=v&…&key=<API key>`.

use hmac::{Hmac, KeyInit, Mac};
use md5::{Digest, Md5};
use sha2::Sha256;

use crate::core::ct::ct_eq;
use crate::core::error::{Code, Result, WxError};
use crate::v2::params::{self, Params};
use crate::v2::validate;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignType {
    Md5,
    HmacSha256,
}

impl SignType {
    pub fn as_str(self) -> &'static str {
        match self {
            SignType::Md5 => "MD5",
            SignType::HmacSha256 => "HMAC-SHA256",
        }
    }

    /// Accepts WeChat's spelling exactly; anything else is `UNSUPPORTED_SIGN_TYPE` rather
    /// than a silent fallback to MD5, which is how SDKs end up verifying the wrong thing.
    pub fn parse(s: &str) -> Result<SignType> {
        match s {
            "MD5" => Ok(SignType::Md5),
            "HMAC-SHA256" => Ok(SignType::HmacSha256),
            other => Err(WxError::field(
                Code::UnsupportedSignType,
                "sign_type",
                format!("unsupported sign type {}: use \"MD5\" or \"HMAC-SHA256\"", crate::core::error::quoted(other)),
            )),
        }
    }

    /// The hex length of each algorithm tells them apart when a message names neither.
    pub fn from_sign_len(sign: &str) -> Option<SignType> {
        match sign.len() {
            32 => Some(SignType::Md5),
            64 => Some(SignType::HmacSha256),
            _ => None,
        }
    }
}

/// The sorted `k=v&…` string without the key: what a developer compares when a sign differs.
pub fn signing_string(params: &Params) -> String {
    let mut out = String::with_capacity(estimate(params));
    join_pairs(params::signed_fields(params), &mut out);
    out
}

fn estimate(params: &Params) -> usize {
    params.iter().map(|(k, v)| k.len() + v.len() + 2).sum::<usize>() + 48
}

/// Appends `k=v&k=v…` in the order given; diagnosis builds its variants with it so a
/// variant differs from the real rule only where it means to.
pub fn join_pairs<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>, out: &mut String) {
    for (i, (k, v)) in pairs.enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
}

/// The full string that is hashed, key included. Never log it.
fn string_to_sign<'a>(fields: impl Iterator<Item = (&'a str, &'a str)> + Clone, key: &str) -> String {
    let len = fields.clone().map(|(k, v)| k.len() + v.len() + 2).sum::<usize>();
    let mut s = String::with_capacity(len + key.len() + 5);
    join_pairs(fields, &mut s);
    if !s.is_empty() {
        s.push('&');
    }
    s.push_str("key=");
    s.push_str(key);
    s
}

/// Uppercase hex signature of `params` (its `sign` and empty values excluded). An empty
/// key is refused (`INVALID_PARAM`): a signature anyone can compute protects nothing.
pub fn sign(params: &Params, key: &str, sign_type: SignType) -> Result<String> {
    validate::key(key)?;
    Ok(sign_sorted(params::signed_fields(params), key, sign_type))
}

/// [`sign`] for fields held as borrowed pairs in any order, as the JavaScript boundary
/// decodes them: sorted in place by name and checked for duplicates here, so no
/// [`Params`] tree is built (no allocation per field). Speed: this is the hot call.
pub fn sign_pairs<'a>(fields: &mut [(&'a str, &'a str)], key: &str, sign_type: SignType) -> Result<String> {
    validate::key(key)?;
    sort_by_name(fields);
    if let Some([(name, _), _]) = fields.windows(2).find(|w| matches!(w, [a, b] if a.0 == b.0)) {
        return Err(params::duplicate(name));
    }
    let signed = fields.iter().copied().filter(|(k, v)| params::is_signed(k, v));
    Ok(sign_sorted(signed, key, sign_type))
}

/// Sorts pairs by name (byte order) with a plain merge sort: std's slice sorts would add
/// ~8 KB to the wasm for this one call site.
fn sort_by_name<'a>(v: &mut [(&'a str, &'a str)]) {
    fn merge_sort<'a>(v: &mut [(&'a str, &'a str)], scratch: &mut Vec<(&'a str, &'a str)>) {
        if v.len() <= 8 {
            // Insertion sort: fewest moves for the short runs every request has.
            for i in 1..v.len() {
                let mut j = i;
                while j > 0 && v[j].0 < v[j - 1].0 {
                    v.swap(j, j - 1);
                    j -= 1;
                }
            }
            return;
        }
        let mid = v.len() / 2;
        merge_sort(&mut v[..mid], scratch);
        merge_sort(&mut v[mid..], scratch);
        scratch.clear();
        let (mut i, mut j) = (0, mid);
        while i < mid && j < v.len() {
            // `<=` keeps equal names in document order; duplicates are reported anyway.
            if v[i].0 <= v[j].0 {
                scratch.push(v[i]);
                i += 1;
            } else {
                scratch.push(v[j]);
                j += 1;
            }
        }
        scratch.extend_from_slice(&v[i..mid]);
        scratch.extend_from_slice(&v[j..]);
        v.copy_from_slice(scratch);
    }
    let mut scratch = Vec::with_capacity(v.len());
    merge_sort(v, &mut scratch);
}

/// [`sign`] for fields already filtered ([`params::is_signed`]) and in byte order of
/// their names, for callers that hold them as borrowed pairs instead of a [`Params`].
pub fn sign_sorted<'a>(
    fields: impl Iterator<Item = (&'a str, &'a str)> + Clone,
    key: &str,
    sign_type: SignType,
) -> String {
    digest_hex(string_to_sign(fields, key).as_bytes(), key, sign_type)
}

/// Hashes an already-built signing string; `key` is the HMAC key (unused for MD5).
pub fn digest_hex(data: &[u8], key: &str, sign_type: SignType) -> String {
    match sign_type {
        SignType::Md5 => hex_upper(&Md5::digest(data)),
        SignType::HmacSha256 => {
            // HMAC takes keys of any length, so the error arm is never taken; an empty
            // result would fail every comparison, which is the safe way to be wrong.
            let Some(mut mac) = keyed_hmac(key.as_bytes()) else {
                return String::new();
            };
            mac.update(data);
            hex_upper(&mac.finalize().into_bytes())
        }
    }
}

/// An API key and its HMAC state, the inner and outer pads already hashed.
type Keyed = (Box<[u8]>, Hmac<Sha256>);

thread_local! {
    /// The last API key's HMAC state.
    static KEYED: std::cell::RefCell<Option<Keyed>> = const { std::cell::RefCell::new(None) };
}

/// Speed trick (issue 15): an HMAC-SHA256 keyed with the merchant's API key. Keying costs
/// two SHA-256 blocks (the pads) of the ~8 a 12-field signature hashes, and a merchant signs
/// with one key, so the keyed state of the last key is kept and cloned. The state is as
/// secret as the key, and kept as long: the caller passes that key on every call anyway.
/// Keys are compared in constant time.
fn keyed_hmac(key: &[u8]) -> Option<Hmac<Sha256>> {
    KEYED.with(|cell| {
        let mut cached = cell.borrow_mut();
        if let Some((k, mac)) = cached.as_ref() {
            if ct_eq(k, key) {
                return Some(mac.clone());
            }
        }
        let mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).ok()?;
        *cached = Some((key.into(), mac.clone()));
        Some(mac)
    })
}

pub fn hex_upper(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(HEX[(b >> 4) as usize] as char);
        s.push(HEX[(b & 15) as usize] as char);
    }
    s
}

/// Which algorithm checks `params.sign`: the caller's choice, else the message's own
/// `sign_type`, else the sign's length. An HMAC notification without `sign_type` is
/// common, so assuming MD5 there would reject genuine notifications.
pub fn resolve_sign_type(params: &Params, explicit: Option<SignType>) -> Result<SignType> {
    if let Some(t) = explicit {
        return Ok(t);
    }
    if let Some(t) = params::get(params, "sign_type") {
        return SignType::parse(t);
    }
    let sign = params::get(params, params::SIGN).unwrap_or("");
    SignType::from_sign_len(sign).ok_or_else(|| {
        WxError::field(
            Code::SignMismatch,
            "sign",
            format!("sign has {} characters; expected 32 (MD5) or 64 (HMAC-SHA256) hex digits", sign.len()),
        )
    })
}

/// Checks `params.sign`; returns the error a notify handler should report when it fails.
pub fn check(params: &Params, key: &str, explicit: Option<SignType>) -> Result<SignType> {
    let given = params::get(params, params::SIGN).ok_or_else(|| {
        WxError::field(Code::SignMissing, "sign", "the message carries no `sign`; refusing to trust it")
    })?;
    let sign_type = resolve_sign_type(params, explicit)?;
    let expected = sign(params, key, sign_type)?;
    if ct_eq(expected.as_bytes(), given.as_bytes()) {
        Ok(sign_type)
    } else {
        Err(WxError::field(
            Code::SignMismatch,
            "sign",
            format!("{} signature does not match the fields and key", sign_type.as_str()),
        ))
    }
}

/// `Ok(true)` when `params.sign` is present and correct. Only the caller's own mistakes
/// are errors (an empty key); anything wrong with the message itself is `Ok(false)`.
pub fn verify(params: &Params, key: &str, explicit: Option<SignType>) -> Result<bool> {
    validate::key(key)?;
    Ok(check(params, key, explicit).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::v2::params::from_pairs;

    fn doc_params() -> Params {
        from_pairs([
            ("appid", "wxd930ea5d5a258f4f"),
            ("mch_id", "10000100"),
            ("device_info", "1000"),
            ("body", "test"),
            ("nonce_str", "ibuaiVcKdpRxkhJA"),
        ])
    }

    #[test]
    fn official_doc_example() {
        let p = doc_params();
        assert_eq!(
            signing_string(&p),
            "appid=wxd930ea5d5a258f4f&body=test&device_info=1000&mch_id=10000100&nonce_str=ibuaiVcKdpRxkhJA"
        );
        assert_eq!(
            sign(&p, "192006250b4c09247ec02edce69f6a2d", SignType::Md5).unwrap(),
            "9A0A8659F005D6984697E2CA0A9CF3B7"
        );
        assert_eq!(
            sign(&p, "192006250b4c09247ec02edce69f6a2d", SignType::HmacSha256).unwrap(),
            "6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6"
        );
    }

    #[test]
    fn sign_type_resolution() {
        let mut p = doc_params();
        p.insert("sign".into(), "A".repeat(64));
        assert_eq!(resolve_sign_type(&p, None).unwrap(), SignType::HmacSha256);
        p.insert("sign_type".into(), "MD5".into());
        assert_eq!(resolve_sign_type(&p, None).unwrap(), SignType::Md5);
        assert_eq!(resolve_sign_type(&p, Some(SignType::HmacSha256)).unwrap(), SignType::HmacSha256);
        p.insert("sign_type".into(), "SHA1".into());
        assert_eq!(resolve_sign_type(&p, None).unwrap_err().code, Code::UnsupportedSignType);
    }

    /// The keyed-state cache (`keyed_hmac`) must never sign with a key other than the one
    /// given: switching keys, a key that is a prefix of the cached one and one that extends it.
    #[test]
    fn hmac_follows_the_key_given_each_time() {
        let a = "192006250b4c09247ec02edce69f6a2d";
        let keys = [a, "another-key", a, &a[..31], a, &format!("{a}x"), "", a, &"k".repeat(100), a];
        for key in keys {
            let mut fresh = <Hmac<Sha256> as KeyInit>::new_from_slice(key.as_bytes()).unwrap();
            fresh.update(b"a=1&key=");
            assert_eq!(
                digest_hex(b"a=1&key=", key, SignType::HmacSha256),
                hex_upper(&fresh.finalize().into_bytes()),
                "key {key:?}"
            );
        }
    }

    #[test]
    fn verify_missing_sign_is_false() {
        assert!(!verify(&doc_params(), "k", None).unwrap());
        assert_eq!(check(&doc_params(), "k", None).unwrap_err().code, Code::SignMissing);
    }

    /// The core refuses an empty key itself, as the JavaScript entry always did: a
    /// signature over `…&key=` is one anyone can compute.
    #[test]
    fn empty_key_is_refused_by_the_core() {
        let p = doc_params();
        assert_eq!(sign(&p, "", SignType::Md5).unwrap_err().code, Code::InvalidParam);
        assert_eq!(verify(&p, "", None).unwrap_err().code, Code::InvalidParam);
        assert_eq!(sign_pairs(&mut [("a", "1")], "", SignType::Md5).unwrap_err().code, Code::InvalidParam);
    }

    /// The fast path signs exactly as `sign` over the same fields, whatever their order,
    /// and refuses a name given twice.
    #[test]
    fn sign_pairs_is_sign_over_any_order() {
        let key = "192006250b4c09247ec02edce69f6a2d";
        let p = doc_params();
        let mut pairs: Vec<(&str, &str)> = p.iter().rev().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        pairs.push(("sign", "IGNORED"));
        pairs.push(("empty", ""));
        assert_eq!(sign_pairs(&mut pairs, key, SignType::Md5).unwrap(), "9A0A8659F005D6984697E2CA0A9CF3B7");
        let many: Vec<(String, String)> = (0..40).rev().map(|i| (format!("f{i:02}"), format!("v{i}"))).collect();
        let mut borrowed: Vec<(&str, &str)> = many.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let tree: Params = many.iter().cloned().collect();
        assert_eq!(
            sign_pairs(&mut borrowed, key, SignType::HmacSha256).unwrap(),
            sign(&tree, key, SignType::HmacSha256).unwrap()
        );
        let e = sign_pairs(&mut [("b", "1"), ("a", "2"), ("b", "3")], key, SignType::Md5).unwrap_err();
        assert_eq!((e.code, e.field.as_deref()), (Code::DuplicateField, Some("b")));
    }
}
