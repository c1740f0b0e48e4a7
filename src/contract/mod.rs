//! The contract between the Rust core and its JavaScript users, defined once: error
//! codes, diagnosis causes, error-detail names, limits, the endpoints of both API families
//! and the option names each exported function accepts. A native test writes it to
//! `js/contract.json` (`WXPAY_BLESS=1 cargo test contract`) and fails when the file is out
//! of date; the JS entries, the types' tests and the debugging page read that file, so
//! nothing here is written twice.
//!
//! Its floor is just above [`crate::core`]: the contract is data (tables and constants) and
//! imports nothing but `core`. The families read it for their endpoints, limits and causes
//! (`v2::api`, `v2::xml`, `v2::diagnose`, `v3::builders`, `v3::notify`); nothing here reads
//! `v2`, `v3` or `wasm`, so the arrow points one way, and `v2` and `v3` never read each
//! other (`tests::arrows_point_one_way` holds all three rules). A new endpoint is one line
//! in `v2.rs` or `v3.rs` here, then its builder in the family. The contract is compiled
//! whatever the features (a table no export uses costs a wasm nothing). Nothing here
//! panics: what a family needs it names as a constant, never looks up by name.

pub mod v2;
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

/// One WeChat Pay endpoint, of either family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Endpoint {
    /// The name the package uses for it (`unifiedOrder`, `jsapi` …).
    pub name: &'static str,
    pub method: &'static str,
    /// The path on `https://api.mch.weixin.qq.com`; v3 paths may hold `{placeholders}`.
    pub path: &'static str,
    /// The HTTPS request must present the merchant's client certificate
    /// (apiclient_cert.p12); WeChat refuses the call without it. v2's refund only: v3 signs
    /// every request instead.
    pub client_cert: bool,
}

/// The default of a body's `maxBytes` (v2 XML, v3 callbacks) when the caller gives none.
pub const MAX_BYTES_DEFAULT: usize = 64 * 1024;
/// The most any `maxBytes` allows.
pub const MAX_BYTES_CEILING: usize = 1024 * 1024;

/// The numeric limits JavaScript checks before it calls into wasm (and the types and
/// docs quote), by the name `js/contract.json` gives them.
pub const LIMITS: &[(&str, usize)] = &[
    // A body's `maxBytes` when the caller gives none, and the most any `maxBytes` allows.
    ("maxBytesDefault", MAX_BYTES_DEFAULT),
    ("maxBytesCeiling", MAX_BYTES_CEILING),
    ("nonceLengthMin", 1),
    ("nonceLengthMax", crate::core::nonce::MAX_LEN),
];

#[cfg(all(test, not(target_arch = "wasm32")))]
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
            .map(|e| json!({ "name": e.name, "method": e.method, "path": e.path, "clientCert": e.client_cert }))
            .collect();
        // v3 signs every request and never presents a client certificate: no `clientCert`.
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

    /// Endpoint names are unique within a family, and only v2's refund needs the client
    /// certificate.
    #[test]
    fn endpoints_are_named_once() {
        for table in [v2::ENDPOINTS, v3::ENDPOINTS] {
            for (i, e) in table.iter().enumerate() {
                assert!(!table[..i].iter().any(|o| o.name == e.name), "{} twice", e.name);
            }
        }
        let certs: Vec<_> =
            v2::ENDPOINTS.iter().chain(v3::ENDPOINTS).filter(|e| e.client_cert).map(|e| e.name).collect();
        assert_eq!(certs, ["refund"]);
    }

    /// The code before a file's tests (`#[cfg(test)]` or the like starts them).
    fn code_of(path: &std::path::Path) -> String {
        let text = std::fs::read_to_string(path).unwrap();
        text.split("\n#[cfg(").next().unwrap_or_default().to_owned()
    }

    fn files(dir: &str) -> Vec<std::path::PathBuf> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(dir);
        let mut out: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        out.sort();
        out
    }

    /// The floors' rule (module docs above): the contract imports only `core` and panics
    /// nowhere; v2 and v3 never name each other.
    #[test]
    fn arrows_point_one_way() {
        for path in files("contract") {
            let code = code_of(&path);
            for banned in [
                "crate::v2",
                "crate::v3",
                "crate::wasm",
                "super::super",
                ".expect(",
                ".unwrap(",
                "panic!",
                "unreachable!",
            ] {
                assert!(!code.contains(banned), "{} holds `{banned}`", path.display());
            }
        }
        for (dir, other) in [("v2", "crate::v3"), ("v3", "crate::v2")] {
            for path in files(dir) {
                assert!(!code_of(&path).contains(other), "{} names {other}", path.display());
            }
        }
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
