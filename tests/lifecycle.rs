#![cfg(not(target_arch = "wasm32"))]
//! The order lifecycle after the unified order: query, close, refund, refund query,
//! bill, sandbox key, refund notifications, response parsing and the error catalogue.
//! Expected signatures are computed here with the hash crates directly, and the refund
//! notification cases come from the shared public vectors.

use std::collections::BTreeMap;

#[path = "support/cipher.rs"]
mod cipher;
use cipher::{b64, encrypt_req_info};

use hmac::{Hmac, Mac};
use md5::{Digest, Md5};
use serde_json::Value;
use sha2::Sha256;

use wxpay_wasm::v2::api;
use wxpay_wasm::v2::refund::RefundNotifyOptions;
use wxpay_wasm::v2::{
    bill, errcodes, indexed, params::from_pairs, parse_response, refund, sign, xml, Code, Params, SignType,
};

const KEY: &str = "192006250b4c09247ec02edce69f6a2d";

fn vectors(kind: &str) -> Vec<Value> {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/wxpay-v2-public.json")).unwrap();
    let all: Vec<Value> = serde_json::from_str(&text).unwrap();
    all.into_iter().filter(|v| v["kind"] == kind).collect()
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v[k].as_str().unwrap_or_else(|| panic!("{k} missing in {}", v["id"]))
}

// ---- independent signing and encryption, for expectations ----

fn upper_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// Sorts by itself (through a `BTreeMap`), so the expected value does not lean on `Params`.
fn expected_sign(fields: &Params, key: &str, hmac: bool) -> String {
    let sorted: BTreeMap<&String, &String> = fields.iter().collect();
    let mut parts: Vec<String> = sorted
        .into_iter()
        .filter(|(k, v)| k.as_str() != "sign" && !v.is_empty())
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    parts.push(format!("key={key}"));
    let text = parts.join("&");
    if hmac {
        let mut mac = <Hmac<Sha256> as hmac::KeyInit>::new_from_slice(key.as_bytes()).unwrap();
        mac.update(text.as_bytes());
        upper_hex(&mac.finalize().into_bytes())
    } else {
        upper_hex(&Md5::digest(text.as_bytes()))
    }
}

fn b64_decode(s: &str) -> Vec<u8> {
    wxpay_wasm::core::base64::decode(s).unwrap()
}

// ---- refund notifications ----

#[test]
fn refund_notify_vectors_decrypt_to_expected_plaintext() {
    let cases = vectors("refund_notify");
    assert_eq!(cases.len(), 4);
    for v in &cases {
        let plain = refund::decrypt_req_info(s(v, "req_info"), s(v, "key")).unwrap();
        assert_eq!(plain, s(v, "expected_plaintext"), "{}", v["id"]);
        // Our own test encryptor agrees with the vectors, so the tampering tests below
        // that build ciphertexts with it test the same thing.
        assert_eq!(encrypt_req_info(plain.as_bytes(), s(v, "key")), s(v, "req_info"), "{}", v["id"]);
    }
}

/// The value of `<name><![CDATA[value]]></name>` read from the plaintext by string search.
fn cdata(text: &str, name: &str) -> String {
    let open = format!("<{name}><![CDATA[");
    let start = text.find(&open).unwrap() + open.len();
    let end = start + text[start..].find("]]>").unwrap();
    text[start..end].to_owned()
}

