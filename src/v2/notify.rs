//! Payment-result notifications (支付结果通知): verify what WeChat posts, and build
//! signed test notifications for handlers that cannot wait for WeChat.

use crate::core::error::{quoted, Code, Result, WxError};
use crate::v2::params::{self, Params};
use crate::v2::request;
use crate::v2::response;
use crate::v2::sign::{self, SignType};
use crate::v2::validate;
use crate::v2::xml;

/// What the merchant already knows about the order; each given value must match.
#[derive(Debug, Default, Clone)]
pub struct Expect {
    pub appid: Option<String>,
    pub mch_id: Option<String>,
    pub out_trade_no: Option<String>,
    /// Compared as exact text: `"01"` and `"1.0"` are not 1 fen.
    pub total_fee: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NotifyOptions {
    pub sign_type: Option<SignType>,
    pub max_bytes: usize,
    pub expect: Expect,
}

impl Default for NotifyOptions {
    fn default() -> Self {
        NotifyOptions { sign_type: None, max_bytes: xml::DEFAULT_MAX_BYTES, expect: Expect::default() }
    }
}

/// A verified notification: every field WeChat sent, and whether it says the order is
/// paid. `paid` is decided here, once, so no caller (nor the JavaScript boundary) has to
/// know which field means it. Dereferences to the fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub fields: Params,
    /// `result_code` SUCCESS; a signed FAIL is a real, unpaid outcome.
    pub paid: bool,
}

impl std::ops::Deref for Notification {
    type Target = Params;
    fn deref(&self) -> &Params {
        &self.fields
    }
}

/// The notify handler's one call. Order matters: size before parsing, sign before any
/// field is believed, expectations last. Every received field is signed, including
/// ones this crate does not know, so an added field invalidates the sign.
pub fn verify_notify(body: &str, key: &str, opts: &NotifyOptions) -> Result<Notification> {
    validate::key(key)?;
    xml::check_size(body.len(), opts.max_bytes)?;
    let fields = xml::parse_xml_limited(body, opts.max_bytes)?;
    response::check_return_code(&fields)?;
    sign::check(&fields, key, opts.sign_type)?;
    check_expectations(&fields, &opts.expect)?;
    let paid = is_paid(&fields);
    Ok(Notification { fields, paid })
}

/// `result_code` SUCCESS is the only "paid"; a signed FAIL is a real, unpaid outcome.
pub fn is_paid(fields: &Params) -> bool {
    params::get(fields, "result_code") == Some("SUCCESS")
}

pub fn check_expectations(fields: &Params, expect: &Expect) -> Result<()> {
    let checks = [
        ("appid", &expect.appid, Code::AppidMismatch),
        ("mch_id", &expect.mch_id, Code::MchIdMismatch),
        ("out_trade_no", &expect.out_trade_no, Code::OutTradeNoMismatch),
        ("total_fee", &expect.total_fee, Code::AmountMismatch),
    ];
    for (name, expected, code) in checks {
        let Some(expected) = expected else { continue };
        let got = params::get(fields, name);
        if got != Some(expected.as_str()) {
            let got = got.map_or_else(|| "nothing".to_owned(), quoted);
            return Err(WxError::field(
                code,
                name,
                format!("notification has {name} {got}, expected {}", quoted(expected)),
            ));
        }
    }
    Ok(())
}

/// A signed payment-result notification, as WeChat would post it, for testing handlers.
/// `return_code` and `result_code` default to SUCCESS; the order's identity is required
/// because a handler cannot match a notification without it.
pub fn build_notify_xml(mut fields: Params, key: &str, sign_type: SignType) -> Result<String> {
    params::require(&fields, "appid")?;
    params::require(&fields, "mch_id")?;
    validate::order_no(&fields, "out_trade_no")?;
    validate::amount(&fields, "total_fee")?;
    // Optional fields a handler typically reads are checked when given, so a test
    // notification never carries a value WeChat itself could not send.
    if params::get(&fields, "cash_fee").is_some() {
        validate::amount(&fields, "cash_fee")?;
    }
    validate::timestamp14(&fields, "time_end")?;
    validate::one_of_if_present(&fields, "result_code", &["SUCCESS", "FAIL"])?;
    validate::one_of_if_present(&fields, "return_code", &["SUCCESS"])?;
    for (name, default) in [("return_code", "SUCCESS"), ("result_code", "SUCCESS")] {
        if params::get(&fields, name).is_none() {
            fields.insert(name.into(), default.into());
        }
    }
    request::signed_xml(fields, key, sign_type)
}

