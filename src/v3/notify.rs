//! Callbacks (支付通知 / 退款通知): after the signature is verified over the raw body
//! ([`crate::v3::verify`]), parse the envelope strictly, decrypt `resource`, parse the
//! plaintext and enforce the caller's expectations.
//!
//! Expectations, per event type (a set expectation whose field is absent is a mismatch too,
//! so a callback cannot dodge a check by leaving a field out):
//! - `TRANSACTION.*` (payment): `appid`, `mchid`, `out_trade_no`, `amount.total`;
//! - `REFUND.*` (refund): `mchid`, `out_trade_no`, `amount.total` (the order's total). The
//!   refund resource has no `appid`, so `appid` is not checked for refunds: one handler with
//!   one `Expect` serves both kinds;
//! - any other event: every set expectation, by the same field names.
//!
//! `paid` is true only for `TRANSACTION.SUCCESS` whose `trade_state` is `SUCCESS`.

use crate::core::error::{quoted, Code, Result, WxError};
use crate::v3::aead;
use crate::v3::json::{self, Json};

/// Callbacks are 1–3 KB; a megabyte-sized body is not one. Checked before parsing.
pub const DEFAULT_MAX_BYTES: usize = 64 * 1024;
/// The most a caller may raise the limit to.
pub const MAX_MAX_BYTES: usize = 1024 * 1024;

/// What the merchant knows about the order the callback must be about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expect {
    pub appid: Option<String>,
    pub mchid: Option<String>,
    pub out_trade_no: Option<String>,
    /// `amount.total` in fen.
    pub total: Option<i64>,
}

/// A verified, decrypted callback.
#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    pub id: String,
    pub create_time: String,
    pub event_type: String,
    pub resource_type: String,
    pub summary: String,
    /// `resource.original_type` (`transaction`, `refund`, …).
    pub original_type: Option<String>,
    /// The decrypted, parsed resource.
    pub resource: Json,
    pub paid: bool,
    /// The envelope as received (members in order; `resource` still encrypted).
    envelope: Json,
}

impl Notification {
    /// The callback as JSON with `resource` replaced by the decrypted object and `paid` added:
    /// what the JavaScript `verifyNotify` returns.
    pub fn to_json(&self) -> String {
        let mut members: Vec<(String, Json)> = match &self.envelope {
            Json::Object(m) => m.iter().map(|(n, v)| (n.clone(), if n == "resource" { self.resource.clone() } else { v.clone() })).collect(),
            _ => Vec::new(),
        };
        members.retain(|(n, _)| n != "paid");
        members.push(("paid".into(), Json::Bool(self.paid)));
        Json::Object(members).to_json()
    }
}

fn check_size(body: &[u8], max_bytes: usize) -> Result<()> {
    if max_bytes == 0 || max_bytes > MAX_MAX_BYTES {
        return Err(WxError::field(Code::InvalidParam, "maxBytes", format!("maxBytes must be 1 to {MAX_MAX_BYTES}")));
    }
    if body.len() > max_bytes {
        return Err(WxError::new(Code::InputTooLarge, format!("the callback body is {} bytes, more than the {max_bytes}-byte limit; it was not parsed", body.len())));
    }
    Ok(())
}

/// Decrypts one `{ algorithm, ciphertext, nonce, associated_data }` object.
pub fn decrypt_resource_value(resource: &Json, api_v3_key: &[u8]) -> Result<Vec<u8>> {
    aead::api_v3_key(api_v3_key)?;
    const WHAT: &str = "callback's resource";
    json::object(resource, WHAT)?;
    let algorithm = json::req_str(resource, "algorithm", WHAT)?;
    if algorithm != aead::ALGORITHM {
        return Err(WxError::field(Code::DecryptFailed, "algorithm", format!("resource.algorithm is {}; only {} is supported", quoted(algorithm), aead::ALGORITHM)));
    }
    let ciphertext = json::req_str(resource, "ciphertext", WHAT)?;
    let nonce = json::req_str(resource, "nonce", WHAT)?;
    let aad = match resource.get("associated_data") {
        None | Some(Json::Null) => "",
        Some(Json::String(s)) => s,
        Some(other) => return Err(WxError::field(Code::InvalidJson, "associated_data", format!("resource.associated_data must be a string, got {}", other.kind()))),
    };
    aead::decrypt(api_v3_key, nonce, aad, ciphertext)
}

