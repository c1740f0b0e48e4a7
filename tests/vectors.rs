//! Every non-refund case of the shared public vectors through the native core.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{cases, fields, standard_sign_type_field};
use wxpay_wasm::v2::{notify, params, pay_params, response, sign, NotifyOptions, SignType};

#[test]
fn fixture_has_the_49_cases() {
    let all = cases();
    assert_eq!(all.len(), 49);
    assert_eq!(all.iter().filter(|c| c.kind != "refund_notify").count(), 45);
}

#[test]
fn sign_cases_produce_the_expected_sign() {
    for c in cases().iter().filter(|c| c.kind == "sign") {
        let f = fields(c);
        let t = c.sign_type.unwrap();
        assert_eq!(sign(&f, &c.key, t).unwrap(), c.expected_sign.clone().unwrap(), "{}", c.id);
        if let Some(given) = params::get(&f, "sign") {
            assert_eq!(given, c.expected_sign.as_deref().unwrap(), "{}: embedded sign", c.id);
            assert!(wxpay_wasm::v2::verify(&f, &c.key, Some(t)).unwrap(), "{}", c.id);
        }
    }
}

#[test]
fn official_doc_examples() {
    let c = cases().into_iter().find(|c| c.id == "doc-sign-md5").unwrap();
    let f = fields(&c);
    assert_eq!(sign(&f, &c.key, SignType::Md5).unwrap(), "9A0A8659F005D6984697E2CA0A9CF3B7");
    assert_eq!(
        sign(&f, &c.key, SignType::HmacSha256).unwrap(),
        "6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6"
    );
}

/// Notify and response cases: the sign verifies exactly when the case says it must, with
/// the algorithm given and with the algorithm inferred from the message.
#[test]
fn verification_cases_match_expected_validity() {
    for c in cases().iter().filter(|c| c.kind == "notify" || c.kind == "response") {
        let f = fields(c);
        assert_eq!(wxpay_wasm::v2::verify(&f, &c.key, c.sign_type).unwrap(), c.expected_valid, "{} (explicit)", c.id);
        if standard_sign_type_field(&f) {
            assert_eq!(wxpay_wasm::v2::verify(&f, &c.key, None).unwrap(), c.expected_valid, "{} (inferred)", c.id);
        } else {
            assert!(
                !wxpay_wasm::v2::verify(&f, &c.key, None).unwrap(),
                "{}: non-standard sign_type must not verify by itself",
                c.id
            );
        }
    }
}

/// XML cases with a `return_code` go through the full handlers too.
#[test]
fn xml_cases_through_verify_notify_and_parse_response() {
    for c in cases().iter().filter(|c| c.kind == "notify" || c.kind == "response") {
        let Some(xml) = &c.xml else { continue };
        let f = fields(c);
        if params::get(&f, "return_code") != Some("SUCCESS") {
            continue;
        }
        let opts = NotifyOptions { sign_type: c.sign_type, ..Default::default() };
        let got = notify::verify_notify(xml, &c.key, &opts);
        assert_eq!(got.is_ok(), c.expected_valid, "{}: {got:?}", c.id);
        if c.kind == "response" && params::get(&f, "result_code") == Some("SUCCESS") {
            let got = response::parse_response(xml, &c.key, c.sign_type);
            assert_eq!(got.is_ok(), c.expected_valid, "{}: {got:?}", c.id);
        }
    }
}

#[test]
fn paysign_cases() {
    for c in cases().iter().filter(|c| c.kind == "paysign") {
        let f = fields(c);
        let t = c.sign_type.unwrap();
        let expected = c.expected_sign.clone().unwrap();
        assert_eq!(sign(&f, &c.key, t).unwrap(), expected, "{}", c.id);
        let prepay = f["package"].strip_prefix("prepay_id=").unwrap();
        let p = pay_params::request_payment_params(
            &f["appId"],
            prepay,
            &c.key,
            t,
            f["timeStamp"].clone(),
            Some(f["nonceStr"].clone()),
        )
        .unwrap();
        assert_eq!(p.pay_sign, expected, "{}", c.id);
        assert_eq!(p.package, f["package"]);
    }
    let official = cases().into_iter().find(|c| c.id == "official-miniprogram-paysign").unwrap();
    assert_eq!(official.expected_sign.as_deref(), Some("22D9B4E54AB1950F51E0649E8810ACD6"));
}
