//! The v2 exports, for js/v2 (through js/v2/wasm.js). Each one decodes its arguments (the
//! parameter sets of [`super::fields`], the options of [`super::options`]), makes one core
//! call and encodes the result ([`super::results`]); no decision about payments is made here.
//!
//! Which convention each export uses (src/wasm/mod.rs lists them): the hot calls take byte
//! lengths of strings in the input buffer and leave a string in the output buffer
//! ([`args`], [`output`]); the cold ones (sandbox, bill, refund, `nonceStr`, `notifyReply`)
//! take `&str` through wasm-bindgen's glue. Results on the hot paths (fields of a
//! notification or reply, the `wx.requestPayment` object) go back as one JSON string that
//! the JS entry parses (`fields_json`, `pay_params_wire`): measured faster than
//! serde-wasm-bindgen there.
//! `diagnoseSign` is not here: it is its own wasm (`diagnose.rs`); the err_code
//! catalogue's prose lives in js/errcodes.json and never enters the wasm.

use wasm_bindgen::prelude::*;

use super::fields;
use super::options::Opts;
use super::results::{self, fields_json};
use super::{args, invalid_param, js, output, to_js, JsResult};

use crate::core::error::Result;
use crate::v2::notify::{self, Expect, NotifyOptions};
use crate::v2::params::Params;
use crate::v2::refund::{self, RefundNotifyOptions};
use crate::v2::sign::SignType;
use crate::v2::{api, bill, indexed, order, pay_params, response, sign, xml};

// ---------------------------------------------------------------- exports

#[wasm_bindgen(js_name = sign)]
pub fn sign_js(params: usize, key: usize, sign_type: usize) -> JsResult<usize> {
    output(args([params, key, sign_type], |[params, key, sign_type]| {
        // Borrowed pairs: the core's fast path sorts them in place (see sign::sign_pairs).
        let owned = fields::pairs_from_wire(params)?;
        let mut fields: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (k.as_ref(), v.as_ref())).collect();
        sign::sign_pairs(&mut fields, key, SignType::parse(sign_type)?)
    }))
}

#[wasm_bindgen(js_name = signingString)]
pub fn signing_string_js(params: usize) -> JsResult<usize> {
    output(args([params], |[params]| fields::params_from_wire(params).map(|p| sign::signing_string(&p))))
}

/// `sign_type` is `None` when the caller gave none.
#[wasm_bindgen(js_name = verify)]
pub fn verify_js(params: usize, key: usize, sign_type: Option<usize>) -> JsResult<bool> {
    js(args([params, key, sign_type.unwrap_or(0)], |[params, key, given]| {
        let explicit = sign_type.map(|_| SignType::parse(given)).transpose()?;
        sign::verify(&fields::params_from_wire(params)?, key, explicit)
    }))
}

#[wasm_bindgen(js_name = nonceStr)]
pub fn nonce_str_js(length: f64) -> JsResult<String> {
    // js/v2/api.js names the bad value; formatting an f64 here would link ~18 KB of float
    // printing into the wasm.
    if length.fract() != 0.0 || !(1.0..=32.0).contains(&length) {
        return Err(to_js(invalid_param("nonce length must be an integer from 1 to 32")));
    }
    js(crate::core::nonce::nonce_str(length as usize))
}

#[wasm_bindgen(js_name = toXml)]
pub fn to_xml_js(params: usize) -> JsResult<usize> {
    output(args([params], |[params]| fields::params_from_wire(params).and_then(|p| xml::to_xml(&p))))
}

/// Returns the fields as a JSON object string.
#[wasm_bindgen(js_name = parseXml)]
pub fn parse_xml_js(body: usize, options: usize) -> JsResult<usize> {
    output(args([body, options], |[body, options]| {
        let opts = Opts::parse(options)?;
        Ok(fields_json(&xml::parse_xml_limited(body, opts.max_bytes()?)?, None))
    }))
}

#[wasm_bindgen(js_name = buildUnifiedOrderXml)]
pub fn build_unified_order_xml_js(fields: usize, options: usize) -> JsResult<usize> {
    build_with(order::build_unified_order_xml, fields, options)
}

/// Any API's reply (the unified order's included), as a JSON object string.
#[wasm_bindgen(js_name = parseResponse)]
pub fn parse_response_js(body: usize, options: usize) -> JsResult<usize> {
    output(args([body, options], |[body, options]| {
        let opts = Opts::parse(options)?;
        Ok(fields_json(&response::parse_response(body, opts.key()?, opts.sign_type()?)?, None))
    }))
}

/// Returns the `wx.requestPayment` object as [`results::pay_params_wire`] writes it.
#[wasm_bindgen(js_name = requestPaymentParams)]
pub fn request_payment_params_js(options: usize) -> JsResult<usize> {
    output(args([options], |[options]| {
        let opts = Opts::parse(options)?;
        // The clock is an input like the others: JavaScript's, in whole seconds.
        let time_stamp =
            opts.text("timeStamp").unwrap_or_else(|| ((js_sys::Date::now() / 1000.0).floor() as u64).to_string());
        let p = pay_params::request_payment_params(
            opts.string("appId")?.unwrap_or(""),
            &opts.text("prepayId").unwrap_or_default(),
            opts.key()?,
            opts.sign_type()?.unwrap_or(SignType::Md5),
            time_stamp,
            opts.string("nonceStr")?.map(str::to_owned),
        )?;
        Ok(results::pay_params_wire(&p))
    }))
}