/// [`decrypt_resource_value`] from the resource object's JSON text (JS `decryptResource`).
pub fn decrypt_resource(resource_json: &[u8], api_v3_key: &[u8]) -> Result<Vec<u8>> {
    check_size(resource_json, DEFAULT_MAX_BYTES)?;
    decrypt_resource_value(&Json::parse(resource_json, "resource")?, api_v3_key)
}

/// Parses, decrypts and checks a callback body whose signature the caller has verified.
pub fn decrypt_notify(body: &[u8], api_v3_key: &[u8], expect: &Expect, max_bytes: usize) -> Result<Notification> {
    check_size(body, max_bytes)?;
    aead::api_v3_key(api_v3_key)?;
    const WHAT: &str = "callback body";
    let envelope = Json::parse(body, WHAT)?;
    json::object(&envelope, WHAT)?;
    let id = json::req_str(&envelope, "id", WHAT)?.to_owned();
    let create_time = json::req_str(&envelope, "create_time", WHAT)?.to_owned();
    let event_type = json::req_str(&envelope, "event_type", WHAT)?.to_owned();
    let resource_type = json::req_str(&envelope, "resource_type", WHAT)?.to_owned();
    let summary = match envelope.get("summary") {
        Some(Json::String(s)) => s.clone(),
        None => String::new(),
        Some(other) => return Err(WxError::field(Code::InvalidJson, "summary", format!("`summary` must be a string, got {}", other.kind()))),
    };
    let resource_enc = envelope.get("resource").ok_or_else(|| WxError::field(Code::InvalidJson, "resource", "the callback body has no `resource` object"))?;
    let original_type = resource_enc.get("original_type").and_then(Json::as_str).map(str::to_owned);
    let plaintext = decrypt_resource_value(resource_enc, api_v3_key)?;
    let resource = Json::parse(&plaintext, "decrypted resource")?;
    json::object(&resource, "decrypted resource")?;
    check_expectations(&event_type, &resource, expect)?;
    let paid = event_type == "TRANSACTION.SUCCESS" && resource.get("trade_state").and_then(Json::as_str) == Some("SUCCESS");
    Ok(Notification { id, create_time, event_type, resource_type, summary, original_type, resource, paid, envelope })
}

fn check_expectations(event_type: &str, resource: &Json, expect: &Expect) -> Result<()> {
    let refund = event_type.starts_with("REFUND.");
    let strings = [
        ("appid", if refund { None } else { expect.appid.as_deref() }, Code::AppidMismatch),
        ("mchid", expect.mchid.as_deref(), Code::MchIdMismatch),
        ("out_trade_no", expect.out_trade_no.as_deref(), Code::OutTradeNoMismatch),
    ];
    for (name, expected, code) in strings {
        let Some(expected) = expected else { continue };
        let got = resource.get(name).and_then(Json::as_str);
        if got != Some(expected) {
            let got = got.map_or_else(|| "no string".to_owned(), quoted);
            return Err(WxError::field(code, name, format!("the callback's {name} is {got}, expected {}", quoted(expected))));
        }
    }
    if let Some(total) = expect.total {
        let got = resource.get("amount").and_then(|a| a.get("total")).and_then(Json::as_i64);
        if got != Some(total) {
            let got = got.map_or_else(|| "absent".to_owned(), |g| g.to_string());
            return Err(WxError::field(Code::AmountMismatch, "amount.total", format!("the callback's amount.total is {got}, expected {total} (fen)")));
        }
    }
    Ok(())
}
