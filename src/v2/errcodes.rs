//! The `err_code` values WeChat documents for the order and refund APIs, with what each
//! means and what to do about it. `result_code` FAIL errors carry `retryable` from here,
//! so a caller can decide between "send the same request again" and "a person must act"
//! without a table of its own.

/// One documented `err_code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrCodeInfo {
    pub code: &'static str,
    /// The meaning as WeChat's Chinese documentation words it.
    pub zh: &'static str,
    pub en: &'static str,
    /// Sending the identical request again (same `out_trade_no` / `out_refund_no`) is
    /// safe and may succeed without anyone changing anything; usually after a pause.
    pub retryable: bool,
    /// What the merchant should do.
    pub action: &'static str,
    /// The APIs (names as in [`crate::contract::v2::ENDPOINTS`]) documented to return it.
    pub apis: &'static [&'static str],
}

const fn e(
    code: &'static str,
    zh: &'static str,
    en: &'static str,
    retryable: bool,
    action: &'static str,
    apis: &'static [&'static str],
) -> ErrCodeInfo {
    ErrCodeInfo { code, zh, en, retryable, action, apis }
}

const ALL_APIS: &[&str] = &["unifiedOrder", "orderQuery", "closeOrder", "refund", "refundQuery"];

/// In the order of the lifecycle: transient failures first, then order state, then
/// configuration and request mistakes, then refund-specific codes.
pub const CATALOGUE: &[ErrCodeInfo] = &[
    e("SYSTEMERROR", "系统错误", "WeChat Pay system error", true,
      "Retry with exactly the same parameters (for a refund keep the same out_refund_no); if it persists, query the order or refund before doing anything else.",
      ALL_APIS),
    e("BIZERR_NEED_RETRY", "退款业务流程错误，需要商户触发重试来解决", "Concurrent refund requests were rejected; a retry resolves it", true,
      "Send the same refund request again (same out_refund_no) after a short pause.",
      &["refund"]),
    e("FREQUENCY_LIMITED", "频率限制", "Rate limited (refunds of orders older than two months are throttled)", true,
      "The request was not accepted; send it again later at a lower rate.",
      &["refund"]),
    e("INVALID_REQ_TOO_MUCH", "无效请求过多", "Too many invalid requests; the merchant is briefly blocked", true,
      "Fix whatever makes requests invalid, then retry after about a minute.",
      &["refund"]),
    e("ORDERPAID", "商户订单已支付", "The order is already paid", false,
      "Do not charge again and do not close it: mark the order paid (query it to get transaction_id); refund if the payment was unwanted.",
      &["unifiedOrder", "closeOrder"]),
    e("ORDERCLOSED", "订单已关闭", "The order is closed", false,
      "Nothing to pay or close: create a new order with a new out_trade_no if the user still wants to pay.",
      &["unifiedOrder", "closeOrder"]),
    e("ORDERNOTEXIST", "此交易订单号不存在", "No such order", false,
      "Check out_trade_no / transaction_id and the appid/mch_id pair; only orders whose unified order succeeded can be queried.",
      &["orderQuery", "closeOrder", "refund"]),
    e("OUT_TRADE_NO_USED", "商户订单号重复", "out_trade_no was already used for a different order", false,
      "Use a new out_trade_no; a repeated unified order must carry exactly the original parameters.",
      &["unifiedOrder"]),
    e("INVALID_REQUEST", "参数错误", "Invalid request: parameters are malformed or differ from the original request", false,
      "Check the parameters; re-sending an out_trade_no requires the same parameters as the first request.",
      &["unifiedOrder"]),
    e("NOTENOUGH", "余额不足", "Insufficient balance (the payer's for an order, the merchant's available funds for a refund)", false,
      "Order: ask the user to pay with another card. Refund: top up the merchant account (or choose refund_account), then send the same refund again.",
      &["unifiedOrder", "refund"]),
    e("NOAUTH", "商户无此接口权限", "The merchant has no permission for this API", false,
      "Enable the product (e.g. JSAPI / mini-program payment) for this mch_id in the merchant platform.",
      &["unifiedOrder", "orderQuery", "closeOrder", "refund", "refundQuery"]),
    e("APPID_NOT_EXIST", "APPID不存在", "The appid does not exist", false,
      "Check appid: it must be the mini-program's AppID bound to this mch_id.",
      ALL_APIS),
    e("MCHID_NOT_EXIST", "MCHID不存在", "The mch_id does not exist", false,
      "Check mch_id.",
      ALL_APIS),
    e("APPID_MCHID_NOT_MATCH", "appid和mch_id不匹配", "appid and mch_id are not bound to each other", false,
      "Bind the mini-program AppID to the merchant number in the merchant platform, or use the matching pair.",
      &["unifiedOrder", "orderQuery", "closeOrder"]),
    e("LACK_PARAMS", "缺少参数", "A required parameter is missing", false,
      "Add the missing parameter (err_code_des names it).",
      &["unifiedOrder", "orderQuery", "closeOrder"]),
    e("PARAM_ERROR", "参数错误", "A parameter is invalid", false,
      "Fix the parameter named in err_code_des (e.g. refund_fee greater than the refundable amount).",
      &["refund", "refundQuery"]),
    e("SIGNERROR", "签名错误", "Signature error", false,
      "Check the API key, sign_type (MD5 vs HMAC-SHA256) and that the signed fields equal the sent ones; in the sandbox use the sandbox key.",
      ALL_APIS),
    e("XML_FORMAT_ERROR", "XML格式错误", "The request body is not valid XML", false,
      "Send the XML built by this package unchanged.",
      ALL_APIS),
    e("REQUIRE_POST_METHOD", "请使用post方法", "The request must be a POST", false,
      "Send the XML as the body of an HTTP POST.",
      ALL_APIS),
    e("POST_DATA_EMPTY", "post数据为空", "The POST body is empty", false,
      "Send the request XML as the POST body.",
      &["unifiedOrder"]),
    e("NOT_UTF8", "编码格式错误", "The body is not UTF-8", false,
      "Send the body encoded as UTF-8.",
      &["unifiedOrder"]),
    e("TRADE_OVERDUE", "订单已经超过退款期限", "The order is past the refund period (one year after payment)", false,
      "Refund the user by other means.",
      &["refund"]),
    e("ERROR", "业务错误", "Business error (err_code_des gives the reason)", false,
      "Read err_code_des and act on it; do not retry unchanged.",
      &["refund"]),
    e("USER_ACCOUNT_ABNORMAL", "退款请求失败（用户帐号注销）", "The payer's account is closed or abnormal", false,
      "The refund cannot go back to the user's WeChat account; refund by other means.",
      &["refund"]),
    e("INVALID_TRANSACTIONID", "无效transaction_id", "transaction_id is invalid", false,
      "Check transaction_id: it must be the one WeChat returned for a paid order.",
      &["refund", "refundQuery"]),
    e("REFUNDNOTEXIST", "退款订单查询失败", "No refund matches the query", false,
      "Check the identifiers; if the refund request itself may not have reached WeChat, send it again with the same out_refund_no.",
      &["refundQuery"]),
];

