//! The one error type of the crate. Every failure a caller can see is a [`WxError`] whose
//! [`Code`] is stable: JavaScript callers branch on `err.code`, so codes are never renamed.

use std::fmt;

/// Stable error codes. The JavaScript boundary exposes [`Code::as_str`] as `WxPayError.code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Code {
    /// An argument has the wrong type or shape (not a field of a parameter set).
    InvalidParam,
    /// A required field is absent or empty.
    MissingField,
    /// A field is present but its value or name is not acceptable.
    InvalidField,
    /// The input is not well-formed XML of the `<xml><field>…</field></xml>` shape.
    InvalidXml,
    /// The XML uses a feature we never accept: DOCTYPE, entities, processing instructions.
    XmlForbidden,
    /// The input is larger than the configured limit; it was not parsed.
    InputTooLarge,
    /// A field name appears twice; which value counts would be ambiguous.
    DuplicateField,
    /// A message that must be signed carries no `sign`.
    SignMissing,
    /// The `sign` does not match the fields and key.
    SignMismatch,
    /// `sign_type` (or the option) names an algorithm other than MD5 and HMAC-SHA256.
    UnsupportedSignType,
    /// WeChat answered `return_code` FAIL (communication-level failure).
    ReturnFail,
    /// WeChat answered `result_code` FAIL (business-level failure).
    ResultFail,
    /// A received message names another `appid` than the one expected.
    AppidMismatch,
    /// A received message names another `mch_id` than the one expected.
    MchIdMismatch,
    /// A received message is about another order (`out_trade_no`) than the one expected.
    OutTradeNoMismatch,
    /// A received message carries another amount (`total_fee`) than the order's.
    AmountMismatch,
    /// A refund notification's `req_info` (v2) or a callback's `resource` (v3) could not be decrypted.
    DecryptFailed,
    /// v3: `Wechatpay-Serial` names a key or certificate the caller did not supply.
    UnknownSerial,
    /// v3: the platform certificate `Wechatpay-Serial` names is outside its validity (expired or not yet valid, 300 s allowed).
    CertExpired,
    /// v3: `Wechatpay-Timestamp` is further from now than the allowed skew (300 s by default).
    TimestampSkew,
    /// v3: a body or decrypted resource is not the JSON document expected.
    InvalidJson,
    /// Client: the request could not be sent or its answer not read (connection refused, reset, DNS).
    NetworkError,
    /// Client: no complete answer within `timeoutMs`; notify handler: no complete body within `readTimeoutMs`.
    Timeout,
    /// Client: an API that needs the merchant's TLS client certificate, without one configured or on a host that cannot present it.
    ClientCertUnavailable,
    /// Notify handler: the request body could not be read: another middleware had already read it, or the stream failed.
    BodyUnreadable,
    /// Notify handler: `findOrder` or a hook threw, `findOrder` returned no `{ total }`, or no hook takes the event; WeChat is answered so that it sends the notification again.
    HandlerFailed,
    /// Client: a downloaded file (a bill) does not have the digest WeChat's signed answer gave for it: tampered or truncated; nothing in it may be used.
    // Raised by JS alone (the download is hashed by the host, js/v3/download.js): named here so
    // the contract lists it, and never compiled into a wasm.
    #[cfg(not(target_arch = "wasm32"))]
    HashMismatch,
    // Mini-program (issue 29): WeChat's errcodes that call for a different action. Only in a
    // build with the `miniprogram` feature, so the v2 and v3 wasm do not carry their names.
    /// Mini-program: `code2Session` refused the login code (40029 invalid, 40163 already used): ask the mini-program for a new `wx.login` code.
    #[cfg(feature = "miniprogram")]
    LoginCodeInvalid,
    /// Mini-program: a call limit was reached (WeChat's 45011, or a local force-refresh limit of the access token); `retryable` says whether waiting helps.
    #[cfg(feature = "miniprogram")]
    RateLimited,
    /// Mini-program: WeChat refused the user as high-risk (40226); do not retry.
    #[cfg(feature = "miniprogram")]
    RiskyUser,
}

