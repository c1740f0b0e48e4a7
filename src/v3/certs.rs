//! Platform certificates from a `GET /v3/certificates` response (verify its signature first,
//! with a certificate you already trust or, on first download, knowingly without):
//! `{ "data": [ { serial_no, effective_time, expire_time, encrypt_certificate: { algorithm,
//! nonce, associated_data, ciphertext } } ] }`. Each certificate is decrypted with the APIv3
//! key and must itself carry the `serial_no` it is listed under: a response that files a
//! certificate under another serial would make callbacks verify with the wrong key.

use crate::core::error::{quoted, Code, Result, WxError};
use crate::v3::json::{self, Json};
use crate::v3::{keys, notify};

/// One decrypted platform certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cert {
    /// The `serial_no` it is listed under, as `Wechatpay-Serial` will name it (the same number
    /// as the certificate's own serial, which may differ in case and leading zeros).
    pub serial: String,
    pub pem: String,
    pub effective_time: String,
    pub expire_time: String,
    /// From the certificate itself (Unix seconds).
    pub not_before_unix: i64,
    pub not_after_unix: i64,
}

/// Decrypts and checks every certificate of a `/v3/certificates` body.
pub fn parse_certificates(body: &[u8], api_v3_key: &[u8]) -> Result<Vec<Cert>> {
    if body.len() > notify::MAX_MAX_BYTES {
        return Err(WxError::new(Code::InputTooLarge, format!("the /v3/certificates body is {} bytes, more than {}", body.len(), notify::MAX_MAX_BYTES)));
    }
    crate::v3::aead::api_v3_key(api_v3_key)?;
    const WHAT: &str = "/v3/certificates response";
    let doc = Json::parse(body, WHAT)?;
    json::object(&doc, WHAT)?;
    let Some(Json::Array(items)) = doc.get("data") else {
        return Err(WxError::field(Code::InvalidJson, "data", "the /v3/certificates response has no `data` array"));
    };
    if items.is_empty() {
        return Err(WxError::field(Code::InvalidJson, "data", "the /v3/certificates response lists no certificates"));
    }
    let mut out: Vec<Cert> = Vec::with_capacity(items.len());
    for item in items {
        const ITEM: &str = "certificate entry";
        json::object(item, ITEM)?;
        let serial = json::req_str(item, "serial_no", ITEM)?;
        let effective_time = json::req_str(item, "effective_time", ITEM)?;
        let expire_time = json::req_str(item, "expire_time", ITEM)?;
        let enc = item.get("encrypt_certificate").ok_or_else(|| WxError::field(Code::InvalidJson, "encrypt_certificate", "a certificate entry has no `encrypt_certificate`"))?;
        let plain = notify::decrypt_resource_value(enc, api_v3_key)?;
        let pem = String::from_utf8(plain).map_err(|_| WxError::field(Code::DecryptFailed, "encrypt_certificate", "a decrypted certificate is not text"))?;
        let info = keys::certificate_info(pem.as_bytes())?;
        if !keys::same_serial(&info.serial_hex_upper, serial) {
            return Err(WxError::field(Code::InvalidField, "serial_no", format!("the certificate listed as serial_no {} has serial {}: refusing a certificate filed under another serial", quoted(serial), quoted(&info.serial_hex_upper))));
        }
        if out.iter().any(|c| keys::same_serial(&c.serial, serial)) {
            return Err(WxError::field(Code::DuplicateField, "serial_no", format!("serial_no {} is listed twice", quoted(serial))));
        }
        out.push(Cert { serial: serial.to_owned(), pem, effective_time: effective_time.into(), expire_time: expire_time.into(), not_before_unix: info.not_before_unix, not_after_unix: info.not_after_unix });
    }
    Ok(out)
}

/// `{ "SERIAL": { "pem", "effectiveTime", "expireTime" }, … }`, what JS `parseCertificates` returns.
pub fn certificates_to_json(certs: &[Cert]) -> String {
    let members = certs
        .iter()
        .map(|c| {
            let fields = vec![
                ("pem".to_owned(), Json::String(c.pem.clone())),
                ("effectiveTime".to_owned(), Json::String(c.effective_time.clone())),
                ("expireTime".to_owned(), Json::String(c.expire_time.clone())),
            ];
            (c.serial.clone(), Json::Object(fields))
        })
        .collect();
    Json::Object(members).to_json()
}
