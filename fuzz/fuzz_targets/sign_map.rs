//! Signing arbitrary maps, as the JavaScript boundary receives them: byte 0 picks the sign
//! type, then the key up to the first newline, then a JSON object. No panic; the sign is
//! 32 or 64 uppercase hex digits, verifies, and breaks when it is changed; the JSON and
//! XML forms of the map round-trip.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wxpay_wasm::wasm::fields::params_from_wire;
use wxpay_wasm::wasm::results::params_to_json;
use wxpay_wasm::v2::sign::{sign, verify, SignType};
use wxpay_wasm::v2::xml::{parse_xml_limited, to_xml, MAX_MAX_BYTES};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let (key, json) = text.split_once('\n').unwrap_or((text, "{}"));
    let Ok(mut params) = params_from_wire(json) else { return };

    let mut out = String::new();
    params_to_json(&params, &mut out);
    assert_eq!(params_from_wire(&out).expect("our JSON must parse"), params);

    if let Ok(xml) = to_xml(&params) {
        if xml.len() <= MAX_MAX_BYTES {
            assert_eq!(parse_xml_limited(&xml, MAX_MAX_BYTES).expect("our XML must parse"), params);
        }
    }

    let t = if selector & 1 == 0 { SignType::Md5 } else { SignType::HmacSha256 };
    // The core refuses an empty key; every other key signs.
    let Ok(s) = sign(&params, key, t) else {
        assert!(key.is_empty(), "sign refused a non-empty key");
        return;
    };
    assert_eq!(s.len(), if t == SignType::Md5 { 32 } else { 64 });
    assert!(s.bytes().all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b)));
    params.insert("sign".into(), s.clone());
    assert!(verify(&params, key, Some(t)).unwrap());
    let flipped: String = s.chars().rev().collect();
    if flipped != s {
        params.insert("sign".into(), flipped);
        assert!(!verify(&params, key, Some(t)).unwrap());
    }
});
