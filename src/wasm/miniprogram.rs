//! The mini-program exports: thin wrappers over `crate::miniprogram`, for
//! js/miniprogram/wasm.js, in a wasm of their own (the `miniprogram` feature). Cold calls
//! (convention 3 of src/wasm/mod.rs): a push arrives a few times a minute, next to which
//! wasm-bindgen's per-string copy is noise. Names start with `mp` so a wasm built with every
//! feature (the wasm-bindgen tests) has no clash with v2's or v3's.

use wasm_bindgen::prelude::*;

use super::{js, JsResult};
use crate::miniprogram::{push, xml, xpay};

/// SHA-1 hex of the parts sorted and joined (`signature`, `msg_signature`).
#[wasm_bindgen(js_name = mpSignature)]
pub fn signature(parts: Vec<String>) -> String {
    let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    push::signature(&parts)
}

/// Checks `received` against the parts in constant time; throws SIGN_MISSING / SIGN_MISMATCH.
#[wasm_bindgen(js_name = mpVerifySignature)]
pub fn verify_signature(parts: Vec<String>, received: &str, field: &str) -> JsResult<()> {
    let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    js(push::verify(&parts, received, field))
}

/// Checks an EncodingAESKey's form (43 Base64 characters), for option checks at creation.
#[wasm_bindgen(js_name = mpCheckKey)]
pub fn check_key(encoding_aes_key: &str) -> JsResult<()> {
    js(push::aes_key(encoding_aes_key).map(|_| ()))
}

/// A safe-mode push's message: `msg_signature` verified, then decrypted and its appid checked.
#[wasm_bindgen(js_name = mpOpen)]
pub fn open(
    token: &str,
    encoding_aes_key: &str,
    appid: &str,
    timestamp: &str,
    nonce: &str,
    encrypted: &str,
    msg_signature: &str,
) -> JsResult<String> {
    js(push::open(token, encoding_aes_key, appid, timestamp, nonce, encrypted, msg_signature))
}

/// A sealed reply: `[Encrypt, MsgSignature]`.
#[wasm_bindgen(js_name = mpSeal)]
pub fn seal(
    token: &str,
    encoding_aes_key: &str,
    appid: &str,
    message: &str,
    timestamp: &str,
    nonce: &str,
) -> JsResult<Vec<String>> {
    let (encrypted, sig) = js(push::seal(token, encoding_aes_key, appid, message, timestamp, nonce))?;
    Ok(vec![encrypted, sig])
}

/// A push message's `<xml>` as JSON text.
#[wasm_bindgen(js_name = mpXmlToJson)]
pub fn xml_to_json(text: &str, max_bytes: usize) -> JsResult<String> {
    js(xml::to_json(text, max_bytes))
}

/// A random `[A-Za-z0-9]` nonce of `len` (1 to 32) characters from the CSPRNG.
#[wasm_bindgen(js_name = mpNonce)]
pub fn nonce(len: usize) -> JsResult<String> {
    js(crate::core::nonce::nonce_str(len))
}

/// xpay's `paySig`: hex HMAC-SHA256(appKey, uri + "&" + body).
#[wasm_bindgen(js_name = mpPaySig)]
pub fn pay_sig(app_key: &str, uri: &str, body: &str) -> JsResult<String> {
    js(xpay::pay_sig(app_key, uri, body))
}

/// xpay's user-state `signature`: hex HMAC-SHA256(session_key, body).
#[wasm_bindgen(js_name = mpUserSignature)]
pub fn user_signature(session_key: &str, body: &str) -> JsResult<String> {
    js(xpay::user_signature(session_key, body))
}
