//! Platform certificates from a `GET /v3/certificates` response (verify its signature first,
//! with a certificate you already trust or, on first download, knowingly without):
//! `{ "data": [ { serial_no, effective_time, expire_time, encrypt_certificate: { algorithm,
//! nonce, associated_data, ciphertext } } ] }`. Each certificate is decrypted with the APIv3
//! key and must itself carry the `serial_no` it is listed under: a response that files a
//! certificate under another serial would make callbacks verify with the wrong key.

use crate::core::error::{quoted, Code, Result, WxError};
use crate::v3::aead::{self, Sealed};
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

/// One entry of a `/v3/certificates` body, its certificate still encrypted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub serial: String,
    pub effective_time: String,
    pub expire_time: String,
    pub sealed: Sealed,
}

/// Checks the body and every entry (a serial listed twice is refused here, before any
/// decryption) and decodes each encrypted certificate. The APIv3 key's length is checked
/// first, as [`parse_certificates`] does; the key itself is the decrypter's.
pub fn open_certificates(body: &[u8], api_v3_key: &[u8]) -> Result<Vec<Listed>> {
    if body.len() > notify::MAX_MAX_BYTES {
        return Err(WxError::new(
            Code::InputTooLarge,
            format!("the /v3/certificates body is {} bytes, more than {}", body.len(), notify::MAX_MAX_BYTES),
        ));
    }
    aead::api_v3_key(api_v3_key)?;
    const WHAT: &str = "/v3/certificates response";
    let doc = Json::parse(body, WHAT)?;
    json::object(&doc, WHAT)?;
    let Some(Json::Array(items)) = doc.get("data") else {
        return Err(WxError::field(Code::InvalidJson, "data", "the /v3/certificates response has no `data` array"));
    };
    if items.is_empty() {
        return Err(WxError::field(Code::InvalidJson, "data", "the /v3/certificates response lists no certificates"));
    }
    let mut out: Vec<Listed> = Vec::with_capacity(items.len());
    for item in items {
        const ITEM: &str = "certificate entry";
        json::object(item, ITEM)?;
        let serial = json::req_str(item, "serial_no", ITEM)?;
        let effective_time = json::req_str(item, "effective_time", ITEM)?;
        let expire_time = json::req_str(item, "expire_time", ITEM)?;
        let enc = item.get("encrypt_certificate").ok_or_else(|| {
            WxError::field(Code::InvalidJson, "encrypt_certificate", "a certificate entry has no `encrypt_certificate`")
        })?;
        let sealed = notify::sealed_resource(enc)?;
        if out.iter().any(|c| keys::same_serial(&c.serial, serial)) {
            return Err(WxError::field(
                Code::DuplicateField,
                "serial_no",
                format!("serial_no {} is listed twice", quoted(serial)),
            ));
        }
        out.push(Listed {
            serial: serial.to_owned(),
            effective_time: effective_time.into(),
            expire_time: expire_time.into(),
            sealed,
        });
    }
    Ok(out)
}

/// Checks each decrypted certificate against the serial it is listed under.
pub fn finish_certificates(listed: Vec<Listed>, plaintexts: Vec<Vec<u8>>) -> Result<Vec<Cert>> {
    if listed.len() != plaintexts.len() {
        return Err(WxError::new(
            Code::InvalidParam,
            format!("{} certificates are listed but {} were decrypted", listed.len(), plaintexts.len()),
        ));
    }
    listed.into_iter().zip(plaintexts).map(|(l, plain)| certificate(l, plain)).collect()
}

fn certificate(listed: Listed, plain: Vec<u8>) -> Result<Cert> {
    let pem = String::from_utf8(plain).map_err(|_| {
        WxError::field(Code::DecryptFailed, "encrypt_certificate", "a decrypted certificate is not text")
    })?;
    let info = keys::certificate_info(pem.as_bytes())?;
    if !keys::same_serial(&info.serial_hex_upper, &listed.serial) {
        return Err(WxError::field(Code::InvalidField, "serial_no", format!("the certificate listed as serial_no {} has serial {}: refusing a certificate filed under another serial", quoted(&listed.serial), quoted(&info.serial_hex_upper))));
    }
    Ok(Cert {
        serial: listed.serial,
        pem,
        effective_time: listed.effective_time,
        expire_time: listed.expire_time,
        not_before_unix: info.not_before_unix,
        not_after_unix: info.not_after_unix,
    })
}

/// Decrypts and checks every certificate of a `/v3/certificates` body.
pub fn parse_certificates(body: &[u8], api_v3_key: &[u8]) -> Result<Vec<Cert>> {
    let listed = open_certificates(body, api_v3_key)?;
    let plaintexts = listed.iter().map(|l| l.sealed.open(api_v3_key)).collect::<Result<Vec<_>>>()?;
    finish_certificates(listed, plaintexts)
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