impl Code {
    /// Every code of this build (the mini-program ones with the `miniprogram` feature).
    pub const ALL: &'static [Code] = &[
        Code::InvalidParam,
        Code::MissingField,
        Code::InvalidField,
        Code::InvalidXml,
        Code::XmlForbidden,
        Code::InputTooLarge,
        Code::DuplicateField,
        Code::SignMissing,
        Code::SignMismatch,
        Code::UnsupportedSignType,
        Code::ReturnFail,
        Code::ResultFail,
        Code::AppidMismatch,
        Code::MchIdMismatch,
        Code::OutTradeNoMismatch,
        Code::AmountMismatch,
        Code::DecryptFailed,
        Code::UnknownSerial,
        Code::CertExpired,
        Code::TimestampSkew,
        Code::InvalidJson,
        Code::NetworkError,
        Code::Timeout,
        Code::ClientCertUnavailable,
        Code::BodyUnreadable,
        Code::HandlerFailed,
        #[cfg(not(target_arch = "wasm32"))]
        Code::HashMismatch,
        #[cfg(feature = "miniprogram")]
        Code::LoginCodeInvalid,
        #[cfg(feature = "miniprogram")]
        Code::RateLimited,
        #[cfg(feature = "miniprogram")]
        Code::RiskyUser,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::InvalidParam => "INVALID_PARAM",
            Code::MissingField => "MISSING_FIELD",
            Code::InvalidField => "INVALID_FIELD",
            Code::InvalidXml => "INVALID_XML",
            Code::XmlForbidden => "XML_FORBIDDEN",
            Code::InputTooLarge => "INPUT_TOO_LARGE",
            Code::DuplicateField => "DUPLICATE_FIELD",
            Code::SignMissing => "SIGN_MISSING",
            Code::SignMismatch => "SIGN_MISMATCH",
            Code::UnsupportedSignType => "UNSUPPORTED_SIGN_TYPE",
            Code::ReturnFail => "RETURN_FAIL",
            Code::ResultFail => "RESULT_FAIL",
            Code::AppidMismatch => "APPID_MISMATCH",
            Code::MchIdMismatch => "MCH_ID_MISMATCH",
            Code::OutTradeNoMismatch => "OUT_TRADE_NO_MISMATCH",
            Code::AmountMismatch => "AMOUNT_MISMATCH",
            Code::DecryptFailed => "DECRYPT_FAILED",
            Code::UnknownSerial => "UNKNOWN_SERIAL",
            Code::CertExpired => "CERT_EXPIRED",
            Code::TimestampSkew => "TIMESTAMP_SKEW",
            Code::InvalidJson => "INVALID_JSON",
            Code::NetworkError => "NETWORK_ERROR",
            Code::Timeout => "TIMEOUT",
            Code::ClientCertUnavailable => "CLIENT_CERT_UNAVAILABLE",
            Code::BodyUnreadable => "BODY_UNREADABLE",
            Code::HandlerFailed => "HANDLER_FAILED",
            #[cfg(not(target_arch = "wasm32"))]
            Code::HashMismatch => "HASH_MISMATCH",
            #[cfg(feature = "miniprogram")]
            Code::LoginCodeInvalid => "LOGIN_CODE_INVALID",
            #[cfg(feature = "miniprogram")]
            Code::RateLimited => "RATE_LIMITED",
            #[cfg(feature = "miniprogram")]
            Code::RiskyUser => "RISKY_USER",
        }
    }
}

