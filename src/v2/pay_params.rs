//! The object a mini-program passes to `wx.requestPayment`, with its own `paySign`.

use crate::core::error::{quoted, Code, Result, WxError};
use crate::core::nonce;
use crate::v2::sign::{self, SignType};
use crate::v2::validate;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayParams {
    pub app_id: String,
    pub time_stamp: String,
    pub nonce_str: String,
    pub package: String,
    pub sign_type: SignType,
    pub pay_sign: String,
}

/// `paySign` signs exactly appId, nonceStr, package, signType and timeStamp (camelCase,
/// ASCII order) with the same API key as the order; the mini-program checks nothing else.
pub fn request_payment_params(
    app_id: &str,
    prepay_id: &str,
    key: &str,
    sign_type: SignType,
    time_stamp: String,
    nonce_str: Option<String>,
) -> Result<PayParams> {
    validate::key(key)?;
    if app_id.is_empty() {
        return Err(WxError::missing("appId"));
    }
    if prepay_id.is_empty() {
        return Err(WxError::missing("prepayId"));
    }
    if time_stamp.is_empty() || time_stamp.len() > 12 || !time_stamp.bytes().all(|b| b.is_ascii_digit()) {
        return Err(WxError::field(
            Code::InvalidField,
            "timeStamp",
            format!("timeStamp must be Unix seconds as digits, got {}", quoted(&time_stamp)),
        ));
    }
    let nonce_str = match nonce_str {
        Some(n) if n.is_empty() || n.len() > 32 => {
            return Err(WxError::field(Code::InvalidField, "nonceStr", "nonceStr must be 1 to 32 characters"))
        }
        Some(n) => n,
        None => nonce::nonce_str(32)?,
    };
    let package = format!("prepay_id={prepay_id}");
    // The five signed fields go to the signer as borrowed pairs: no parameter tree to build
    // and drop (issue 15). `sign_pairs`, not the generic `sign_sorted`, because the boundary
    // already instantiates it: a new instance cost 0.7 KB of gzipped wasm.
    let mut fields = [
        ("appId", app_id),
        ("nonceStr", nonce_str.as_str()),
        ("package", package.as_str()),
        ("signType", sign_type.as_str()),
        ("timeStamp", time_stamp.as_str()),
    ];
    let pay_sign = sign::sign_pairs(&mut fields, key, sign_type)?;
    Ok(PayParams { app_id: app_id.into(), time_stamp, nonce_str, package, sign_type, pay_sign })
}
