#![cfg(not(target_arch = "wasm32"))]
//! One test per diagnosis cause. Every "other side" signature here is computed by hand:
//! the signing string is written out literally and hashed with md-5 / hmac+sha2 directly,
//! never with the crate's own signing code.

use hmac::{Hmac, KeyInit, Mac};
use md5::{Digest, Md5};
use sha2::Sha256;
use wxpay_wasm::v2::diagnose::{diagnose_sign, Cause, Diagnosis};
use wxpay_wasm::v2::params::from_pairs;
use wxpay_wasm::v2::{Params, SignType};

const KEY: &str = "192006250b4c09247ec02edce69f6a2d";
/// The official document's example, whose MD5 sign is 9A0A8659F005D6984697E2CA0A9CF3B7.
const DOC: &str = "appid=wxd930ea5d5a258f4f&body=test&device_info=1000&mch_id=10000100&nonce_str=ibuaiVcKdpRxkhJA";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

fn md5(s: &str) -> String {
    hex(&Md5::digest(s.as_bytes()))
}

fn hmac(key: &str, s: &str) -> String {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(s.as_bytes());
    hex(&mac.finalize().into_bytes())
}

fn doc(extra: &[(&str, &str)]) -> Params {
    let mut p = from_pairs([
        ("appid", "wxd930ea5d5a258f4f"),
        ("mch_id", "10000100"),
        ("device_info", "1000"),
        ("body", "test"),
        ("nonce_str", "ibuaiVcKdpRxkhJA"),
    ]);
    for (k, v) in extra {
        p.insert((*k).into(), (*v).into());
    }
    p
}

fn diagnose(p: &Params, expected: &str) -> Diagnosis {
    let d = diagnose_sign(p, KEY, expected, None).unwrap();
    assert!(!d.signing_string.contains(KEY), "key leaked: {}", d.signing_string);
    assert!(!d.message.contains(KEY) && !d.variant.clone().unwrap_or_default().contains(KEY));
    d
}

fn cause(p: &Params, expected: &str) -> Cause {
    let d = diagnose(p, expected);
    assert!(!d.matched);
    d.cause.unwrap_or_else(|| panic!("no cause found: {d:?}"))
}

#[test]
fn official_example_matches() {
    let d = diagnose(&doc(&[]), "9A0A8659F005D6984697E2CA0A9CF3B7");
    assert_eq!(md5(&format!("{DOC}&key={KEY}")), "9A0A8659F005D6984697E2CA0A9CF3B7");
    assert!(d.matched);
    assert_eq!(d.cause, None);
    assert_eq!(d.signing_string, format!("{DOC}&key=19****************************2d"));
}

#[test]
fn other_sign_type() {
    let theirs = hmac(KEY, &format!("{DOC}&key={KEY}"));
    assert_eq!(theirs, "6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6");
    let d = diagnose(&doc(&[]), &theirs);
    assert_eq!(d.cause, Some(Cause::OtherSignType));
    assert_eq!(d.sign_type, SignType::HmacSha256);
    // And the other way round: the field says HMAC-SHA256, the sign is MD5.
    let p = doc(&[("sign_type", "HMAC-SHA256")]);
    let s = format!("appid=wxd930ea5d5a258f4f&body=test&device_info=1000&mch_id=10000100&nonce_str=ibuaiVcKdpRxkhJA&sign_type=HMAC-SHA256&key={KEY}");
    assert_eq!(cause(&p, &md5(&s)), Cause::OtherSignType);
}

#[test]
fn sign_type_excluded() {
    let p = doc(&[("sign_type", "HMAC-SHA256")]);
    let d = diagnose(&p, &hmac(KEY, &format!("{DOC}&key={KEY}")));
    assert_eq!(d.cause, Some(Cause::SignTypeExcluded));
    assert_eq!(d.field.as_deref(), Some("sign_type"));
}

#[test]
fn sign_type_added() {
    let s = format!("{DOC}&sign_type=MD5&key={KEY}");
    assert_eq!(cause(&doc(&[]), &md5(&s)), Cause::SignTypeAdded);
}

#[test]
fn empty_values_included() {
    let p = doc(&[("attach", ""), ("device_info", "")]);
    let s = format!(
        "appid=wxd930ea5d5a258f4f&attach=&body=test&device_info=&mch_id=10000100&nonce_str=ibuaiVcKdpRxkhJA&key={KEY}"
    );
    assert_eq!(cause(&p, &md5(&s)), Cause::EmptyValuesIncluded);
}

#[test]
fn values_trimmed() {
    let p = doc(&[("body", " test\n")]);
    assert_eq!(cause(&p, &md5(&format!("{DOC}&key={KEY}"))), Cause::ValuesTrimmed);
}

