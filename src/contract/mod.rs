//! The contract between the Rust core and its JavaScript users, defined once: error
//! codes, diagnosis causes, error-detail names, limits, endpoints and the option names
//! each exported function accepts. A native test writes it to `js/contract.json`
//! (`WXPAY_BLESS=1 cargo test contract`) and fails when the file is out of date; the JS
//! entries, the types' tests and the docs read that file, so nothing here is written twice.

pub mod v2;
pub mod v3;

/// One exported JavaScript function and the names its options object may carry.
/// Any other name is refused (`INVALID_PARAM`, with the closest valid name suggested).
#[derive(Debug, Clone, Copy)]
pub struct Function {
    /// The export's JavaScript name, e.g. `verifyNotify`.
    pub name: &'static str,
    /// The option names it accepts, exactly as JavaScript writes them.
    pub options: &'static [&'static str],
}

/// One WeChat Pay endpoint.
#[derive(Debug, Clone, Copy)]
pub struct Endpoint {
    /// The name the package uses for it (`unifiedOrder`, `jsapi` …).
    pub name: &'static str,
    pub method: &'static str,
    /// The path on `https://api.mch.weixin.qq.com`; v3 paths may hold `{placeholders}`.
    pub path: &'static str,
}