#[test]
fn refund_notify_envelopes_with_root_plaintext() {
    let mut checked = 0;
    for v in vectors("refund_notify") {
        let (Some(envelope), plain) = (v["xml"].as_str(), s(&v, "expected_plaintext")) else { continue };
        let result = refund::decrypt_refund_notify(envelope, s(&v, "key"), &RefundNotifyOptions::default());
        if !plain.starts_with("<root>") {
            // EasyWeChat's test envelope has no return_code, and its payload decrypts to
            // <foo>…</foo>: not a refund notification either way.
            let e = result.unwrap_err();
            assert_eq!((e.code, e.field.as_deref()), (Code::MissingField, Some("return_code")), "{}", v["id"]);
            let with_code = envelope.replace("<xml>", "<xml><return_code>SUCCESS</return_code>");
            let e =
                refund::decrypt_refund_notify(&with_code, s(&v, "key"), &RefundNotifyOptions::default()).unwrap_err();
            assert_eq!(e.code, Code::DecryptFailed, "{}", v["id"]);
            assert!(e.message.contains("<root>"), "{}", e.message);
            continue;
        }
        let fields = result.unwrap();
        for name in [
            "out_refund_no",
            "out_trade_no",
            "refund_id",
            "refund_fee",
            "refund_status",
            "refund_recv_accout",
            "success_time",
            "transaction_id",
        ] {
            assert_eq!(fields.get(name).map(String::as_str), Some(cdata(plain, name).as_str()), "{name}");
        }
        assert_eq!(fields.get("mch_id").map(String::as_str), Some("10000100"));
        assert_eq!(fields.get("return_code").map(String::as_str), Some("SUCCESS"));
        assert!(!fields.contains_key("req_info"));
        let opts = RefundNotifyOptions { mch_id: Some("10000100".into()), ..Default::default() };
        assert!(refund::decrypt_refund_notify(envelope, s(&v, "key"), &opts).is_ok());
        let opts = RefundNotifyOptions { mch_id: Some("10000101".into()), ..Default::default() };
        assert_eq!(refund::decrypt_refund_notify(envelope, s(&v, "key"), &opts).unwrap_err().code, Code::MchIdMismatch);
        checked += 1;
    }
    assert_eq!(checked, 1, "the elixir vector is the one with an envelope and a <root> plaintext");
}

fn elixir() -> Value {
    vectors("refund_notify").into_iter().find(|v| v["id"] == "elixir-refund-notify").unwrap()
}

fn with_req_info(envelope: &str, old: &str, new: &str) -> String {
    envelope.replace(old, new)
}

#[test]
fn tampered_req_info_is_decrypt_failed_and_next_call_works() {
    let v = elixir();
    let (good, key) = (s(&v, "req_info"), s(&v, "key"));
    let raw = b64_decode(good);
    let flip = |i: usize| {
        let mut d = raw.clone();
        d[i] ^= 0x01;
        b64(&d)
    };
    let mut bad: Vec<(String, String)> = vec![
        ("last byte flipped (padding)".into(), flip(raw.len() - 1)),
        ("byte in the last block flipped".into(), flip(raw.len() - 9)),
        ("truncated by one block".into(), b64(&raw[..raw.len() - 16])),
        ("truncated by one byte".into(), b64(&raw[..raw.len() - 1])),
        ("truncated base64".into(), good[..good.len() - 1].to_owned()),
        ("not base64".into(), "this is not base64!".into()),
        ("url-safe alphabet".into(), good.replace('+', "-").replace('/', "_")),
        ("with a newline".into(), format!("{}\n{}", &good[..64], &good[64..])),
        ("empty".into(), String::new()),
    ];
    bad.push(("one block of zeros".into(), b64(&[0u8; 16])));
    for (what, req) in &bad {
        let e = refund::decrypt_req_info(req, key).unwrap_err();
        assert_eq!(e.code, Code::DecryptFailed, "{what}: {e}");
        assert!(!e.message.contains(key), "the key leaked into {e}");
        assert_eq!(refund::decrypt_req_info(good, key).unwrap(), s(&v, "expected_plaintext"), "after {what}");
    }
    // Wrong key, for every vector.
    for v in vectors("refund_notify") {
        let e = refund::decrypt_req_info(s(&v, "req_info"), "ziR0QKsTUfMOuochC9RfCdmfHECorQAX").unwrap_err();
        assert_eq!(e.code, Code::DecryptFailed, "{}", v["id"]);
    }
    // Through the envelope, a flip in the first block garbles `<root>` itself.
    let envelope = s(&v, "xml");
    let opts = RefundNotifyOptions::default();
    for (what, req) in [("first block", flip(3)), ("padding", flip(raw.len() - 1))] {
        let e = refund::decrypt_refund_notify(&with_req_info(envelope, good, &req), key, &opts).unwrap_err();
        assert_eq!(e.code, Code::DecryptFailed, "{what}");
        assert!(refund::decrypt_refund_notify(envelope, key, &opts).is_ok());
    }
    let e = refund::decrypt_refund_notify(envelope, "wrong-key", &opts).unwrap_err();
    assert_eq!(e.code, Code::DecryptFailed);
}

