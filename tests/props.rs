#![cfg(not(target_arch = "wasm32"))]
//! Property tests (issue 5): the fuzz targets' invariants on stable Rust, so `cargo test`
//! checks them on every run. Each property holds for every input the strategy can make:
//! nothing panics, and whatever succeeds is consistent with itself.

use proptest::prelude::*;
use wxpay_wasm::core::ct::ct_eq;
use wxpay_wasm::v2::notify::{build_notify_xml, verify_notify, NotifyOptions};
use wxpay_wasm::v2::params::Params;
use wxpay_wasm::v2::sign::{sign, verify, SignType};
use wxpay_wasm::v2::xml::{parse_xml_limited, to_xml, MAX_MAX_BYTES};
use wxpay_wasm::v2::{
    decrypt_refund_notify, decrypt_req_info, group_indexed, parse_bill, Code, RefundNotifyOptions, WxError,
};
use wxpay_wasm::wasm::fields::params_from_wire;
use wxpay_wasm::wasm::results::{bill_json, grouped_json, params_to_json};

#[path = "support/cipher.rs"]
mod cipher;
#[path = "support/json_diff.rs"]
mod json_diff;
use cipher::{b64, encrypt_req_info as encrypt};

/// Pieces of WeChat-shaped and hostile XML; strings of them reach the parser's corners far
/// more often than random text does.
const TOKENS: &[&str] = &[
    "<xml>",
    "</xml>",
    "<a>",
    "</a>",
    "<b>",
    "</b>",
    "<c/>",
    "<a-b>",
    "</a-b>",
    "<中>",
    "</中>",
    "<a b='1'>",
    "<![CDATA[",
    "]]>",
    "&amp;",
    "&lt;",
    "&#x41;",
    "&#0;",
    "&#xD800;",
    "&x;",
    "<!--c-->",
    "<?pi x?>",
    "<?xml version=\"1.0\"?>",
    "<!DOCTYPE x>",
    "\u{1}",
    "\u{b}",
    "\u{fffe}",
    "\r\n",
    " ",
    "中",
    "😀",
    "1",
    "-0",
    "x",
    "<",
    ">",
    "&",
    "\"",
    "'",
    "\u{feff}",
];

/// Pieces of JSON, well-formed and not, as bytes (invalid and cut-off UTF-8 among them):
/// strings of them reach v3's JSON reader's corners far more often than random bytes do.
const JSON_TOKENS: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b":",
    b"\"",
    b"\"a\"",
    b"\"a\":",
    b"\\",
    b"\\u",
    b"\\ud83d",
    b"\\ude00",
    b"\\u00e9",
    b"\\uD800",
    b"\\u+12",
    b"\\n",
    b"\\x",
    b"0",
    b"1",
    b"-",
    b".",
    b"e",
    b"E",
    b"+",
    b"12",
    b"-0",
    b"1.5",
    b"9223372036854775808",
    b"true",
    b"false",
    b"null",
    b"nul",
    b" ",
    b"\n",
    b"\t",
    b"\r",
    b"\x0b",
    b"\x01",
    b"\x7f",
    "中".as_bytes(),
    b"\xe4\xb8",
    b"\xff",
    b"x",
    b"/",
    b"\"k\":1",
    b"\"k\":[",
    b"{\"a\":{\"b\":",
];

fn jsonish() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(prop::sample::select(JSON_TOKENS), 0..30).prop_map(|t| t.concat())
}

fn xmlish() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..40).prop_map(|t| t.concat())
}

/// Names a hostile sender might use, good and bad.
const NAMES: &[&str] = &["a", "B_1", "1a", "_", "a-b", "中", "a:b", "a\u{1}", "xml", "sign", "a.b"];

/// Documents of the right outer shape, `<xml>` holding fields, with hostile names and
/// contents: they get past the first checks, so the parser's deeper paths are exercised.
fn structured() -> impl Strategy<Value = String> {
    let field =
        (prop::sample::select(NAMES), prop::collection::vec(prop::sample::select(TOKENS), 0..4), prop::bool::ANY)
            .prop_map(|(n, body, cdata)| {
                let body = body.concat();
                if cdata {
                    format!("<{n}><![CDATA[{body}]]></{n}>")
                } else {
                    format!("<{n}>{body}</{n}>")
                }
            });
    prop::collection::vec(field, 0..8).prop_map(|f| format!("<xml>{}</xml>", f.concat()))
}

