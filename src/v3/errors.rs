//! WeChat Pay v3 error answers: a non-2xx status with `{ "code", "message", "detail"? }`.
//!
//! [`parse_error_response`] turns one into a [`WxError`]:
//! - a JSON error body → `RESULT_FAIL` (WeChat answered and refused: a business-level
//!   failure, as v2's `result_code` FAIL) with details `errCode`, `errMessage`, `httpStatus`,
//!   `retryable` (from [`CATALOGUE`] when the code is known, else from the status: 429 and
//!   5XX are worth retrying) and `detail` (the `detail` object's JSON, when present);
//! - anything else (an HTML page from a proxy, an empty 502) → `RETURN_FAIL` (the request
//!   did not get a WeChat answer at all: communication-level, as v2's `return_code` FAIL).
//!
//! No new `WxPayError` code is needed: callers branch on `code` first and on
//! `details.errCode` for WeChat's own reason.

use crate::core::error::{self, quoted_max, Code, WxError, QUOTE_MAX_WECHAT};
use crate::v3::json::Json;

/// One documented v3 error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorInfo {
    pub code: &'static str,
    /// The HTTP status WeChat documents with it.
    pub status: u16,
    pub zh: &'static str,
    pub en: &'static str,
    /// Sending the identical request again (same `out_trade_no` / `out_refund_no`) is safe
    /// and may succeed without anyone changing anything, usually after a pause.
    pub retryable: bool,
    pub action: &'static str,
}

const fn e(
    code: &'static str,
    status: u16,
    zh: &'static str,
    en: &'static str,
    retryable: bool,
    action: &'static str,
) -> ErrorInfo {
    ErrorInfo { code, status, zh, en, retryable, action }
}

/// The codes WeChat documents for the order, query, close and refund APIs: transient
/// failures first, then request mistakes, then order and refund state.
pub const CATALOGUE: &[ErrorInfo] = &[
    e("SYSTEM_ERROR", 500, "系统错误", "WeChat Pay system error", true,
      "Retry with exactly the same request (same out_trade_no / out_refund_no); if it persists, query the order or refund before anything else."),
    e("BANK_ERROR", 500, "银行系统异常", "The bank's system failed", true,
      "Retry the same request later; for a refund, query it first (it may have been accepted)."),
    e("FREQUENCY_LIMITED", 429, "频率超限", "Rate limited", true,
      "Send the same request again later, at a lower rate."),
    e("PARAM_ERROR", 400, "参数错误", "A parameter is malformed", false,
      "Read `message` / `detail` for the field, fix it and send a corrected request."),
    e("INVALID_REQUEST", 400, "参数符合参数格式，但不符合业务规则", "Well-formed but not allowed by the business rules (e.g. the order's state)", false,
      "Read `message`; query the order to see its state before trying anything else."),
    e("APPID_MCHID_NOT_MATCH", 400, "AppID和mch_id不匹配", "The appid is not bound to this merchant", false,
      "Bind the AppID to the merchant in the merchant console, or use the right appid/mchid pair."),
    e("MCH_NOT_EXISTS", 400, "商户号不存在", "No such merchant number", false,
      "Check mchid."),
    e("SIGN_ERROR", 401, "签名错误", "The Authorization signature did not verify", false,
      "Check the merchant private key, the certificate serial_no it belongs to, and that the signed URL and body are byte-for-byte the ones sent."),
    e("NO_AUTH", 403, "商户无权限", "The merchant has no permission for this API", false,
      "Apply for the product (e.g. JSAPI payment) in the merchant console."),
    e("RULE_LIMIT", 403, "业务规则限制", "Blocked by a business rule", false,
      "Read `message`; a person must change the request or the account's configuration."),
    e("TRADE_ERROR", 403, "交易错误", "The transaction was refused", false,
      "Read `message`; the user may need to pay another way."),
    e("OUT_TRADE_NO_USED", 403, "商户订单号重复", "out_trade_no was already used for a different order", false,
      "Use a new out_trade_no; a repeated order must carry exactly the original parameters."),
    e("ORDER_CLOSED", 403, "订单已关闭", "The order is closed", false,
      "Create a new order with a new out_trade_no if the user still wants to pay."),
    e("ACCOUNT_ERROR", 403, "账号异常", "The user's account is restricted", false,
      "The user must resolve it with WeChat Pay, or pay another way."),
    e("NOT_ENOUGH", 403, "余额不足", "Insufficient balance (for a refund: the merchant's available balance)", false,
      "Top up the merchant account (or wait for settlement), then send the same refund again."),
    e("USER_ACCOUNT_ABNORMAL", 403, "退款请求失败", "The user's account is abnormal or closed; the refund cannot go back to it", false,
      "Refund the user by another channel; the original refund cannot complete."),
    e("ORDER_NOT_EXIST", 404, "订单不存在", "No such order", false,
      "Check out_trade_no / transaction_id and the mchid; only orders whose placement succeeded can be queried."),
    e("RESOURCE_NOT_EXISTS", 404, "资源不存在", "No such resource (e.g. no such refund or order)", false,
      "Check the number in the URL (out_refund_no, out_trade_no) and the mchid."),
];