/// ECB has no integrity check: a flipped byte inside a middle block only garbles that
/// block. This counts how many of the possible single-byte flips `decrypt_refund_notify`
/// still catches (through padding, UTF-8 and XML checks); run with `--nocapture` to see.
#[test]
fn flip_census() {
    let v = elixir();
    let (good, key, envelope) = (s(&v, "req_info"), s(&v, "key"), s(&v, "xml"));
    let raw = b64_decode(good);
    let mut caught = 0;
    for i in 0..raw.len() {
        let mut d = raw.clone();
        d[i] ^= 0x80;
        let doc = with_req_info(envelope, good, &b64(&d));
        if let Err(e) = refund::decrypt_refund_notify(&doc, key, &RefundNotifyOptions::default()) {
            assert_eq!(e.code, Code::DecryptFailed);
            caught += 1;
        }
    }
    eprintln!("flip census: {caught} of {} single-byte flips rejected by decrypt_refund_notify", raw.len());
    assert!(caught > 0);
}

#[test]
fn refund_notify_round_trip_and_envelope_rules() {
    let inner = "<root><out_refund_no><![CDATA[R1]]></out_refund_no><refund_status>SUCCESS</refund_status><refund_fee>50</refund_fee></root>";
    let req = encrypt_req_info(inner.as_bytes(), KEY);
    let env = |extra: &str| {
        format!("<xml><return_code>SUCCESS</return_code><appid>wxA</appid><mch_id>100</mch_id>{extra}<req_info>{req}</req_info></xml>")
    };
    let opts = RefundNotifyOptions { appid: Some("wxA".into()), mch_id: Some("100".into()), max_bytes: None };
    let f = refund::decrypt_refund_notify(&env(""), KEY, &opts).unwrap();
    assert_eq!(
        f,
        from_pairs([
            ("return_code", "SUCCESS"),
            ("appid", "wxA"),
            ("mch_id", "100"),
            ("out_refund_no", "R1"),
            ("refund_status", "SUCCESS"),
            ("refund_fee", "50")
        ])
    );
    // The envelope is not protected by the key: it may not contradict the plaintext.
    let e = refund::decrypt_refund_notify(&env("<refund_fee>5000</refund_fee>"), KEY, &opts).unwrap_err();
    assert_eq!((e.code, e.field.as_deref()), (Code::DuplicateField, Some("refund_fee")));
    assert!(refund::decrypt_refund_notify(&env("<refund_fee>50</refund_fee>"), KEY, &opts).is_ok());
    let wrong_app = RefundNotifyOptions { appid: Some("wxB".into()), ..Default::default() };
    assert_eq!(refund::decrypt_refund_notify(&env(""), KEY, &wrong_app).unwrap_err().code, Code::AppidMismatch);
    let fail = "<xml><return_code>FAIL</return_code><return_msg>bad</return_msg></xml>";
    assert_eq!(refund::decrypt_refund_notify(fail, KEY, &opts).unwrap_err().code, Code::ReturnFail);
    let none = "<xml><return_code>SUCCESS</return_code></xml>";
    let e = refund::decrypt_refund_notify(none, KEY, &RefundNotifyOptions::default()).unwrap_err();
    assert_eq!((e.code, e.field.as_deref()), (Code::MissingField, Some("req_info")));
    // Hostile plaintext (only someone with the key could send it) is still refused.
    let doctype = encrypt_req_info(b"<!DOCTYPE root [<!ENTITY x \"y\">]><root><a>&x;</a></root>", KEY);
    let doc = format!("<xml><return_code>SUCCESS</return_code><req_info>{doctype}</req_info></xml>");
    assert_eq!(
        refund::decrypt_refund_notify(&doc, KEY, &RefundNotifyOptions::default()).unwrap_err().code,
        Code::DecryptFailed
    );
    // Non-UTF-8 plaintext with valid padding.
    let latin1 = encrypt_req_info(&[0xff, 0xfe, b'a'], KEY);
    assert_eq!(refund::decrypt_req_info(&latin1, KEY).unwrap_err().code, Code::DecryptFailed);
    assert_eq!(refund::decrypt_req_info(&req, "").unwrap_err().code, Code::InvalidParam);
}

// ---- responses ----

