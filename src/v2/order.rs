//! The unified order (统一下单): validated, signed, serialised.

use crate::core::error::Result;
use crate::v2::params::{self, Params};
use crate::v2::request;
use crate::v2::sign::SignType;
use crate::v2::validate;

pub const TRADE_TYPES: [&str; 4] = ["JSAPI", "NATIVE", "APP", "MWEB"];

/// Checks the fields WeChat requires, in the order a form shows them, so the first error
/// is the one nearest the top. Unknown extra fields are kept: WeChat adds fields over time.
pub fn validate_unified_order(order: &Params) -> Result<()> {
    params::require(order, "appid")?;
    params::require(order, "mch_id")?;
    params::require(order, "body")?;
    validate::max_bytes(order, "body", 128)?;
    validate::order_no(order, "out_trade_no")?;
    validate::amount(order, "total_fee")?;
    validate::ip(order, "spbill_create_ip")?;
    validate::notify_url(order, "notify_url")?;
    validate::one_of(order, "trade_type", &TRADE_TYPES)?;
    if params::get(order, "trade_type") == Some("JSAPI") {
        params::require(order, "openid")?;
    }
    validate::timestamp14(order, "time_start")?;
    validate::timestamp14(order, "time_expire")?;
    Ok(())
}

/// The request body for `POST /pay/unifiedorder`.
pub fn build_unified_order_xml(order: Params, key: &str, sign_type: SignType) -> Result<String> {
    validate_unified_order(&order)?;
    request::signed_xml(order, key, sign_type)
}
