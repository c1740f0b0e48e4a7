//! v3 key and certificate parsing (hand-written DER): arbitrary text as PEM, arbitrary bytes
//! as DER. No panic; whatever is accepted re-parses to the same bytes from its canonical PEM.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wxpay_wasm::core::base64::encode;
use wxpay_wasm::v3::keys::{certificate_info, private_key_pkcs8_der, public_key_spki_der};

fn pem(label: &str, der: &[u8]) -> String {
    format!("-----BEGIN {label}-----\n{}\n-----END {label}-----\n", encode(der))
}

fuzz_target!(|data: &[u8]| {
    if let Ok(info) = certificate_info(data) {
        assert_eq!(public_key_spki_der(&pem("PUBLIC KEY", &info.spki_der)).expect("an accepted certificate's SPKI is a valid public key"), info.spki_der);
        assert!(!info.serial_hex_upper.is_empty() && info.serial_hex_upper.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_lowercase()));
    }
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(der) = private_key_pkcs8_der(text) {
        assert_eq!(private_key_pkcs8_der(&pem("PRIVATE KEY", &der)).expect("our PKCS#8 re-parses"), der);
    }
    if let Ok(der) = public_key_spki_der(text) {
        assert_eq!(public_key_spki_der(&pem("PUBLIC KEY", &der)).expect("our SPKI re-parses"), der);
    }
});