#[test]
fn response_vectors() {
    let cases = vectors("response");
    assert!(cases.len() >= 10);
    for v in &cases {
        let key = s(v, "key");
        let st = SignType::parse(s(v, "sign_type")).unwrap();
        let valid = v["expected_valid"].as_bool().unwrap();
        let xml_text = match (v["xml"].as_str(), v["params"].as_object()) {
            (Some(x), _) => Some(x.to_owned()),
            (None, Some(p)) if p.contains_key("return_code") => {
                let fields: Params = p.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned())).collect();
                Some(xml::to_xml(&fields).unwrap())
            }
            _ => None,
        };
        match xml_text {
            Some(x) => {
                let r = parse_response(&x, key, Some(st));
                assert_eq!(r.is_ok(), valid, "{}: {r:?}", v["id"]);
                if let Ok(f) = r {
                    assert_eq!(f.get("sign").map(String::as_str), v["expected_sign"].as_str());
                }
            }
            None => {
                let fields: Params = v["params"]
                    .as_object()
                    .unwrap()
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
                    .collect();
                assert_eq!(sign::verify(&fields, key, Some(st)).unwrap(), valid, "{}", v["id"]);
            }
        }
    }
}

#[test]
fn result_fail_carries_catalogue_facts() {
    let reply = |code: &str| {
        let mut f = from_pairs([
            ("return_code", "SUCCESS"),
            ("result_code", "FAIL"),
            ("err_code", code),
            ("err_code_des", "des"),
            ("nonce_str", "n"),
        ]);
        let sig = expected_sign(&f, KEY, false);
        f.insert("sign".into(), sig);
        xml::to_xml(&f).unwrap()
    };
    let e = parse_response(&reply("SYSTEMERROR"), KEY, None).unwrap_err();
    assert_eq!(e.code, Code::ResultFail);
    assert_eq!(e.detail("errCode"), Some("SYSTEMERROR"));
    assert_eq!(e.detail("errCodeDes"), Some("des"));
    assert_eq!(e.detail("retryable"), Some("true"));
    let e = parse_response(&reply("ORDERPAID"), KEY, None).unwrap_err();
    assert_eq!(e.detail("retryable"), Some("false"));
    assert!(e.message.contains("already paid"), "{}", e.message);
    let e = parse_response(&reply("SOMETHING_NEW"), KEY, None).unwrap_err();
    assert_eq!(e.detail("retryable"), None);
    // return_code FAIL replies are unsigned and still reported as such.
    let e = parse_response("<xml><return_code>FAIL</return_code><return_msg>签名错误</return_msg></xml>", KEY, None)
        .unwrap_err();
    assert_eq!((e.code, e.detail("returnMsg")), (Code::ReturnFail, Some("签名错误")));
}

#[test]
fn catalogue_covers_the_documented_codes() {
    for code in [
        "SYSTEMERROR",
        "ORDERPAID",
        "ORDERCLOSED",
        "ORDERNOTEXIST",
        "NOTENOUGH",
        "OUT_TRADE_NO_USED",
        "NOAUTH",
        "APPID_NOT_EXIST",
        "MCHID_NOT_EXIST",
        "APPID_MCHID_NOT_MATCH",
        "LACK_PARAMS",
        "SIGNERROR",
        "XML_FORMAT_ERROR",
        "REQUIRE_POST_METHOD",
        "POST_DATA_EMPTY",
        "NOT_UTF8",
        "FREQUENCY_LIMITED",
        "BIZERR_NEED_RETRY",
        "TRADE_OVERDUE",
        "ERROR",
        "USER_ACCOUNT_ABNORMAL",
        "INVALID_REQ_TOO_MUCH",
        "INVALID_TRANSACTIONID",
        "PARAM_ERROR",
        "REFUNDNOTEXIST",
    ] {
        let info = errcodes::describe(code).unwrap_or_else(|| panic!("{code} missing"));
        assert!(info.zh.chars().any(|c| c as u32 > 0x2e80), "{code}: zh should be Chinese");
    }
    let retryable: Vec<_> = errcodes::CATALOGUE.iter().filter(|e| e.retryable).map(|e| e.code).collect();
    assert_eq!(retryable, ["SYSTEMERROR", "BIZERR_NEED_RETRY", "FREQUENCY_LIMITED", "INVALID_REQ_TOO_MUCH"]);
}

// ---- request builders: round trips and validation ----

type Builder = fn(Params, &str, SignType) -> wxpay_wasm::v2::Result<String>;

