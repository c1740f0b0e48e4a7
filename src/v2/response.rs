//! WeChat's replies to our requests: `return_code`, then the sign, then `result_code`.

use crate::core::error::{clip, escaped, Code, Result, WxError, QUOTE_MAX, QUOTE_MAX_WECHAT};
use crate::v2::errcodes;
use crate::v2::params::{self, Params};
use crate::v2::sign::{self, SignType};
use crate::v2::validate;
use crate::v2::xml;

/// Parses and checks a reply. `return_code` FAIL comes first because such replies are
/// usually unsigned (WeChat could not read our request); only a SUCCESS reply is trusted,
/// and only after its sign checks out, so `result_code` is never read from forged data.
pub fn parse_response(body: &str, key: &str, sign_type: Option<SignType>) -> Result<Params> {
    validate::key(key)?;
    let fields = xml::parse_xml(body)?;
    check_return_code(&fields)?;
    sign::check(&fields, key, sign_type)?;
    if params::get(&fields, "result_code") != Some("SUCCESS") {
        return Err(result_fail(&fields));
    }
    Ok(fields)
}

/// `return_code` must be SUCCESS; otherwise a `RETURN_FAIL` error carrying `return_msg`.
pub fn check_return_code(fields: &Params) -> Result<()> {
    match params::get(fields, "return_code") {
        Some("SUCCESS") => Ok(()),
        None => Err(WxError::missing("return_code")),
        Some(code) => {
            let msg = params::get(fields, "return_msg").unwrap_or("");
            let said =
                format!("WeChat answered return_code {}: {}", escaped(code, QUOTE_MAX), escaped(msg, QUOTE_MAX_WECHAT));
            Err(WxError::new(Code::ReturnFail, said)
                .with_detail("returnCode", clip(code, QUOTE_MAX))
                .with_detail("returnMsg", clip(msg, QUOTE_MAX_WECHAT)))
        }
    }
}

/// `RESULT_FAIL` with WeChat's `err_code` / `err_code_des`; for a documented code also
/// `retryable` and, in the message, what it means and what to do.
fn result_fail(fields: &Params) -> WxError {
    // A FAIL reply is unsigned: what it says is quoted like any sender's text.
    let code = clip(params::get(fields, "err_code").unwrap_or(""), QUOTE_MAX);
    let des = clip(params::get(fields, "err_code_des").unwrap_or(""), QUOTE_MAX_WECHAT);
    let result = params::get(fields, "result_code").unwrap_or("(none)");
    let said = [escaped(result, QUOTE_MAX), escaped(code, QUOTE_MAX), escaped(des, QUOTE_MAX_WECHAT)];
    let msg = format!("WeChat answered result_code {}: {} {}", said[0], said[1], said[2]).trim_end().to_owned();
    // The wasm leaves the catalogue's prose to js/v2/api.js, which appends the same words
    // from js/errcodes.json (see `errcodes::RETRYABLE`: size).
    #[cfg(not(target_arch = "wasm32"))]
    let msg = match errcodes::describe(code) {
        Some(info) => format!("{msg} ({}. {})", info.en, info.action),
        None => msg,
    };
    let e = WxError::new(Code::ResultFail, msg).with_detail("errCode", code).with_detail("errCodeDes", des);
    match errcodes::retryable(code) {
        Some(r) => e.with_detail("retryable", if r { "true" } else { "false" }),
        None => e,
    }
}
