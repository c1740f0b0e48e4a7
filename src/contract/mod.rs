//! The contract between the Rust core and its JavaScript users, defined once: error
//! codes, diagnosis causes, error-detail names, limits, endpoints and the option names
//! each exported function accepts. A native test writes it to `js/contract.json`
//! (`WXPAY_BLESS=1 cargo test contract`) and fails when the file is out of date; the JS
//! entries, the types' tests and the debugging page read that file, so nothing here is
//! written twice. Arrows: the contract reads from `core`, `v2` and `v3`; nothing in those
//! reads the contract.

#[cfg(feature = "v2")]
pub mod v2;
#[cfg(feature = "v3")]
pub mod v3;

/// One exported JavaScript function and the names its options object may carry.
/// Any other name is refused (`INVALID_PARAM`, with the closest valid name suggested).
#[derive(Debug, Clone, Copy)]
pub struct Function {
    /// The export's JavaScript name, e.g. `verifyNotify`.
    pub name: &'static str,
    /// The option names it accepts, exactly as JavaScript writes them.
    pub options: &'static [&'static str],
}

/// One WeChat Pay endpoint.
#[derive(Debug, Clone, Copy)]
pub struct Endpoint {
    /// The name the package uses for it (`unifiedOrder`, `jsapi` …).
    pub name: &'static str,
    pub method: &'static str,
    /// The path on `https://api.mch.weixin.qq.com`; v3 paths may hold `{placeholders}`.
    pub path: &'static str,
}

/// The numeric limits JavaScript checks before it calls into wasm (and the types and
/// docs quote), by the name `js/contract.json` gives them.
#[cfg(feature = "v2")]
pub const LIMITS: &[(&str, usize)] = &[
    // A body's `maxBytes` when the caller gives none, and the most any `maxBytes` allows.
    ("maxBytesDefault", crate::v2::xml::DEFAULT_MAX_BYTES),
    ("maxBytesCeiling", crate::v2::xml::MAX_MAX_BYTES),
    ("nonceLengthMin", 1),
    ("nonceLengthMax", crate::core::nonce::MAX_LEN),
];

#[cfg(all(test, not(target_arch = "wasm32"), feature = "v2", feature = "v3"))]
mod tests {
    use super::*;
    use crate::core::error::{Code, DETAIL_NAMES};
    use serde_json::{json, Map, Value};

    fn functions(table: &[Function]) -> Value {
        let mut m = Map::new();
        for f in table {
            assert!(m.insert(f.name.to_owned(), json!(f.options)).is_none(), "{} listed twice", f.name);
        }
        Value::Object(m)
    }

    /// The whole contract as `js/contract.json` holds it.
    fn contract_json() -> String {
        let codes: Vec<Value> = Code::ALL.iter().map(|c| json!({ "code": c.as_str(), "doc": c.doc() })).collect();
        let causes: Vec<Value> =
            v2::Cause::ALL.iter().map(|c| json!({ "cause": c.as_str(), "en": c.explain() })).collect();
        let v2_endpoints: Vec<Value> = v2::ENDPOINTS
            .iter()
            .map(|e| json!({ "name": e.name, "method": "POST", "path": e.path, "clientCert": e.client_cert }))
            .collect();
        let v3_endpoints: Vec<Value> =
            v3::ENDPOINTS.iter().map(|e| json!({ "name": e.name, "method": e.method, "path": e.path })).collect();
        let limits: Map<String, Value> = LIMITS.iter().map(|(n, v)| ((*n).to_owned(), json!(v))).collect();
        let all = json!({
            "about": "Generated from src/contract by `WXPAY_BLESS=1 cargo test contract`. Do not edit.",
            "codes": codes,
            "details": DETAIL_NAMES,
            "causes": causes,
            "limits": limits,
            "endpoints": { "v2": v2_endpoints, "v3": v3_endpoints },
            "functions": { "v2": functions(v2::FUNCTIONS), "v3": functions(v3::FUNCTIONS) },
            "client": { "v2": functions(v2::CLIENT), "v3": functions(v3::CLIENT) },
        });
        serde_json::to_string_pretty(&all).unwrap() + "\n"
    }

    /// js/contract.json is generated from the tables above: `WXPAY_BLESS=1 cargo test
    /// contract` rewrites it after an edit; without that, any difference fails here.
    #[test]
    fn js_contract_matches() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/js/contract.json");
        let want = contract_json();
        if std::env::var_os("WXPAY_BLESS").is_some() {
            std::fs::write(path, &want).unwrap();
        }
        let have = std::fs::read_to_string(path).unwrap_or_default();
        assert!(have == want, "js/contract.json is out of date: run `WXPAY_BLESS=1 cargo test contract`");
    }

    /// Option names are what a JS caller writes: camelCase-ish identifiers, each once.
    #[test]
    fn option_names_are_identifiers_listed_once() {
        for f in v2::FUNCTIONS.iter().chain(v3::FUNCTIONS).chain(v2::CLIENT).chain(v3::CLIENT) {
            for (i, o) in f.options.iter().enumerate() {
                assert!(o.bytes().all(|b| b.is_ascii_alphanumeric()), "{}: {o}", f.name);
                assert!(!f.options[..i].contains(o), "{}: {o} twice", f.name);
            }
        }
    }
}
