//! The v3 half of the contract (see the parent module). `crate::v3::builders` takes its
//! methods and paths from [`ENDPOINTS`] (v3 imports the contract, never the reverse).

use super::{Endpoint, Function};

// ---------------------------------------------------------------- FUNCTIONS (v3js)

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
            "appid", "mchId", "serialNo", "privateKey", "apiV3Key", "publicKeys", "baseUrl", "timeoutMs", "retries",
            "backoffMs", "fetch", "onEvent", "refreshBeforeSeconds",
        ],
    },
    Function { name: "createNotifyHandler", options: &["onPaid", "onNotify", "maxBytes", "dedupeSize", "maxSkewSeconds"] },
];

// ---------------------------------------------------------------- ENDPOINTS (v3core)

/// The v3 endpoints the request builders produce; `{…}` marks a percent-encoded path segment.
pub const ENDPOINTS: &[Endpoint] = &[
    Endpoint { name: "jsapi", method: "POST", path: "/v3/pay/transactions/jsapi" },
    Endpoint { name: "queryByOutTradeNo", method: "GET", path: "/v3/pay/transactions/out-trade-no/{out_trade_no}" },
    Endpoint { name: "queryById", method: "GET", path: "/v3/pay/transactions/id/{transaction_id}" },
    Endpoint { name: "close", method: "POST", path: "/v3/pay/transactions/out-trade-no/{out_trade_no}/close" },
    Endpoint { name: "refund", method: "POST", path: "/v3/refund/domestic/refunds" },
    Endpoint { name: "refundQuery", method: "GET", path: "/v3/refund/domestic/refunds/{out_refund_no}" },
    Endpoint { name: "certificates", method: "GET", path: "/v3/certificates" },
];

/// The endpoint named `name` (the builders' own names; a typo is a programming error).
pub fn endpoint(name: &str) -> &'static Endpoint {
    ENDPOINTS.iter().find(|e| e.name == name).expect("a v3 endpoint named in the contract")
}
