//! Options objects (`{ key, signType, maxBytes, … }`) after `JSON.stringify`, read field
//! by field with type checks. Which names each export accepts is the contract's business
//! (`src/contract`); js/core refuses any other name before the call reaches wasm.

use crate::core::error::{Code, Result, WxError};
use crate::v2::sign::SignType;
use crate::v2::xml;

use super::flat_json::{self, Object, Scalar};

fn invalid_param(msg: impl Into<String>) -> WxError {
    WxError::new(Code::InvalidParam, msg)
}

/// An options object, read by name.
pub struct Opts(Object);

impl Opts {
    pub fn parse(src: &str) -> Result<Opts> {
        flat_json::object_from_json(src).map(Opts).map_err(|e| WxError { code: Code::InvalidParam, ..e })
    }

    fn get(&self, name: &str) -> Option<&Scalar> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    pub fn string(&self, name: &str) -> Result<Option<&str>> {
        match self.get(name) {
            None => Ok(None),
            Some(Scalar::Str(s)) if s.is_empty() => Ok(None),
            Some(Scalar::Str(s)) => Ok(Some(s)),
            Some(Scalar::Int(_)) => Err(invalid_param(format!("option `{name}` must be a string"))),
        }
    }

    /// Strings or integers: ids and amounts that callers hold either way.
    pub fn text(&self, name: &str) -> Option<String> {
        match self.get(name) {
            Some(Scalar::Str(s)) if s.is_empty() => None,
            Some(v) => Some(v.clone().into_text()),
            None => None,
        }
    }

    pub fn key(&self) -> Result<&str> {
        self.string("key")?.ok_or_else(|| invalid_param("option `key` (the merchant API key) is required"))
    }

    pub fn sign_type(&self) -> Result<Option<SignType>> {
        self.string("signType")?.map(SignType::parse).transpose()
    }

    pub fn max_bytes(&self) -> Result<usize> {
        match self.get("maxBytes") {
            None => Ok(xml::DEFAULT_MAX_BYTES),
            Some(Scalar::Int(n)) => match n.parse::<usize>() {
                Ok(n) if (1..=xml::MAX_MAX_BYTES).contains(&n) => Ok(n),
                _ => Err(invalid_param(format!("option `maxBytes` must be 1 to {}", xml::MAX_MAX_BYTES))),
            },
            Some(Scalar::Str(_)) => Err(invalid_param("option `maxBytes` must be an integer")),
        }
    }
}
