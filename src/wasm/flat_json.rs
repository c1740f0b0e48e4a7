//! The boundary's flat JSON object reader (v2): parameter and options objects arrive as one
//! `JSON.stringify` string, `{"name": "value" | integer | null, …}`, read here. Parameter
//! sets may come as a field list instead ([`super::fields`]); options always come as JSON
//! ([`super::options`]), since their types matter. It lives in `src/wasm/` because only the
//! boundary needs it; it compiles natively too, so the property tests and fuzzers drive it.
//!
//! Why JSON: one `JSON.stringify` string crosses into wasm far faster than walking the
//! object field by field, and JSON keeps what a plain string would lose (a lone surrogate
//! stays visible as `\udXXX` instead of silently becoming U+FFFD and signing something else).

use std::borrow::Cow;

use crate::core::error::{Code, Result, WxError};
use crate::core::json::{Fault, Lexer};
use crate::v2::params::duplicate;

/// A JSON value as the boundary accepts it. Integers keep their text so that a number
/// and a string can be told apart where that matters (an API key must be a string).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scalar {
    Str(String),
    Int(String),
}

impl Scalar {
    pub fn into_text(self) -> String {
        match self {
            Scalar::Str(s) | Scalar::Int(s) => s,
        }
    }
}

/// A flat JSON object: names to strings or integers; `null` values are left out.
pub type Object = Vec<(String, Scalar)>;

/// A value as parsed: borrowed from the source unless an escape forced a copy.
pub(super) enum Value<'a> {
    Str(Cow<'a, str>),
    Int(Cow<'a, str>),
}

impl<'a> Value<'a> {
    pub(super) fn text(self) -> Cow<'a, str> {
        match self {
            Value::Str(s) | Value::Int(s) => s,
        }
    }

    fn into_scalar(self) -> Scalar {
        match self {
            Value::Str(s) => Scalar::Str(s.into_owned()),
            Value::Int(s) => Scalar::Int(s.into_owned()),
        }
    }
}

/// Parses a JSON object whose values are strings, integers or null.
pub fn object_from_json(src: &str) -> Result<Object> {
    let mut out = Object::new();
    // Options objects are small, so a linear duplicate check is fine here.
    parse_object(src, |name, value| {
        if out.iter().any(|(n, _)| *n == name) {
            return Err(duplicate(&name));
        }
        if let Some(v) = value {
            out.push((name.into_owned(), v.into_scalar()));
        }
        Ok(())
    })?;
    Ok(out)
}

/// Parses one whole JSON object, handing each field to `field` in document order.
pub(super) fn parse_object<'a>(
    src: &'a str,
    mut field: impl FnMut(Cow<'a, str>, Option<Value<'a>>) -> Result<()>,
) -> Result<()> {
    let mut p = JsonParser { lex: Lexer::new(src) };
    p.object(&mut field)?;
    p.ws();
    if !p.lex.at_end() {
        return Err(bad_param("trailing characters after the parameter object"));
    }
    Ok(())
}

pub(super) fn bad_param(msg: impl Into<String>) -> WxError {
    WxError::new(Code::InvalidParam, msg)
}

/// The message for a value that is not a string or an integer, naming the field.
pub fn bad_value(name: &str, what: &str) -> WxError {
    WxError::field(
        Code::InvalidField,
        name,
        format!(
            "field `{name}` is {what}; values must be strings or integers (JSON.stringify objects such as `detail` or `scene_info` first)"
        ),
    )
}

/// The parameter object's reader: the lexical layer is the shared one ([`Lexer`]); the
/// grammar here is the boundary's (one flat object of strings, integers and nulls).
struct JsonParser<'a> {
    lex: Lexer<'a>,
}

impl<'a> JsonParser<'a> {
    fn peek(&self) -> Option<u8> {
        self.lex.peek()
    }

    fn ws(&mut self) {
        self.lex.ws();
    }

    fn eat(&mut self, b: u8) -> Result<()> {
        self.ws();
        if self.peek() == Some(b) {
            self.lex.i += 1;
            Ok(())
        } else {
            Err(bad_param(format!("expected `{}` at offset {} of the parameter object", b as char, self.lex.i)))
        }
    }

    fn object(&mut self, field: &mut dyn FnMut(Cow<'a, str>, Option<Value<'a>>) -> Result<()>) -> Result<()> {
        self.ws();
        if self.peek() != Some(b'{') {
            return Err(bad_param("parameters must be a plain object of field names to values"));
        }
        self.lex.i += 1;
        self.ws();
        if self.peek() == Some(b'}') {
            self.lex.i += 1;
            return Ok(());
        }
        loop {
            self.ws();
            // A name that is not a string is malformed JSON (INVALID_PARAM); a string name
            // that cannot be a field (empty, lone surrogate) is INVALID_FIELD, like a value.
            let name = self.string()?;
            if name.is_empty() {
                return Err(WxError::new(Code::InvalidField, "a field name is empty"));
            }
            self.eat(b':')?;
            let value = self.value(&name)?;
            field(name, value)?;
            self.ws();
            match self.peek() {
                Some(b',') => self.lex.i += 1,
                Some(b'}') => {
                    self.lex.i += 1;
                    return Ok(());
                }
                _ => return Err(bad_param("malformed parameter object")),
            }
        }
    }

    fn value(&mut self, name: &str) -> Result<Option<Value<'a>>> {
        self.ws();
        match self.peek() {
            Some(b'"') => match self.string() {
                Ok(s) => Ok(Some(Value::Str(s))),
                Err(e) => Err(WxError { field: Some(name.to_owned()), ..e }),
            },
            Some(b'-' | b'0'..=b'9') => self.integer(name).map(|t| Some(Value::Int(t))),
            Some(b'n') if self.lex.literal("null") => Ok(None),
            Some(b't') => Err(bad_value(name, "a boolean")),
            Some(b'f') => Err(bad_value(name, "a boolean")),
            Some(b'{') => Err(bad_value(name, "an object")),
            Some(b'[') => Err(bad_value(name, "an array")),
            _ => Err(bad_param("malformed parameter object")),
        }
    }

    /// Integers keep their decimal digits; fractions and exponents are refused because
    /// `total_fee: 1.5` is a bug, not a price.
    fn integer(&mut self, name: &str) -> Result<Cow<'a, str>> {
        let start = self.lex.i;
        if self.peek() == Some(b'-') {
            self.lex.i += 1;
        }
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.lex.i += 1;
        }
        if matches!(self.peek(), Some(b'.' | b'e' | b'E')) {
            return Err(bad_value(name, "not an integer"));
        }
        match self.lex.since(start) {
            "" | "-" => Err(bad_param("malformed number")),
            "-0" => Ok(Cow::Borrowed("0")),
            t => Ok(Cow::Borrowed(t)),
        }
    }

    /// A string literal; its faults worded for the parameter object. A lone surrogate is
    /// the value's fault (INVALID_FIELD), the rest malformed JSON (INVALID_PARAM).
    fn string(&mut self) -> Result<Cow<'a, str>> {
        if self.peek() != Some(b'"') {
            return Err(bad_param("expected a string"));
        }
        self.lex.string().map_err(|fault| match fault {
            Fault::Unterminated | Fault::Control => bad_param("unterminated string in the parameter object"),
            Fault::LoneSurrogate(_) => WxError::new(Code::InvalidField, fault.message()),
            _ => bad_param(fault.message()),
        })
    }
}
