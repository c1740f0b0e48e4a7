//! The v3 exports: thin wrappers over `crate::v3`, for js/v3/api.js. Each decodes its
//! arguments, makes one core call and encodes the result; errors leave through
//! [`super::to_js`]. RSA is not here: js/v3/api.js signs, verifies and does RSA-OAEP with
//! WebCrypto over the bytes these exports prepare (see src/v3/mod.rs for why).
//!
//! Export names start with `v3` so a wasm built with both features (the wasm-bindgen tests)
//! has no clash with v2's (`notifyReply` …); js/v3/api.js is the only caller.
//!
//! Plain wasm-bindgen strings and byte slices cross here, not v2's reusable buffers: every
//! v3 call costs an RSA operation (~1 ms), next to which the copy is noise.

use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;

use super::{invalid_param, js, JsResult};
use crate::core::error::{Code, WxError};
use crate::v3::{auth, builders, certs, errors, keys, notify, pay, reply, verify};

/// Unix seconds from the host clock: the default timestamp and the skew window's "now".
fn now_secs() -> i64 {
    (js_sys::Date::now() / 1000.0).floor() as i64
}

fn seconds(v: Option<f64>, name: &str) -> JsResult<Option<i64>> {
    match v {
        None => Ok(None),
        Some(s) if s.is_finite() && s >= 0.0 && s.fract() == 0.0 && s < 9.0e15 => Ok(Some(s as i64)),
        Some(_) => Err(super::to_js(invalid_param(format!("{name} must be a non-negative integer")))),
    }
}

/// The message a request's Authorization signs: `[message, timestamp, nonce]`, the
/// timestamp defaulting to now and the nonce to 32 CSPRNG characters.
#[wasm_bindgen(js_name = v3AuthPrepare)]
pub fn auth_prepare(method: &str, url: &str, body: &str, timestamp: Option<String>, nonce: Option<String>) -> JsResult<Vec<String>> {
    let timestamp = timestamp.unwrap_or_else(|| now_secs().to_string());
    let nonce = match nonce {
        Some(n) => n,
        None => js(auth::new_nonce())?,
    };
    let message = js(auth::message(method, url, &timestamp, &nonce, body))?;
    Ok(vec![message, timestamp, nonce])
}

/// The Authorization header value around a Base64 signature WebCrypto made.
#[wasm_bindgen(js_name = v3AuthHeader)]
pub fn auth_header(mch_id: &str, serial_no: &str, timestamp: &str, nonce: &str, signature_b64: &str) -> JsResult<String> {
    js(auth::header(mch_id, serial_no, timestamp, nonce, signature_b64))
}

/// PKCS#8 DER of a PKCS#8 or PKCS#1 private key PEM, for `importKey('pkcs8', …)`.
#[wasm_bindgen(js_name = v3PrivateKeyDer)]
pub fn private_key_der(pem: &str) -> JsResult<Vec<u8>> {
    js(keys::private_key_pkcs8_der(pem))
}

/// SPKI DER of a `PUBLIC KEY`, `RSA PUBLIC KEY` or `CERTIFICATE` PEM, for `importKey('spki', …)`.
#[wasm_bindgen(js_name = v3PublicKeyDer)]
pub fn public_key_der(pem: &str) -> JsResult<Vec<u8>> {
    js(keys::public_key_spki_der(pem))
}

/// Checks a response's or callback's headers and clock and builds what WebCrypto verifies:
/// `{ serial, timestamp, message, signature }`. `pairs` is `[name, value, name, value, …]`;
/// `serials` are the keys the caller holds.
#[wasm_bindgen(js_name = v3VerifyPrepare)]
pub fn verify_prepare(pairs: Vec<String>, body: &[u8], serials: Vec<String>, now: Option<f64>, max_skew: Option<f64>) -> JsResult<JsValue> {
    let now = seconds(now, "now")?.unwrap_or_else(now_secs);
    let max_skew = seconds(max_skew, "maxSkewSeconds")?.unwrap_or(verify::DEFAULT_MAX_SKEW_SECS);
    let headers = js(verify::Headers::from_pairs(pairs.chunks_exact(2).map(|p| (&p[0], &p[1]))))?;
    let p = js(verify::prepare(body, &headers, now, max_skew, |s| serials.iter().any(|k| k == s)))?;
    let out = Object::new();
    let set = |k: &str, v: JsValue| Reflect::set(&out, &k.into(), &v).map(drop);
    set("serial", p.serial.into())?;
    set("timestamp", (p.timestamp as f64).into())?;
    set("message", Uint8Array::from(&p.message[..]).into())?;
    set("signature", Uint8Array::from(&p.signature[..]).into())?;
    Ok(out.into())
}