impl Code {
    /// One line for people, the first line of the variant's doc comment above; the
    /// contract (`js/contract.json`) carries it to JavaScript and the docs.
    pub fn doc(self) -> &'static str {
        match self {
            Code::InvalidParam => "An argument has the wrong type or shape (not a field of a parameter set).",
            Code::MissingField => "A required field is absent or empty.",
            Code::InvalidField => "A field is present but its value or name is not acceptable.",
            Code::InvalidXml => "The input is not well-formed XML of the `<xml><field>…</field></xml>` shape.",
            Code::XmlForbidden => "The XML uses a feature we never accept: DOCTYPE, entities, processing instructions.",
            Code::InputTooLarge => "The input is larger than the configured limit; it was not parsed.",
            Code::DuplicateField => "A field name appears twice; which value counts would be ambiguous.",
            Code::SignMissing => "A message that must be signed carries no `sign`.",
            Code::SignMismatch => "The `sign` does not match the fields and key.",
            Code::UnsupportedSignType => "`sign_type` (or the option) names an algorithm other than MD5 and HMAC-SHA256.",
            Code::ReturnFail => "WeChat answered `return_code` FAIL (communication-level failure).",
            Code::ResultFail => "WeChat answered `result_code` FAIL (business-level failure).",
            Code::AppidMismatch => "A received message names another `appid` than the one expected.",
            Code::MchIdMismatch => "A received message names another `mch_id` than the one expected.",
            Code::OutTradeNoMismatch => "A received message is about another order (`out_trade_no`) than the one expected.",
            Code::AmountMismatch => "A received message carries another amount (`total_fee`) than the order's.",
            Code::DecryptFailed => "A refund notification's `req_info` (v2) or a callback's `resource` (v3) could not be decrypted.",
            Code::UnknownSerial => "v3: `Wechatpay-Serial` names a key or certificate the caller did not supply.",
            Code::CertExpired => "v3: the platform certificate `Wechatpay-Serial` names is outside its validity (expired or not yet valid, 300 s allowed).",
            Code::TimestampSkew => "v3: `Wechatpay-Timestamp` is further from now than the allowed skew (300 s by default).",
            Code::InvalidJson => "v3: a body or decrypted resource is not the JSON document expected.",
            Code::NetworkError => "Client: the request could not be sent or its answer not read (connection refused, reset, DNS).",
            Code::Timeout => "Client: no complete answer within `timeoutMs`; notify handler: no complete body within `readTimeoutMs`.",
            Code::ClientCertUnavailable => "Client: an API that needs the merchant's TLS client certificate, without one configured or on a host that cannot present it.",
            Code::BodyUnreadable => "Notify handler: the request body could not be read: another middleware had already read it, or the stream failed.",
            Code::HandlerFailed => "Notify handler: `findOrder` or a hook threw, `findOrder` returned no `{ total }`, or no hook takes the event; WeChat is answered so that it sends the notification again.",
            #[cfg(not(target_arch = "wasm32"))]
            Code::HashMismatch => "Client: a downloaded file (a bill) does not have the digest WeChat's signed answer gave for it: tampered or truncated; nothing in it may be used.",
            #[cfg(feature = "miniprogram")]
            Code::LoginCodeInvalid => "Mini-program: `code2Session` refused the login code (40029 invalid, 40163 already used): ask the mini-program for a new `wx.login` code.",
            #[cfg(feature = "miniprogram")]
            Code::RateLimited => "Mini-program: a call limit was reached (WeChat's 45011, or a local force-refresh limit of the access token); `retryable` says whether waiting helps.",
            #[cfg(feature = "miniprogram")]
            Code::RiskyUser => "Mini-program: WeChat refused the user as high-risk (40226); do not retry.",
        }
    }
}

/// The names of the facts an error may carry beside `code` and `message` (`field`, then
/// the [`WxError::details`] names the crate uses); JavaScript copies exactly these. The v3
/// ones: `errMessage`, `httpStatus`, `detail` (an error answer), `serial` (UNKNOWN_SERIAL),
/// `skewSeconds` (TIMESTAMP_SKEW).
pub const DETAIL_NAMES: [&str; 11] = [
    "field",
    "returnCode",
    "returnMsg",
    "errCode",
    "errCodeDes",
    "retryable",
    "errMessage",
    "httpStatus",
    "detail",
    "serial",
    "skewSeconds",
];

/// A failure with a stable code, a sentence for people, the field it concerns (if any) and
/// extra facts WeChat sent with it (`return_msg`, `err_code`, `err_code_des`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WxError {
    pub code: Code,
    pub message: String,
    pub field: Option<String>,
    pub details: Vec<(&'static str, String)>,
}

impl WxError {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        WxError { code, message: message.into(), field: None, details: Vec::new() }
    }

    /// An error about one named field; the name is what UIs use to point at the input.
    pub fn field(code: Code, field: &str, message: impl Into<String>) -> Self {
        WxError { code, message: message.into(), field: Some(field.to_owned()), details: Vec::new() }
    }

    pub fn missing(field: &str) -> Self {
        Self::field(Code::MissingField, field, format!("required field `{field}` is missing or empty"))
    }

    pub fn with_detail(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.details.push((name, value.into()));
        self
    }

    pub fn detail(&self, name: &str) -> Option<&str> {
        self.details.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }
}

impl fmt::Display for WxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

impl std::error::Error for WxError {}

pub type Result<T> = std::result::Result<T, WxError>;

/// The most characters of someone else's text an error message shows. Messages are logged:
/// a sender must not be able to fill a log line with 60 KB of its own, nor forge a second
/// line with CR/LF, so what it wrote is always [`escaped`] and cut here.
pub const QUOTE_MAX: usize = 64;
/// WeChat's own explanations (`return_msg`, `err_code_des`, a v3 error's `message`) are
/// sentences; they get more room, under the same escaping.
pub const QUOTE_MAX_WECHAT: usize = 256;

/// At most `max` characters of `s` (a prefix, on a character boundary).
#[inline(never)] // one copy in the wasm, not one per message
pub fn clip(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => crate::core::json::cut(s, 0, i),
        None => s,
    }
}

