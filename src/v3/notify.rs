//! Callbacks (支付通知 / 退款通知): after the signature is verified over the raw body
//! ([`crate::v3::verify`]), parse the envelope strictly, decrypt `resource`, parse the
//! plaintext and enforce the caller's expectations.
//!
//! Expectations are read per event family ([`FAMILIES`], by `event_type` prefix): each
//! expectation names the resource fields that carry it, the first one present is compared,
//! and a set expectation none of whose fields is present is a mismatch too, so a callback
//! cannot dodge a check by leaving a field out. Where a family's resource carries no appid
//! or mchid at all (refunds: no appid; transfers and profit sharing: no appid; complaints:
//! neither), that identity expectation is skipped: the signature (WeChat's key) and the
//! decryption (this merchant's APIv3 key) already bind the callback to the merchant, and one
//! handler with one `Expect` serves every family. A set `out_trade_no` or `total` on a family
//! that carries none is a mismatch (a caller who asked about an order is never told "yes").
//! An event type no family knows is checked by every field name any family uses: it fails
//! closed when an expectation cannot be checked.
//!
//! `paid` is true only for `TRANSACTION.SUCCESS` whose `trade_state` is `SUCCESS`.

use crate::core::error::{quoted, Code, Result, WxError};
use crate::v3::aead::{self, Sealed};
use crate::v3::json::{self, Json};

/// Callbacks are 1–3 KB; a megabyte-sized body is not one. Checked before parsing (the
/// contract's limit, as v2's).
pub const DEFAULT_MAX_BYTES: usize = crate::contract::MAX_BYTES_DEFAULT;
/// The most a caller may raise the limit to (the contract's).
pub const MAX_MAX_BYTES: usize = crate::contract::MAX_BYTES_CEILING;

/// What the merchant knows about the order the callback must be about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expect {
    pub appid: Option<String>,
    pub mchid: Option<String>,
    pub out_trade_no: Option<String>,
    /// `amount.total` in fen.
    pub total: Option<i64>,
}

/// A verified, decrypted callback.
#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    pub id: String,
    pub create_time: String,
    pub event_type: String,
    pub resource_type: String,
    pub summary: String,
    /// `resource.original_type` (`transaction`, `refund`, …).
    pub original_type: Option<String>,
    /// The decrypted, parsed resource.
    pub resource: Json,
    pub paid: bool,
    /// The envelope as received (members in order; `resource` still encrypted).
    envelope: Json,
}

impl Notification {
    /// The callback as JSON with `resource` replaced by the decrypted object and `paid` added:
    /// what the JavaScript `verifyNotify` returns.
    pub fn to_json(&self) -> String {
        let mut members: Vec<(String, Json)> = match &self.envelope {
            Json::Object(m) => m
                .iter()
                .map(|(n, v)| (n.clone(), if n == "resource" { self.resource.clone() } else { v.clone() }))
                .collect(),
            _ => Vec::new(),
        };
        members.retain(|(n, _)| n != "paid");
        members.push(("paid".into(), Json::Bool(self.paid)));
        Json::Object(members).to_json()
    }
}

fn check_size(body: &[u8], max_bytes: usize) -> Result<()> {
    if max_bytes == 0 || max_bytes > MAX_MAX_BYTES {
        return Err(WxError::field(Code::InvalidParam, "maxBytes", format!("maxBytes must be 1 to {MAX_MAX_BYTES}")));
    }
    if body.len() > max_bytes {
        return Err(WxError::new(
            Code::InputTooLarge,
            format!(
                "the callback body is {} bytes, more than the {max_bytes}-byte limit; it was not parsed",
                body.len()
            ),
        ));
    }
    Ok(())
}

