//! A notify endpoint's input: the first line is the API key, the rest the posted body.
//! No panic; an accepted notification is SUCCESS, carries a sign that verifies with the
//! key, `paid` means result_code SUCCESS, and its fields re-serialise.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wxpay_wasm::v2::notify::{is_paid, verify_notify, NotifyOptions};
use wxpay_wasm::v2::sign::verify;
use wxpay_wasm::v2::xml::{parse_xml_limited, to_xml, MAX_MAX_BYTES};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (key, body) = text.split_once('\n').unwrap_or((text, ""));
    let opts = NotifyOptions { max_bytes: MAX_MAX_BYTES, ..NotifyOptions::default() };
    if let Ok(fields) = verify_notify(body, key, &opts) {
        assert_eq!(fields.get("return_code").map(String::as_str), Some("SUCCESS"));
        assert!(verify(&fields, key, None).unwrap(), "accepted a notification whose sign does not verify");
        assert_eq!(is_paid(&fields), fields.get("result_code").map(String::as_str) == Some("SUCCESS"));
        assert_eq!(fields.paid, is_paid(&fields));
        let xml = to_xml(&fields).expect("verified fields must serialise");
        assert_eq!(parse_xml_limited(&xml, MAX_MAX_BYTES).expect("and parse"), fields.fields);
    }
});