#[test]
fn values_url_encoded() {
    let p = doc(&[("body", "腾讯 充值/Q")]);
    let component = format!("appid=wxd930ea5d5a258f4f&body=%E8%85%BE%E8%AE%AF%20%E5%85%85%E5%80%BC%2FQ&device_info=1000&mch_id=10000100&nonce_str=ibuaiVcKdpRxkhJA&key={KEY}");
    assert_eq!(cause(&p, &md5(&component)), Cause::ValuesUrlEncoded);
    let form = component.replace("%20", "+");
    let d = diagnose(&p, &md5(&form));
    assert_eq!(d.cause, Some(Cause::ValuesUrlEncoded));
    assert!(d.variant.unwrap().contains("space as +"));
}

#[test]
fn lowercase_hex() {
    let d = diagnose(&doc(&[]), "9a0a8659f005d6984697e2ca0a9cf3b7");
    assert_eq!(d.cause, Some(Cause::LowercaseHex));
}

#[test]
fn key_suffix_missing() {
    assert_eq!(cause(&doc(&[]), &md5(DOC)), Cause::KeySuffixMissing);
    assert_eq!(cause(&doc(&[]), &md5(&format!("{DOC}{KEY}"))), Cause::KeySuffixMissing);
    assert_eq!(cause(&doc(&[]), &md5(&format!("{DOC}&{KEY}"))), Cause::KeySuffixMissing);
    // HMAC keyed with the API key but without the `&key=` suffix: a frequent one.
    let p = doc(&[("sign_type", "HMAC-SHA256")]);
    let s = "appid=wxd930ea5d5a258f4f&body=test&device_info=1000&mch_id=10000100&nonce_str=ibuaiVcKdpRxkhJA&sign_type=HMAC-SHA256";
    let d = diagnose(&p, &hmac(KEY, s));
    assert_eq!(d.cause, Some(Cause::KeySuffixMissing));
    assert_eq!(d.signing_string, s);
}

#[test]
fn key_whitespace() {
    let d = diagnose(&doc(&[]), &md5(&format!("{DOC}&key={KEY}\n")));
    assert_eq!(d.cause, Some(Cause::KeyWhitespace));
    assert!(d.signing_string.ends_with("&key=19****************************2d\\n"), "{}", d.signing_string);
    // Our key carries the newline, theirs does not.
    let d = diagnose_sign(&doc(&[]), &format!(" {KEY}\n"), "9A0A8659F005D6984697E2CA0A9CF3B7", None).unwrap();
    assert_eq!(d.cause, Some(Cause::KeyWhitespace));
    // HMAC keys with a trailing newline change both the HMAC key and the suffix.
    let k = format!("{KEY}\n");
    let p = doc(&[("sign_type", "HMAC-SHA256")]);
    let s = format!("appid=wxd930ea5d5a258f4f&body=test&device_info=1000&mch_id=10000100&nonce_str=ibuaiVcKdpRxkhJA&sign_type=HMAC-SHA256&key={k}");
    assert_eq!(cause(&p, &hmac(&k, &s)), Cause::KeyWhitespace);
}

#[test]
fn field_one_side() {
    let p = doc(&[("attach", "order 42")]);
    let d = diagnose(&p, &md5(&format!("{DOC}&key={KEY}")));
    assert_eq!(d.cause, Some(Cause::FieldOneSide));
    assert_eq!(d.field.as_deref(), Some("attach"));
}

const DETAIL: &str =
    r#"{"cost_price":608800,"goods_detail":[{"goods_id":"1","goods_name":"iPhone/苹果","quantity":1,"price":528800}]}"#;

fn with_detail(detail: &str) -> String {
    format!("appid=wxd930ea5d5a258f4f&body=test&detail={detail}&device_info=1000&mch_id=10000100&nonce_str=ibuaiVcKdpRxkhJA&key={KEY}")
}

#[test]
fn json_reserialized_python_style() {
    let p = doc(&[("detail", DETAIL)]);
    let python = r#"{"cost_price": 608800, "goods_detail": [{"goods_id": "1", "goods_name": "iPhone/\u82f9\u679c", "quantity": 1, "price": 528800}]}"#;
    let d = diagnose(&p, &md5(&with_detail(python)));
    assert_eq!(d.cause, Some(Cause::JsonReserialized));
    assert_eq!(d.field.as_deref(), Some("detail"));
    assert!(d.variant.unwrap().contains("Python"));
}

