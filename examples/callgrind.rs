//! Instruction counts of the v2 hot calls in the native core, for callgrind (issue 15): the
//! work inside Rust (the boundary's JSON parser, sort, hash, XML) without the JS half and
//! without machine noise. See docs/development/performance.md, "How to rerun":
//!
//! ```sh
//! CARGO_PROFILE_RELEASE_DEBUG=1 cargo build --release --example callgrind --no-default-features --features v2
//! valgrind --tool=callgrind target/release/examples/callgrind sign 2000
//! ```
//! Per call: (total − the `none` run's total) / N.

use std::hint::black_box;

use wxpay_wasm::v2::notify::{self, NotifyOptions};
use wxpay_wasm::v2::params::{from_pairs, Params};
use wxpay_wasm::v2::sign::{self, SignType};
use wxpay_wasm::v2::{order, xml};
use wxpay_wasm::wasm::{fields, results};

const KEY: &str = "192006250b4c09247ec02edce69f6a2d";
/// bench/cases.mjs's 12-field order, as `JSON.stringify` writes it.
const ORDER: &str = r#"{"appid":"wxd930ea5d5a258f4f","mch_id":"10000100","nonce_str":"ibuaiVcKdpRxkhJA5wXGnK3fjTUq2mLo","body":"腾讯充值中心-QQ会员充值","attach":"shop=1024&coupon=none","out_trade_no":"20261127093000123456","fee_type":"CNY","total_fee":888,"spbill_create_ip":"123.12.12.123","notify_url":"https://pay.example.com/wxpay/notify","trade_type":"JSAPI","openid":"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}"#;

/// A signed payment notification of about 1 KB (coupon fields pad it, as in bench/cases.mjs).
fn notify_1k() -> String {
    let mut fields: Params = from_pairs([
        ("appid", "wxd930ea5d5a258f4f"),
        ("bank_type", "CFT"),
        ("cash_fee", "888"),
        ("fee_type", "CNY"),
        ("is_subscribe", "Y"),
        ("mch_id", "10000100"),
        ("nonce_str", "5K8264ILTKCH16CQ2502SI8ZNMTM67VS"),
        ("openid", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"),
        ("out_trade_no", "20261127093000123456"),
        ("result_code", "SUCCESS"),
        ("return_code", "SUCCESS"),
        ("time_end", "20261127093512"),
        ("total_fee", "888"),
        ("trade_type", "JSAPI"),
        ("transaction_id", "4200001234202611271234567890"),
    ]);
    for i in 0..3 {
        fields.insert(format!("coupon_id_{i}"), format!("1000{i:06}abcdefghijklmnop"));
        fields.insert(format!("coupon_type_{i}"), "CASH".into());
        fields.insert(format!("coupon_fee_{i}"), (1 + i).to_string());
    }
    fields.insert("coupon_count".into(), "3".into());
    notify::build_notify_xml(fields, KEY, SignType::Md5).expect("the notification builds")
}

fn main() {
    let what = std::env::args().nth(1).unwrap_or_default();
    let n: usize = std::env::args().nth(2).and_then(|s| s.parse().ok()).unwrap_or(2000);
    let body = notify_1k();
    let opts = NotifyOptions { sign_type: None, max_bytes: 65536, expect: Default::default() };
    for _ in 0..n {
        match what.as_str() {
            "none" => {}
            "size" => return println!("notification: {} bytes", body.len()),
            "parse" => drop(black_box(fields::pairs_from_wire(black_box(ORDER)).unwrap())),
            "sign" => {
                let owned = fields::pairs_from_wire(black_box(ORDER)).unwrap();
                let mut f: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (k.as_ref(), v.as_ref())).collect();
                black_box(sign::sign_pairs(&mut f, KEY, SignType::Md5).unwrap());
            }
            "hmac" => {
                let owned = fields::pairs_from_wire(black_box(ORDER)).unwrap();
                let mut f: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (k.as_ref(), v.as_ref())).collect();
                black_box(sign::sign_pairs(&mut f, KEY, SignType::HmacSha256).unwrap());
            }
            "build" => drop(black_box(
                order::build_unified_order_xml(fields::params_from_wire(ORDER).unwrap(), KEY, SignType::Md5).unwrap(),
            )),
            "xml" => drop(black_box(xml::parse_xml_limited(black_box(&body), 65536).unwrap())),
            "notify" => {
                let r = notify::verify_notify(black_box(&body), KEY, &opts).unwrap();
                black_box(results::fields_json(&r.fields, Some(r.paid)));
            }
            _ => {
                eprintln!("usage: callgrind none|size|parse|sign|hmac|build|xml|notify [calls]");
                std::process::exit(2);
            }
        }
    }
}