/// Checks and decodes one `{ algorithm, ciphertext, nonce, associated_data }` object.
pub fn sealed_resource(resource: &Json) -> Result<Sealed> {
    const WHAT: &str = "callback's resource";
    json::object(resource, WHAT)?;
    let algorithm = json::req_str(resource, "algorithm", WHAT)?;
    if algorithm != aead::ALGORITHM {
        return Err(WxError::field(
            Code::DecryptFailed,
            "algorithm",
            format!("resource.algorithm is {}; only {} is supported", quoted(algorithm), aead::ALGORITHM),
        ));
    }
    let ciphertext = json::req_str(resource, "ciphertext", WHAT)?;
    let nonce = json::req_str(resource, "nonce", WHAT)?;
    let aad = match resource.get("associated_data") {
        None | Some(Json::Null) => "",
        Some(Json::String(s)) => s,
        Some(other) => {
            return Err(WxError::field(
                Code::InvalidJson,
                "associated_data",
                format!("resource.associated_data must be a string, got {}", other.kind()),
            ))
        }
    };
    Sealed::new(nonce, aad, ciphertext)
}

/// [`sealed_resource`] from the resource object's JSON text (JS `decryptResource`).
pub fn seal_resource(resource_json: &[u8]) -> Result<Sealed> {
    check_size(resource_json, DEFAULT_MAX_BYTES)?;
    sealed_resource(&Json::parse(resource_json, "resource")?)
}

/// Decrypts one `{ algorithm, ciphertext, nonce, associated_data }` object from its JSON text.
pub fn decrypt_resource(resource_json: &[u8], api_v3_key: &[u8]) -> Result<Vec<u8>> {
    aead::api_v3_key(api_v3_key)?;
    seal_resource(resource_json)?.open(api_v3_key)
}

/// A callback whose envelope is parsed and checked; its resource is still encrypted.
/// [`decrypt_notify`] is `open_notify` → [`Sealed::open`] → [`Opened::finish`]. The wasm
/// runs the middle step in the host's AES-GCM, then [`check_resource`] on its plaintext
/// with [`Opened::event_type`], and leaves building the result object to JS (js/v3/api.js),
/// which parses the two texts the core has checked.
#[derive(Debug)]
pub struct Opened {
    envelope: Json,
}

/// Checks the size limit and the APIv3 key's length (only its length: the key is used by
/// whoever decrypts), then parses the envelope and checks its fields.
pub fn open_notify(body: &[u8], api_v3_key: &[u8], max_bytes: usize) -> Result<Opened> {
    check_size(body, max_bytes)?;
    aead::api_v3_key(api_v3_key)?;
    let envelope = Json::parse(body, ENVELOPE)?;
    json::object(&envelope, ENVELOPE)?;
    for name in ["id", "create_time", "event_type", "resource_type"] {
        json::req_str(&envelope, name, ENVELOPE)?;
    }
    if let Some(other) = envelope.get("summary").filter(|s| s.as_str().is_none()) {
        return Err(WxError::field(
            Code::InvalidJson,
            "summary",
            format!("`summary` must be a string, got {}", other.kind()),
        ));
    }
    if envelope.get("resource").is_none() {
        return Err(WxError::field(Code::InvalidJson, "resource", "the callback body has no `resource` object"));
    }
    Ok(Opened { envelope })
}

const ENVELOPE: &str = "callback body";

impl Opened {
    /// The encrypted resource, checked and Base64-decoded.
    pub fn sealed(&self) -> Result<Sealed> {
        sealed_resource(self.member("resource"))
    }

    /// The envelope's `event_type` (checked to be a string).
    pub fn event_type(&self) -> &str {
        self.member("event_type").as_str().unwrap_or_default()
    }

    /// Parses the decrypted resource and enforces the expectations.
    pub fn finish(self, plaintext: &[u8], expect: &Expect) -> Result<Notification> {
        let (resource, paid) = check_resource(self.event_type(), plaintext, expect)?;
        let text = |name| self.member(name).as_str().unwrap_or_default().to_owned();
        Ok(Notification {
            id: text("id"),
            create_time: text("create_time"),
            event_type: text("event_type"),
            resource_type: text("resource_type"),
            summary: text("summary"),
            original_type: self.member("resource").get("original_type").and_then(Json::as_str).map(str::to_owned),
            resource,
            paid,
            envelope: self.envelope,
        })
    }

