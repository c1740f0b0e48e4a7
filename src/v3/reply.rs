//! The answer to a callback. WeChat treats HTTP 200 or 204 as received (no body needed) and
//! any 4XX/5XX as failed, expecting `{"code":"FAIL","message":"…"}`; it waits about 5 s and
//! then retries on its schedule (15 s, 15 s, 30 s, 3 min, 10 min, 20 min, … up to 24 h).

use crate::core::json::push_string;

/// Success: 204 with no body.
pub const OK_STATUS: u16 = 204;
/// Failure: 500, so WeChat retries; the JSON body says why for its logs.
pub const FAIL_STATUS: u16 = 500;
/// The failure message is cut to this many characters (WeChat logs it; keep it short).
pub const MAX_MESSAGE_CHARS: usize = 256;

/// `(status, body)` for a callback reply; the body is JSON when not empty
/// (`Content-Type: application/json`).
pub fn notify_reply(ok: bool, message: Option<&str>) -> (u16, String) {
    if ok {
        return (OK_STATUS, String::new());
    }
    let msg: String = message.filter(|m| !m.is_empty()).unwrap_or("FAIL").chars().take(MAX_MESSAGE_CHARS).collect();
    let mut body = String::from("{\"code\":\"FAIL\",\"message\":");
    push_string(&mut body, &msg);
    body.push('}');
    (FAIL_STATUS, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies() {
        assert_eq!(notify_reply(true, Some("ignored")), (204, String::new()));
        assert_eq!(notify_reply(false, None), (500, r#"{"code":"FAIL","message":"FAIL"}"#.to_owned()));
        assert_eq!(notify_reply(false, Some("签名\"错误\"")).1, r#"{"code":"FAIL","message":"签名\"错误\""}"#);
        assert_eq!(notify_reply(false, Some(&"x".repeat(1000))).1.len(), 256 + 28);
    }
}