fn builders() -> Vec<(&'static str, Builder, Params)> {
    let base = [("appid", "wx2421b1c4370ec43b"), ("mch_id", "10000100")];
    let with = |extra: &[(&'static str, &'static str)]| from_pairs(base.iter().chain(extra).copied());
    vec![
        ("orderQuery", api::build_order_query_xml as Builder, with(&[("out_trade_no", "1415757673")])),
        ("closeOrder", api::build_close_order_xml, with(&[("out_trade_no", "1415757673")])),
        (
            "refund",
            refund::build_refund_xml,
            with(&[
                ("transaction_id", "1008450740201411110005820873"),
                ("out_refund_no", "R-1415757673@1"),
                ("total_fee", "100"),
                ("refund_fee", "100"),
                ("refund_desc", "商品已售完"),
                ("notify_url", "https://example.com/wx/refund"),
            ]),
        ),
        ("refundQuery", refund::build_refund_query_xml, with(&[("out_refund_no", "R-1415757673@1"), ("offset", "0")])),
        (
            "downloadBill",
            api::build_download_bill_xml,
            with(&[("bill_date", "20240229"), ("bill_type", "ALL"), ("tar_type", "GZIP")]),
        ),
    ]
}

#[test]
fn every_builder_round_trips_with_an_independently_checked_sign() {
    for (name, build, params) in builders() {
        for (st, hmac) in [(SignType::Md5, false), (SignType::HmacSha256, true)] {
            let out = build(params.clone(), KEY, st).unwrap();
            let back = xml::parse_xml(&out).unwrap();
            let nonce = back.get("nonce_str").unwrap();
            assert_eq!(nonce.len(), 32, "{name}");
            for (k, v) in &params {
                assert_eq!(back.get(k), Some(v), "{name}: {k}");
            }
            assert_eq!(back.get("sign_type").map(String::as_str), hmac.then_some("HMAC-SHA256"), "{name}");
            assert_eq!(back.len(), params.len() + 2 + usize::from(hmac), "{name}: no unexpected fields");
            assert_eq!(back.get("sign").unwrap(), &expected_sign(&back, KEY, hmac), "{name} {st:?}");
            assert!(api::path(name).is_some());
        }
    }
    // The sandbox key request: MD5 only, mch_id and nonce_str only.
    let out = api::build_sandbox_sign_key_xml(from_pairs([("mch_id", "1379063802")]), KEY).unwrap();
    let back = xml::parse_xml(&out).unwrap();
    assert_eq!(back.keys().map(String::as_str).collect::<Vec<_>>(), ["mch_id", "nonce_str", "sign"]);
    assert_eq!(back["sign"], expected_sign(&back, KEY, false));
}

#[test]
fn a_missing_required_field_is_named() {
    let required: &[(&str, &[&str])] = &[
        ("orderQuery", &["appid", "mch_id", "out_trade_no"]),
        ("closeOrder", &["appid", "mch_id", "out_trade_no"]),
        ("refund", &["appid", "mch_id", "transaction_id", "out_refund_no", "total_fee", "refund_fee"]),
        ("refundQuery", &["appid", "mch_id", "out_refund_no"]),
        ("downloadBill", &["appid", "mch_id", "bill_date", "bill_type"]),
    ];
    for (name, build, params) in builders() {
        let fields = required.iter().find(|(n, _)| *n == name).unwrap().1;
        for field in fields {
            let mut p = params.clone();
            p.remove(field);
            let e = build(p, KEY, SignType::Md5).unwrap_err();
            assert_eq!(e.code, Code::MissingField, "{name} without {field}");
            // "One of" errors name the first alternative.
            let named = match (name, *field) {
                ("orderQuery", "out_trade_no") | ("refund", "transaction_id") => "transaction_id",
                ("refundQuery", "out_refund_no") => "refund_id",
                _ => field,
            };
            assert_eq!(e.field.as_deref(), Some(named), "{name} without {field}: {e}");
            let mut p = params.clone();
            p.insert((*field).to_owned(), String::new());
            assert_eq!(build(p, KEY, SignType::Md5).unwrap_err().code, Code::MissingField, "{name} with empty {field}");
        }
        let e = build(params.clone(), "", SignType::Md5).unwrap_err();
        assert_eq!(e.code, Code::InvalidParam, "{name}: empty key");
    }
    assert_eq!(api::build_sandbox_sign_key_xml(Params::new(), KEY).unwrap_err().field.as_deref(), Some("mch_id"));
}