    /// A member of the envelope (`Null` when absent: [`open_notify`] checked the required ones).
    fn member(&self, name: &str) -> &Json {
        self.envelope.get(name).unwrap_or(&Json::Null)
    }
}

/// The decrypted resource of an `event_type` callback parsed (a JSON object) and checked
/// against the expectations, with whether it reports a payment: `paid` is true only for
/// `TRANSACTION.SUCCESS` whose `trade_state` is `SUCCESS`.
pub fn check_resource(event_type: &str, plaintext: &[u8], expect: &Expect) -> Result<(Json, bool)> {
    let resource = Json::parse_js(plaintext, "decrypted resource")?;
    json::object(&resource, "decrypted resource")?;
    check_expectations(event_type, &resource, expect)?;
    let paid =
        event_type == "TRANSACTION.SUCCESS" && resource.get("trade_state").and_then(Json::as_str) == Some("SUCCESS");
    Ok((resource, paid))
}

/// Parses, decrypts and checks a callback body whose signature the caller has verified.
pub fn decrypt_notify(body: &[u8], api_v3_key: &[u8], expect: &Expect, max_bytes: usize) -> Result<Notification> {
    let opened = open_notify(body, api_v3_key, max_bytes)?;
    let plaintext = opened.sealed()?.open(api_v3_key)?;
    opened.finish(&plaintext, expect)
}

/// Where one event family's resource carries each expectation: candidate fields, the first
/// one present is compared (partner 服务商 resources carry `sp_mchid`/`sp_appid`, combine
/// 合单 ones `combine_mchid`/`combine_appid`/`combine_out_trade_no`). An empty `appid` or
/// `mchid` list: the resource carries none (skipped, see the module docs).
struct Family {
    prefix: &'static str,
    appid: &'static [&'static str],
    mchid: &'static [&'static str],
    out_trade_no: &'static [&'static str],
    /// `amount.total` when listed.
    total: bool,
}

const APPIDS: &[&str] = &["sp_appid", "combine_appid", "appid"];
const MCHIDS: &[&str] = &["sp_mchid", "combine_mchid", "mchid"];
const OUT_TRADE_NO: &[&str] = &["out_trade_no"];

