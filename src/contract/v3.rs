//! The v3 half of the contract (see the parent module).

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
];

// ---------------------------------------------------------------- ENDPOINTS (v3core)

/// The v3 endpoints the request builders produce.
pub const ENDPOINTS: &[Endpoint] = &[];
