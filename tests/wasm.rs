//! The boundary functions under wasm, as JavaScript calls them: in Node
//! (`wasm-pack test --node`) and in headless Chromium (`WASM_BINDGEN_USE_BROWSER=1
//! wasm-pack test --headless --chrome`).
#![cfg(target_arch = "wasm32")]

mod common;

use common::{cases, fields};
use js_sys::Reflect;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;
use wxpay_wasm::json::params_to_json;
use wxpay_wasm::params::Params;
use wxpay_wasm::wasm as w;

fn json(p: &Params) -> String {
    let mut s = String::new();
    params_to_json(p, &mut s);
    s
}

fn code(e: JsValue) -> String {
    Reflect::get(&e, &"code".into()).ok().and_then(|c| c.as_string()).unwrap_or_default()
}

fn st(c: &common::Case) -> &'static str {
    c.sign_type.map_or("MD5", |t| t.as_str())
}

#[wasm_bindgen_test]
fn vectors_through_the_boundary() {
    let mut n = 0;
    for c in cases().iter().filter(|c| c.kind != "refund_notify") {
        let f = fields(c);
        match c.kind.as_str() {
            "sign" | "paysign" => {
                assert_eq!(w::sign_js(&json(&f), &c.key, st(c)).unwrap(), c.expected_sign.clone().unwrap(), "{}", c.id);
            }
            _ => {
                let got = w::verify_js(&json(&f), &c.key, Some(st(c).to_owned())).unwrap();
                assert_eq!(got, c.expected_valid, "{}", c.id);
            }
        }
        n += 1;
    }
    assert_eq!(n, 45);
}

#[wasm_bindgen_test]
fn notify_round_trip_and_errors_then_recovery() {
    let key = "192006250b4c09247ec02edce69f6a2d";
    let opts = format!(r#"{{"key":"{key}","signType":"HMAC-SHA256"}}"#);
    let xml = w::build_notify_xml_js(r#"{"appid":"wx1","mch_id":"m1","out_trade_no":"o1","total_fee":100}"#, &opts).unwrap();
    let out = w::verify_notify_js(&xml, &format!(r#"{{"key":"{key}","totalFee":100,"appid":"wx1"}}"#)).unwrap();
    assert!(out.ends_with(r#""paid":true}"#), "{out}");

    let bad = [
        w::verify_notify_js("<!DOCTYPE x []><xml/>", &opts).unwrap_err(),
        w::verify_notify_js(&xml, &format!(r#"{{"key":"{key}","totalFee":"1.0"}}"#)).unwrap_err(),
        w::verify_notify_js(&xml.replace("wx1", "wx2"), &opts).unwrap_err(),
        w::sign_js(r#"{"a":1.5}"#, key, "MD5").unwrap_err(),
        w::sign_js("{}", key, "SHA1").unwrap_err(),
        w::nonce_str_js(0.5).unwrap_err(),
        w::parse_xml_js(&"x".repeat(70_000), "{}").unwrap_err(),
    ];
    let codes: Vec<String> = bad.into_iter().map(code).collect();
    assert_eq!(
        codes,
        ["XML_FORBIDDEN", "AMOUNT_MISMATCH", "SIGN_MISMATCH", "INVALID_FIELD", "UNSUPPORTED_SIGN_TYPE", "INVALID_PARAM", "INPUT_TOO_LARGE"]
    );
    // The instance is still healthy after every failure above.
    assert!(w::verify_notify_js(&xml, &opts).is_ok());
    assert_eq!(w::nonce_str_js(16.0).unwrap().len(), 16);
}

#[wasm_bindgen_test]
fn request_payment_params_object() {
    let c = cases().into_iter().find(|c| c.id == "official-miniprogram-paysign").unwrap();
    let f = fields(&c);
    let opts = format!(
        r#"{{"appId":"{}","prepayId":"{}","key":"{}","timeStamp":"{}","nonceStr":"{}"}}"#,
        f["appId"],
        f["package"].trim_start_matches("prepay_id="),
        c.key,
        f["timeStamp"],
        f["nonceStr"]
    );
    let obj = w::request_payment_params_js(&opts).unwrap();
    let get = |k: &str| Reflect::get(&obj, &k.into()).unwrap().as_string().unwrap();
    assert_eq!(get("paySign"), "22D9B4E54AB1950F51E0649E8810ACD6");
    assert_eq!(get("package"), f["package"]);
    assert_eq!(get("signType"), "MD5");
}
