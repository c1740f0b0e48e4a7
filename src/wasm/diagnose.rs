//! The `diagnoseSign` export, in a wasm of its own (issue 15): diagnosis is what a person
//! asks for on the debugging page, never what a server does per request, and its code is
//! ~14 KB of the v2 wasm gzipped. The package builds it with `--features diagnose-only`
//! (this export and the boundary, nothing else), loaded on first use in Node and by
//! `initDiagnose()` in browsers and Workers. Native builds and the wasm-bindgen tests have
//! it beside the v2 exports (the `diagnose` feature, on by default).
//!
//! The result is cold and nested, so it goes through serde-wasm-bindgen: a typed struct is
//! clearer here and its cost does not matter.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::fields;
use super::{invalid_param, js, to_js, JsResult};

use crate::v2::diagnose;
use crate::v2::sign::SignType;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DiagnosisJs<'a> {
    #[serde(rename = "match")]
    matched: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    cause: Option<&'static str>,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    variant: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
    sign_type: &'static str,
    signing_string: &'a str,
    computed_sign: &'a str,
}

/// The diagnosis as a plain JS object, built by serde-wasm-bindgen: this result is
/// cold (a person asked for it), so the glue's cost matters less than a typed struct.
#[wasm_bindgen(js_name = diagnoseSign)]
pub fn diagnose_sign_js(params: &str, key: &str, expected: &str, sign_type: Option<String>) -> JsResult<JsValue> {
    let d = js((|| {
        let explicit = sign_type.as_deref().map(SignType::parse).transpose()?;
        diagnose::diagnose_sign(&fields::params_from_wire(params)?, key, expected, explicit)
    })())?;
    let out = DiagnosisJs {
        matched: d.matched,
        cause: d.cause.map(diagnose::Cause::as_str),
        message: &d.message,
        variant: d.variant.as_deref(),
        field: d.field.as_deref(),
        sign_type: d.sign_type.as_str(),
        signing_string: &d.signing_string,
        computed_sign: &d.computed_sign,
    };
    out.serialize(&serde_wasm_bindgen::Serializer::new()).map_err(|e| to_js(invalid_param(e.to_string())))
}