/// Field names WeChat could use: `[A-Za-z0-9_]+`.
fn name() -> impl Strategy<Value = String> {
    "[A-Za-z0-9_]{1,12}"
}

/// Values XML can carry: any text without the characters XML 1.0 forbids.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[ \t\r\n]{1,4}",
        "-?[0-9]{1,18}",
        "[\\PC&<>\"'=\\]]{0,40}",
        "(]]>|<!\\[CDATA\\[|&amp;|中|😀|\r\n|a){0,8}",
    ]
}

fn params() -> impl Strategy<Value = Params> {
    params_of(name(), value(), 1..30)
}

/// A proptest map made a `Params` (the map's distinct names, any order in, sorted out).
fn params_of(
    names: impl Strategy<Value = String>,
    values: impl Strategy<Value = String>,
    size: std::ops::Range<usize>,
) -> impl Strategy<Value = Params> {
    prop::collection::btree_map(names, values, size).prop_map(|m| m.into_iter().collect())
}

fn sign_type() -> impl Strategy<Value = SignType> {
    prop_oneof![Just(SignType::Md5), Just(SignType::HmacSha256)]
}

/// The consistency every successful parse must have: the fields serialise, and parsing
/// that gives the same fields back.
fn assert_reserialises(fields: &Params) -> Result<(), TestCaseError> {
    let xml = to_xml(fields).map_err(|e| TestCaseError::fail(format!("parsed fields do not serialise: {e}")))?;
    let again = parse_xml_limited(&xml, MAX_MAX_BYTES).map_err(|e| TestCaseError::fail(format!("{e}: {xml}")))?;
    prop_assert_eq!(&again, fields);
    Ok(())
}

/// Changes the character at `index` (modulo the length) to a different one.
fn flip(s: &str, index: usize) -> String {
    let n = s.chars().count();
    let at = index % n;
    s.chars()
        .enumerate()
        .map(|(i, c)| {
            if i == at {
                if c == 'x' {
                    'y'
                } else {
                    'x'
                }
            } else {
                c
            }
        })
        .collect()
}

/// One operation on a parameter set, for the `Params` vs `BTreeMap` property.
#[derive(Debug, Clone)]
enum Op {
    Insert(String, String),
    Remove(String),
    Entry(String, String),
}

fn ops() -> impl Strategy<Value = Vec<Op>> {
    // Few distinct short names, so inserts collide and removes hit.
    let name = "[a-cA_z]{0,3}";
    prop::collection::vec(
        prop_oneof![
            (name, "[0-9]{0,2}").prop_map(|(k, v)| Op::Insert(k, v)),
            name.prop_map(Op::Remove),
            (name, "[0-9]{0,2}").prop_map(|(k, v)| Op::Entry(k, v)),
        ],
        0..60,
    )
}

