//! Any bytes into the XML parser: no panic, and a successful parse re-serialises and
//! re-parses to the same fields.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wxpay_wasm::v2::xml::{parse_xml_limited, to_xml, MAX_MAX_BYTES};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(fields) = parse_xml_limited(text, MAX_MAX_BYTES) {
        let xml = to_xml(&fields).expect("parsed fields must serialise");
        let again = parse_xml_limited(&xml, MAX_MAX_BYTES).expect("serialised fields must parse");
        assert_eq!(again, fields, "re-parse changed the fields of {xml:?}");
    }
});
