#![cfg(target_arch = "wasm32")]
//! The refund-notification decryption compiled to wasm32 (the `aes` crate's portable
//! backend, the one the package ships), on the shared public vectors.

use wasm_bindgen_test::wasm_bindgen_test;
use wxpay_wasm::v2::{refund, Code};

const VECTORS: &str = include_str!("fixtures/wxpay-v2-public.json");

#[wasm_bindgen_test]
fn refund_vectors_decrypt_in_wasm() {
    let all: Vec<serde_json::Value> = serde_json::from_str(VECTORS).unwrap();
    let cases: Vec<_> = all.iter().filter(|v| v["kind"] == "refund_notify").collect();
    assert_eq!(cases.len(), 4);
    for v in cases {
        let (req, key, plain) =
            (v["req_info"].as_str().unwrap(), v["key"].as_str().unwrap(), v["expected_plaintext"].as_str().unwrap());
        assert_eq!(refund::decrypt_req_info(req, key).unwrap(), plain);
        let e = refund::decrypt_req_info(req, "wrong key").unwrap_err();
        assert_eq!(e.code, Code::DecryptFailed);
        assert_eq!(refund::decrypt_req_info(&req[..req.len() - 4], key).unwrap_err().code, Code::DecryptFailed);
    }
}
