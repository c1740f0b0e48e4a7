//! Mini-program / JSAPI payment: the message the merchant key signs for `paySign`
//! (`wx.requestPayment({ timeStamp, nonceStr, package, signType: 'RSA', paySign })`).

use crate::core::error::{quoted, Code, Result, WxError};
use crate::core::json::push_string;
use crate::v3::auth::{check_nonce, check_timestamp};
use crate::v3::json::Json;

/// The `package` value's prefix.
pub const PACKAGE_PREFIX: &str = "prepay_id=";

fn check_app_id(app_id: &str) -> Result<()> {
    if app_id.is_empty() || app_id.len() > 32 || !app_id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err(WxError::field(
            Code::InvalidParam,
            "appId",
            format!("appId must be the AppID (letters and digits, e.g. wx8888888888888888), got {}", quoted(app_id)),
        ));
    }
    Ok(())
}

/// `prepay_id=…` with a prepay id of letters, digits, `_` and `-` (at most 64).
pub fn check_package(package: &str) -> Result<()> {
    let id = package.strip_prefix(PACKAGE_PREFIX).ok_or_else(|| {
        WxError::field(
            Code::InvalidParam,
            "package",
            format!("package must be `prepay_id=` followed by the prepay_id, got {}", quoted(package)),
        )
    })?;
    check_prepay_id(id)
}

pub fn check_prepay_id(id: &str) -> Result<()> {
    if id.is_empty() || id.len() > 64 || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
        return Err(WxError::field(
            Code::InvalidParam,
            "prepayId",
            format!(
                "prepayId must be the prepay_id the JSAPI order returned (letters, digits, _ -), got {}",
                quoted(id)
            ),
        ));
    }
    Ok(())
}

/// `appId\ntimeStamp\nnonceStr\npackage\n`.
pub fn pay_message(app_id: &str, time_stamp: &str, nonce_str: &str, package: &str) -> Result<String> {
    check_app_id(app_id)?;
    check_timestamp("timeStamp", time_stamp)?;
    check_nonce("nonceStr", nonce_str)?;
    check_package(package)?;
    Ok(format!("{app_id}\n{time_stamp}\n{nonce_str}\n{package}\n"))
}

/// The object `wx.requestPayment` takes (plus `appId`), as JSON: what JS `requestPaymentParams` returns.
pub fn request_payment_json(
    app_id: &str,
    time_stamp: &str,
    nonce_str: &str,
    package: &str,
    pay_sign_b64: &str,
) -> String {
    let mut out = String::from("{");
    for (i, (k, v)) in [
        ("appId", app_id),
        ("timeStamp", time_stamp),
        ("nonceStr", nonce_str),
        ("package", package),
        ("signType", "RSA"),
        ("paySign", pay_sign_b64),
    ]
    .iter()
    .enumerate()
    {
        if i > 0 {
            out.push(',');
        }
        push_string(&mut out, k);
        out.push(':');
        push_string(&mut out, v);
    }
    out.push('}');
    debug_assert!(Json::parse(out.as_bytes(), "t").is_ok());
    out
}