/// After the signature verified: decrypts, parses and checks the callback; its JSON with
/// `resource` decrypted and `paid` added.
#[wasm_bindgen(js_name = v3NotifyFinish)]
pub fn notify_finish(body: &[u8], api_v3_key: &str, appid: Option<String>, mch_id: Option<String>, out_trade_no: Option<String>, total: Option<f64>) -> JsResult<String> {
    let total = match total {
        Some(t) if t.fract() != 0.0 || !(0.0..9.0e15).contains(&t) => return Err(super::to_js(invalid_param("total must be a non-negative integer"))),
        t => t.map(|t| t as i64),
    };
    let expect = notify::Expect { appid, mchid: mch_id, out_trade_no, total };
    js(notify::decrypt_notify(body, api_v3_key.as_bytes(), &expect, notify::DEFAULT_MAX_BYTES)).map(|n| n.to_json())
}

/// One `{ algorithm, ciphertext, nonce, associated_data }` (as JSON) decrypted to text.
#[wasm_bindgen(js_name = v3DecryptResource)]
pub fn decrypt_resource(resource_json: &str, api_v3_key: &str) -> JsResult<String> {
    let plain = js(notify::decrypt_resource(resource_json.as_bytes(), api_v3_key.as_bytes()))?;
    String::from_utf8(plain).map_err(|_| super::to_js(WxError::new(Code::DecryptFailed, "the decrypted resource is not UTF-8 text")))
}

/// A `/v3/certificates` body decrypted: `{ SERIAL: { pem, effectiveTime, expireTime } }` as JSON.
#[wasm_bindgen(js_name = v3ParseCertificates)]
pub fn parse_certificates(body: &[u8], api_v3_key: &str) -> JsResult<String> {
    js(certs::parse_certificates(body, api_v3_key.as_bytes())).map(|c| certs::certificates_to_json(&c))
}

/// The message a `paySign` signs: `[message, timeStamp, nonceStr, package]`, defaults as for
/// [`auth_prepare`].
#[wasm_bindgen(js_name = v3PayPrepare)]
pub fn pay_prepare(app_id: &str, prepay_id: &str, time_stamp: Option<String>, nonce_str: Option<String>) -> JsResult<Vec<String>> {
    js(pay::check_prepay_id(prepay_id))?;
    let time_stamp = time_stamp.unwrap_or_else(|| now_secs().to_string());
    let nonce_str = match nonce_str {
        Some(n) => n,
        None => js(auth::new_nonce())?,
    };
    let package = format!("{}{prepay_id}", pay::PACKAGE_PREFIX);
    let message = js(pay::pay_message(app_id, &time_stamp, &nonce_str, &package))?;
    Ok(vec![message, time_stamp, nonce_str, package])
}

/// `[status, body]` of the reply to a callback.
#[wasm_bindgen(js_name = v3NotifyReply)]
pub fn notify_reply(ok: bool, message: Option<String>) -> Vec<String> {
    let (status, body) = reply::notify_reply(ok, message.as_deref());
    vec![status.to_string(), body]
}

/// A v3 error answer as the error it means (returned, not thrown: the caller decides).
#[wasm_bindgen(js_name = v3ParseErrorResponse)]
pub fn parse_error_response(status: u16, body: &[u8]) -> JsValue {
    super::to_js(errors::parse_error_response(status, body))
}

/// A request builder by its endpoint name (`jsapi`, `queryByOutTradeNo`, `queryById`,
/// `close`, `refund`, `refundQuery`): `{ method, url, body }` as JSON.
#[wasm_bindgen(js_name = v3BuildRequest)]
pub fn build_request(endpoint: &str, fields_json: &str) -> JsResult<String> {
    js(builders::build(endpoint, fields_json)).map(|r| r.to_json())
}