fn notify_options(opts: &Opts) -> Result<NotifyOptions> {
    Ok(NotifyOptions {
        sign_type: opts.sign_type()?,
        max_bytes: opts.max_bytes()?,
        expect: Expect {
            appid: opts.text("appid"),
            mch_id: opts.text("mchId"),
            out_trade_no: opts.text("outTradeNo"),
            total_fee: opts.text("totalFee"),
        },
    })
}

/// Returns the fields plus `paid` as a JSON object string.
#[wasm_bindgen(js_name = verifyNotify)]
pub fn verify_notify_js(body: usize, options: usize) -> JsResult<usize> {
    output(args([body, options], |[body, options]| {
        let opts = Opts::parse(options)?;
        let n = notify::verify_notify(body, opts.key()?, &notify_options(&opts)?)?;
        Ok(fields_json(&n.fields, Some(n.paid)))
    }))
}

#[wasm_bindgen(js_name = notifyReply)]
pub fn notify_reply_js(ok: bool, message: Option<String>) -> String {
    notify::notify_reply(ok, message.as_deref())
}

#[wasm_bindgen(js_name = buildNotifyXml)]
pub fn build_notify_xml_js(fields: usize, options: usize) -> JsResult<usize> {
    build_with(notify::build_notify_xml, fields, options)
}

// ---- the rest of the order lifecycle (issue 4) ----

type Builder = fn(Params, &str, SignType) -> Result<String>;

/// Every request builder has one shape: fields, then `{ key, signType? }` (MD5 by default).
fn build_with(builder: Builder, fields: usize, options: usize) -> JsResult<usize> {
    output(args([fields, options], |[fields, options]| {
        let opts = Opts::parse(options)?;
        let sign_type = opts.sign_type()?.unwrap_or(SignType::Md5);
        builder(fields::params_from_wire(fields)?, opts.key()?, sign_type)
    }))
}

#[wasm_bindgen(js_name = buildOrderQueryXml)]
pub fn build_order_query_xml_js(fields: usize, options: usize) -> JsResult<usize> {
    build_with(api::build_order_query_xml, fields, options)
}

#[wasm_bindgen(js_name = buildCloseOrderXml)]
pub fn build_close_order_xml_js(fields: usize, options: usize) -> JsResult<usize> {
    build_with(api::build_close_order_xml, fields, options)
}

#[wasm_bindgen(js_name = buildRefundXml)]
pub fn build_refund_xml_js(fields: usize, options: usize) -> JsResult<usize> {
    build_with(refund::build_refund_xml, fields, options)
}

#[wasm_bindgen(js_name = buildRefundQueryXml)]
pub fn build_refund_query_xml_js(fields: usize, options: usize) -> JsResult<usize> {
    build_with(refund::build_refund_query_xml, fields, options)
}

#[wasm_bindgen(js_name = buildDownloadBillXml)]
pub fn build_download_bill_xml_js(fields: usize, options: usize) -> JsResult<usize> {
    build_with(api::build_download_bill_xml, fields, options)
}

/// One object `{ mch_id, key, nonce_str? }`: the key is taken out, the rest is sent.
#[wasm_bindgen(js_name = buildSandboxSignKeyXml)]
pub fn build_sandbox_sign_key_xml_js(fields: &str) -> JsResult<String> {
    js((|| {
        let opts = Opts::parse(fields)?;
        let key = opts.key()?.to_owned();
        let mut params = fields::params_from_wire(fields)?;
        params.remove("key");
        api::build_sandbox_sign_key_xml(params, &key)
    })())
}

#[wasm_bindgen(js_name = parseSandboxSignKeyResponse)]
pub fn parse_sandbox_sign_key_response_js(body: &str, options: &str) -> JsResult<String> {
    js((|| api::parse_sandbox_sign_key_response(body, Opts::parse(options)?.key()?))())
}

#[wasm_bindgen(js_name = parseBill)]
pub fn parse_bill_js(text: &str) -> JsResult<String> {
    js(bill::parse_bill(text).map(|b| results::bill_json(&b)))
}

#[wasm_bindgen(js_name = groupIndexed)]
pub fn group_indexed_js(fields: &str) -> JsResult<String> {
    js((|| Ok(results::grouped_json(&indexed::group_indexed(&fields::params_from_wire(fields)?)?)))())
}

#[wasm_bindgen(js_name = decryptReqInfo)]
pub fn decrypt_req_info_js(req_info: &str, key: &str) -> JsResult<String> {
    js(refund::decrypt_req_info(req_info, key))
}

#[wasm_bindgen(js_name = decryptRefundNotify)]
pub fn decrypt_refund_notify_js(body: &str, options: &str) -> JsResult<String> {
    js((|| {
        let opts = Opts::parse(options)?;
        let o = RefundNotifyOptions {
            appid: opts.text("appid"),
            mch_id: opts.text("mchId"),
            max_bytes: Some(opts.max_bytes()?),
        };
        Ok(fields_json(&refund::decrypt_refund_notify(body, opts.key()?, &o)?, None))
    })())
}