proptest! {
    /// `Params` (a sorted Vec since issue 15) behaves as the `BTreeMap<String, String>` it
    /// replaced: the same results for every operation, the same byte order, the same lookups.
    #[test]
    fn params_behave_as_a_btree_map(ops in ops()) {
        use std::collections::BTreeMap;
        use wxpay_wasm::v2::params::Entry;
        let (mut p, mut m) = (Params::new(), BTreeMap::new());
        for op in ops {
            match op {
                Op::Insert(k, v) => prop_assert_eq!(p.insert(k.clone(), v.clone()), m.insert(k, v)),
                Op::Remove(k) => prop_assert_eq!(p.remove(&k), m.remove(&k)),
                Op::Entry(k, v) => {
                    let was = m.contains_key(&k);
                    match p.entry(k.clone()) {
                        Entry::Occupied(e) => { prop_assert!(was); prop_assert_eq!(e.key(), &k); }
                        Entry::Vacant(e) => { prop_assert!(!was); e.insert(v.clone()); m.insert(k, v); }
                    }
                }
            }
            prop_assert_eq!(p.len(), m.len());
            prop_assert!(p.iter().eq(m.iter()));
        }
        for k in ["", "a", "A", "b", "zz", "_"] {
            prop_assert_eq!(p.get(k), m.get(k));
            prop_assert_eq!(p.contains_key(k), m.contains_key(k));
        }
        let again: Params = m.clone().into_iter().collect();
        prop_assert_eq!(&again, &p);
        prop_assert!(p.into_iter().eq(m));
    }

    #[test]
    fn parse_xml_never_panics_and_successes_reserialise(s in xmlish()) {
        if let Ok(fields) = parse_xml_limited(&s, MAX_MAX_BYTES) {
            assert_reserialises(&fields)?;
        }
    }

    #[test]
    fn parse_xml_structured_successes_reserialise(s in structured()) {
        if let Ok(fields) = parse_xml_limited(&s, MAX_MAX_BYTES) {
            assert_reserialises(&fields)?;
        }
    }

    #[test]
    fn parse_xml_on_any_text(s in "\\PC{0,200}") {
        if let Ok(fields) = parse_xml_limited(&s, MAX_MAX_BYTES) {
            assert_reserialises(&fields)?;
        }
    }

    #[test]
    fn to_xml_then_parse_is_identity(p in params()) {
        let xml = to_xml(&p).unwrap();
        prop_assert_eq!(parse_xml_limited(&xml, MAX_MAX_BYTES).unwrap(), p);
    }

    #[test]
    fn sign_verifies_and_any_flip_breaks_it(p in params(), key in "[!-~]{1,40}", t in sign_type(), pick in any::<usize>(), at in any::<usize>()) {
        let s = sign(&p, &key, t).unwrap();
        prop_assert_eq!(s.len(), if t == SignType::Md5 { 32 } else { 64 });
        prop_assert!(s.bytes().all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b)));
        let mut signed = p.clone();
        signed.insert("sign".into(), s.clone());
        prop_assert!(verify(&signed, &key, Some(t)).unwrap());

        let mut bad_sign = signed.clone();
        bad_sign.insert("sign".into(), flip(&s, at));
        prop_assert!(!verify(&bad_sign, &key, Some(t)).unwrap());

        let flippable: Vec<&String> = p.iter().filter(|(k, v)| *k != "sign" && !v.is_empty()).map(|(k, _)| k).collect();
        if !flippable.is_empty() {
            let k = flippable[pick % flippable.len()];
            let mut bad_value = signed.clone();
            bad_value.insert(k.clone(), flip(&p[k], at));
            prop_assert!(!verify(&bad_value, &key, Some(t)).unwrap());
        }
    }

    #[test]
    fn built_notifications_verify(mut p in params(), key in "[!-~]{1,40}", t in sign_type(), fee in 1u64..1_000_000_000) {
        for k in ["sign", "sign_type", "nonce_str", "return_code", "result_code"] {
            p.remove(k);
        }
        p.insert("appid".into(), "wx1".into());
        p.insert("mch_id".into(), "1".into());
        p.insert("out_trade_no".into(), "o-1".into());
        p.insert("total_fee".into(), fee.to_string());
        let xml = build_notify_xml(p.clone(), &key, t).unwrap();
        let opts = NotifyOptions { max_bytes: MAX_MAX_BYTES, ..NotifyOptions::default() };
        let got = verify_notify(&xml, &key, &opts).unwrap();
        for (k, v) in &p {
            prop_assert_eq!(got.get(k), Some(v));
        }
    }

    #[test]
    fn json_boundary_round_trips(p in params_of("\\PC{1,8}".prop_map(String::from), "\\PC{0,20}|[\u{0}-\u{1f}\"\\\\]{1,5}".prop_map(String::from), 0..20)) {
        let mut s = String::new();
        params_to_json(&p, &mut s);
        prop_assert_eq!(params_from_wire(&s).unwrap(), p);
    }

    #[test]
    fn json_boundary_on_any_text(s in "[{}\":,\\\\u0-9a-fnul \\PC]{0,60}") {
        if let Ok(p) = params_from_wire(&s) {
            let mut out = String::new();
            params_to_json(&p, &mut out);
            prop_assert_eq!(params_from_wire(&out).unwrap(), p);
        }
    }

    #[test]
    fn v3_json_agrees_with_serde_json(src in jsonish()) {
        json_diff::check(&src);
    }

    /// Objects past the reader's scan limit (32 members) are checked by sorting: the same
    /// verdict, and the same first repeat in document order, as a plain scan.
    #[test]
    fn v3_json_large_objects_report_the_first_repeat(head in 0usize..50, tail in prop::collection::vec("[a-c]|u[0-9]{1,2}", 0..20)) {
        // `head` distinct names first, so repeats come past the scan limit too.
        let names: Vec<String> = (0..head).map(|i| format!("u{i}")).chain(tail).collect();
        let body = format!("{{{}}}", names.iter().map(|n| format!("\"{n}\":0")).collect::<Vec<_>>().join(","));
        let first_repeat = (0..names.len()).find(|&i| names[..i].contains(&names[i]));
        match (wxpay_wasm::v3::json::Json::parse(body.as_bytes(), "t"), first_repeat) {
            (Ok(v), None) => prop_assert_eq!(v.as_object().unwrap().len(), names.len()),
            (Err(e), Some(i)) => {
                // `{` then `"name":0,` per member before it.
                let at = 1 + names[..i].iter().map(|n| n.len() + 5).sum::<usize>();
                prop_assert_eq!(e.message, format!("the t is not valid JSON: duplicate member \"{}\" at byte {at}", names[i]));
            }
            (got, want) => prop_assert!(false, "{:?} for first repeat {:?}", got.map(|_| ()), want),
        }
    }

    #[test]
    fn v3_json_agrees_with_serde_json_on_any_bytes(src in prop::collection::vec(any::<u8>(), 0..40)) {
        json_diff::check(&src);
    }

    #[test]
    fn ct_eq_is_equality(a in prop::collection::vec(any::<u8>(), 0..70), b in prop::collection::vec(any::<u8>(), 0..70)) {
        prop_assert_eq!(ct_eq(&a, &b), a == b);
        prop_assert!(ct_eq(&a, &a.clone()));
    }

    #[test]
    fn decrypt_inverts_encrypt_on_any_text(plain in "\\PC{0,200}", key in "\\PC{1,40}") {
        prop_assert_eq!(decrypt_req_info(&encrypt(plain.as_bytes(), &key), &key).unwrap(), plain);
    }

    #[test]
    fn refund_notify_returns_the_encrypted_root_fields(mut p in params(), key in "[!-~]{1,40}") {
        for k in ENVELOPE {
            p.remove(k);
        }
        let xml = to_xml(&p).unwrap();
        let root = format!("<root>{}</root>", &xml["<xml>".len()..xml.len() - "</xml>".len()]);
        prop_assert_eq!(decrypt_req_info(&encrypt(root.as_bytes(), &key), &key).unwrap(), root.clone());
        let body = format!("<xml><return_code>SUCCESS</return_code><appid>wx1</appid><req_info>{}</req_info></xml>", encrypt(root.as_bytes(), &key));
        let opts = RefundNotifyOptions { max_bytes: Some(MAX_MAX_BYTES), appid: Some("wx1".into()), ..RefundNotifyOptions::default() };
        let mut got = decrypt_refund_notify(&body, &key, &opts).unwrap();
        prop_assert_eq!(got.remove("return_code"), Some("SUCCESS".to_string()));
        prop_assert_eq!(got.remove("appid"), Some("wx1".to_string()));
        prop_assert_eq!(got, p);
    }

    #[test]
    fn decrypt_req_info_on_any_text(s in "[A-Za-z0-9+/=_\\- \n]{0,120}|\\PC{0,60}", key in "\\PC{0,20}") {
        check_decrypt(&s, &key)?;
    }

    #[test]
    fn decrypt_req_info_on_whole_blocks(data in prop::collection::vec(any::<u8>(), 0..5).prop_map(|b| b.repeat(16)), key in "[!-~]{1,20}", tail in any::<u8>()) {
        // Whole AES blocks get past base64 and length: padding and UTF-8 are what refuse them.
        let mut data = data;
        if let Some(last) = data.last_mut() { *last = tail; }
        check_decrypt(&b64(&data), &key)?;
    }

    #[test]
    fn a_changed_ciphertext_byte_never_gives_the_same_plaintext(plain in "\\PC{0,80}", key in "[!-~]{1,20}", at in any::<usize>(), bit in 0u8..8) {
        let good = encrypt(plain.as_bytes(), &key);
        let mut data = wxpay_wasm::core::base64::decode(&good).unwrap();
        let i = at % data.len();
        data[i] ^= 1 << bit;
        match decrypt_req_info(&b64(&data), &key) {
            Ok(other) => prop_assert_ne!(other, plain),
            Err(e) => prop_assert_eq!(e.code, Code::DecryptFailed, "{}", e.message),
        }
    }

    #[test]
    fn parse_bill_on_any_text(s in "\\PC{0,200}") {
        check_bill(&s)?;
    }

    #[test]
    fn parse_bill_on_bill_shaped_text(parts in prop::collection::vec(prop::sample::select(BILL_TOKENS), 0..40)) {
        check_bill(&parts.concat())?;
    }

    #[test]
    fn group_indexed_on_any_fields(p in params_of(indexed_name(), "\\PC{0,8}".prop_map(String::from), 0..30)) {
        match group_indexed(&p) {
            Ok(g) => {
                // Every field lands exactly once, and no item or sub-item is empty (lists are dense).
                let placed = g.fields.len() + g.items.iter().map(|i| i.fields.len() + i.items.iter().map(|m| m.len()).sum::<usize>()).sum::<usize>();
                prop_assert_eq!(placed, p.len());
                prop_assert!(g.items.iter().all(|i| !(i.fields.is_empty() && i.items.is_empty()) && i.items.iter().all(|m| !m.is_empty())));
                prop_assert!(serde_json::from_str::<serde_json::Value>(&grouped_json(&g)).is_ok());
            }
            Err(e) => prop_assert!(matches!(e.code, Code::InvalidField | Code::InputTooLarge), "{:?}: {}", e.code, e.message),
        }
    }
}

