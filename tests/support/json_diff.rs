//! v3's JSON reader against serde_json, the reference (issue 15 replaced serde_json in the
//! core with our own reader). Used by tests/props.rs and the `v3_json` fuzzer, so both hold
//! the reader to one rule:
//! - what we accept, serde_json accepts, with the same value (numbers as written, compared
//!   through serde_json's `arbitrary_precision` text; objects member for member);
//! - what we refuse, serde_json refuses too, except a duplicate member name, which
//!   serde_json's `Value` lets the last one win and we refuse by design;
//! - whatever we accept, our own output reads back as the same value.

use serde_json::Value;
use wxpay_wasm::v3::json::Json;

/// Panics with the input when the two readers disagree.
pub fn check(src: &[u8]) {
    let ours = Json::parse(src, "input");
    let theirs = serde_json::from_slice::<Value>(src);
    match (&ours, &theirs) {
        (Ok(v), Ok(t)) => {
            assert!(
                same(v, t),
                "different values for {:?}: ours {v:?}, serde_json {t:?}",
                String::from_utf8_lossy(src)
            );
            let again = Json::parse(v.to_json().as_bytes(), "output").expect("our output is JSON");
            assert_eq!(&again, v, "our output reads back the same");
        }
        (Err(e), _) if e.message.contains("duplicate member") => {}
        (Err(_), Err(_)) => {}
        // serde_json's `arbitrary_precision` reserves a member name of its own.
        (Ok(_), Err(_)) if src.windows(12).any(|w| w == b"$serde_json:") => {}
        _ => panic!(
            "ours {:?}, serde_json {:?} for {:?}",
            ours.as_ref().map(|_| ()),
            theirs.as_ref().map(|_| ()),
            String::from_utf8_lossy(src)
        ),
    }
}

fn same(ours: &Json, theirs: &Value) -> bool {
    match (ours, theirs) {
        (Json::Null, Value::Null) => true,
        (Json::Bool(a), Value::Bool(b)) => a == b,
        (Json::Number(a), Value::Number(b)) => same_number(a, &b.to_string()),
        (Json::String(a), Value::String(b)) => a == b,
        (Json::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y)),
        (Json::Object(a), Value::Object(b)) => {
            a.len() == b.len() && a.iter().all(|(n, x)| b.get(n).is_some_and(|y| same(x, y)))
        }
        _ => false,
    }
}

/// serde_json keeps a number's text too, but spells the exponent one way (`e`, with a sign:
/// `1E5` becomes `1e+5`); ours stays as written. They agree once that spelling is undone.
fn same_number(ours: &str, theirs: &str) -> bool {
    let spelled = match ours.split_once(['e', 'E']) {
        Some((m, x)) if x.starts_with(['+', '-']) => format!("{m}e{x}"),
        Some((m, x)) => format!("{m}e+{x}"),
        None => ours.to_owned(),
    };
    spelled == theirs
}
