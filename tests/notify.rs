//! Payment-result notifications: every way a forged or wrong one is refused, and the
//! reply WeChat expects.
#![cfg(not(target_arch = "wasm32"))]

use hmac::{Hmac, KeyInit, Mac};
use md5::{Digest, Md5};
use sha2::Sha256;
use wxpay_wasm::v2::params::{from_pairs, Params};
use wxpay_wasm::v2::{
    build_notify_xml, notify_reply, parse_response, parse_xml, verify_notify, Code, Expect, NotifyOptions, SignType,
};

const KEY: &str = "192006250b4c09247ec02edce69f6a2d";

fn fields() -> Params {
    from_pairs([
        ("appid", "wx2421b1c4370ec43b"),
        ("mch_id", "10000100"),
        ("out_trade_no", "1409811653"),
        ("total_fee", "1"),
        ("transaction_id", "1004400740201409030005092168"),
        ("openid", "oUpF8uMEb4qRXf22hE3X68TekukE"),
        ("nonce_str", "5d2b6c2a8db53831f7eda20af46e531c"),
        ("result_code", "SUCCESS"),
        ("return_code", "SUCCESS"),
    ])
}

fn hand_string(f: &Params) -> String {
    let pairs: Vec<String> =
        f.iter().filter(|(k, v)| *k != "sign" && !v.is_empty()).map(|(k, v)| format!("{k}={v}")).collect();
    format!("{}&key={KEY}", pairs.join("&"))
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|b| format!("{b:02X}")).collect()
}

/// Signed by hand (not by the crate) and serialised as plain XML.
fn signed_xml(mut f: Params, t: SignType) -> String {
    let s = hand_string(&f);
    let sign = match t {
        SignType::Md5 => hex(&Md5::digest(s.as_bytes())),
        SignType::HmacSha256 => {
            let mut m = <Hmac<Sha256> as KeyInit>::new_from_slice(KEY.as_bytes()).unwrap();
            m.update(s.as_bytes());
            hex(&m.finalize().into_bytes())
        }
    };
    f.insert("sign".into(), sign);
    let body: String = f.iter().map(|(k, v)| format!("<{k}><![CDATA[{v}]]></{k}>")).collect();
    format!("<xml>{body}</xml>")
}

fn opts(expect: Expect) -> NotifyOptions {
    NotifyOptions { expect, ..Default::default() }
}

fn code(xml: &str, o: &NotifyOptions) -> Code {
    verify_notify(xml, KEY, o).unwrap_err().code
}

#[test]
fn valid_md5_and_hmac_without_sign_type() {
    let xml = signed_xml(fields(), SignType::Md5);
    let got = verify_notify(&xml, KEY, &NotifyOptions::default()).unwrap();
    assert_eq!(got["transaction_id"], "1004400740201409030005092168");
    // HMAC notifications often carry no sign_type: the 64-digit sign says which it is.
    let xml = signed_xml(fields(), SignType::HmacSha256);
    assert!(verify_notify(&xml, KEY, &NotifyOptions::default()).is_ok());
}

#[test]
fn forged_and_tampered() {
    let d = NotifyOptions::default();
    let body: String = fields().iter().map(|(k, v)| format!("<{k}>{v}</{k}>")).collect();
    assert_eq!(code(&format!("<xml>{body}</xml>"), &d), Code::SignMissing);

    let xml = signed_xml(fields(), SignType::Md5);
    assert_eq!(code(&xml.replace("<total_fee><![CDATA[1]]>", "<total_fee><![CDATA[100]]>"), &d), Code::SignMismatch);
    // An added field is signed too, so it breaks the sign.
    assert_eq!(code(&xml.replace("</xml>", "<coupon_fee>1</coupon_fee></xml>"), &d), Code::SignMismatch);
    assert_eq!(verify_notify(&xml, "wrong-key", &d).unwrap_err().code, Code::SignMismatch);

    let mut f = fields();
    f.insert("sign_type".into(), "MD5".into());
    let mut hmac_as_md5 = parse_xml(&signed_xml(f.clone(), SignType::HmacSha256)).unwrap();
    hmac_as_md5.insert("sign_type".into(), "MD5".into());
    let x = wxpay_wasm::v2::to_xml(&hmac_as_md5).unwrap();
    assert_eq!(code(&x, &d), Code::SignMismatch);
    f.insert("sign_type".into(), "SHA1".into());
    assert_eq!(code(&signed_xml(f, SignType::Md5), &d), Code::UnsupportedSignType);
}

