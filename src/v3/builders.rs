//! Request builders for the mini-program lifecycle: each takes the fields as a JSON object
//! (WeChat's own snake_case names), validates them against one table per endpoint, and
//! returns the [`Request`] to sign ([`crate::v3::auth::message`]) and send: the method, the
//! URL (path segments percent-encoded, query built here) and the compact JSON body.
//!
//! Unknown fields are refused (`INVALID_FIELD`, so a typo such as `notifyUrl` is caught
//! before WeChat ignores it); required fields absent or empty are `MISSING_FIELD`; a
//! non-JSON argument is `INVALID_JSON`. Lengths follow WeChat's docs (`string(32)` …) and are
//! counted in characters. Bodies keep the caller's member order, compacted.

// The contract's endpoints as `endpoint::JSAPI` …; the bare names are the field tables below.
use crate::contract::v3 as endpoint;
use crate::contract::Endpoint;
use crate::core::error::{quoted, Code, Result, WxError};
use crate::core::json::push_string;
use crate::v3::json::Json;

/// A request ready for `Authorization` and `fetch`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: &'static str,
    /// Path and query, as signed.
    pub url: String,
    /// Compact JSON, or empty for GET.
    pub body: String,
}

impl Request {
    /// `{"method":…,"url":…,"body":…}` for the JavaScript boundary.
    pub fn to_json(&self) -> String {
        let mut out = String::from("{\"method\":");
        push_string(&mut out, self.method);
        out.push_str(",\"url\":");
        push_string(&mut out, &self.url);
        out.push_str(",\"body\":");
        push_string(&mut out, &self.body);
        out.push('}');
        out
    }
}

/// What a field may hold.
#[derive(Clone, Copy)]
enum Kind {
    /// A string of `min..=max` characters, each accepted by `ok`.
    Str { min: usize, max: usize, ok: fn(char) -> bool },
    /// `https://…` of at most `max` characters, printable ASCII.
    Https { max: usize },
    /// An integer of at least `min`.
    Int { min: i64 },
    Bool,
    /// A nested object with its own table.
    Object(&'static [Field]),
    /// An object passed through as is (WeChat validates its inside).
    AnyObject,
    AnyArray,
    /// Exactly this string.
    Exactly(&'static str),
}

#[derive(Clone, Copy)]
struct Field {
    name: &'static str,
    required: bool,
    kind: Kind,
}

const fn req(name: &'static str, kind: Kind) -> Field {
    Field { name, required: true, kind }
}
const fn opt(name: &'static str, kind: Kind) -> Field {
    Field { name, required: false, kind }
}

fn any(_: char) -> bool {
    true
}
fn digit(c: char) -> bool {
    c.is_ascii_digit()
}
fn word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}
/// `out_trade_no`: digits, letters, `_ - | *`.
fn trade_no(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '|' | '*')
}
/// `out_refund_no`: as `out_trade_no` plus `@`.
fn refund_no(c: char) -> bool {
    trade_no(c) || c == '@'
}
fn printable(c: char) -> bool {
    !c.is_control()
}

const APPID: Kind = Kind::Str { min: 1, max: 32, ok: word };
const MCHID: Kind = Kind::Str { min: 1, max: 32, ok: digit };
const OUT_TRADE_NO: Kind = Kind::Str { min: 6, max: 32, ok: trade_no };
const TRANSACTION_ID: Kind = Kind::Str { min: 1, max: 32, ok: digit };
const OUT_REFUND_NO: Kind = Kind::Str { min: 1, max: 64, ok: refund_no };