/// A value in double quotes for an error message: [`escaped`], at most [`QUOTE_MAX`]
/// characters. The one way a message quotes what somebody else wrote.
pub fn quoted(s: &str) -> String {
    quoted_max(s, QUOTE_MAX)
}

/// [`quoted`] with another limit (e.g. [`QUOTE_MAX_WECHAT`]).
#[inline(never)] // one copy in the wasm, not one per message
pub fn quoted_max(s: &str, max: usize) -> String {
    format!("\"{}\"{}", escape(clip(s, max)), omitted(s, max))
}

/// `s` escaped and cut to `max` characters, without quotes, for a message that shows a name
/// in its own punctuation (`</name>`, `&name;`).
#[inline(never)] // one copy in the wasm, not one per message
pub fn escaped(s: &str, max: usize) -> String {
    escape(clip(s, max)) + &omitted(s, max)
}

/// What a cut leaves out, said after the shown part: `…(70000 characters)`.
#[inline(never)] // one copy in the wasm, not one per message
fn omitted(s: &str, max: usize) -> String {
    if s.char_indices().nth(max).is_none() {
        return String::new();
    }
    format!("…({} characters)", s.chars().count())
}

/// Escaped like `{:?}` for the characters that matter in a message (quotes, backslashes,
/// controls). Written out instead of `{:?}` because Debug formatting of `str` pulls Unicode
/// tables into the wasm (~4 KB).
#[inline(never)] // one copy in the wasm, not one per message
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            c if c.is_control() => {
                out.push_str("\\u{");
                push_hex(&mut out, c as u32);
                out.push('}');
            }
            c => out.push(c),
        }
    }
    out
}

/// Lower-case hex without leading zeros, as `{:x}` writes it.
fn push_hex(out: &mut String, mut n: u32) {
    let mut digits = [0u8; 8];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b"0123456789abcdef"[(n & 15) as usize];
        n >>= 4;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[i..].iter().map(|&b| b as char));
}

/// Shows a key as its first and last two characters so logs and errors never carry it whole.
pub fn mask_key(key: &str) -> String {
    let n = key.chars().count();
    if n <= 6 {
        return "*".repeat(n);
    }
    let head: String = key.chars().take(2).collect();
    let tail: String = key.chars().skip(n - 2).collect();
    format!("{head}{}{tail}", "*".repeat(n - 4))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a sender wrote reaches a message escaped and cut: no raw CR/LF, at most
    /// QUOTE_MAX characters of it, and how long it really was.
    #[test]
    fn quoted_text_is_escaped_and_cut() {
        let long = format!("a\r\nINFO forged line{}", "x".repeat(70_000));
        let q = quoted(&long);
        assert!(!q.contains('\n') && !q.contains('\r'), "{q}");
        assert!(q.starts_with("\"a\\r\\nINFO forged line") && q.ends_with("\"…(70019 characters)"), "{q}");
        // Two quotes, QUOTE_MAX characters with CR and LF written as two each, the length said.
        assert_eq!(q.chars().count(), 2 + QUOTE_MAX + 2 + "…(70019 characters)".chars().count());
        assert_eq!(
            quoted(&"é".repeat(QUOTE_MAX)),
            format!("\"{}\"", "é".repeat(QUOTE_MAX)),
            "exactly the limit: whole"
        );
        assert_eq!(clip("ab中c", 3), "ab中");
        assert_eq!(escaped("a\u{1b}[31m", 64), "a\\u{1b}[31m");
        assert!(quoted_max(&"y".repeat(300), QUOTE_MAX_WECHAT).ends_with("…(300 characters)"));
    }

    /// `doc()` is the first line of each variant's doc comment, so the two cannot drift.
    #[test]
    #[cfg(not(target_arch = "wasm32"))]
    fn doc_is_the_doc_comment() {
        let src = include_str!("error.rs");
        for code in Code::ALL {
            let name = format!("{code:?}");
            let at = src.find(&format!("    {name},\n")).unwrap();
            let before = &src[..at];
            let line = before.lines().rev().find(|l| l.trim_start().starts_with("/// ")).unwrap();
            assert_eq!(line.trim_start().trim_start_matches("/// "), code.doc(), "{name}");
        }
    }

    #[test]
    fn quoted_matches_debug_for_message_characters() {
        for s in ["", "abc", "a\"b", "back\\slash", "line\nfeed\r\t", "nul\0", "ctl\u{1}\u{7f}\u{9f}", "中文 ✓"] {
            assert_eq!(quoted(s), format!("{s:?}"), "{s}");
        }
    }
}