#[test]
fn return_code_fail_and_result_code_fail() {
    let d = NotifyOptions::default();
    let mut f = fields();
    f.insert("return_code".into(), "FAIL".into());
    f.insert("return_msg".into(), "签名失败".into());
    let e = verify_notify(&signed_xml(f, SignType::Md5), KEY, &d).unwrap_err();
    assert_eq!(e.code, Code::ReturnFail);
    assert_eq!(e.detail("returnMsg"), Some("签名失败"));

    let mut f = fields();
    f.insert("result_code".into(), "FAIL".into());
    f.insert("err_code".into(), "NOTENOUGH".into());
    let got = verify_notify(&signed_xml(f, SignType::Md5), KEY, &d).unwrap();
    assert!(!wxpay_wasm::v2::notify::is_paid(&got));
}

#[test]
fn expectations() {
    let xml = signed_xml(fields(), SignType::Md5);
    let e = |f: fn(&mut Expect)| {
        let mut x = Expect::default();
        f(&mut x);
        x
    };
    assert!(verify_notify(
        &xml,
        KEY,
        &opts(e(|x| {
            x.appid = Some("wx2421b1c4370ec43b".into());
            x.mch_id = Some("10000100".into());
            x.out_trade_no = Some("1409811653".into());
            x.total_fee = Some("1".into());
        }))
    )
    .is_ok());
    assert_eq!(code(&xml, &opts(e(|x| x.appid = Some("wxother".into())))), Code::AppidMismatch);
    assert_eq!(code(&xml, &opts(e(|x| x.mch_id = Some("1".into())))), Code::MchIdMismatch);
    assert_eq!(code(&xml, &opts(e(|x| x.out_trade_no = Some("other".into())))), Code::OutTradeNoMismatch);
    for fee in ["2", "01", "1.0", " 1"] {
        let x = Expect { total_fee: Some(fee.into()), ..Default::default() };
        assert_eq!(code(&xml, &opts(x)), Code::AmountMismatch, "{fee}");
    }
    let mut f = fields();
    f.insert("total_fee".into(), "01".into());
    let x = Expect { total_fee: Some("1".into()), ..Default::default() };
    assert_eq!(code(&signed_xml(f, SignType::Md5), &opts(x)), Code::AmountMismatch);
}

#[test]
fn size_limit_before_parsing() {
    let huge = format!("<xml>{}", "<a>".repeat(40_000));
    assert_eq!(code(&huge, &NotifyOptions::default()), Code::InputTooLarge);
    let raised = NotifyOptions { max_bytes: 1 << 20, ..Default::default() };
    assert_eq!(code(&huge, &raised), Code::InvalidXml);
}

#[test]
fn build_notify_round_trips() {
    for t in [SignType::Md5, SignType::HmacSha256] {
        let mut f = fields();
        f.remove("return_code");
        f.remove("result_code");
        let xml = build_notify_xml(f, KEY, t).unwrap();
        let back = verify_notify(&xml, KEY, &NotifyOptions::default()).unwrap();
        assert_eq!(back["return_code"], "SUCCESS");
        assert_eq!(back["result_code"], "SUCCESS");
        assert_eq!(back["sign"], {
            let mut unsigned = back.fields.clone();
            unsigned.remove("sign");
            parse_xml(&signed_xml(unsigned, t)).unwrap()["sign"].clone()
        });
    }
    let mut f = fields();
    f.remove("total_fee");
    assert_eq!(build_notify_xml(f, KEY, SignType::Md5).unwrap_err().code, Code::MissingField);
}

#[test]
fn reply_xml() {
    assert_eq!(
        notify_reply(true, None),
        "<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>"
    );
    assert_eq!(
        notify_reply(false, Some("签名错误")),
        "<xml><return_code><![CDATA[FAIL]]></return_code><return_msg><![CDATA[签名错误]]></return_msg></xml>"
    );
    assert!(notify_reply(false, Some("a\u{1}b")).contains("<![CDATA[ab]]>"));
}

#[test]
fn response_result_fail_carries_err_code() {
    let mut f = fields();
    f.insert("result_code".into(), "FAIL".into());
    f.insert("err_code".into(), "ORDERPAID".into());
    f.insert("err_code_des".into(), "该订单已支付".into());
    let e = parse_response(&signed_xml(f, SignType::Md5), KEY, None).unwrap_err();
    assert_eq!(e.code, Code::ResultFail);
    assert_eq!(e.detail("errCode"), Some("ORDERPAID"));
    assert_eq!(e.detail("errCodeDes"), Some("该订单已支付"));
    let unsigned_fail = "<xml><return_code>FAIL</return_code><return_msg>签名错误</return_msg></xml>";
    assert_eq!(parse_response(unsigned_fail, KEY, None).unwrap_err().code, Code::ReturnFail);
}
