//! The v3 fixtures (tests/fixtures/v3/*.json), computed by Python `cryptography`
//! (scripts/gen-v3-vectors.py) or copied from the official SDKs' tests, never by this crate.
#![allow(dead_code)]

use serde_json::Value;
use wxpay_wasm::v3::Headers;

pub fn generated() -> Value {
    serde_json::from_str(include_str!("../fixtures/v3/generated.json")).expect("generated.json is JSON")
}

pub fn official() -> Value {
    serde_json::from_str(include_str!("../fixtures/v3/official.json")).expect("official.json is JSON")
}

pub fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

pub fn b64(v: &Value) -> Vec<u8> {
    wxpay_wasm::core::base64::decode(s(v)).unwrap()
}

/// `[[name, value], …]` as Headers.
pub fn headers(v: &Value) -> Headers {
    let pairs: Vec<(String, String)> =
        v.as_array().unwrap().iter().map(|p| (s(&p[0]).to_owned(), s(&p[1]).to_owned())).collect();
    Headers::from_pairs(pairs).unwrap()
}

/// A `{ name: value }` object as Headers.
pub fn headers_obj(v: &Value) -> Headers {
    Headers::from_pairs(v.as_object().unwrap().iter().map(|(k, v)| (k.clone(), s(v).to_owned()))).unwrap()
}

/// The public-key PEM a case's `signer` names (platform keys by certificate, `pubkey` by SPKI).
pub fn signer_pem(g: &Value, signer: &str) -> String {
    match signer {
        "platform" | "platform2" => s(&g["certificates"][signer]["pem"]).to_owned(),
        other => s(&g["keys"][other]["public_spki"]).to_owned(),
    }
}

/// `(name, value)` pairs of a case's headers with one header replaced (or removed when `None`).
pub fn with_header(v: &Value, name: &str, value: Option<&str>) -> Headers {
    let pairs: Vec<(String, String)> = v
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| {
            let n = s(&p[0]);
            if n.eq_ignore_ascii_case(name) {
                value.map(|val| (n.to_owned(), val.to_owned()))
            } else {
                Some((n.to_owned(), s(&p[1]).to_owned()))
            }
        })
        .collect();
    Headers::from_pairs(pairs).unwrap()
}