/// The catalogue entry for `code`, if it is documented.
pub fn describe(code: &str) -> Option<&'static ErrCodeInfo> {
    CATALOGUE.iter().find(|e| e.code == code)
}

/// Each code with its `retryable`, computed from [`CATALOGUE`] at compile time.
///
/// Size: this table is all the wasm needs. The prose (zh, en, action) reaches the npm
/// package as `js/errcodes.json`, written from [`CATALOGUE`] and checked equal to it by
/// the test below, so the wasm does not carry ~5 KB of text that JS already holds.
/// `CATALOGUE` is a `const`, so it is only linked where code reads it at run time.
const RETRYABLE: [(&str, bool); CATALOGUE.len()] = {
    let mut out = [("", false); CATALOGUE.len()];
    let mut i = 0;
    while i < out.len() {
        out[i] = (CATALOGUE[i].code, CATALOGUE[i].retryable);
        i += 1;
    }
    out
};

/// `Some(retryable)` for a documented code.
pub fn retryable(code: &str) -> Option<bool> {
    RETRYABLE.iter().find(|(c, _)| *c == code).map(|&(_, r)| r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_once_and_complete() {
        for (i, e) in CATALOGUE.iter().enumerate() {
            assert!(CATALOGUE[..i].iter().all(|o| o.code != e.code), "{} twice", e.code);
            assert!(!e.zh.is_empty() && !e.en.is_empty() && !e.action.is_empty() && !e.apis.is_empty());
            for api in e.apis {
                assert!(crate::v2::api::path(api).is_some(), "{} names unknown api {api}", e.code);
            }
        }
        assert_eq!(describe("SYSTEMERROR").map(|e| e.retryable), Some(true));
        assert_eq!(describe("ORDERPAID").map(|e| e.retryable), Some(false));
        assert!(describe("NOPE").is_none());
        assert_eq!(
            (retryable("SYSTEMERROR"), retryable("ORDERPAID"), retryable("NOPE")),
            (Some(true), Some(false), None)
        );
    }

    /// The catalogue as js/errcodes.json holds it (one entry a line, the order above);
    /// strings are written by serde_json, a test-only dependency.
    #[cfg(not(target_arch = "wasm32"))]
    fn catalogue_json() -> String {
        let mut out = String::from("[\n");
        for (i, e) in CATALOGUE.iter().enumerate() {
            let mut o = String::from("  {");
            for (n, (k, v)) in [("code", e.code), ("zh", e.zh), ("en", e.en)].into_iter().enumerate() {
                if n > 0 {
                    o.push_str(", ");
                }
                o.push_str(&serde_json::to_string(k).unwrap());
                o.push_str(": ");
                o.push_str(&serde_json::to_string(v).unwrap());
            }
            o.push_str(if e.retryable { ", \"retryable\": true, " } else { ", \"retryable\": false, " });
            o.push_str("\"action\"");
            o.push_str(": ");
            o.push_str(&serde_json::to_string(e.action).unwrap());
            o.push_str(", \"apis\": [");
            for (n, a) in e.apis.iter().enumerate() {
                if n > 0 {
                    o.push_str(", ");
                }
                o.push_str(&serde_json::to_string(a).unwrap());
            }
            o.push_str("]}");
            out.push_str(&o);
            out.push_str(if i + 1 < CATALOGUE.len() { ",\n" } else { "\n" });
        }
        out.push_str("]\n");
        out
    }

    /// js/errcodes.json is generated from CATALOGUE: `WXPAY_BLESS=1 cargo test errcodes`
    /// rewrites it after an edit here.
    #[test]
    #[cfg(not(target_arch = "wasm32"))]
    fn js_copy_matches() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/js/errcodes.json");
        let want = catalogue_json();
        if std::env::var_os("WXPAY_BLESS").is_some() {
            std::fs::write(path, &want).unwrap();
        }
        let have = std::fs::read_to_string(path).unwrap_or_default();
        assert!(have == want, "js/errcodes.json is out of date: run `WXPAY_BLESS=1 cargo test errcodes`");
    }
}
