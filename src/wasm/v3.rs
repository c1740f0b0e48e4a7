//! The v3 exports: thin wrappers over `crate::v3`, for js/v3/api.js. Each decodes its
//! arguments, makes one core call and encodes the result; errors leave through
//! [`super::to_js`]. RSA and AES-GCM are not here: js/v3/api.js signs, verifies and does
//! RSA-OAEP with WebCrypto, and decrypts AES-256-GCM with node:crypto or WebCrypto, over the
//! bytes these exports prepare, and hands the results back (see src/v3/mod.rs for why).
//!
//! Export names start with `v3` so a wasm built with both features (the wasm-bindgen tests)
//! has no clash with v2's (`notifyReply` …); js/v3/api.js is the only caller.
//!
//! Plain wasm-bindgen strings and byte slices cross here, not v2's reusable buffers: every
//! v3 call costs an RSA operation (~1 ms), next to which the copy is noise (convention 3 of
//! src/wasm/mod.rs). Several results come back as one tuple whose members
//! [`super::tuples`] names (convention 4): js/v3 reads them by those names.

use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::tuples::{
    AUTH_PREPARED, CERTIFICATES_SEALED, NOTIFY_OPENED, NOTIFY_REPLY, PAY_PREPARED, SEALED, VERIFICATION_KEY,
    VERIFY_PREPARED,
};
use super::{invalid_param, js, JsResult};
use crate::core::error::{Code, WxError};
use crate::v3::aead::{self, Sealed};
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

/// The message a request's Authorization signs ([`AUTH_PREPARED`]), the timestamp
/// defaulting to now and the nonce to 32 CSPRNG characters.
#[wasm_bindgen(js_name = v3AuthPrepare)]
pub fn auth_prepare(
    method: &str,
    url: &str,
    body: &str,
    timestamp: Option<String>,
    nonce: Option<String>,
) -> JsResult<Vec<JsValue>> {
    let timestamp = timestamp.unwrap_or_else(|| now_secs().to_string());
    let nonce = match nonce {
        Some(n) => n,
        None => js(auth::new_nonce())?,
    };
    let message = js(auth::message(method, url, &timestamp, &nonce, body))?;
    Ok(AUTH_PREPARED.of([message.into(), timestamp.into(), nonce.into()]))
}

/// The Authorization header value around a Base64 signature WebCrypto made.
#[wasm_bindgen(js_name = v3AuthHeader)]
pub fn auth_header(
    mch_id: &str,
    serial_no: &str,
    timestamp: &str,
    nonce: &str,
    signature_b64: &str,
) -> JsResult<String> {
    js(auth::header(mch_id, serial_no, timestamp, nonce, signature_b64))
}

/// PKCS#8 DER of a PKCS#8 or PKCS#1 private key PEM, for `importKey('pkcs8', …)`.
#[wasm_bindgen(js_name = v3PrivateKeyDer)]
pub fn private_key_der(pem: &str) -> JsResult<Vec<u8>> {
    js(keys::private_key_pkcs8_der(pem))
}

/// The key of a `PUBLIC KEY`, `RSA PUBLIC KEY` or `CERTIFICATE` PEM ([`VERIFICATION_KEY`]):
/// SPKI DER for `importKey('spki', …)`, and a certificate's serial (upper-case hex) and
/// validity (Unix seconds); a public key has serial `""` and a validity no instant is outside.
#[wasm_bindgen(js_name = v3VerificationKey)]
pub fn verification_key(pem: &str) -> JsResult<Vec<JsValue>> {
    let c = js(keys::verification_key(pem))?;
    Ok(VERIFICATION_KEY.of([
        Uint8Array::from(&c.spki_der[..]).into(),
        c.serial_hex_upper.into(),
        (c.not_before_unix as f64).into(),
        (c.not_after_unix as f64).into(),
    ]))
}

