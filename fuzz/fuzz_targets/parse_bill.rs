//! `downloadbill`'s reply: a backquoted CSV bill, or XML when WeChat refuses. No panic; a
//! failure carries one of the codes `parse_bill` documents (its own, or those of the XML it
//! reads); a success has a value for every column on every line and a summary.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wxpay_wasm::v2::bill::parse_bill;
use wxpay_wasm::core::error::Code;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match parse_bill(text) {
        Ok(b) => {
            assert!(!b.headers.is_empty() && !b.summary.is_empty());
            assert!(b.rows.iter().all(|r| r.len() == b.headers.len()));
            assert_eq!(b.summary.len(), b.summary_headers.len());
            assert!(wxpay_wasm::wasm::results::bill_json(&b).starts_with("{\"headers\":["));
        }
        Err(e) => assert!(
            matches!(
                e.code,
                Code::InvalidParam
                    | Code::DuplicateField
                    | Code::ReturnFail
                    | Code::MissingField
                    | Code::InvalidXml
                    | Code::XmlForbidden
                    | Code::InputTooLarge
            ),
            "{:?}: {}",
            e.code,
            e.message
        ),
    }
});