/// Fields the refund envelope itself carries; the decrypted ones are compared without them.
const ENVELOPE: &[&str] = &["return_code", "return_msg", "appid", "req_info"];

/// Lines and pieces of a `downloadbill` text, good and broken.
const BILL_TOKENS: &[&str] = &[
    "交易时间,公众账号ID,商户号",
    "a,b",
    "a,a",
    "a,,b",
    ",",
    "\n",
    "\r\n",
    "`",
    ",`",
    "`1,`2,`3",
    "`x",
    "总交易单数,总金额",
    "`1,`0.01",
    "\u{feff}",
    " ",
    "<xml>",
    "</xml>",
    "<return_code>FAIL</return_code>",
    "<return_msg>No Bill Exist</return_msg>",
    "<return_code>SUCCESS</return_code>",
    "<!DOCTYPE x>",
    "中",
    "😀",
];

/// Names with and without `_n` / `_n_m` suffixes, leading zeros and empty bases included.
fn indexed_name() -> impl Strategy<Value = String> {
    (
        "[a-c_]{0,3}",
        prop::collection::vec(
            prop_oneof!["[0-3]", Just("00".to_string()), Just("x".to_string()), Just(String::new())],
            0..3,
        ),
    )
        .prop_map(|(base, idx)| idx.iter().fold(base, |s, i| format!("{s}_{i}")))
        .prop_filter("a name", |s| !s.is_empty())
}

