//! Request builders for the mini-program lifecycle: each takes the fields as a JSON object
//! (WeChat's own snake_case names), validates them against one table per endpoint, and
//! returns the [`Request`] to sign ([`crate::v3::auth::message`]) and send: the method, the
//! URL (path segments percent-encoded, query built here) and the compact JSON body.
//!
//! Unknown fields are refused (`INVALID_FIELD`, so a typo such as `notifyUrl` is caught
//! before WeChat ignores it); required fields absent or empty are `MISSING_FIELD`; a
//! non-JSON argument is `INVALID_JSON`. Lengths follow WeChat's docs (`string(32)` …) and are
//! counted in characters. Bodies keep the caller's member order, compacted.
//!
//! `notify_url` is `https://` as WeChat requires; [`Options::allow_loopback_http`] also
//! accepts `http://` on a loopback host, for a laptop receiving the mock's callbacks.

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

/// What the caller allows beyond WeChat's own rules (the default allows nothing more).
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Accept `http://` in a `notify_url` whose host is loopback: `127.x.y.z` (four decimal
    /// parts 0–255 without leading zeros), `localhost` (lower case) or `[::1]`, with an
    /// optional port 1–65535 and no userinfo. WeChat itself never calls such a URL; it is
    /// for the mock on the developer's machine, so a self-signed certificate is not needed
    /// there. The client sets it only when its base URL is loopback.
    pub allow_loopback_http: bool,
}

/// What a field may hold.
#[derive(Clone, Copy)]
enum Kind {
    /// A string of `min..=max` characters, each accepted by `ok`.
    Str {
        min: usize,
        max: usize,
        ok: fn(char) -> bool,
    },
    /// `https://…` of at most `max` characters, printable ASCII (or loopback `http://…`
    /// with [`Options::allow_loopback_http`]).
    Https {
        max: usize,
    },
    /// An integer of at least `min`.
    Int {
        min: i64,
    },
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
    req(
        "amount",
        Kind::Object(&[
            req("refund", Kind::Int { min: 1 }),
            opt("from", Kind::AnyArray),
            req("total", Kind::Int { min: 1 }),
            req("currency", Kind::Exactly("CNY")),
        ]),
    ),
    opt("goods_detail", Kind::AnyArray),
];

const BY_OUT_TRADE_NO: &[Field] = &[req("out_trade_no", OUT_TRADE_NO), req("mchid", MCHID)];
const BY_ID: &[Field] = &[req("transaction_id", TRANSACTION_ID), req("mchid", MCHID)];
const BY_OUT_REFUND_NO: &[Field] = &[req("out_refund_no", OUT_REFUND_NO)];

/// Checks `v` against `table`; `path` is the dotted name so far (`amount.`).
fn check(v: &Json, table: &[Field], path: &str, o: Options) -> Result<()> {
    let what = if path.is_empty() { "request fields".to_owned() } else { format!("`{}`", path.trim_end_matches('.')) };
    let members = v.as_object().ok_or_else(|| {
        WxError::field(
            Code::InvalidField,
            path.trim_end_matches('.'),
            format!("{what} must be a JSON object, got {}", v.kind()),
        )
    })?;
    for (name, _) in members {
        if !table.iter().any(|f| f.name == name) {
            let known: Vec<&str> = table.iter().map(|f| f.name).collect();
            return Err(WxError::field(
                Code::InvalidField,
                &format!("{path}{name}"),
                format!("unknown field {} in {what}; accepted: {}", quoted(&format!("{path}{name}")), known.join(", ")),
            ));
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
            Some(value) => check_value(value, f.kind, &full, o)?,
        }
    }
    Ok(())
}

