//! WeChat Pay API v2 for mini-program payments, in the order a payment happens:
//! sign and build the unified order ([`order`]), read WeChat's reply ([`response`]), hand
//! the mini-program its `wx.requestPayment` object ([`pay_params`]), verify the
//! payment-result notification ([`notify`]); then the rest of the order's life: query,
//! close and the bill ([`api`]), refunds and their encrypted notifications ([`refund`]),
//! what WeChat's `err_code`s mean ([`errcodes`]).

pub mod api;
pub mod bill;
pub mod diagnose;
pub mod errcodes;
pub mod indexed;
pub mod notify;
pub mod order;
pub mod params;
pub mod pay_params;
pub mod refund;
pub mod request;
pub mod response;
pub mod sign;
pub mod validate;
pub mod xml;

pub use crate::core::error::{Code, Result, WxError};
pub use api::{build_close_order_xml, build_download_bill_xml, build_order_query_xml, build_sandbox_sign_key_xml};
pub use bill::{parse_bill, Bill};
pub use diagnose::{diagnose_sign, Cause, Diagnosis};
pub use errcodes::{describe as describe_err_code, ErrCodeInfo};
pub use indexed::{group_indexed, Grouped};
pub use notify::{build_notify_xml, notify_reply, verify_notify, Expect, Notification, NotifyOptions};
pub use order::build_unified_order_xml;
pub use params::Params;
pub use pay_params::{request_payment_params, PayParams};
pub use refund::{
    build_refund_query_xml, build_refund_xml, decrypt_refund_notify, decrypt_req_info, RefundNotifyOptions,
};
pub use response::parse_response;
pub use sign::{sign, signing_string, verify, SignType};
pub use xml::{parse_xml, to_xml};
