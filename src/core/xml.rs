//! XML references, resolved in one place for both XML readers (v2's messages and the
//! mini-program's pushes): the five predefined entities and numeric references. Every
//! other entity would need a DTD, and DTDs are where XXE and billion-laughs live.

use quick_xml::events::BytesRef;

use crate::core::error::{escaped, Code, Result, WxError, QUOTE_MAX};

/// The character `r` stands for. A numeric reference must name a character `allowed`
/// accepts (v2 writes its values back as XML, so only XML's characters; a push becomes
/// JSON, which takes any), else INVALID_XML; any other entity is XML_FORBIDDEN.
pub fn resolve_reference(r: &BytesRef<'_>, allowed: impl Fn(char) -> bool) -> Result<char> {
    let name: &str = r;
    let c = match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "apos" => '\'',
        "quot" => '"',
        _ if r.is_char_ref() => match r.resolve_char_ref() {
            Ok(Some(c)) if allowed(c) => c,
            _ => {
                return Err(WxError::new(
                    Code::InvalidXml,
                    format!("invalid character reference &{};", escaped(name, QUOTE_MAX)),
                ))
            }
        },
        _ => {
            return Err(WxError::new(
                Code::XmlForbidden,
                format!("entity &{}; is not accepted: only the five predefined entities are", escaped(name, QUOTE_MAX)),
            ))
        }
    };
    Ok(c)
}
