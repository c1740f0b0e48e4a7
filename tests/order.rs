//! Unified-order building: validation per field, signing, and the XML WeChat receives.
#![cfg(not(target_arch = "wasm32"))]

use md5::{Digest, Md5};
use wxpay_wasm::v2::params::{from_pairs, Params};
use wxpay_wasm::v2::{build_unified_order_xml, parse_xml, Code, SignType};

const KEY: &str = "192006250b4c09247ec02edce69f6a2d";

fn order() -> Params {
    from_pairs([
        ("appid", "wxd930ea5d5a258f4f"),
        ("mch_id", "10000100"),
        ("body", "腾讯充值中心-QQ会员充值"),
        ("out_trade_no", "20150806125346"),
        ("total_fee", "88"),
        ("spbill_create_ip", "123.12.12.123"),
        ("notify_url", "https://example.com/wxpay/notify"),
        ("trade_type", "JSAPI"),
        ("openid", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"),
        ("attach", "extra & <stuff>"),
    ])
}

/// The signing rule written out by hand, independent of the crate's `sign`.
fn md5_sign(fields: &Params, key: &str) -> String {
    let mut s: Vec<String> =
        fields.iter().filter(|(k, v)| k.as_str() != "sign" && !v.is_empty()).map(|(k, v)| format!("{k}={v}")).collect();
    s.sort();
    let text = format!("{}&key={key}", s.join("&"));
    Md5::digest(text.as_bytes()).iter().map(|b| format!("{b:02X}")).collect()
}

#[test]
fn builds_signed_xml_with_nonce() {
    let xml = build_unified_order_xml(order(), KEY, SignType::Md5).unwrap();
    let back = parse_xml(&xml).unwrap();
    let nonce = &back["nonce_str"];
    assert_eq!(nonce.len(), 32);
    assert!(nonce.bytes().all(|b| b.is_ascii_alphanumeric()));
    assert_eq!(back["sign"], md5_sign(&back, KEY));
    assert_eq!(back["attach"], "extra & <stuff>");
    assert!(!back.contains_key("sign_type"));
    assert!(xml.contains("<total_fee>88</total_fee>"));
    for (k, v) in order() {
        assert_eq!(back[&k], v);
    }
}

#[test]
fn hmac_sets_sign_type_and_keeps_extra_fields() {
    let mut o = order();
    o.insert("my_extension".into(), "kept".into());
    let back = parse_xml(&build_unified_order_xml(o, KEY, SignType::HmacSha256).unwrap()).unwrap();
    assert_eq!(back["sign_type"], "HMAC-SHA256");
    assert_eq!(back["my_extension"], "kept");
    assert_eq!(back["sign"].len(), 64);
    assert!(wxpay_wasm::v2::verify(&back, KEY, None).unwrap());
}

#[test]
fn given_nonce_is_kept_and_sign_type_conflict_refused() {
    let mut o = order();
    o.insert("nonce_str".into(), "abc".into());
    let back = parse_xml(&build_unified_order_xml(o.clone(), KEY, SignType::Md5).unwrap()).unwrap();
    assert_eq!(back["nonce_str"], "abc");
    o.insert("sign_type".into(), "HMAC-SHA256".into());
    let e = build_unified_order_xml(o, KEY, SignType::Md5).unwrap_err();
    assert_eq!((e.code, e.field.as_deref()), (Code::InvalidField, Some("sign_type")));
}

fn err_with(field: &str, value: Option<&str>) -> (Code, Option<String>) {
    let mut o = order();
    match value {
        Some(v) => o.insert(field.into(), v.into()),
        None => o.remove(field),
    };
    let e = build_unified_order_xml(o, KEY, SignType::Md5).unwrap_err();
    (e.code, e.field)
}

#[test]
fn each_required_field_is_required() {
    for f in [
        "appid",
        "mch_id",
        "body",
        "out_trade_no",
        "total_fee",
        "spbill_create_ip",
        "notify_url",
        "trade_type",
        "openid",
    ] {
        assert_eq!(err_with(f, None), (Code::MissingField, Some(f.into())), "{f} absent");
        assert_eq!(err_with(f, Some("")), (Code::MissingField, Some(f.into())), "{f} empty");
    }
}

#[test]
fn each_field_rule() {
    let bad: &[(&str, &str)] = &[
        ("body", &"字".repeat(43)), // 129 bytes
        ("out_trade_no", "has space"),
        ("out_trade_no", &"x".repeat(33)),
        ("total_fee", "0"),
        ("total_fee", "-1"),
        ("total_fee", "1.5"),
        ("total_fee", "01"),
        ("spbill_create_ip", "300.1.1.1"),
        ("spbill_create_ip", "localhost"),
        ("notify_url", "example.com/notify"),
        ("notify_url", "ftp://example.com/notify"),
        ("notify_url", "https://example.com/notify?order=1"),
        ("notify_url", "https:///notify"),
        ("trade_type", "jsapi"),
        ("time_start", "2024-01-01"),
        ("time_expire", "20240230120000"),
        ("nonce_str", &"n".repeat(33)),
    ];
    for (field, value) in bad {
        assert_eq!(err_with(field, Some(value)), (Code::InvalidField, Some(field.to_string())), "{field}={value}");
    }
    let good: &[(&str, &str)] = &[
        ("body", &"字".repeat(42)),
        ("out_trade_no", "a-b_c|d*e"),
        ("spbill_create_ip", "2001:db8::1"),
        ("notify_url", "http://127.0.0.1:8080/notify"),
        ("time_start", "20240229235959"),
    ];
    for (field, value) in good {
        let mut o = order();
        o.insert(field.to_string(), value.to_string());
        assert!(build_unified_order_xml(o, KEY, SignType::Md5).is_ok(), "{field}={value}");
    }
}

#[test]
fn openid_only_required_for_jsapi() {
    let mut o = order();
    o.remove("openid");
    o.insert("trade_type".into(), "NATIVE".into());
    assert!(build_unified_order_xml(o, KEY, SignType::Md5).is_ok());
}

#[test]
fn empty_key_is_invalid_param() {
    assert_eq!(build_unified_order_xml(order(), "", SignType::Md5).unwrap_err().code, Code::InvalidParam);
}