pub fn describe(code: &str) -> Option<&'static ErrorInfo> {
    CATALOGUE.iter().find(|i| i.code == code)
}

/// Each code with its English line and `retryable`, computed from [`CATALOGUE`] at compile
/// time: all [`parse_error_response`] reads. Size: `CATALOGUE` is a `const`, so its `zh`,
/// `status` and `action` (the docs' text, ~2 KB) are linked only where code reads them,
/// which the wasm does not (as v2's `errcodes::RETRYABLE`).
const RUNTIME: [(&str, &str, bool); CATALOGUE.len()] = {
    let mut out = [("", "", false); CATALOGUE.len()];
    let mut i = 0;
    while i < out.len() {
        out[i] = (CATALOGUE[i].code, CATALOGUE[i].en, CATALOGUE[i].retryable);
        i += 1;
    }
    out
};

/// Cut to [`QUOTE_MAX_WECHAT`] characters: messages are for logs and people.
fn clip(s: &str) -> String {
    error::clip(s, QUOTE_MAX_WECHAT).to_owned()
}

/// A v3 error answer as a [`WxError`] (see the module docs).
pub fn parse_error_response(status: u16, body: &[u8]) -> WxError {
    let parsed = if body.len() <= 64 * 1024 { Json::parse(body, "error body").ok() } else { None };
    let fields = parsed.as_ref().and_then(|v| {
        Some((v.get("code")?.as_str()?, v.get("message").and_then(Json::as_str).unwrap_or(""), v.get("detail")))
    });
    let Some((code, message, detail)) = fields.filter(|(c, _, _)| !c.is_empty()) else {
        let retryable = status == 429 || status >= 500;
        return WxError::new(
            Code::ReturnFail,
            format!("HTTP {status} without a WeChat Pay error body (a proxy or network failure?)"),
        )
        .with_detail("httpStatus", status.to_string())
        .with_detail("retryable", retryable.to_string());
    };
    let info = RUNTIME.iter().find(|(c, _, _)| *c == code);
    let retryable = info.map_or(status == 429 || status >= 500, |&(_, _, r)| r);
    let what = info.map_or("", |&(_, en, _)| en);
    let mut err = WxError::new(
        Code::ResultFail,
        format!(
            "WeChat Pay refused the request: {} {}{}{}",
            quoted_max(code, QUOTE_MAX_WECHAT),
            quoted_max(message, QUOTE_MAX_WECHAT),
            if what.is_empty() { "" } else { " — " },
            what
        ),
    )
    .with_detail("errCode", clip(code))
    .with_detail("errMessage", clip(message))
    .with_detail("httpStatus", status.to_string())
    .with_detail("retryable", retryable.to_string());
    if let Some(d) = detail.filter(|d| !matches!(d, Json::Null)) {
        err = err.with_detail("detail", d.to_json());
    }
    if let Some(field) = detail.and_then(|d| d.get("field")).and_then(Json::as_str) {
        err.field = Some(clip(field));
    }
    err
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_error_bodies() {
        let e = parse_error_response(400, r#"{"code":"PARAM_ERROR","message":"参数错误","detail":{"field":"/amount/total","value":0,"issue":"must be > 0","location":"body"}}"#.as_bytes());
        assert_eq!(e.code, Code::ResultFail);
        assert_eq!(e.detail("errCode"), Some("PARAM_ERROR"));
        assert_eq!(e.detail("retryable"), Some("false"));
        assert_eq!(e.field.as_deref(), Some("/amount/total"));
        assert!(e.detail("detail").unwrap().contains("must be > 0"));
        let e = parse_error_response(500, br#"{"code":"SYSTEM_ERROR","message":"x"}"#);
        assert_eq!(e.detail("retryable"), Some("true"));
        let e = parse_error_response(503, br#"{"code":"SOMETHING_NEW","message":"x"}"#);
        assert_eq!((e.code, e.detail("retryable")), (Code::ResultFail, Some("true")));
        for (status, body) in
            [(502, &b"<html>bad gateway</html>"[..]), (500, b""), (400, b"{\"message\":\"no code\"}"), (400, b"[1]")]
        {
            assert_eq!(parse_error_response(status, body).code, Code::ReturnFail);
        }
        let mut seen = std::collections::HashSet::new();
        assert!(CATALOGUE.iter().all(|i| seen.insert(i.code)));
        for i in CATALOGUE {
            let e = parse_error_response(i.status, format!(r#"{{"code":"{}","message":"m"}}"#, i.code).as_bytes());
            assert_eq!(e.detail("retryable"), Some(if i.retryable { "true" } else { "false" }), "{}", i.code);
            assert!(e.message.ends_with(&format!(" — {}", i.en)), "{}", e.message);
        }
    }
}
