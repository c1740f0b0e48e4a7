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
use crate::v3::aead::{self, Sealed};
use crate::v3::json::{self, Json};

/// Callbacks are 1–3 KB; a megabyte-sized body is not one. Checked before parsing (the
/// contract's limit, as v2's).
pub const DEFAULT_MAX_BYTES: usize = crate::contract::MAX_BYTES_DEFAULT;
/// The most a caller may raise the limit to (the contract's).
pub const MAX_MAX_BYTES: usize = crate::contract::MAX_BYTES_CEILING;

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
            Json::Object(m) => m
                .iter()
                .map(|(n, v)| (n.clone(), if n == "resource" { self.resource.clone() } else { v.clone() }))
                .collect(),
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
        return Err(WxError::new(
            Code::InputTooLarge,
            format!(
                "the callback body is {} bytes, more than the {max_bytes}-byte limit; it was not parsed",
                body.len()
            ),
        ));
    }
    Ok(())
}

/// Checks and decodes one `{ algorithm, ciphertext, nonce, associated_data }` object.
pub fn sealed_resource(resource: &Json) -> Result<Sealed> {
    const WHAT: &str = "callback's resource";
    json::object(resource, WHAT)?;
    let algorithm = json::req_str(resource, "algorithm", WHAT)?;
    if algorithm != aead::ALGORITHM {
        return Err(WxError::field(
            Code::DecryptFailed,
            "algorithm",
            format!("resource.algorithm is {}; only {} is supported", quoted(algorithm), aead::ALGORITHM),
        ));
    }
    let ciphertext = json::req_str(resource, "ciphertext", WHAT)?;
    let nonce = json::req_str(resource, "nonce", WHAT)?;
    let aad = match resource.get("associated_data") {
        None | Some(Json::Null) => "",
        Some(Json::String(s)) => s,
        Some(other) => {
            return Err(WxError::field(
                Code::InvalidJson,
                "associated_data",
                format!("resource.associated_data must be a string, got {}", other.kind()),
            ))
        }
    };
    Sealed::new(nonce, aad, ciphertext)
}

/// [`sealed_resource`] from the resource object's JSON text (JS `decryptResource`).
pub fn seal_resource(resource_json: &[u8]) -> Result<Sealed> {
    check_size(resource_json, DEFAULT_MAX_BYTES)?;
    sealed_resource(&Json::parse(resource_json, "resource")?)
}

/// Decrypts one `{ algorithm, ciphertext, nonce, associated_data }` object from its JSON text.
pub fn decrypt_resource(resource_json: &[u8], api_v3_key: &[u8]) -> Result<Vec<u8>> {
    aead::api_v3_key(api_v3_key)?;
    seal_resource(resource_json)?.open(api_v3_key)
}

/// A callback whose envelope is parsed and checked; its resource is still encrypted.
/// [`decrypt_notify`] is `open_notify` → [`Sealed::open`] → [`Opened::finish`]. The wasm
/// runs the middle step in the host's AES-GCM, then [`check_resource`] on its plaintext
/// with [`Opened::event_type`], and leaves building the result object to JS (js/v3/api.js),
/// which parses the two texts the core has checked.
#[derive(Debug)]
pub struct Opened {
    envelope: Json,
}

/// Checks the size limit and the APIv3 key's length (only its length: the key is used by
/// whoever decrypts), then parses the envelope and checks its fields.
pub fn open_notify(body: &[u8], api_v3_key: &[u8], max_bytes: usize) -> Result<Opened> {
    check_size(body, max_bytes)?;
    aead::api_v3_key(api_v3_key)?;
    let envelope = Json::parse(body, ENVELOPE)?;
    json::object(&envelope, ENVELOPE)?;
    for name in ["id", "create_time", "event_type", "resource_type"] {
        json::req_str(&envelope, name, ENVELOPE)?;
    }
    if let Some(other) = envelope.get("summary").filter(|s| s.as_str().is_none()) {
        return Err(WxError::field(
            Code::InvalidJson,
            "summary",
            format!("`summary` must be a string, got {}", other.kind()),
        ));
    }
    if envelope.get("resource").is_none() {
        return Err(WxError::field(Code::InvalidJson, "resource", "the callback body has no `resource` object"));
    }
    Ok(Opened { envelope })
}

const ENVELOPE: &str = "callback body";

impl Opened {
    /// The encrypted resource, checked and Base64-decoded.
    pub fn sealed(&self) -> Result<Sealed> {
        sealed_resource(self.member("resource"))
    }

    /// The envelope's `event_type` (checked to be a string).
    pub fn event_type(&self) -> &str {
        self.member("event_type").as_str().unwrap_or_default()
    }

