//! Refunds (申请退款, 查询退款) and refund notifications (退款结果通知).
//!
//! Refund notifications carry no `sign`. Their payload, `req_info`, is base64 of
//! AES-256-ECB with PKCS#7 padding, keyed by the lowercase hex MD5 of the API key taken
//! as 32 ASCII bytes. Decrypting with the right key is the only authenticity check there
//! is, so every step is strict: canonical base64, whole blocks, exact padding, UTF-8, and
//! the plaintext through the same hardened XML parser as everything else.

use aes::cipher::{BlockCipherDecrypt, KeyInit};
use aes::Aes256;
use md5::{Digest, Md5};

use crate::core::error::{clip, escaped, quoted, Code, Result, WxError, QUOTE_MAX};
use crate::v2::api::{require_merchant, require_one_of, wechat_id};
use crate::v2::notify::{self, Expect};
use crate::v2::params::{self, Params};
use crate::v2::request;
use crate::v2::response;
use crate::v2::sign::SignType;
use crate::v2::validate;
use crate::v2::xml;

pub const REFUND_ACCOUNTS: [&str; 2] = ["REFUND_SOURCE_UNSETTLED_FUNDS", "REFUND_SOURCE_RECHARGE_FUNDS"];

/// `out_refund_no`: at most 64 of `[A-Za-z0-9_-|*@]`; WeChat refunds once per number, so
/// it is what makes a retried refund safe.
fn refund_no(p: &Params, field: &str) -> Result<()> {
    let v = params::require(p, field)?;
    let ok = v.len() <= 64 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b"_-|*@".contains(&b));
    if !ok {
        return Err(validate::invalid(
            field,
            format!("`{field}` must be at most 64 characters of A-Z a-z 0-9 _ - | * @, got {}", quoted(v)),
        ));
    }
    Ok(())
}

fn optional(p: &Params, field: &str, check: fn(&Params, &str) -> Result<()>) -> Result<()> {
    if params::get(p, field).is_some() {
        check(p, field)?;
    }
    Ok(())
}

/// `POST /secapi/pay/refund` (needs the merchant's client certificate on the HTTPS call).
pub fn build_refund_xml(p: Params, key: &str, sign_type: SignType) -> Result<String> {
    require_merchant(&p)?;
    require_one_of(&p, &["transaction_id", "out_trade_no"])?;
    wechat_id(&p, "transaction_id")?;
    optional(&p, "out_trade_no", validate::order_no)?;
    refund_no(&p, "out_refund_no")?;
    let total = validate::amount(&p, "total_fee")?;
    let refund = validate::amount(&p, "refund_fee")?;
    if refund > total {
        return Err(validate::invalid(
            "refund_fee",
            format!("`refund_fee` ({refund}) must not exceed `total_fee` ({total})"),
        ));
    }
    validate::max_bytes(&p, "refund_desc", 80)?;
    optional(&p, "notify_url", validate::notify_url)?;
    optional(&p, "refund_account", |p, f| validate::one_of(p, f, &REFUND_ACCOUNTS))?;
    request::signed_xml(p, key, sign_type)
}

/// `POST /pay/refundquery`: by any one of the four identifiers; `offset` pages through
/// orders with more than 10 refunds.
pub fn build_refund_query_xml(p: Params, key: &str, sign_type: SignType) -> Result<String> {
    require_merchant(&p)?;
    require_one_of(&p, &["refund_id", "out_refund_no", "transaction_id", "out_trade_no"])?;
    wechat_id(&p, "refund_id")?;
    wechat_id(&p, "transaction_id")?;
    optional(&p, "out_refund_no", refund_no)?;
    optional(&p, "out_trade_no", validate::order_no)?;
    if let Some(v) = params::get(&p, "offset") {
        if v != "0" && validate::parse_amount(v).is_none() {
            return Err(validate::invalid(
                "offset",
                format!("`offset` must be a whole number from 0, got {}", quoted(v)),
            ));
        }
    }
    request::signed_xml(p, key, sign_type)
}

fn decrypt_failed(msg: impl Into<String>) -> WxError {
    WxError::field(Code::DecryptFailed, "req_info", msg)
}

/// The AES-256 key: the lowercase hex MD5 of the API key, used as 32 ASCII bytes.
fn aes_key(api_key: &str) -> [u8; 32] {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Md5::digest(api_key.as_bytes());
    let mut out = [0u8; 32];
    for (pair, b) in out.chunks_exact_mut(2).zip(digest.iter()) {
        pair[0] = HEX[(b >> 4) as usize];
        pair[1] = HEX[(b & 15) as usize];
    }
    out
}