#[test]
fn invalid_values_are_refused() {
    let cases: &[(&str, &str, &str)] = &[
        ("orderQuery", "out_trade_no", "has space"),
        ("orderQuery", "transaction_id", "12-34"),
        ("closeOrder", "out_trade_no", "x".repeat(33).leak()),
        ("refund", "refund_fee", "101"),
        ("refund", "refund_fee", "1.5"),
        ("refund", "total_fee", "0"),
        ("refund", "out_refund_no", "no spaces allowed"),
        ("refund", "notify_url", "https://example.com/cb?x=1"),
        ("refund", "refund_desc", "退款原因退款原因退款原因退款原因退款原因退款原因退款原因"),
        ("refund", "refund_account", "ELSEWHERE"),
        ("refundQuery", "offset", "-1"),
        ("refundQuery", "refund_id", "x".repeat(33).leak()),
        ("downloadBill", "bill_date", "20230229"),
        ("downloadBill", "bill_date", "2024-02-29"),
        ("downloadBill", "bill_type", "all"),
        ("downloadBill", "tar_type", "ZIP"),
    ];
    for (name, build, params) in builders() {
        for (_, field, value) in cases.iter().filter(|(n, _, _)| *n == name) {
            let mut p = params.clone();
            p.insert((*field).to_owned(), (*value).to_owned());
            let e = build(p, KEY, SignType::Md5).unwrap_err();
            assert_eq!((e.code, e.field.as_deref()), (Code::InvalidField, Some(*field)), "{name} {field}={value}: {e}");
        }
    }
    let e =
        api::build_sandbox_sign_key_xml(from_pairs([("mch_id", "1"), ("sign_type", "HMAC-SHA256")]), KEY).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("sign_type"));
}

#[test]
fn sandbox_sign_key_reply() {
    let reply = "<xml>\n  <return_code><![CDATA[SUCCESS]]></return_code>\n  <return_msg><![CDATA[ok]]></return_msg>\n  <sandbox_signkey><![CDATA[0123456789abcdef0123456789abcdef]]></sandbox_signkey>\n</xml>";
    assert_eq!(api::parse_sandbox_sign_key_response(reply, KEY).unwrap(), "0123456789abcdef0123456789abcdef");
    let fail = "<xml><return_code>FAIL</return_code><return_msg>签名错误</return_msg></xml>";
    assert_eq!(api::parse_sandbox_sign_key_response(fail, KEY).unwrap_err().code, Code::ReturnFail);
    let forged = "<xml><return_code>SUCCESS</return_code><sandbox_signkey>k</sandbox_signkey><sign>00000000000000000000000000000000</sign></xml>";
    assert_eq!(api::parse_sandbox_sign_key_response(forged, KEY).unwrap_err().code, Code::SignMismatch);
}

// ---- indexed fields ----

#[test]
fn group_indexed_refund_query_vector() {
    let v = vectors("response").into_iter().find(|v| v["id"] == "elixir-query_refund-response").unwrap();
    let fields = parse_response(s(&v, "xml"), s(&v, "key"), None).unwrap();
    let g = indexed::group_indexed(&fields).unwrap();
    assert_eq!(g.items.len(), 1);
    assert_eq!(g.items[0].fields.get("refund_id").map(String::as_str), Some("2008450740201411110000174436"));
    assert_eq!(g.items[0].fields.get("refund_status").map(String::as_str), Some("PROCESSING"));
    assert_eq!(g.fields.get("refund_count").map(String::as_str), Some("1"));
    assert!(!g.fields.contains_key("refund_id_0"));

    let two_level = from_pairs([
        ("refund_fee", "300"),
        ("refund_fee_0", "100"),
        ("refund_fee_1", "200"),
        ("coupon_refund_fee_1", "20"),
        ("coupon_refund_count_1", "2"),
        ("coupon_refund_fee_1_0", "5"),
        ("coupon_refund_fee_1_1", "15"),
        ("coupon_refund_id_1_1", "C2"),
    ]);
    let g = indexed::group_indexed(&two_level).unwrap();
    assert_eq!(g.fields, from_pairs([("refund_fee", "300")]));
    assert_eq!(g.items[0].fields, from_pairs([("refund_fee", "100")]));
    assert!(g.items[0].items.is_empty());
    assert_eq!(
        g.items[1].fields,
        from_pairs([("refund_fee", "200"), ("coupon_refund_fee", "20"), ("coupon_refund_count", "2")])
    );
    assert_eq!(
        g.items[1].items,
        vec![
            from_pairs([("coupon_refund_fee", "5")]),
            from_pairs([("coupon_refund_fee", "15"), ("coupon_refund_id", "C2")])
        ]
    );
    assert_eq!(
        wxpay_wasm::wasm::results::grouped_json(&g),
        r#"{"fields":{"refund_fee":"300"},"items":[{"fields":{"refund_fee":"100"},"items":[]},{"fields":{"coupon_refund_count":"2","coupon_refund_fee":"20","refund_fee":"200"},"items":[{"coupon_refund_fee":"5"},{"coupon_refund_fee":"15","coupon_refund_id":"C2"}]}]}"#
    );
}