    /// Parses the decrypted resource and enforces the expectations.
    pub fn finish(self, plaintext: &[u8], expect: &Expect) -> Result<Notification> {
        let (resource, paid) = check_resource(self.event_type(), plaintext, expect)?;
        let text = |name| self.member(name).as_str().unwrap_or_default().to_owned();
        Ok(Notification {
            id: text("id"),
            create_time: text("create_time"),
            event_type: text("event_type"),
            resource_type: text("resource_type"),
            summary: text("summary"),
            original_type: self.member("resource").get("original_type").and_then(Json::as_str).map(str::to_owned),
            resource,
            paid,
            envelope: self.envelope,
        })
    }

    /// A member of the envelope (`Null` when absent: [`open_notify`] checked the required ones).
    fn member(&self, name: &str) -> &Json {
        self.envelope.get(name).unwrap_or(&Json::Null)
    }
}

/// The decrypted resource of an `event_type` callback parsed (a JSON object) and checked
/// against the expectations, with whether it reports a payment: `paid` is true only for
/// `TRANSACTION.SUCCESS` whose `trade_state` is `SUCCESS`.
pub fn check_resource(event_type: &str, plaintext: &[u8], expect: &Expect) -> Result<(Json, bool)> {
    let resource = Json::parse_js(plaintext, "decrypted resource")?;
    json::object(&resource, "decrypted resource")?;
    check_expectations(event_type, &resource, expect)?;
    let paid =
        event_type == "TRANSACTION.SUCCESS" && resource.get("trade_state").and_then(Json::as_str) == Some("SUCCESS");
    Ok((resource, paid))
}

/// Parses, decrypts and checks a callback body whose signature the caller has verified.
pub fn decrypt_notify(body: &[u8], api_v3_key: &[u8], expect: &Expect, max_bytes: usize) -> Result<Notification> {
    let opened = open_notify(body, api_v3_key, max_bytes)?;
    let plaintext = opened.sealed()?.open(api_v3_key)?;
    opened.finish(&plaintext, expect)
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
            return Err(WxError::field(
                code,
                name,
                format!("the callback's {name} is {got}, expected {}", quoted(expected)),
            ));
        }
    }
    if let Some(total) = expect.total {
        let got = resource.get("amount").and_then(|a| a.get("total")).and_then(Json::as_i64);
        if got != Some(total) {
            let got = got.map_or_else(|| "absent".to_owned(), |g| g.to_string());
            return Err(WxError::field(
                Code::AmountMismatch,
                "amount.total",
                format!("the callback's amount.total is {got}, expected {total} (fen)"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(plain: &str) -> Option<(Code, String, String)> {
        check_resource("TRANSACTION.SUCCESS", plain.as_bytes(), &Expect::default())
            .err()
            .map(|e| (e.code, e.field.unwrap_or_default(), e.message))
    }

    /// 2^53−1 = 9007199254740991 is the largest integer a JS number holds exactly; the
    /// callback's result is built by `JSON.parse`, so a larger one is refused, anywhere.
    #[test]
    fn integers_beyond_js_numbers_are_refused_wherever_they_are() {
        for ok in [
            r#"{"amount":{"total":9007199254740991,"payer_total":-9007199254740991}}"#,
            r#"{"amount":{"total":1},"x":1.5e300,"y":12345678901234567890.5,"z":[0,-0,1e30]}"#,
        ] {
            assert_eq!(refused(ok), None, "{ok}");
        }
        for (bad, number) in [
            (r#"{"amount":{"total":9007199254740993}}"#, "9007199254740993"),
            (r#"{"amount":{"total":1,"payer_total":9007199254740992}}"#, "9007199254740992"),
            (r#"{"amount":{"refund":-9007199254740992}}"#, "-9007199254740992"),
            (
                r#"{"promotion_detail":[{"amount":1},{"amount":123456789012345678901234567890}]}"#,
                "123456789012345678901234567890",
            ),
            (r#"{"n":[18446744073709551616]}"#, "18446744073709551616"),
        ] {
            let (code, _, message) = refused(bad).unwrap();
            assert_eq!(code, Code::InvalidJson, "{bad}");
            // The byte where the reader stopped: just after the number.
            let at = bad.find(number).unwrap() + number.len();
            assert!(message.contains("MAX_SAFE_INTEGER") && message.ends_with(&format!("at byte {at}")), "{message}");
        }
        // Refused before the expectation is compared: a total that fits i64 is not "equal".
        let expect = Expect { total: Some(9007199254740993), ..Expect::default() };
        let e =
            check_resource("TRANSACTION.SUCCESS", br#"{"amount":{"total":9007199254740993}}"#, &expect).unwrap_err();
        assert_eq!(e.code, Code::InvalidJson);
    }
}