/// Checks a response's or callback's headers and clock and builds what WebCrypto verifies
/// ([`VERIFY_PREPARED`]). `pairs` is `[name, value, name, value, …]`; `serials` are the
/// keys the caller holds.
#[wasm_bindgen(js_name = v3VerifyPrepare)]
pub fn verify_prepare(
    pairs: Vec<String>,
    body: &[u8],
    serials: Vec<String>,
    now: Option<f64>,
    max_skew: Option<f64>,
) -> JsResult<Vec<JsValue>> {
    let now = seconds(now, "now")?.unwrap_or_else(now_secs);
    let max_skew = seconds(max_skew, "maxSkewSeconds")?.unwrap_or(verify::DEFAULT_MAX_SKEW_SECS);
    let headers = js(verify::Headers::from_pairs(pairs.chunks_exact(2).map(|p| (&p[0], &p[1]))))?;
    let p = js(verify::prepare(body, &headers, now, max_skew, |s| serials.iter().any(|k| k == s)))?;
    Ok(VERIFY_PREPARED.of([
        p.serial.into(),
        (p.timestamp as f64).into(),
        Uint8Array::from(&p.message[..]).into(),
        Uint8Array::from(&p.signature[..]).into(),
    ]))
}

/// What the host's AES-256-GCM needs for one resource ([`SEALED`]'s members: ciphertext
/// with its tag, nonce, associated data) as bytes. The key never comes back: JS holds it.
fn sealed_js(s: &Sealed) -> [JsValue; 3] {
    [&s.ciphertext[..], &s.nonce[..], s.associated_data.as_bytes()].map(|b| JsValue::from(Uint8Array::from(b)))
}

/// A plaintext from the host's AES-GCM, or `None` when its tag did not verify.
fn opened(plaintext: Option<Vec<u8>>) -> JsResult<Vec<u8>> {
    plaintext.ok_or_else(|| super::to_js(aead::auth_failed()))
}

/// After the signature verified: the callback's envelope checked, and its sealed resource
/// and event type ([`NOTIFY_OPENED`]).
#[wasm_bindgen(js_name = v3NotifyOpen)]
pub fn notify_open(body: &[u8], api_v3_key: &str) -> JsResult<Vec<JsValue>> {
    let opened = js(notify::open_notify(body, api_v3_key.as_bytes(), notify::DEFAULT_MAX_BYTES))?;
    let sealed = js(opened.sealed())?;
    let [ciphertext, nonce, aad] = sealed_js(&sealed);
    Ok(NOTIFY_OPENED.of([ciphertext, nonce, aad, opened.event_type().into()]))
}

/// The decrypted resource of an `event_type` callback checked (a JSON object meeting the
/// expectations): whether it reports a payment. JS builds the result from the body and this
/// plaintext, both checked here, so neither is parsed twice in wasm or written back as JSON.
#[wasm_bindgen(js_name = v3NotifyFinish)]
pub fn notify_finish(
    event_type: &str,
    plaintext: Option<Vec<u8>>,
    appid: Option<String>,
    mch_id: Option<String>,
    out_trade_no: Option<String>,
    total: Option<f64>,
) -> JsResult<bool> {
    let total = match total {
        Some(t) if t.fract() != 0.0 || !(0.0..9.0e15).contains(&t) => {
            return Err(super::to_js(invalid_param("total must be a non-negative integer")))
        }
        t => t.map(|t| t as i64),
    };
    let plaintext = opened(plaintext)?;
    let expect = notify::Expect { appid, mchid: mch_id, out_trade_no, total };
    js(notify::check_resource(event_type, &plaintext, &expect)).map(|(_, paid)| paid)
}

/// One `{ algorithm, ciphertext, nonce, associated_data }` (as JSON) for the host's AES-GCM ([`SEALED`]).
#[wasm_bindgen(js_name = v3SealedResource)]
pub fn sealed_resource(resource_json: &str, api_v3_key: &str) -> JsResult<Vec<JsValue>> {
    js(aead::api_v3_key(api_v3_key.as_bytes()))?;
    let sealed = js(notify::seal_resource(resource_json.as_bytes()))?;
    Ok(SEALED.of(sealed_js(&sealed)))
}

