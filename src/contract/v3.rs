//! The v3 half of the contract (see the parent module): the option names of its exports and
//! client, and its endpoints, whose methods and paths `v3::builders` takes from here
//! (v3 reads the contract, never the reverse).

use super::{Endpoint, Function};

// ---------------------------------------------------------------- FUNCTIONS

/// Every v3 export that takes an options object, with its option names (js/v3 refuses any
/// other name). The remaining v3 exports take positional arguments only.
pub const FUNCTIONS: &[Function] = &[
    Function {
        name: "authorization",
        options: &["mchId", "serialNo", "privateKey", "method", "url", "body", "timestamp", "nonce"],
    },
    Function { name: "verifySignature", options: &["publicKeys", "now", "maxSkewSeconds"] },
    Function {
        name: "verifyNotify",
        options: &["apiV3Key", "publicKeys", "now", "maxSkewSeconds", "appid", "mchId", "outTradeNo", "total"],
    },
    Function { name: "requestPaymentParams", options: &["appId", "prepayId", "privateKey", "timeStamp", "nonceStr"] },
    // The builders with a `notify_url` (the others take no options).
    Function { name: "buildJsapiOrder", options: &["allowLoopbackHttp"] },
    Function { name: "buildRefund", options: &["allowLoopbackHttp"] },
];

/// The v3 client (`createClient`, issue 13) and its notify middleware; see
/// `super::v2::CLIENT`.
pub const CLIENT: &[Function] = &[
    Function {
        name: "createClient",
        options: &[
            "appid",
            "mchId",
            "serialNo",
            "privateKey",
            "apiV3Key",
            "publicKeys",
            "baseUrl",
            "timeoutMs",
            "retries",
            "backoffMs",
            "fetch",
            "onEvent",
            "refreshBeforeSeconds",
        ],
    },
    Function {
        name: "createNotifyHandler",
        options: &[
            "onPaid",
            "onNotify",
            "on",
            "findOrder",
            "onRefused",
            "maxBytes",
            "dedupeSize",
            "readTimeoutMs",
            "maxSkewSeconds",
        ],
    },
];

// ---------------------------------------------------------------- ENDPOINTS

const fn get(name: &'static str, path: &'static str) -> Endpoint {
    Endpoint { name, method: "GET", path, client_cert: false }
}
const fn post(name: &'static str, path: &'static str) -> Endpoint {
    Endpoint { name, method: "POST", path, client_cert: false }
}

// Each endpoint is a constant the request builders name directly (`v3::builders`), so no
// lookup by name can miss. `{…}` marks a percent-encoded path segment.
pub const JSAPI: Endpoint = post("jsapi", "/v3/pay/transactions/jsapi");
pub const QUERY_BY_OUT_TRADE_NO: Endpoint =
    get("queryByOutTradeNo", "/v3/pay/transactions/out-trade-no/{out_trade_no}");
pub const QUERY_BY_ID: Endpoint = get("queryById", "/v3/pay/transactions/id/{transaction_id}");
pub const CLOSE: Endpoint = post("close", "/v3/pay/transactions/out-trade-no/{out_trade_no}/close");
pub const REFUND: Endpoint = post("refund", "/v3/refund/domestic/refunds");
pub const REFUND_QUERY: Endpoint = get("refundQuery", "/v3/refund/domestic/refunds/{out_refund_no}");
pub const CERTIFICATES: Endpoint = get("certificates", "/v3/certificates");

/// Every v3 endpoint the package knows: the request builders' and `/v3/certificates`.
pub const ENDPOINTS: &[Endpoint] =
    &[JSAPI, QUERY_BY_OUT_TRADE_NO, QUERY_BY_ID, CLOSE, REFUND, REFUND_QUERY, CERTIFICATES];