const JSAPI: &[Field] = &[
    req("appid", APPID),
    req("mchid", MCHID),
    req("description", Kind::Str { min: 1, max: 127, ok: printable }),
    req("out_trade_no", OUT_TRADE_NO),
    opt("time_expire", Kind::Str { min: 1, max: 64, ok: printable }),
    opt("attach", Kind::Str { min: 1, max: 128, ok: any }),
    req("notify_url", Kind::Https { max: 255 }),
    opt("goods_tag", Kind::Str { min: 1, max: 32, ok: printable }),
    opt("support_fapiao", Kind::Bool),
    req("amount", Kind::Object(&[req("total", Kind::Int { min: 1 }), opt("currency", Kind::Exactly("CNY"))])),
    req("payer", Kind::Object(&[req("openid", Kind::Str { min: 1, max: 128, ok: printable })])),
    opt("detail", Kind::AnyObject),
    opt("scene_info", Kind::AnyObject),
    opt("settle_info", Kind::Object(&[opt("profit_sharing", Kind::Bool)])),
];

const REFUND: &[Field] = &[
    opt("transaction_id", TRANSACTION_ID),
    opt("out_trade_no", OUT_TRADE_NO),
    req("out_refund_no", OUT_REFUND_NO),
    opt("reason", Kind::Str { min: 1, max: 80, ok: printable }),
    opt("notify_url", Kind::Https { max: 256 }),
    opt("funds_account", Kind::Exactly("AVAILABLE")),
    req("amount", Kind::Object(&[req("refund", Kind::Int { min: 1 }), opt("from", Kind::AnyArray), req("total", Kind::Int { min: 1 }), req("currency", Kind::Exactly("CNY"))])),
    opt("goods_detail", Kind::AnyArray),
];

const BY_OUT_TRADE_NO: &[Field] = &[req("out_trade_no", OUT_TRADE_NO), req("mchid", MCHID)];
const BY_ID: &[Field] = &[req("transaction_id", TRANSACTION_ID), req("mchid", MCHID)];
const BY_OUT_REFUND_NO: &[Field] = &[req("out_refund_no", OUT_REFUND_NO)];

/// Checks `v` against `table`; `path` is the dotted name so far (`amount.`).
fn check(v: &Json, table: &[Field], path: &str) -> Result<()> {
    let what = if path.is_empty() { "request fields".to_owned() } else { format!("`{}`", path.trim_end_matches('.')) };
    let members = v.as_object().ok_or_else(|| WxError::field(Code::InvalidField, path.trim_end_matches('.'), format!("{what} must be a JSON object, got {}", v.kind())))?;
    for (name, _) in members {
        if !table.iter().any(|f| f.name == name) {
            let known: Vec<&str> = table.iter().map(|f| f.name).collect();
            return Err(WxError::field(Code::InvalidField, &format!("{path}{name}"), format!("unknown field {} in {what}; accepted: {}", quoted(&format!("{path}{name}")), known.join(", "))));
        }
    }
    for f in table {
        let full = format!("{path}{}", f.name);
        match v.get(f.name) {
            None | Some(Json::Null) => {
                if f.required {
                    return Err(WxError::missing(&full));
                }
            }
            Some(Json::String(s)) if s.is_empty() && f.required => return Err(WxError::missing(&full)),
            Some(value) => check_value(value, f.kind, &full)?,
        }
    }
    Ok(())
}