/// The only codes `decrypt_req_info` documents; a success re-encrypts to its input (ECB
/// with PKCS#7 is deterministic and the base64 must be canonical).
fn check_decrypt(s: &str, key: &str) -> Result<(), TestCaseError> {
    match decrypt_req_info(s, key) {
        Ok(plain) => prop_assert_eq!(encrypt(plain.as_bytes(), key), s),
        Err(WxError { code: Code::InvalidParam, .. }) if key.is_empty() => {}
        Err(e) => prop_assert_eq!(e.code, Code::DecryptFailed, "{}", e.message),
    }
    Ok(())
}

/// `parse_bill` fails only with its documented codes (its own, and those of the XML it
/// reads when WeChat answers with XML); a success has the right number of values per line
/// and serialises to JSON.
fn check_bill(s: &str) -> Result<(), TestCaseError> {
    match parse_bill(s) {
        Ok(b) => {
            prop_assert!(!b.headers.is_empty() && !b.summary.is_empty());
            prop_assert!(b.rows.iter().all(|r| r.len() == b.headers.len()));
            prop_assert_eq!(b.summary.len(), b.summary_headers.len());
            prop_assert!(serde_json::from_str::<serde_json::Value>(&bill_json(&b)).is_ok());
        }
        Err(e) => prop_assert!(
            matches!(
                e.code,
                Code::InvalidParam
                    | Code::DuplicateField
                    | Code::ReturnFail
                    | Code::MissingField
                    | Code::InvalidXml
                    | Code::XmlForbidden
                    | Code::InputTooLarge
            ),
            "{:?}: {}",
            e.code,
            e.message
        ),
    }
    Ok(())
}