// ---- bills ----

/// Composed from the documented format: header, backquoted rows, summary header, summary.
const BILL: &str = "\u{feff}交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注\r
`2024-02-29 10:12:37,`wx2421b1c4370ec43b,`10000100,`0,`,`4200000001202402290000000001,`T20240229001,`oUpF8uN95-Ptaags6E_roPHg7AG0,`JSAPI,`SUCCESS,`CMC,`CNY,`0.01,`0.00,`0,`0,`0.00,`0.00,`,`,`咖啡, 大杯,`attach,`0.00000,`0.60%,`0.01,`0.00,`\r
`2024-02-29 11:00:01,`wx2421b1c4370ec43b,`10000100,`0,`,`4200000001202402290000000002,`T20240229002,`oUpF8uN95-Ptaags6E_roPHg7AG0,`JSAPI,`REFUND,`CMC,`CNY,`0.00,`0.00,`50000000012024022900000001,`R20240229002,`0.02,`0.00,`ORIGINAL,`SUCCESS,`茶,`,`0.00000,`0.60%,`0.00,`0.02,`\r
总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\r
`2,`0.01,`0.02,`0.00,`0.00000,`0.01,`0.02\r
";

#[test]
fn parse_a_composed_bill() {
    let b = bill::parse_bill(BILL).unwrap();
    assert_eq!(b.headers.len(), 27);
    assert_eq!(b.headers[0], "交易时间");
    assert_eq!(b.rows.len(), 2);
    let col = |name: &str| b.headers.iter().position(|h| h == name).unwrap();
    assert_eq!(b.rows[0][col("商品名称")], "咖啡, 大杯", "a comma inside a value keeps the columns");
    assert_eq!(b.rows[0][col("设备号")], "");
    assert_eq!(b.rows[0][col("费率备注")], "");
    assert_eq!(b.rows[1][col("交易状态")], "REFUND");
    assert_eq!(b.rows[1][col("退款金额")], "0.02");
    assert_eq!(b.summary_headers[0], "总交易单数");
    assert_eq!(b.summary, ["2", "0.01", "0.02", "0.00", "0.00000", "0.01", "0.02"]);
    let json: Value = serde_json::from_str(&wxpay_wasm::wasm::results::bill_json(&b)).unwrap();
    assert_eq!(json["rows"][1]["商户退款单号"], "R20240229002");
    assert_eq!(json["summary"]["退款总金额"], "0.02");
    assert_eq!(json["headers"][26], "费率备注");
}

#[test]
fn bill_failures() {
    let code = |t: &str| bill::parse_bill(t).unwrap_err().code;
    let e = bill::parse_bill("<xml><return_code>FAIL</return_code><return_msg>No Bill Exist</return_msg><error_code>20002</error_code></xml>").unwrap_err();
    assert_eq!((e.code, e.detail("returnMsg")), (Code::ReturnFail, Some("No Bill Exist")));
    assert_eq!(code(""), Code::InvalidParam);
    let lines: Vec<&str> = BILL.lines().collect();
    assert_eq!(code(&lines[..3].join("\n")), Code::InvalidParam, "truncated: no summary");
    assert_eq!(code(&lines[..4].join("\n")), Code::InvalidParam, "truncated: summary values missing");
    assert_eq!(code(&format!("{}\n`1,`2", lines[0])), Code::InvalidParam, "column count");
    assert_eq!(code(&format!("{BILL}`extra")), Code::InvalidParam, "content after the summary");
    assert_eq!(code("a,a\n`1,`2\ns\n`1"), Code::DuplicateField);
    assert_eq!(code("`1,`2"), Code::InvalidParam, "no header");
}