fn check_value(value: &Json, kind: Kind, full: &str) -> Result<()> {
    let bad = |msg: String| Err(WxError::field(Code::InvalidField, full, msg));
    match kind {
        Kind::Str { min, max, ok } => {
            let Some(s) = value.as_str() else { return bad(format!("`{full}` must be a string, got {}", value.kind())) };
            let n = s.chars().count();
            if n < min || n > max {
                return bad(format!("`{full}` must be {min} to {max} characters, got {n}"));
            }
            if let Some(c) = s.chars().find(|&c| !ok(c)) {
                return bad(format!("`{full}` contains {}, which WeChat does not accept there", quoted(&c.to_string())));
            }
        }
        Kind::Https { max } => {
            let Some(s) = value.as_str() else { return bad(format!("`{full}` must be a string, got {}", value.kind())) };
            let rest = s.strip_prefix("https://").unwrap_or("");
            if rest.is_empty() || s.len() > max || !s.chars().all(|c| c.is_ascii_graphic()) || rest.starts_with('/') || s.contains('#') {
                return bad(format!("`{full}` must be an https:// URL of at most {max} printable ASCII characters, got {}", quoted(s)));
            }
            if s.contains('?') {
                return bad(format!("`{full}` must not carry query parameters (WeChat calls it as given, without them)"));
            }
        }
        Kind::Int { min } => match value.as_i64() {
            Some(n) if n >= min => {}
            _ => return bad(format!("`{full}` must be an integer of at least {min} (amounts are in fen), got {}", value.to_json())),
        },
        Kind::Bool => {
            if !matches!(value, Json::Bool(_)) {
                return bad(format!("`{full}` must be true or false, got {}", value.kind()));
            }
        }
        Kind::Object(table) => check(value, table, &format!("{full}."))?,
        Kind::AnyObject => {
            if value.as_object().is_none() {
                return bad(format!("`{full}` must be an object, got {}", value.kind()));
            }
        }
        Kind::AnyArray => {
            if !matches!(value, Json::Array(_)) {
                return bad(format!("`{full}` must be an array, got {}", value.kind()));
            }
        }
        Kind::Exactly(want) => {
            if value.as_str() != Some(want) {
                return bad(format!("`{full}` must be {}, got {}", quoted(want), value.to_json()));
            }
        }
    }
    Ok(())
}

/// Input of a builder: at most 64 KiB of JSON.
fn parse_fields(fields_json: &str, table: &[Field]) -> Result<Json> {
    if fields_json.len() > 64 * 1024 {
        return Err(WxError::new(Code::InputTooLarge, "the request fields are larger than 64 KiB"));
    }
    let v = Json::parse(fields_json.as_bytes(), "request fields")?;
    check(&v, table, "")?;
    Ok(v)
}

/// Percent-encodes one path segment (RFC 3986 unreserved characters stay). The validated
/// charsets leave only `|` and `@` to encode, but encoding is done generally all the same.
pub fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'*') {
            out.push(b as char);
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        }
    }
    out
}

/// The endpoint's path with `{name}` replaced by the encoded value of field `name`.
fn path(endpoint: &Endpoint, v: &Json) -> String {
    let mut p = endpoint.path.to_owned();
    while let (Some(open), Some(close)) = (p.find('{'), p.find('}')) {
        let name = p[open + 1..close].to_owned();
        let value = v.get(&name).and_then(Json::as_str).unwrap_or_default();
        p.replace_range(open..=close, &encode_segment(value));
    }
    p
}

fn str_of<'a>(v: &'a Json, name: &str) -> &'a str {
    v.get(name).and_then(Json::as_str).unwrap_or_default()
}

/// `POST /v3/pay/transactions/jsapi`.
pub fn jsapi(fields_json: &str) -> Result<Request> {
    let v = parse_fields(fields_json, JSAPI)?;
    Ok(Request { method: endpoint::JSAPI.method, url: path(&endpoint::JSAPI, &v), body: v.to_json() })
}

/// `GET /v3/pay/transactions/out-trade-no/{out_trade_no}?mchid=…` from `{out_trade_no, mchid}`.
pub fn query_by_out_trade_no(fields_json: &str) -> Result<Request> {
    let v = parse_fields(fields_json, BY_OUT_TRADE_NO)?;
    let url = format!("{}?mchid={}", path(&endpoint::QUERY_BY_OUT_TRADE_NO, &v), str_of(&v, "mchid"));
    Ok(Request { method: endpoint::QUERY_BY_OUT_TRADE_NO.method, url, body: String::new() })
}

/// `GET /v3/pay/transactions/id/{transaction_id}?mchid=…` from `{transaction_id, mchid}`.
pub fn query_by_id(fields_json: &str) -> Result<Request> {
    let v = parse_fields(fields_json, BY_ID)?;
    let url = format!("{}?mchid={}", path(&endpoint::QUERY_BY_ID, &v), str_of(&v, "mchid"));
    Ok(Request { method: endpoint::QUERY_BY_ID.method, url, body: String::new() })
}