/// The event families, with the decrypted resource's fields as WeChat Pay documents them
/// (sources read 2026-12-07; wechatpay.im / wechatpay.js.org are axios-plugin's pages of
/// the official docs):
/// - `TRANSACTION.` payment: appid, mchid, out_trade_no, trade_state, amount.total
///   (wechatpay.im/webhook/v3/TRANSACTION.SUCCESS); partner 服务商: sp_appid, sp_mchid,
///   sub_appid, sub_mchid; combine 合单: combine_appid, combine_mchid, combine_out_trade_no,
///   sub_orders[] (each with its own mchid, out_trade_no, amount), no top-level amount
///   (wechatpay.im/openapi/v3/combine-transactions/out-trade-no/{combine_out_trade_no});
/// - `REFUND.` SUCCESS, ABNORMAL, CLOSED: mchid (partner: sp_mchid, sub_mchid),
///   out_trade_no, amount.total, amount.refund; no appid (wechatpay.im/webhook/v3/REFUND.SUCCESS,
///   payapp.weixin.qq.com/wiki/doc/apiv3_partner/apis/chapter4_1_11.shtml);
/// - `MCHTRANSFER.` transfers, the 2025 API (pay.weixin.qq.com/doc/v3/merchant/4012712115;
///   wechatpay.js.org/webhook/v3/MCHTRANSFER.BILL.FINISHED): mchid — the brief and some
///   samples write `mch_id`, both are read — out_bill_no, transfer_bill_no, state,
///   transfer_amount, openid; no appid, no out_trade_no;
/// - `PROFITSHARING.` SUCCESS / RETURN, to the receiver
///   (wechatpay.js.org/webhook/v3/PROFITSHARING.SUCCESS; payapp.weixin.qq.com/wiki/doc/apiv3/apis/chapter8_1_10.shtml):
///   mchid (partner: sp_mchid, sub_mchid), transaction_id, order_id, out_order_no, receiver,
///   success_time; no appid, no out_trade_no;
/// - `COMPLAINT.` (pay.weixin.qq.com/docs/merchant/apis/consumer-complaint/complaint-notifications/complaint-notifications.html):
///   complaint_id, action_type, out_trade_no, …; no mchid, no appid.
const FAMILIES: &[Family] = &[
    Family {
        prefix: "TRANSACTION.",
        appid: APPIDS,
        mchid: MCHIDS,
        out_trade_no: &["combine_out_trade_no", "out_trade_no"],
        total: true,
    },
    Family { prefix: "REFUND.", appid: &[], mchid: &["sp_mchid", "mchid"], out_trade_no: OUT_TRADE_NO, total: true },
    Family { prefix: "MCHTRANSFER.", appid: &[], mchid: &["mch_id", "mchid"], out_trade_no: &[], total: false },
    Family { prefix: "PROFITSHARING.", appid: &[], mchid: &["sp_mchid", "mchid"], out_trade_no: &[], total: false },
    Family { prefix: "COMPLAINT.", appid: &[], mchid: &[], out_trade_no: OUT_TRADE_NO, total: false },
    // Any other event type: every name a family uses (so absent everywhere is a mismatch).
    Family {
        prefix: "",
        appid: APPIDS,
        mchid: &["sp_mchid", "combine_mchid", "mch_id", "mchid"],
        out_trade_no: OUT_TRADE_NO,
        total: true,
    },
];

fn family(event_type: &str) -> &'static Family {
    FAMILIES.iter().find(|f| event_type.starts_with(f.prefix)).unwrap_or(&FAMILIES[FAMILIES.len() - 1])
}