#[test]
fn json_reserialized_php_and_compact() {
    let p = doc(&[("detail", DETAIL)]);
    let php = r#"{"cost_price":608800,"goods_detail":[{"goods_id":"1","goods_name":"iPhone\/\u82f9\u679c","quantity":1,"price":528800}]}"#;
    assert_eq!(cause(&p, &md5(&with_detail(php))), Cause::JsonReserialized);
    // Ours pretty-printed, theirs compact.
    let pretty = "{\n  \"cost_price\": 608800,\n  \"goods_detail\": [\n    {\"goods_id\": \"1\", \"goods_name\": \"iPhone/苹果\", \"quantity\": 1, \"price\": 528800}\n  ]\n}";
    let p = doc(&[("detail", pretty)]);
    assert_eq!(cause(&p, &md5(&with_detail(DETAIL))), Cause::JsonReserialized);
}

#[test]
fn wrong_key_has_no_cause() {
    let theirs = md5(&format!("{DOC}&key=00000000000000000000000000000000"));
    let d = diagnose(&doc(&[("detail", DETAIL), ("attach", " x ")]), &theirs);
    assert!(!d.matched);
    assert_eq!(d.cause, None);
    assert!(d.message.contains("different key"));
    let d = diagnose(&doc(&[]), &hmac("another key", &format!("{DOC}&key=another key")));
    assert_eq!((d.matched, d.cause), (false, None));
}

#[test]
fn not_a_signature_has_no_cause() {
    let d = diagnose(&doc(&[]), "hello");
    assert_eq!((d.matched, d.cause), (false, None));
    assert!(d.message.contains("32"));
    let d = diagnose(&doc(&[]), &"Z".repeat(32));
    assert_eq!((d.matched, d.cause), (false, None));
}

#[test]
fn sign_field_is_the_default_expectation() {
    let p = doc(&[("sign", "9A0A8659F005D6984697E2CA0A9CF3B7")]);
    assert!(diagnose(&p, "").matched);
    assert_eq!(diagnose_sign(&doc(&[]), KEY, " ", None).unwrap_err().field.as_deref(), Some("sign"));
    assert!(diagnose_sign(&doc(&[]), "", "x", None).is_err());
}

#[test]
fn explicit_sign_type_wins() {
    let theirs = hmac(KEY, &format!("{DOC}&key={KEY}"));
    let d = diagnose_sign(&doc(&[]), KEY, &theirs, Some(SignType::HmacSha256)).unwrap();
    assert!(d.matched);
}

#[test]
fn every_cause_has_a_test_above() {
    // Keeps this file honest when a cause is added: the list must be updated here too.
    let ids: Vec<_> = Cause::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(
        ids,
        [
            "OTHER_SIGN_TYPE",
            "SIGN_TYPE_EXCLUDED",
            "SIGN_TYPE_ADDED",
            "EMPTY_VALUES_INCLUDED",
            "VALUES_TRIMMED",
            "VALUES_URL_ENCODED",
            "LOWERCASE_HEX",
            "KEY_SUFFIX_MISSING",
            "KEY_WHITESPACE",
            "FIELD_ONE_SIDE",
            "JSON_RESERIALIZED"
        ]
    );
}

#[test]
fn odd_values_never_panic_and_never_invent_a_cause() {
    let odd = [
        "{",
        "[",
        "{}",
        "[1,2",
        "{\"a\":\"\\ud800\"}",
        "{\"a\":\"\\u12\"}",
        "{\"a\":1e5,\"b\":[true,false,null]}",
        "{\"a\":\"\\\"\"}",
        "[\"\u{1F600}\"]",
        " { \"x\" : \"y\" } ",
        "\u{0}",
        "%%",
        "a b+c",
    ];
    for v in odd {
        let p = doc(&[("detail", v)]);
        let theirs = md5(&format!("{DOC}&key=wrong"));
        let d = diagnose(&p, &theirs);
        assert_eq!((d.matched, d.cause), (false, None), "value {v:?}");
    }
}

#[test]
fn json_with_astral_characters_and_escapes_round_trips_through_python_style() {
    // Python's json.dumps escapes U+1F600 as a surrogate pair and keeps `\"` as is.
    let ours = r#"{"name":"😀 \"q\"","n":[1,2]}"#;
    let theirs = r#"{"name": "\ud83d\ude00 \"q\"", "n": [1, 2]}"#;
    let p = doc(&[("detail", ours)]);
    assert_eq!(cause(&p, &md5(&with_detail(theirs))), Cause::JsonReserialized);
}

#[test]
fn a_large_message_is_searched_without_trouble() {
    let mut p = doc(&[]);
    for i in 0..500 {
        p.insert(format!("field_{i:03}"), "v".repeat(100));
    }
    let d = diagnose(&p, &md5(&format!("{DOC}&key=wrong")));
    assert_eq!(d.cause, None);
    // The last field dropped is still found.
    let mut theirs = p.clone();
    theirs.remove("field_499");
    let s: Vec<String> = theirs.iter().map(|(k, v)| format!("{k}={v}")).collect();
    assert_eq!(cause(&p, &md5(&format!("{}&key={KEY}", s.join("&")))), Cause::FieldOneSide);
}