/// The answer WeChat expects from a notify handler. WeChat retries until it gets SUCCESS.
pub fn notify_reply(ok: bool, message: Option<&str>) -> String {
    let (code, default_msg) = if ok { ("SUCCESS", "OK") } else { ("FAIL", "FAIL") };
    let msg = message.filter(|m| !m.is_empty()).unwrap_or(default_msg);
    let mut p = Params::new();
    p.insert("return_code".into(), code.into());
    p.insert("return_msg".into(), msg.into());
    // Both names are fixed and valid; only the message can hold characters XML refuses.
    xml::to_xml(&p).unwrap_or_else(|_| {
        let safe: String = msg.chars().filter(|c| !c.is_control()).collect();
        let mut p = p.clone();
        p.insert("return_msg".into(), safe);
        xml::to_xml(&p).unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::v2::params::from_pairs;

    const KEY: &str = "192006250b4c09247ec02edce69f6a2d";

    fn order() -> Params {
        from_pairs([
            ("appid", "wxd930ea5d5a258f4f"),
            ("mch_id", "10000100"),
            ("out_trade_no", "1409811653"),
            ("total_fee", "101"),
            ("transaction_id", "4200000000202401010000000001"),
            ("time_end", "20240101120000"),
            ("attach", "支付测试 <&>"),
        ])
    }

    fn expect() -> Expect {
        Expect {
            appid: Some("wxd930ea5d5a258f4f".into()),
            mch_id: Some("10000100".into()),
            out_trade_no: Some("1409811653".into()),
            total_fee: Some("101".into()),
        }
    }

    #[test]
    fn round_trips_through_verify_notify_with_both_sign_types() {
        for t in [SignType::Md5, SignType::HmacSha256] {
            let body = build_notify_xml(order(), KEY, t).unwrap();
            let opts = NotifyOptions { expect: expect(), ..Default::default() };
            let got = verify_notify(&body, KEY, &opts).unwrap();
            assert!(is_paid(&got) && got.paid);
            for (k, v) in order() {
                assert_eq!(got.get(&k), Some(&v), "{k}");
            }
            assert_eq!(got["return_code"], "SUCCESS");
            assert_eq!(got["nonce_str"].len(), 32);
            assert_eq!(sign::resolve_sign_type(&got, None).unwrap(), t);
            assert!(verify_notify(&body, "another key", &opts).is_err());
        }
    }

    #[test]
    fn failed_payment_notification_verifies_but_is_not_paid() {
        let mut o = order();
        o.insert("result_code".into(), "FAIL".into());
        o.insert("err_code".into(), "NOTENOUGH".into());
        let body = build_notify_xml(o, KEY, SignType::Md5).unwrap();
        let got = verify_notify(&body, KEY, &NotifyOptions::default()).unwrap();
        assert!(!is_paid(&got) && !got.paid);
    }

    #[test]
    fn build_refuses_what_wechat_would_never_send() {
        let mut o = order();
        o.remove("out_trade_no");
        assert_eq!(build_notify_xml(o, KEY, SignType::Md5).unwrap_err().field.as_deref(), Some("out_trade_no"));
        for (field, bad) in
            [("total_fee", "1.00"), ("time_end", "2024-01-01"), ("result_code", "OK"), ("cash_fee", "0")]
        {
            let mut o = order();
            o.insert(field.into(), bad.into());
            assert_eq!(build_notify_xml(o, KEY, SignType::Md5).unwrap_err().field.as_deref(), Some(field));
        }
        assert!(build_notify_xml(order(), "", SignType::Md5).is_err());
    }
}