/// A decrypted resource as text.
#[wasm_bindgen(js_name = v3ResourceText)]
pub fn resource_text(plaintext: Option<Vec<u8>>) -> JsResult<String> {
    String::from_utf8(opened(plaintext)?)
        .map_err(|_| super::to_js(WxError::new(Code::DecryptFailed, "the decrypted resource is not UTF-8 text")))
}

/// The certificates of a `/v3/certificates` body for the host's AES-GCM: one
/// [`CERTIFICATES_SEALED`] tuple per certificate, back to back, in the order listed.
#[wasm_bindgen(js_name = v3CertificatesOpen)]
pub fn certificates_open(body: &[u8], api_v3_key: &str) -> JsResult<Vec<JsValue>> {
    let listed = js(certs::open_certificates(body, api_v3_key.as_bytes()))?;
    Ok(listed.iter().flat_map(|l| CERTIFICATES_SEALED.of(sealed_js(&l.sealed))).collect())
}

/// The decrypted certificates (a `Uint8Array` each, `null` where the tag failed) checked
/// against their serials: `{ SERIAL: { pem, effectiveTime, expireTime } }` as JSON.
#[wasm_bindgen(js_name = v3CertificatesFinish)]
pub fn certificates_finish(body: &[u8], api_v3_key: &str, plaintexts: Vec<JsValue>) -> JsResult<String> {
    let listed = js(certs::open_certificates(body, api_v3_key.as_bytes()))?;
    let plaintexts = plaintexts
        .into_iter()
        .map(|p| opened(p.dyn_into::<Uint8Array>().ok().map(|a| a.to_vec())))
        .collect::<JsResult<Vec<_>>>()?;
    js(certs::finish_certificates(listed, plaintexts)).map(|c| certs::certificates_to_json(&c))
}

/// The message a `paySign` signs and the values around it ([`PAY_PREPARED`]), defaults as
/// for [`auth_prepare`].
#[wasm_bindgen(js_name = v3PayPrepare)]
pub fn pay_prepare(
    app_id: &str,
    prepay_id: &str,
    time_stamp: Option<String>,
    nonce_str: Option<String>,
) -> JsResult<Vec<JsValue>> {
    js(pay::check_prepay_id(prepay_id))?;
    let time_stamp = time_stamp.unwrap_or_else(|| now_secs().to_string());
    let nonce_str = match nonce_str {
        Some(n) => n,
        None => js(auth::new_nonce())?,
    };
    let package = format!("{}{prepay_id}", pay::PACKAGE_PREFIX);
    let message = js(pay::pay_message(app_id, &time_stamp, &nonce_str, &package))?;
    Ok(PAY_PREPARED.of([message.into(), time_stamp.into(), nonce_str.into(), package.into()]))
}

/// The reply to a callback ([`NOTIFY_REPLY`]; the status as its decimal text).
#[wasm_bindgen(js_name = v3NotifyReply)]
pub fn notify_reply(ok: bool, message: Option<String>) -> Vec<JsValue> {
    let (status, body) = reply::notify_reply(ok, message.as_deref());
    NOTIFY_REPLY.of([status.to_string().into(), body.into()])
}

/// A v3 error answer as the error it means (returned, not thrown: the caller decides).
#[wasm_bindgen(js_name = v3ParseErrorResponse)]
pub fn parse_error_response(status: u16, body: &[u8]) -> JsValue {
    super::to_js(errors::parse_error_response(status, body))
}

/// A request builder by its endpoint name (`jsapi`, `queryByOutTradeNo`, `queryById`,
/// `close`, `refund`, `refundQuery`): `{ method, url, body }` as JSON. `allow_loopback_http`
/// is the builders' `allowLoopbackHttp` option ([`builders::Options`]).
#[wasm_bindgen(js_name = v3BuildRequest)]
pub fn build_request(endpoint: &str, fields_json: &str, allow_loopback_http: bool) -> JsResult<String> {
    js(builders::build_with(endpoint, fields_json, builders::Options { allow_loopback_http })).map(|r| r.to_json())
}
