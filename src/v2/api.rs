//! The APIs that follow a unified order: query, close, download the bill, fetch the
//! sandbox key. Each builder validates what WeChat requires, then signs like the unified
//! order (`request::signed_xml`). Refunds live in [`crate::v2::refund`].

use crate::contract::v2::ENDPOINTS;
use crate::core::error::{quoted, Code, Result, WxError};
use crate::v2::params::{self, Params};
use crate::v2::request;
use crate::v2::sign::SignType;
use crate::v2::validate;
use crate::v2::xml;

/// The path of the v2 endpoint named `name` ([`crate::contract::v2::ENDPOINTS`]).
pub fn path(name: &str) -> Option<&'static str> {
    ENDPOINTS.iter().find(|e| e.name == name).map(|e| e.path)
}

pub const BILL_TYPES: [&str; 4] = ["ALL", "SUCCESS", "REFUND", "RECHARGE_REFUND"];

/// Every request names the merchant; checked first, as a form shows them first.
pub fn require_merchant(p: &Params) -> Result<()> {
    params::require(p, "appid")?;
    params::require(p, "mch_id")?;
    Ok(())
}

/// At least one of `fields` must be present; the error names the first, which is the
/// identifier WeChat documents first.
pub fn require_one_of(p: &Params, fields: &[&str]) -> Result<()> {
    if fields.iter().any(|f| params::get(p, f).is_some()) {
        return Ok(());
    }
    let first = fields.first().copied().unwrap_or("");
    let names: Vec<String> = fields.iter().map(|f| format!("`{f}`")).collect();
    Err(WxError::field(Code::MissingField, first, format!("one of {} is required", names.join(", "))))
}

/// WeChat's order number (`transaction_id`, `refund_id`): at most 32 ASCII letters or digits.
pub fn wechat_id(p: &Params, field: &str) -> Result<()> {
    match params::get(p, field) {
        Some(v) if v.len() > 32 || !v.bytes().all(|b| b.is_ascii_alphanumeric()) => Err(validate::invalid(
            field,
            format!("`{field}` must be WeChat's id: at most 32 letters or digits, got {}", quoted(v)),
        )),
        _ => Ok(()),
    }
}

fn optional_order_no(p: &Params, field: &str) -> Result<()> {
    if params::get(p, field).is_some() {
        validate::order_no(p, field)?;
    }
    Ok(())
}

/// `POST /pay/orderquery`: by WeChat's `transaction_id` or the merchant's `out_trade_no`.
pub fn build_order_query_xml(p: Params, key: &str, sign_type: SignType) -> Result<String> {
    require_merchant(&p)?;
    require_one_of(&p, &["transaction_id", "out_trade_no"])?;
    wechat_id(&p, "transaction_id")?;
    optional_order_no(&p, "out_trade_no")?;
    request::signed_xml(p, key, sign_type)
}

/// `POST /pay/closeorder`: only by `out_trade_no`, and only for an unpaid order.
pub fn build_close_order_xml(p: Params, key: &str, sign_type: SignType) -> Result<String> {
    require_merchant(&p)?;
    validate::order_no(&p, "out_trade_no")?;
    request::signed_xml(p, key, sign_type)
}

/// `POST /pay/downloadbill`. With `tar_type` GZIP the reply body is gzip: inflate it
/// before handing it to [`crate::v2::bill::parse_bill`].
pub fn build_download_bill_xml(p: Params, key: &str, sign_type: SignType) -> Result<String> {
    require_merchant(&p)?;
    let date = params::require(&p, "bill_date")?;
    if !validate::is_date8(date) {
        return Err(validate::invalid(
            "bill_date",
            format!("`bill_date` must be a date as yyyyMMdd, got {}", quoted(date)),
        ));
    }
    validate::one_of(&p, "bill_type", &BILL_TYPES)?;
    if params::get(&p, "tar_type").is_some() {
        validate::one_of(&p, "tar_type", &["GZIP"])?;
    }
    request::signed_xml(p, key, sign_type)
}

/// `POST /sandboxnew/pay/getsignkey`: `mch_id` and `nonce_str`, MD5-signed with the real
/// API key (the sandbox accepts nothing else). The reply's `sandbox_signkey` then signs
/// every sandbox call in place of the API key.
pub fn build_sandbox_sign_key_xml(p: Params, key: &str) -> Result<String> {
    if let Some(extra) = p.keys().find(|k| !matches!(k.as_str(), "mch_id" | "nonce_str")) {
        return Err(validate::invalid(extra, format!("getsignkey takes only `mch_id` and `nonce_str`, not `{extra}`")));
    }
    params::require(&p, "mch_id")?;
    request::signed_xml(p, key, SignType::Md5)
}

/// Reads getsignkey's reply. It is not signed (WeChat's sandbox replies carry no `sign`
/// here), so it is only parsed safely and checked for `return_code`; a `sign`, if one is
/// ever sent, must verify with the real API key.
pub fn parse_sandbox_sign_key_response(body: &str, key: &str) -> Result<String> {
    validate::key(key)?;
    let fields = xml::parse_xml(body)?;
    crate::v2::response::check_return_code(&fields)?;
    if params::get(&fields, params::SIGN).is_some() {
        crate::v2::sign::check(&fields, key, None)?;
    }
    params::require(&fields, "sandbox_signkey").map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_paths_match_the_documentation() {
        let expected = [
            ("unifiedOrder", "/pay/unifiedorder"),
            ("orderQuery", "/pay/orderquery"),
            ("closeOrder", "/pay/closeorder"),
            ("refund", "/secapi/pay/refund"),
            ("refundQuery", "/pay/refundquery"),
            ("downloadBill", "/pay/downloadbill"),
            ("sandboxSignKey", "/sandboxnew/pay/getsignkey"),
        ];
        for (name, p) in expected {
            assert_eq!(path(name), Some(p));
        }
        let certs: Vec<_> = ENDPOINTS.iter().filter(|e| e.client_cert).map(|e| e.name).collect();
        assert_eq!(certs, ["refund"]);
    }
}