/// `POST /v3/pay/transactions/out-trade-no/{out_trade_no}/close` with body `{"mchid":…}`.
pub fn close(fields_json: &str) -> Result<Request> {
    let v = parse_fields(fields_json, BY_OUT_TRADE_NO)?;
    let body = Json::Object(vec![("mchid".into(), Json::String(str_of(&v, "mchid").into()))]).to_json();
    Ok(Request { method: endpoint::CLOSE.method, url: path(&endpoint::CLOSE, &v), body })
}

/// `POST /v3/refund/domestic/refunds`: exactly one of `transaction_id` / `out_trade_no`,
/// and `amount.refund` at most `amount.total`.
pub fn refund(fields_json: &str) -> Result<Request> {
    let v = parse_fields(fields_json, REFUND)?;
    let has = |n: &str| v.get(n).is_some_and(|x| !matches!(x, Json::Null));
    match (has("transaction_id"), has("out_trade_no")) {
        (false, false) => return Err(WxError::field(Code::MissingField, "out_trade_no", "a refund needs out_trade_no or transaction_id")),
        (true, true) => return Err(WxError::field(Code::InvalidField, "transaction_id", "give out_trade_no or transaction_id, not both (WeChat would silently prefer transaction_id)")),
        _ => {}
    }
    let amount = v.get("amount");
    let (r, t) = (amount.and_then(|a| a.get("refund")).and_then(Json::as_i64), amount.and_then(|a| a.get("total")).and_then(Json::as_i64));
    if let (Some(r), Some(t)) = (r, t) {
        if r > t {
            return Err(WxError::field(Code::InvalidField, "amount.refund", format!("amount.refund ({r}) exceeds amount.total ({t})")));
        }
    }
    Ok(Request { method: endpoint::REFUND.method, url: path(&endpoint::REFUND, &v), body: v.to_json() })
}

/// `GET /v3/refund/domestic/refunds/{out_refund_no}` from `{out_refund_no}`.
pub fn refund_query(fields_json: &str) -> Result<Request> {
    let v = parse_fields(fields_json, BY_OUT_REFUND_NO)?;
    Ok(Request { method: endpoint::REFUND_QUERY.method, url: path(&endpoint::REFUND_QUERY, &v), body: String::new() })
}

/// A request builder: the fields as JSON in, the request out.
type Builder = fn(&str) -> Result<Request>;

/// Each request builder by its endpoint in [`crate::contract::v3::ENDPOINTS`].
const BUILDERS: [(&Endpoint, Builder); 6] = [
    (&endpoint::JSAPI, jsapi),
    (&endpoint::QUERY_BY_OUT_TRADE_NO, query_by_out_trade_no),
    (&endpoint::QUERY_BY_ID, query_by_id),
    (&endpoint::CLOSE, close),
    (&endpoint::REFUND, refund),
    (&endpoint::REFUND_QUERY, refund_query),
];

/// The builder for an endpoint name of [`crate::contract::v3::ENDPOINTS`] (for one export).
pub fn build(endpoint_name: &str, fields_json: &str) -> Result<Request> {
    match BUILDERS.iter().find(|(e, _)| e.name == endpoint_name) {
        Some((_, builder)) => builder(fields_json),
        None => Err(WxError::new(Code::InvalidParam, format!("no v3 request builder named {}", quoted(endpoint_name)))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every endpoint of the contract has its builder, except `/v3/certificates`, which the
    /// client fetches itself; an unknown name is refused, not a panic.
    #[test]
    fn every_endpoint_has_a_builder() {
        for e in endpoint::ENDPOINTS {
            let built = BUILDERS.iter().any(|(b, _)| b.name == e.name);
            assert_eq!(built, e.name != endpoint::CERTIFICATES.name, "{}", e.name);
        }
        assert_eq!(build("nope", "{}").unwrap_err().code, Code::InvalidParam);
        assert_eq!(build("certificates", "{}").unwrap_err().code, Code::InvalidParam);
    }
}
