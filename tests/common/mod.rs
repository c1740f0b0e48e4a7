//! The shared public vectors (tests/fixtures/wxpay-v2-public.json), loaded for the
//! native and the wasm test suites alike.
#![allow(dead_code)]

use serde_json::Value;
use wxpay_wasm::v2::params::Params;
use wxpay_wasm::v2::SignType;

pub const VECTORS: &str = include_str!("../fixtures/wxpay-v2-public.json");

pub struct Case {
    pub id: String,
    pub kind: String,
    pub sign_type: Option<SignType>,
    pub key: String,
    pub params: Option<Params>,
    pub xml: Option<String>,
    pub expected_sign: Option<String>,
    pub expected_valid: bool,
    pub raw: Value,
}

fn params_of(v: &Value) -> Params {
    v.as_object()
        .map(|o| {
            o.iter()
                .filter_map(|(k, v)| match v {
                    Value::String(s) => Some((k.clone(), s.clone())),
                    Value::Number(n) => Some((k.clone(), n.to_string())),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

pub fn cases() -> Vec<Case> {
    let all: Vec<Value> = serde_json::from_str(VECTORS).expect("fixture is JSON");
    all.into_iter()
        .map(|c| Case {
            id: c["id"].as_str().unwrap_or_default().to_owned(),
            kind: c["kind"].as_str().unwrap_or_default().to_owned(),
            sign_type: c["sign_type"].as_str().map(|s| SignType::parse(s).expect("known sign type")),
            key: c["key"].as_str().unwrap_or_default().to_owned(),
            params: c.get("params").map(params_of),
            xml: c["xml"].as_str().map(str::to_owned),
            expected_sign: c["expected_sign"].as_str().map(str::to_owned),
            expected_valid: c["expected_valid"].as_bool().unwrap_or(false),
            raw: c,
        })
        .collect()
}

/// The case's fields, from `params` or parsed from `xml`.
pub fn fields(case: &Case) -> Params {
    match (&case.params, &case.xml) {
        (Some(p), _) => p.clone(),
        (None, Some(x)) => wxpay_wasm::v2::parse_xml(x).unwrap_or_else(|e| panic!("{}: {e}", case.id)),
        _ => panic!("{}: neither params nor xml", case.id),
    }
}

/// Whether the case's own `sign_type` field is one WeChat defines; vectors from other
/// producers sometimes carry a non-standard spelling (Payline's "HMACSHA256").
pub fn standard_sign_type_field(fields: &Params) -> bool {
    fields.get("sign_type").is_none_or(|t| t.is_empty() || SignType::parse(t).is_ok())
}