fn check_value(value: &Json, kind: Kind, full: &str, o: Options) -> Result<()> {
    let bad = |msg: String| Err(WxError::field(Code::InvalidField, full, msg));
    match kind {
        Kind::Str { min, max, ok } => {
            let Some(s) = value.as_str() else {
                return bad(format!("`{full}` must be a string, got {}", value.kind()));
            };
            let n = s.chars().count();
            if n < min || n > max {
                return bad(format!("`{full}` must be {min} to {max} characters, got {n}"));
            }
            if let Some(c) = s.chars().find(|&c| !ok(c)) {
                return bad(format!(
                    "`{full}` contains {}, which WeChat does not accept there",
                    quoted(&c.to_string())
                ));
            }
        }
        Kind::Https { max } => check_url(value, max, full, o)?,
        Kind::Int { min } => match value.as_i64() {
            Some(n) if n >= min => {}
            _ => {
                return bad(format!(
                    "`{full}` must be an integer of at least {min} (amounts are in fen), got {}",
                    value.to_json()
                ))
            }
        },
        Kind::Bool => {
            if !matches!(value, Json::Bool(_)) {
                return bad(format!("`{full}` must be true or false, got {}", value.kind()));
            }
        }
        Kind::Object(table) => check(value, table, &format!("{full}."), o)?,
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

/// A notify URL: `https://host…`, or `http://` on a loopback host when `o` allows it.
fn check_url(value: &Json, max: usize, full: &str, o: Options) -> Result<()> {
    let bad = |msg: String| Err(WxError::field(Code::InvalidField, full, msg));
    let Some(s) = value.as_str() else { return bad(format!("`{full}` must be a string, got {}", value.kind())) };
    let http = s.strip_prefix("http://");
    let rest = s.strip_prefix("https://").or(http.filter(|_| o.allow_loopback_http)).unwrap_or("");
    if rest.is_empty()
        || s.len() > max
        || !s.chars().all(|c| c.is_ascii_graphic())
        || rest.starts_with('/')
        || s.contains('#')
    {
        let hint = if http.is_some() && !o.allow_loopback_http {
            " (http:// only on a loopback host, with the builder option allowLoopbackHttp, which a client whose baseUrl is loopback sets)"
        } else {
            ""
        };
        return bad(format!(
            "`{full}` must be an https:// URL of at most {max} printable ASCII characters{hint}, got {}",
            quoted(s)
        ));
    }
    if s.contains('?') {
        return bad(format!("`{full}` must not carry query parameters (WeChat calls it as given, without them)"));
    }
    if http.is_some() && !loopback_authority(rest) {
        return bad(format!(
            "`{full}` is http:// on a host that is not loopback; allowLoopbackHttp accepts only 127.x.y.z, localhost or [::1] (optional port, no userinfo), got {}",
            quoted(s)
        ));
    }
    Ok(())
}

/// Whether `rest`, what follows `http://`, names a loopback host: its authority (up to the
/// first `/`) is `127.x.y.z` (four decimal parts 0–255, no leading zeros, so no `127.1`,
/// octal or hex spellings), `localhost` or `[::1]`, then optionally `:port` (1–65535).
/// Anything else in the authority (`@` userinfo, `\`, `%`, a longer name such as
/// `127.0.0.1.example.com`) fails, so a URL parser cannot read another host out of it.
fn loopback_authority(rest: &str) -> bool {
    // Bytes and positions, not `str::split`/`find`: the pattern machinery costs the wasm.
    let authority = &rest.as_bytes()[..rest.bytes().position(|b| b == b'/').unwrap_or(rest.len())];
    let (host, port) = match authority.strip_prefix(b"[::1]") {
        Some(port) => (&b"[::1]"[..], port),
        None => authority.split_at(authority.iter().position(|&b| b == b':').unwrap_or(authority.len())),
    };
    let port_ok = port.is_empty()
        || port.strip_prefix(b":").and_then(|p| decimal(p, 5)).is_some_and(|n| (1..=65535).contains(&n));
    port_ok && (host == b"localhost" || host == b"[::1]" || loopback_ipv4(host))
}

/// `127.a.b.c` in canonical dotted decimal: four parts, each 0–255 without leading zeros.
fn loopback_ipv4(host: &[u8]) -> bool {
    let Some(rest) = host.strip_prefix(b"127.") else { return false };
    let octet = |p: &[u8]| (p.len() == 1 || p.first() != Some(&b'0')) && decimal(p, 3).is_some_and(|n| n <= 255);
    let mut parts = 0;
    rest.split(|&b| b == b'.').all(|p| {
        parts += 1;
        octet(p)
    }) && parts == 3
}

/// 1 to `max_len` ASCII digits as a number, no sign: written out, not `str::parse`, whose
/// generic integer parsing costs the v3 wasm about 0.4 KB gzipped.
fn decimal(s: &[u8], max_len: usize) -> Option<u32> {
    if s.is_empty() || s.len() > max_len {
        return None;
    }
    s.iter().try_fold(0u32, |n, &b| b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0')))
}

fn parse_fields(fields_json: &str, table: &[Field], o: Options) -> Result<Json> {
    if fields_json.len() > 64 * 1024 {
        return Err(WxError::new(Code::InputTooLarge, "the request fields are larger than 64 KiB"));
    }
    let v = Json::parse(fields_json.as_bytes(), "request fields")?;
    check(&v, table, "", o)?;
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
        let name = crate::core::json::cut(&p, open + 1, close).to_owned();
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
    jsapi_with(fields_json, Options::default())
}

/// [`jsapi`] with the caller's [`Options`].
pub fn jsapi_with(fields_json: &str, o: Options) -> Result<Request> {
    let v = parse_fields(fields_json, JSAPI, o)?;
    Ok(Request { method: endpoint::JSAPI.method, url: path(&endpoint::JSAPI, &v), body: v.to_json() })
}

/// `GET /v3/pay/transactions/out-trade-no/{out_trade_no}?mchid=…` from `{out_trade_no, mchid}`.
pub fn query_by_out_trade_no(fields_json: &str) -> Result<Request> {
    let v = parse_fields(fields_json, BY_OUT_TRADE_NO, Options::default())?;
    let url = format!("{}?mchid={}", path(&endpoint::QUERY_BY_OUT_TRADE_NO, &v), str_of(&v, "mchid"));
    Ok(Request { method: endpoint::QUERY_BY_OUT_TRADE_NO.method, url, body: String::new() })
}

/// `GET /v3/pay/transactions/id/{transaction_id}?mchid=…` from `{transaction_id, mchid}`.
pub fn query_by_id(fields_json: &str) -> Result<Request> {
    let v = parse_fields(fields_json, BY_ID, Options::default())?;
    let url = format!("{}?mchid={}", path(&endpoint::QUERY_BY_ID, &v), str_of(&v, "mchid"));
    Ok(Request { method: endpoint::QUERY_BY_ID.method, url, body: String::new() })
}

/// `POST /v3/pay/transactions/out-trade-no/{out_trade_no}/close` with body `{"mchid":…}`.
pub fn close(fields_json: &str) -> Result<Request> {
    let v = parse_fields(fields_json, BY_OUT_TRADE_NO, Options::default())?;
    let body = Json::Object(vec![("mchid".into(), Json::String(str_of(&v, "mchid").into()))]).to_json();
    Ok(Request { method: endpoint::CLOSE.method, url: path(&endpoint::CLOSE, &v), body })
}

/// `POST /v3/refund/domestic/refunds`: exactly one of `transaction_id` / `out_trade_no`,
/// and `amount.refund` at most `amount.total`.
pub fn refund(fields_json: &str) -> Result<Request> {
    refund_with(fields_json, Options::default())
}

/// [`refund`] with the caller's [`Options`].
pub fn refund_with(fields_json: &str, o: Options) -> Result<Request> {
    let v = parse_fields(fields_json, REFUND, o)?;
    let has = |n: &str| v.get(n).is_some_and(|x| !matches!(x, Json::Null));
    match (has("transaction_id"), has("out_trade_no")) {
        (false, false) => {
            return Err(WxError::field(
                Code::MissingField,
                "out_trade_no",
                "a refund needs out_trade_no or transaction_id",
            ))
        }
        (true, true) => {
            return Err(WxError::field(
                Code::InvalidField,
                "transaction_id",
                "give out_trade_no or transaction_id, not both (WeChat would silently prefer transaction_id)",
            ))
        }
        _ => {}
    }
    let amount = v.get("amount");
    let (r, t) = (
        amount.and_then(|a| a.get("refund")).and_then(Json::as_i64),
        amount.and_then(|a| a.get("total")).and_then(Json::as_i64),
    );
    if let (Some(r), Some(t)) = (r, t) {
        if r > t {
            return Err(WxError::field(
                Code::InvalidField,
                "amount.refund",
                format!("amount.refund ({r}) exceeds amount.total ({t})"),
            ));
        }
    }
    Ok(Request { method: endpoint::REFUND.method, url: path(&endpoint::REFUND, &v), body: v.to_json() })
}

/// `GET /v3/refund/domestic/refunds/{out_refund_no}` from `{out_refund_no}`.
pub fn refund_query(fields_json: &str) -> Result<Request> {
    let v = parse_fields(fields_json, BY_OUT_REFUND_NO, Options::default())?;
    Ok(Request { method: endpoint::REFUND_QUERY.method, url: path(&endpoint::REFUND_QUERY, &v), body: String::new() })
}

/// A request builder: the fields as JSON and the caller's [`Options`] in, the request out.
type Builder = fn(&str, Options) -> Result<Request>;

/// Each request builder by its endpoint in [`crate::contract::v3::ENDPOINTS`]; the options
/// matter to `jsapi` and `refund`, the builders with a `notify_url`.
const BUILDERS: [(&Endpoint, Builder); 6] = [
    (&endpoint::JSAPI, jsapi_with),
    (&endpoint::QUERY_BY_OUT_TRADE_NO, |f, _| query_by_out_trade_no(f)),
    (&endpoint::QUERY_BY_ID, |f, _| query_by_id(f)),
    (&endpoint::CLOSE, |f, _| close(f)),
    (&endpoint::REFUND, refund_with),
    (&endpoint::REFUND_QUERY, |f, _| refund_query(f)),
];

/// The builder for an endpoint name of [`crate::contract::v3::ENDPOINTS`] (for one export).
pub fn build(endpoint_name: &str, fields_json: &str) -> Result<Request> {
    build_with(endpoint_name, fields_json, Options::default())
}

/// [`build`] with the caller's [`Options`].
pub fn build_with(endpoint_name: &str, fields_json: &str, o: Options) -> Result<Request> {
    match BUILDERS.iter().find(|(e, _)| e.name == endpoint_name) {
        Some((_, builder)) => builder(fields_json, o),
        None => Err(WxError::new(Code::InvalidParam, format!("no v3 request builder named {}", quoted(endpoint_name)))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOOPBACK: Options = Options { allow_loopback_http: true };

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

    fn order(url: &str) -> String {
        let mut o = String::from(
            r#"{"appid":"wxd678efh567hg6787","mchid":"1230000109","description":"d","out_trade_no":"1217752501","notify_url":"#,
        );
        push_string(&mut o, url);
        o.push_str(r#","amount":{"total":1},"payer":{"openid":"o"}}"#);
        o
    }

    fn refund_of(url: &str) -> String {
        let mut o = String::from(r#"{"out_trade_no":"1217752501","out_refund_no":"r1","notify_url":"#);
        push_string(&mut o, url);
        o.push_str(r#","amount":{"refund":1,"total":1,"currency":"CNY"}}"#);
        o
    }

    /// The loopback spellings accepted with the option, on both builders with a notify_url.
    #[test]
    fn loopback_http_accepted_with_the_option_only() {
        for url in [
            "http://127.0.0.1:3000/notify",
            "http://127.0.0.1/notify",
            "http://127.0.0.1",
            "http://127.255.255.254:65535/a/b",
            "http://127.1.2.3:1/n",
            "http://localhost:3000/notify",
            "http://localhost/",
            "http://[::1]:3000/notify",
            "http://[::1]/n",
        ] {
            let built = jsapi_with(&order(url), LOOPBACK).unwrap_or_else(|e| panic!("{url}: {e:?}"));
            assert!(built.body.contains(url), "{url}");
            assert!(refund_with(&refund_of(url), LOOPBACK).is_ok(), "{url}");
            assert!(build_with("jsapi", &order(url), LOOPBACK).is_ok(), "{url}");
            // Without the option: refused, and the message names the option.
            for e in [
                jsapi(&order(url)).unwrap_err(),
                refund(&refund_of(url)).unwrap_err(),
                build("refund", &refund_of(url)).unwrap_err(),
            ] {
                assert_eq!(e.code, Code::InvalidField, "{url}");
                assert!(e.message.contains("allowLoopbackHttp"), "{url}: {}", e.message);
            }
        }
        // https is unaffected by the option.
        assert!(jsapi_with(&order("https://example.com/n"), LOOPBACK).is_ok());
        assert!(jsapi(&order("https://example.com/n")).is_ok());
    }

    /// Hosts that are not loopback, or that a URL parser could read as another host.
    #[test]
    fn hostile_hosts_refused_even_with_the_option() {
        for url in [
            "http://example.com/notify",
            "http://10.0.0.1/n",
            "http://128.0.0.1/n",
            "http://0.0.0.0/n",
            "http://127.0.0.1.evil.com/n",
            "http://127.0.0.1.nip.io/n",
            "http://localhost.evil.com/n",
            "http://evil.localhost/n",
            "http://localhost./n",
            "http://127.0.0.1./n",
            "http://localhost@evil.com/n",
            "http://evil.com@127.0.0.1/n",
            "http://user:pass@127.0.0.1/n",
            "http://127.0.0.1:80@evil.com/n",
            "http://127.0.0.1\\@evil.com/n",
            "http://127.0.0.1\\evil.com",
            "http://[::1]x/n",
            "http://[::1].evil.com/n",
            "http://[::1]@evil.com/n",
            "http://[0:0:0:0:0:0:0:1]/n",
            "http://[::ffff:127.0.0.1]/n",
            "http://[::1/n",
            "http://127.1/n",
            "http://127.0.1/n",
            "http://2130706433/n",
            "http://0x7f.0.0.1/n",
            "http://0x7f000001/n",
            "http://0177.0.0.1/n",
            "http://127.000.000.001/n",
            "http://127.0.0.01/n",
            "http://127.0.0.256/n",
            "http://127.0.0.1.1/n",
            "http://127..0.1/n",
            "http://LOCALHOST/n",
            "http://%6c%6f%63%61%6c%68%6f%73%74/n",
            "http://127.0.0.1%2eevil.com/n",
            "http://127.0.0.1:/n",
            "http://127.0.0.1:0/n",
            "http://127.0.0.1:65536/n",
            "http://127.0.0.1:123456/n",
            "http://127.0.0.1:+80/n",
            "http://127.0.0.1:80:80/n",
            "http://localhost:3000x/n",
            "http:///n",
            "http://",
            "http:/127.0.0.1/n",
            "HTTP://127.0.0.1/n",
            "http://127.0.0.1/n?x=1",
            "http://127.0.0.1/n#f",
            "http://127.0.0.1/ n",
            "ftp://127.0.0.1/n",
        ] {
            for e in [
                jsapi_with(&order(url), LOOPBACK).unwrap_err(),
                refund_with(&refund_of(url), LOOPBACK).unwrap_err(),
                jsapi(&order(url)).unwrap_err(),
            ] {
                assert_eq!(e.code, Code::InvalidField, "{url}");
                assert_eq!(e.field.as_deref(), Some("notify_url"), "{url}");
            }
        }
    }

    #[test]
    fn loopback_rule_stays_within_the_length_limit() {
        let long = format!("http://127.0.0.1/{}", "a".repeat(255 - 17));
        assert_eq!(long.len(), 255);
        assert!(jsapi_with(&order(&long), LOOPBACK).is_ok());
        let e = jsapi_with(&order(&format!("{long}a")), LOOPBACK).unwrap_err();
        assert_eq!(e.code, Code::InvalidField);
    }
}
