//! A v3 callback after its signature check: mode byte, 32-byte APIv3 key, then either a whole
//! callback body (mode 0) or a plaintext resource that the target encrypts into a valid
//! envelope itself (mode 1), so mutations also reach the decrypted JSON and the expectations.
//! No panic; an accepted callback serialises to JSON with `paid` only for TRANSACTION.SUCCESS.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wxpay_wasm::core::json::push_string;
use wxpay_wasm::v3::json::Json;
use wxpay_wasm::v3::notify::{decrypt_notify, Expect, MAX_MAX_BYTES};
use wxpay_wasm::v3::aead;

fuzz_target!(|data: &[u8]| {
    let [mode, rest @ ..] = data else { return };
    if rest.len() < 32 {
        return;
    }
    let (key, input) = rest.split_at(32);
    let body = if mode & 1 == 0 {
        input.to_vec()
    } else {
        let Ok(ct) = aead::encrypt(key, "fuzznonce123", "transaction", input) else { return };
        let mut b = String::from(r#"{"id":"EV-1","create_time":"2025-01-01T00:00:00+08:00","resource_type":"encrypt-resource","event_type":"TRANSACTION.SUCCESS","summary":"s","resource":{"original_type":"transaction","algorithm":"AEAD_AES_256_GCM","ciphertext":"#);
        push_string(&mut b, &ct);
        b.push_str(r#","associated_data":"transaction","nonce":"fuzznonce123"}}"#);
        b.into_bytes()
    };
    let expect = if mode & 2 == 0 { Expect::default() } else { Expect { appid: Some("wxd678efh567hg6787".into()), mchid: Some("1900000109".into()), out_trade_no: Some("1217752501201407033233368018".into()), total: Some(100) } };
    if let Ok(n) = decrypt_notify(&body, key, &expect, MAX_MAX_BYTES) {
        let out = Json::parse(n.to_json().as_bytes(), "output").expect("the output is JSON");
        let paid = out.get("paid") == Some(&Json::Bool(true));
        assert_eq!(paid, n.paid);
        assert!(!paid || (n.event_type == "TRANSACTION.SUCCESS" && n.resource.get("trade_state").and_then(Json::as_str) == Some("SUCCESS")));
        if let Some(t) = expect.total {
            assert_eq!(n.resource.get("amount").and_then(|a| a.get("total")).and_then(Json::as_i64), Some(t));
        }
    }
});
