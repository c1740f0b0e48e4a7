//! The v2 half of the contract (see the parent module). The endpoints themselves stay in
//! the v2 flow ([`crate::v2::api::ENDPOINTS`]), which builds the requests for them; the
//! contract reads them from there, so the arrows point from the contract into v2 only.

use super::Function;

pub use crate::v2::api::ENDPOINTS;
pub use crate::v2::diagnose::Cause;

const fn f(name: &'static str, options: &'static [&'static str]) -> Function {
    Function { name, options }
}

/// What every request builder takes: the key that signs it and the algorithm.
const SIGNING: &[&str] = &["key", "signType"];

/// Every v2 export that takes an options object, with its option names (the names
/// src/wasm/v2.rs reads; js/v2 refuses any other before calling wasm).
/// `buildSandboxSignKeyXml` is not here: its one argument is WeChat's own fields (plus
/// the key), and the core already refuses any field but `mch_id` and `nonce_str`.
pub const FUNCTIONS: &[Function] = &[
    f("parseXml", &["maxBytes"]),
    f("buildUnifiedOrderXml", SIGNING),
    f("parseUnifiedOrderResponse", SIGNING),
    f("parseResponse", SIGNING),
    f("requestPaymentParams", &["appId", "prepayId", "key", "signType", "timeStamp", "nonceStr"]),
    f("verifyNotify", &["key", "signType", "maxBytes", "appid", "mchId", "outTradeNo", "totalFee"]),
    f("buildNotifyXml", SIGNING),
    f("buildOrderQueryXml", SIGNING),
    f("buildCloseOrderXml", SIGNING),
    f("buildRefundXml", SIGNING),
    f("buildRefundQueryXml", SIGNING),
    f("buildDownloadBillXml", SIGNING),
    f("parseSandboxSignKeyResponse", &["key"]),
    f("decryptRefundNotify", &["key", "appid", "mchId", "maxBytes"]),
];

/// The client (`createClient`, issue 13) and its notify middleware: the option names each
/// accepts (js/client refuses any other). Kept apart from [`FUNCTIONS`], whose entries are
/// the wasm exports' options.
pub const CLIENT: &[Function] = &[
    f(
        "createClient",
        &[
            "appid", "mchId", "key", "signType", "baseUrl", "cert", "certKey", "pfx", "passphrase", "ca", "timeoutMs",
            "retries", "backoffMs", "fetch", "onEvent",
        ],
    ),
    f("createNotifyHandler", &["onPaid", "onNotify", "findOrder", "onRefused", "maxBytes", "dedupeSize", "readTimeoutMs"]),
];
