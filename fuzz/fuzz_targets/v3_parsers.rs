//! The other v3 parsers, chosen by the first byte: Authorization headers, the request
//! builders, /v3/certificates bodies, error bodies and JSON itself. No panic; accepted
//! inputs satisfy each parser's round-trip property.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wxpay_wasm::v3::json::Json;
use wxpay_wasm::v3::{auth, builders, certs, errors};

const KEY: &[u8; 32] = b"0123456789abcdefABCDEF0123456789";
const BUILDERS: [&str; 6] = ["jsapi", "queryByOutTradeNo", "queryById", "close", "refund", "refundQuery"];

fuzz_target!(|data: &[u8]| {
    let [sel, rest @ ..] = data else { return };
    let text = std::str::from_utf8(rest).ok();
    match sel % 10 {
        0 => {
            let Some(t) = text else { return };
            if let Ok(h) = auth::parse_header(t) {
                let again = auth::header(&h.mchid, &h.serial_no, &h.timestamp, &h.nonce_str, &h.signature).expect("accepted fields are valid");
                assert_eq!(auth::parse_header(&again).expect("and re-parse"), h);
            }
        }
        n @ 1..=6 => {
            let Some(t) = text else { return };
            if let Ok(r) = builders::build(BUILDERS[n as usize - 1], t) {
                auth::message(r.method, &r.url, "1", "n", &r.body).expect("a built request can be signed");
                if !r.body.is_empty() {
                    let b = Json::parse(r.body.as_bytes(), "body").expect("a built body is JSON");
                    assert_eq!(b.to_json(), r.body);
                }
            }
        }
        7 => {
            if let Ok(list) = certs::parse_certificates(rest, KEY) {
                assert!(!list.is_empty());
                Json::parse(certs::certificates_to_json(&list).as_bytes(), "out").expect("JSON out");
            }
        }
        8 => {
            let status = rest.first().map_or(400, |b| 400 + u16::from(*b));
            let e = errors::parse_error_response(status, rest);
            assert!(e.detail("httpStatus").is_some());
        }
        _ => {
            if let Ok(v) = Json::parse(rest, "fuzz") {
                let out = v.to_json();
                assert_eq!(Json::parse(out.as_bytes(), "again").expect("our JSON re-parses"), v);
            }
        }
    }
});