fn check_expectations(event_type: &str, resource: &Json, expect: &Expect) -> Result<()> {
    let f = family(event_type);
    let strings = [
        (f.appid, true, expect.appid.as_deref(), Code::AppidMismatch),
        (f.mchid, true, expect.mchid.as_deref(), Code::MchIdMismatch),
        (f.out_trade_no, false, expect.out_trade_no.as_deref(), Code::OutTradeNoMismatch),
    ];
    for (names, skip_if_none, expected, code) in strings {
        let Some(expected) = expected else { continue };
        if names.is_empty() && skip_if_none {
            continue;
        }
        // The first field present, else the family's usual name (the last) for the message.
        // (An empty list here: the family carries no such field, so nothing can match.)
        let name = names.iter().find(|n| resource.get(n).is_some()).or(names.last()).copied().unwrap_or("out_trade_no");
        let got = if names.is_empty() { None } else { resource.get(name).and_then(Json::as_str) };
        if got != Some(expected) {
            let got = got.map_or_else(|| "no string".to_owned(), quoted);
            return Err(WxError::field(
                code,
                name,
                format!("the callback's {name} is {got}, expected {}", quoted(expected)),
            ));
        }
    }
    if let Some(total) = expect.total {
        let got =
            if f.total { resource.get("amount").and_then(|a| a.get("total")).and_then(Json::as_i64) } else { None };
        if got != Some(total) {
            let got = got.map_or_else(|| "absent".to_owned(), |g| g.to_string());
            return Err(WxError::field(
                Code::AmountMismatch,
                "amount.total",
                format!("the callback's amount.total is {got}, expected {total} (fen)"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(plain: &str) -> Option<(Code, String, String)> {
        check_resource("TRANSACTION.SUCCESS", plain.as_bytes(), &Expect::default())
            .err()
            .map(|e| (e.code, e.field.unwrap_or_default(), e.message))
    }

    /// 2^53−1 = 9007199254740991 is the largest integer a JS number holds exactly; the
    /// callback's result is built by `JSON.parse`, so a larger one is refused, anywhere.
    #[test]
    fn integers_beyond_js_numbers_are_refused_wherever_they_are() {
        for ok in [
            r#"{"amount":{"total":9007199254740991,"payer_total":-9007199254740991}}"#,
            r#"{"amount":{"total":1},"x":1.5e300,"y":12345678901234567890.5,"z":[0,-0,1e30]}"#,
        ] {
            assert_eq!(refused(ok), None, "{ok}");
        }
        for (bad, number) in [
            (r#"{"amount":{"total":9007199254740993}}"#, "9007199254740993"),
            (r#"{"amount":{"total":1,"payer_total":9007199254740992}}"#, "9007199254740992"),
            (r#"{"amount":{"refund":-9007199254740992}}"#, "-9007199254740992"),
            (
                r#"{"promotion_detail":[{"amount":1},{"amount":123456789012345678901234567890}]}"#,
                "123456789012345678901234567890",
            ),
            (r#"{"n":[18446744073709551616]}"#, "18446744073709551616"),
        ] {
            let (code, _, message) = refused(bad).unwrap();
            assert_eq!(code, Code::InvalidJson, "{bad}");
            // The byte where the reader stopped: just after the number.
            let at = bad.find(number).unwrap() + number.len();
            assert!(message.contains("MAX_SAFE_INTEGER") && message.ends_with(&format!("at byte {at}")), "{message}");
        }
        // Refused before the expectation is compared: a total that fits i64 is not "equal".
        let expect = Expect { total: Some(9007199254740993), ..Expect::default() };
        let e =
            check_resource("TRANSACTION.SUCCESS", br#"{"amount":{"total":9007199254740993}}"#, &expect).unwrap_err();
        assert_eq!(e.code, Code::InvalidJson);
    }

    fn check(event: &str, plain: &str, expect: &Expect) -> std::result::Result<(), (Code, String)> {
        check_resource(event, plain.as_bytes(), expect).map(|_| ()).map_err(|e| (e.code, e.field.unwrap_or_default()))
    }

    fn ids(appid: &str, mchid: &str) -> Expect {
        Expect { appid: Some(appid.into()), mchid: Some(mchid.into()), ..Expect::default() }
    }

    /// Each family's identity fields: direct, partner (sp_*), combine (combine_*), transfer
    /// (mchid or mch_id), profit sharing, complaints (none: skipped), unknown (fail closed).
    #[test]
    fn expectations_per_event_family() {
        let me = ids("wxA", "100");
        let ok = [
            ("TRANSACTION.SUCCESS", r#"{"appid":"wxA","mchid":"100","out_trade_no":"T"}"#),
            ("TRANSACTION.SUCCESS", r#"{"sp_appid":"wxA","sp_mchid":"100","sub_appid":"wxS","sub_mchid":"200"}"#),
            ("TRANSACTION.SUCCESS", r#"{"combine_appid":"wxA","combine_mchid":"100","sub_orders":[{"mchid":"200"}]}"#),
            ("REFUND.SUCCESS", r#"{"mchid":"100","out_trade_no":"T"}"#),
            ("REFUND.ABNORMAL", r#"{"sp_mchid":"100","sub_mchid":"200"}"#),
            ("REFUND.CLOSED", r#"{"mchid":"100"}"#),
            ("MCHTRANSFER.BILL.FINISHED", r#"{"mchid":"100","out_bill_no":"B","state":"SUCCESS"}"#),
            ("MCHTRANSFER.BILL.FINISHED", r#"{"mch_id":"100","out_bill_no":"B"}"#),
            ("PROFITSHARING.SUCCESS", r#"{"mchid":"100","out_order_no":"P"}"#),
            ("PROFITSHARING.RETURN", r#"{"sp_mchid":"100","sub_mchid":"200"}"#),
            ("COMPLAINT.CREATE", r#"{"complaint_id":"C","action_type":"CREATE_COMPLAINT"}"#),
            ("SOMETHING.NEW", r#"{"appid":"wxA","mch_id":"100"}"#),
        ];
        for (event, plain) in ok {
            assert_eq!(check(event, plain, &me), Ok(()), "{event} {plain}");
        }
        let mism = |c: Code, f: &str| Err((c, f.to_owned()));
        let bad = [
            (
                "TRANSACTION.SUCCESS",
                r#"{"sp_appid":"wxA","sp_mchid":"999","sub_mchid":"100"}"#,
                mism(Code::MchIdMismatch, "sp_mchid"),
            ),
            (
                "TRANSACTION.SUCCESS",
                r#"{"sp_appid":"wxB","sp_mchid":"100","sub_appid":"wxA"}"#,
                mism(Code::AppidMismatch, "sp_appid"),
            ),
            (
                "TRANSACTION.SUCCESS",
                r#"{"combine_appid":"wxA","combine_mchid":"999"}"#,
                mism(Code::MchIdMismatch, "combine_mchid"),
            ),
            ("TRANSACTION.SUCCESS", r#"{"mchid":"100"}"#, mism(Code::AppidMismatch, "appid")),
            ("REFUND.SUCCESS", r#"{"sp_mchid":"999","sub_mchid":"100"}"#, mism(Code::MchIdMismatch, "sp_mchid")),
            ("REFUND.SUCCESS", r#"{"out_trade_no":"T"}"#, mism(Code::MchIdMismatch, "mchid")),
            ("MCHTRANSFER.BILL.FINISHED", r#"{"mch_id":"999"}"#, mism(Code::MchIdMismatch, "mch_id")),
            ("MCHTRANSFER.BILL.FINISHED", r#"{"mchid":"999"}"#, mism(Code::MchIdMismatch, "mchid")),
            ("MCHTRANSFER.BILL.FINISHED", r#"{"out_bill_no":"B"}"#, mism(Code::MchIdMismatch, "mchid")),
            ("PROFITSHARING.SUCCESS", r#"{"sp_mchid":"999"}"#, mism(Code::MchIdMismatch, "sp_mchid")),
            ("SOMETHING.NEW", r#"{"mchid":"100"}"#, mism(Code::AppidMismatch, "appid")),
            ("SOMETHING.NEW", r#"{"appid":"wxA"}"#, mism(Code::MchIdMismatch, "mchid")),
        ];
        for (event, plain, want) in bad {
            assert_eq!(check(event, plain, &me), want, "{event} {plain}");
        }
        // Per-order expectations on a family that carries none are refused, never skipped.
        let order = Expect { out_trade_no: Some("T".into()), total: Some(1), ..Expect::default() };
        let no_order = Expect { total: None, ..order.clone() };
        assert_eq!(
            check("MCHTRANSFER.BILL.FINISHED", r#"{"mchid":"100","out_trade_no":"T"}"#, &no_order),
            mism(Code::OutTradeNoMismatch, "out_trade_no")
        );
        assert_eq!(
            check("PROFITSHARING.SUCCESS", r#"{"mchid":"100"}"#, &no_order),
            mism(Code::OutTradeNoMismatch, "out_trade_no")
        );
        assert_eq!(check("COMPLAINT.CREATE", r#"{"out_trade_no":"T"}"#, &no_order), Ok(()));
        assert_eq!(
            check("COMPLAINT.CREATE", r#"{"out_trade_no":"T","amount":1}"#, &order),
            mism(Code::AmountMismatch, "amount.total")
        );
        assert_eq!(
            check("TRANSACTION.SUCCESS", r#"{"combine_out_trade_no":"T","out_trade_no":"X"}"#, &no_order),
            Ok(())
        );
        assert_eq!(
            check("TRANSACTION.SUCCESS", r#"{"combine_out_trade_no":"T","sub_orders":[]}"#, &order),
            mism(Code::AmountMismatch, "amount.total")
        );
        assert_eq!(check("REFUND.SUCCESS", r#"{"out_trade_no":"T","amount":{"total":1}}"#, &order), Ok(()));
    }
}
