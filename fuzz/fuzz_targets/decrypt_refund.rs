//! Refund notifications: `req_info` is the only thing that proves one came from WeChat, and
//! anyone can post one. The first byte picks a mode, the rest is `key` `\n` payload.
//!
//! - even: the payload is a hostile `req_info`. No panic; only `DECRYPT_FAILED` (or
//!   `INVALID_PARAM` for an empty key, `INPUT_TOO_LARGE`); a success re-encrypts to exactly
//!   the input (ECB with PKCS#7 is deterministic and only canonical base64 is accepted).
//! - odd: the payload is a plaintext, encrypted here with the `aes` crate, so the fuzzer
//!   reaches what follows decryption: `decrypt_req_info` returns the plaintext unchanged,
//!   and `decrypt_refund_notify` either refuses it or returns the envelope's and the
//!   plaintext's `<root>` fields, which re-serialise.
#![no_main]

use aes::cipher::{BlockCipherEncrypt, KeyInit};
use libfuzzer_sys::fuzz_target;
use md5::{Digest, Md5};
use wxpay_wasm::core::error::Code;
use wxpay_wasm::v2::refund::{decrypt_refund_notify, decrypt_req_info, RefundNotifyOptions};
use wxpay_wasm::v2::xml::{parse_flat, parse_xml_limited, to_xml, MAX_MAX_BYTES};

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let (key, payload) = text.split_once('\n').unwrap_or((text, ""));
    if mode & 1 == 0 {
        hostile_req_info(payload, key);
    } else if !key.is_empty() {
        encrypted_plaintext(payload, key);
    }
});

fn hostile_req_info(req_info: &str, key: &str) {
    match decrypt_req_info(req_info, key) {
        Ok(plain) => assert_eq!(encrypt(plain.as_bytes(), key), req_info, "accepted a non-canonical req_info"),
        Err(e) => assert!(
            matches!(e.code, Code::DecryptFailed | Code::InputTooLarge) || (e.code == Code::InvalidParam && key.is_empty()),
            "{:?}: {}",
            e.code,
            e.message
        ),
    }
    // The same, inside an envelope, when it can be put there verbatim.
    if !key.is_empty() && req_info.bytes().all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b)) {
        notify(&format!("<xml><return_code>SUCCESS</return_code><req_info>{req_info}</req_info></xml>"), key, None);
    }
}

fn encrypted_plaintext(plain: &str, key: &str) {
    let req_info = encrypt(plain.as_bytes(), key);
    assert_eq!(decrypt_req_info(&req_info, key).expect("our own ciphertext must decrypt"), plain);
    notify(&format!("<xml><return_code>SUCCESS</return_code><req_info>{req_info}</req_info></xml>"), key, Some(plain));
}

fn notify(body: &str, key: &str, plain: Option<&str>) {
    let opts = RefundNotifyOptions { max_bytes: Some(MAX_MAX_BYTES), ..RefundNotifyOptions::default() };
    let Ok(fields) = decrypt_refund_notify(body, key, &opts) else { return };
    assert_eq!(fields.get("return_code").map(String::as_str), Some("SUCCESS"));
    if let Some(plain) = plain {
        let inner = parse_flat(plain, MAX_MAX_BYTES, "root").expect("an accepted notification's plaintext is <root> XML");
        for (k, v) in &inner {
            assert_eq!(fields.get(k), Some(v), "decrypted field `{k}` lost or changed");
        }
    }
    let xml = to_xml(&fields).expect("decrypted fields must serialise");
    assert_eq!(parse_xml_limited(&xml, MAX_MAX_BYTES).expect("and parse"), fields);
}

/// AES-256-ECB/PKCS#7 under lowercase-hex-MD5(key), base64: how WeChat writes `req_info`.
fn encrypt(plain: &[u8], key: &str) -> String {
    let k: String = Md5::digest(key.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    let cipher = aes::Aes256::new_from_slice(k.as_bytes()).expect("32-byte key");
    let pad = 16 - plain.len() % 16;
    let mut data = plain.to_vec();
    data.extend(std::iter::repeat_n(pad as u8, pad));
    for chunk in data.chunks_exact_mut(16) {
        let block: &mut aes::Block = chunk.try_into().expect("16 bytes");
        cipher.encrypt_block(block);
    }
    b64(&data)
}

fn b64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for c in data.chunks(3) {
        let n = (u32::from(c[0]) << 16) | (u32::from(*c.get(1).unwrap_or(&0)) << 8) | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            out.push(if i <= c.len() { A[((n >> (18 - 6 * i)) & 63) as usize] as char } else { '=' });
        }
    }
    out
}
