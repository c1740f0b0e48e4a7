//! The boundary functions under wasm, as JavaScript calls them: in Node
//! (`wasm-pack test --node`) and in headless Chromium (`WASM_BINDGEN_USE_BROWSER=1
//! wasm-pack test --headless --chrome`).
#![cfg(target_arch = "wasm32")]

mod common;

use common::{cases, fields};
use js_sys::Reflect;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;
use wxpay_wasm::v2::params::Params;
use wxpay_wasm::wasm::results::params_to_json;
use wxpay_wasm::wasm::{self as w, v2 as w2};

fn json(p: &Params) -> String {
    let mut s = String::new();
    params_to_json(p, &mut s);
    s
}

/// What js/core/boundary.js (`wasmStrings`) does: write the arguments back to back into wasm's input buffer.
fn put(strs: &[&str]) -> Vec<usize> {
    let total = strs.iter().map(|s| s.len()).sum();
    let base = w::input_buffer(total) as *mut u8;
    let mut at = 0;
    strs.iter()
        .map(|s| {
            // SAFETY: input_buffer made room for `total` bytes at `base`.
            unsafe { std::ptr::copy_nonoverlapping(s.as_ptr(), base.add(at), s.len()) };
            at += s.len();
            s.len()
        })
        .collect()
}

/// What js/core/boundary.js (`wasmStrings`) does with a string result: read `len` bytes at the output buffer.
fn take(r: Result<usize, JsValue>) -> Result<String, JsValue> {
    let len = r?;
    // SAFETY: the call that returned `len` left that many bytes at output_ptr().
    let bytes = unsafe { std::slice::from_raw_parts(w::output_ptr() as *const u8, len) };
    Ok(String::from_utf8(bytes.to_vec()).unwrap())
}

fn call1(f: fn(usize) -> Result<usize, JsValue>, a: &str) -> Result<String, JsValue> {
    let l = put(&[a]);
    take(f(l[0]))
}

fn call2(f: fn(usize, usize) -> Result<usize, JsValue>, a: &str, b: &str) -> Result<String, JsValue> {
    let l = put(&[a, b]);
    take(f(l[0], l[1]))
}

fn sign(p: &str, key: &str, t: &str) -> Result<String, JsValue> {
    let l = put(&[p, key, t]);
    take(w2::sign_js(l[0], l[1], l[2]))
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
                assert_eq!(sign(&json(&f), &c.key, st(c)).unwrap(), c.expected_sign.clone().unwrap(), "{}", c.id);
            }
            _ => {
                let l = put(&[&json(&f), &c.key, st(c)]);
                let got = w2::verify_js(l[0], l[1], Some(l[2])).unwrap();
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
    let xml =
        call2(w2::build_notify_xml_js, r#"{"appid":"wx1","mch_id":"m1","out_trade_no":"o1","total_fee":100}"#, &opts)
            .unwrap();
    let out = call2(w2::verify_notify_js, &xml, &format!(r#"{{"key":"{key}","totalFee":100,"appid":"wx1"}}"#)).unwrap();
    assert!(out.ends_with(r#""paid":true}"#), "{out}");

    let bad = [
        call2(w2::verify_notify_js, "<!DOCTYPE x []><xml/>", &opts).unwrap_err(),
        call2(w2::verify_notify_js, &xml, &format!(r#"{{"key":"{key}","totalFee":"1.0"}}"#)).unwrap_err(),
        call2(w2::verify_notify_js, &xml.replace("wx1", "wx2"), &opts).unwrap_err(),
        sign(r#"{"a":1.5}"#, key, "MD5").unwrap_err(),
        sign("{}", key, "SHA1").unwrap_err(),
        w2::nonce_str_js(0.5).unwrap_err(),
        call2(w2::parse_xml_js, &"x".repeat(70_000), "{}").unwrap_err(),
    ];
    let codes: Vec<String> = bad.into_iter().map(code).collect();
    assert_eq!(
        codes,
        [
            "XML_FORBIDDEN",
            "AMOUNT_MISMATCH",
            "SIGN_MISMATCH",
            "INVALID_FIELD",
            "UNSUPPORTED_SIGN_TYPE",
            "INVALID_PARAM",
            "INPUT_TOO_LARGE"
        ]
    );
    // The instance is still healthy after every failure above.
    assert!(call2(w2::verify_notify_js, &xml, &opts).is_ok());
    assert_eq!(w2::nonce_str_js(16.0).unwrap().len(), 16);
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
    // `\0appId\0timeStamp\0nonceStr\0package\0signType\0paySign` (results::pay_params_wire).
    let out = call1(w2::request_payment_params_js, &opts).unwrap();
    let values: Vec<&str> = out.strip_prefix('\0').expect("a separated list").split('\0').collect();
    let want = [
        f["appId"].as_str(),
        &f["timeStamp"],
        &f["nonceStr"],
        &f["package"],
        "MD5",
        "22D9B4E54AB1950F51E0649E8810ACD6",
    ];
    assert_eq!(values, want);
    // A value holding U+0000 itself comes back as JSON, so nothing is split in the wrong place.
    let opts = opts.replacen(&f["nonceStr"], "n\\u0000n", 1);
    let obj: serde_json::Value = serde_json::from_str(&call1(w2::request_payment_params_js, &opts).unwrap()).unwrap();
    assert_eq!(obj["nonceStr"], "n\u{0}n");
    assert_eq!(obj["package"].as_str(), Some(f["package"].as_str()));
    assert_eq!(obj["paySign"].as_str().map(str::len), Some(32));
}

/// v3's tuples (convention 4, src/wasm/tuples.rs): each export returns as many values as its
/// tuple has names, in their order. Expected messages are WeChat's rules written out: every
/// field followed by a newline.
#[wasm_bindgen_test]
fn v3_tuples_have_their_names() {
    use wxpay_wasm::wasm::{tuples, v3 as w3};
    let text = |v: &JsValue| v.as_string().unwrap();
    let auth =
        w3::auth_prepare("GET", "/v3/certificates", "", Some("1554208460".into()), Some("NONCE".into())).unwrap();
    assert_eq!(tuples::AUTH_PREPARED.names, ["message", "timestamp", "nonce"]);
    assert_eq!(
        auth.iter().map(text).collect::<Vec<_>>(),
        ["GET\n/v3/certificates\n1554208460\nNONCE\n\n", "1554208460", "NONCE"]
    );
    let prepay = "wx201410272009395522657a690389285100";
    let pay = w3::pay_prepare(
        "wx8888888888888888",
        prepay,
        Some("1414561699".into()),
        Some("5K8264ILTKCH16CQ2502SI8ZNMTM67VS".into()),
    )
    .unwrap();
    assert_eq!(tuples::PAY_PREPARED.names, ["message", "timeStamp", "nonceStr", "package"]);
    let package = format!("prepay_id={prepay}");
    let message = format!("wx8888888888888888\n1414561699\n5K8264ILTKCH16CQ2502SI8ZNMTM67VS\n{package}\n");
    assert_eq!(
        pay.iter().map(text).collect::<Vec<_>>(),
        [message.as_str(), "1414561699", "5K8264ILTKCH16CQ2502SI8ZNMTM67VS", &package]
    );
    let reply = w3::notify_reply(false, Some("bad".into()));
    assert_eq!(tuples::NOTIFY_REPLY.names, ["status", "body"]);
    assert_eq!(reply.iter().map(text).collect::<Vec<_>>(), ["500", r#"{"code":"FAIL","message":"bad"}"#]);
}