/// Decrypts `req_info` to its raw plaintext. Producers put `<root>` XML there (WeChat)
/// or other roots or JSON (some SDK tests), so the text is returned as it is.
pub fn decrypt_req_info(req_info_base64: &str, key: &str) -> Result<String> {
    validate::key(key)?;
    xml::check_size(req_info_base64.len(), xml::MAX_MAX_BYTES)?;
    let mut data = crate::core::base64::decode(req_info_base64)
        .map_err(|why| decrypt_failed(format!("req_info is not base64: {why}")))?;
    if data.is_empty() || !data.len().is_multiple_of(16) {
        return Err(decrypt_failed(format!(
            "req_info decodes to {} bytes; AES ciphertext is a non-zero multiple of 16 bytes (truncated?)",
            data.len()
        )));
    }
    let cipher = Aes256::new(&aes_key(key).into());
    // ECB: each 16-byte block on its own, which is all the mode is.
    for chunk in data.chunks_exact_mut(16) {
        let block: &mut aes::Block = chunk.try_into().map_err(|_| decrypt_failed("internal: block size"))?;
        cipher.decrypt_block(block);
    }
    let len = unpad(&data).ok_or_else(|| {
        decrypt_failed("req_info does not decrypt to valid PKCS#7 padding: wrong API key, or the data was altered")
    })?;
    data.truncate(len);
    String::from_utf8(data).map_err(|_| {
        decrypt_failed("req_info decrypts to bytes that are not UTF-8: wrong API key, or the data was altered")
    })
}

/// The plaintext length if the padding is exact PKCS#7 (1 to 16 bytes, all equal).
fn unpad(data: &[u8]) -> Option<usize> {
    let n = usize::from(*data.last()?);
    if n == 0 || n > 16 || n > data.len() {
        return None;
    }
    let (body, pad) = data.split_at(data.len() - n);
    pad.iter().all(|&b| usize::from(b) == n).then_some(body.len())
}

#[derive(Debug, Clone, Default)]
pub struct RefundNotifyOptions {
    pub appid: Option<String>,
    pub mch_id: Option<String>,
    pub max_bytes: Option<usize>,
}

/// The refund notify handler's one call: size limit, safe parse, `return_code`, expected
/// `appid` / `mch_id`, then `req_info` decrypted and parsed as `<root>` XML. Returns the
/// outer fields (without `req_info`) merged with the decrypted ones; a name in both must
/// carry the same value, because the outer copy is not protected by the key.
pub fn decrypt_refund_notify(body: &str, key: &str, opts: &RefundNotifyOptions) -> Result<Params> {
    validate::key(key)?;
    let max = opts.max_bytes.unwrap_or(xml::DEFAULT_MAX_BYTES);
    xml::check_size(body.len(), max)?;
    let mut fields = xml::parse_xml_limited(body, max)?;
    response::check_return_code(&fields)?;
    let expect = Expect { appid: opts.appid.clone(), mch_id: opts.mch_id.clone(), ..Expect::default() };
    notify::check_expectations(&fields, &expect)?;
    let req_info =
        fields.remove("req_info").filter(|v| !params::is_empty(v)).ok_or_else(|| WxError::missing("req_info"))?;
    let plain = decrypt_req_info(&req_info, key)?;
    let inner = xml::parse_flat(&plain, xml::MAX_MAX_BYTES, "root")
        .map_err(|e| decrypt_failed(format!("decrypted req_info is not the expected <root> XML: {}", e.message)))?;
    for (name, value) in inner {
        match fields.get(&name) {
            Some(outer) if *outer != value => {
                return Err(WxError::field(
                    Code::DuplicateField,
                    clip(&name, QUOTE_MAX),
                    format!("`{}` differs between the envelope and the decrypted req_info", escaped(&name, QUOTE_MAX)),
                ))
            }
            _ => {
                fields.insert(name, value);
            }
        }
    }
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_rules() {
        let mut block = [b'a'; 16];
        block[15] = 1;
        assert_eq!(unpad(&block), Some(15));
        assert_eq!(unpad(&[16u8; 16]), Some(0));
        block[15] = 0;
        assert_eq!(unpad(&block), None);
        block[15] = 17;
        assert_eq!(unpad(&block), None);
        block[14] = 3;
        block[15] = 2;
        assert_eq!(unpad(&block), None);
        assert_eq!(unpad(&[]), None);
    }

    #[test]
    fn key_derivation_is_lowercase_hex_md5() {
        // md5("abc") = 900150983cd24fb0d6963f7d28e17f72 (RFC 1321 test suite).
        assert_eq!(&aes_key("abc"), b"900150983cd24fb0d6963f7d28e17f72");
    }
}
