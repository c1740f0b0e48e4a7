//! The v2 half of the contract (see the parent module): its endpoints, the causes
//! `diagnoseSign` reports, and the option names of its exports and client. `v2::api` builds
//! the requests for [`ENDPOINTS`]; `v2::diagnose` finds the [`Cause`]s.

use super::{Endpoint, Function};

// ---------------------------------------------------------------- ENDPOINTS

const fn ep(name: &'static str, path: &'static str, client_cert: bool) -> Endpoint {
    Endpoint { name, method: "POST", path, client_cert }
}

/// Every v2 endpoint the package builds requests for (all `POST`, XML both ways). Sandbox
/// calls put `/sandboxnew` in front of the path (`/sandboxnew/pay/unifiedorder`); the
/// sign-key path already has it.
pub const ENDPOINTS: &[Endpoint] = &[
    ep("unifiedOrder", "/pay/unifiedorder", false),
    ep("orderQuery", "/pay/orderquery", false),
    ep("closeOrder", "/pay/closeorder", false),
    ep("refund", "/secapi/pay/refund", true),
    ep("refundQuery", "/pay/refundquery", false),
    ep("downloadBill", "/pay/downloadbill", false),
    ep("sandboxSignKey", "/sandboxnew/pay/getsignkey", false),
];

// ---------------------------------------------------------------- CAUSES

/// Stable identifiers: the page and callers branch on [`Cause::as_str`], never on messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cause {
    OtherSignType,
    SignTypeExcluded,
    SignTypeAdded,
    EmptyValuesIncluded,
    ValuesTrimmed,
    ValuesUrlEncoded,
    LowercaseHex,
    KeySuffixMissing,
    KeyWhitespace,
    FieldOneSide,
    JsonReserialized,
}

impl Cause {
    pub const ALL: [Cause; 11] = [
        Cause::OtherSignType,
        Cause::SignTypeExcluded,
        Cause::SignTypeAdded,
        Cause::EmptyValuesIncluded,
        Cause::ValuesTrimmed,
        Cause::ValuesUrlEncoded,
        Cause::LowercaseHex,
        Cause::KeySuffixMissing,
        Cause::KeyWhitespace,
        Cause::FieldOneSide,
        Cause::JsonReserialized,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Cause::OtherSignType => "OTHER_SIGN_TYPE",
            Cause::SignTypeExcluded => "SIGN_TYPE_EXCLUDED",
            Cause::SignTypeAdded => "SIGN_TYPE_ADDED",
            Cause::EmptyValuesIncluded => "EMPTY_VALUES_INCLUDED",
            Cause::ValuesTrimmed => "VALUES_TRIMMED",
            Cause::ValuesUrlEncoded => "VALUES_URL_ENCODED",
            Cause::LowercaseHex => "LOWERCASE_HEX",
            Cause::KeySuffixMissing => "KEY_SUFFIX_MISSING",
            Cause::KeyWhitespace => "KEY_WHITESPACE",
            Cause::FieldOneSide => "FIELD_ONE_SIDE",
            Cause::JsonReserialized => "JSON_RESERIALIZED",
        }
    }

    /// What the mistake is and what to do about it, for people.
    pub fn explain(self) -> &'static str {
        match self {
            Cause::OtherSignType => "The signature was made with the other algorithm. Use the same sign type on both sides, and send a matching `sign_type` field (no field means MD5).",
            Cause::SignTypeExcluded => "The other side left `sign_type` out of the signed fields. Every non-empty field except `sign` is signed, `sign_type` included.",
            Cause::SignTypeAdded => "The other side signed a `sign_type` field that these parameters do not have. Send the field, or stop signing it.",
            Cause::EmptyValuesIncluded => "The other side signed empty values as `name=`. Empty values must be left out of the signing string.",
            Cause::ValuesTrimmed => "The other side trimmed whitespace from the values before signing. Sign (and send) the values exactly as transmitted.",
            Cause::ValuesUrlEncoded => "The other side URL-encoded the values before signing. Sign the raw values; encoding belongs to the transport, not the signature.",
            Cause::LowercaseHex => "The signature is right but in lowercase hex. WeChat compares uppercase hex: uppercase the digest.",
            Cause::KeySuffixMissing => "The other side did not append `&key=<API key>` as WeChat's rule says (HMAC-SHA256 appends it too).",
            Cause::KeyWhitespace => "The keys differ only by surrounding whitespace, often a newline read from a file or environment variable. Trim the key.",
            Cause::FieldOneSide => "A field is signed on one side only: the other side's signature does not cover it. Sign exactly the fields that are sent.",
            Cause::JsonReserialized => "A JSON value was re-serialised before signing (spacing or escaping changed). Sign the exact string that is sent.",
        }
    }
}

// ---------------------------------------------------------------- FUNCTIONS

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
            "appid",
            "mchId",
            "key",
            "signType",
            "baseUrl",
            "cert",
            "certKey",
            "pfx",
            "passphrase",
            "ca",
            "timeoutMs",
            "retries",
            "backoffMs",
            "fetch",
            "onEvent",
        ],
    ),
    f(
        "createNotifyHandler",
        &["onPaid", "onNotify", "findOrder", "onRefused", "maxBytes", "dedupeSize", "readTimeoutMs"],
    ),
];
