//! WeChat's flat XML: `<xml><field>value</field>…</xml>`, built and parsed.
//!
//! The parser is deliberately narrow. Notify endpoints are public, and XML features
//! beyond the flat shape (DTDs, entities, processing instructions, nesting) are how
//! payment SDKs were attacked (XXE in the WeChat Java SDK, 2018), so each of them is
//! refused with `XML_FORBIDDEN` or `INVALID_XML` instead of being interpreted.

use quick_xml::events::{BytesRef, Event};
use quick_xml::Reader;

use crate::core::error::{escaped, quoted, Code, Result, WxError, QUOTE_MAX};
use crate::v2::params::{Entry, Params};

/// Inputs above this are refused unparsed unless the caller raises the limit (the contract's).
pub const DEFAULT_MAX_BYTES: usize = crate::contract::MAX_BYTES_DEFAULT;
/// The most a caller may raise the limit to (the contract's).
pub const MAX_MAX_BYTES: usize = crate::contract::MAX_BYTES_CEILING;
/// WeChat messages carry a few dozen fields; thousands can only be an attack.
pub const MAX_FIELDS: usize = 1000;

/// Names WeChat uses are `[A-Za-z0-9_]+`; anything else could inject markup.
pub fn is_field_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Integers go out as text, everything else as CDATA. A digit-only string is the same
/// value to WeChat either way, so no type needs to travel with the value.
fn is_integer_text(v: &str) -> bool {
    let digits = v.strip_prefix('-').unwrap_or(v);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Characters XML 1.0 cannot carry at all, not even in CDATA.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Serialises `params` in name order. `]]>` inside a value is split across two CDATA
/// sections so the value comes back byte for byte.
pub fn to_xml(params: &Params) -> Result<String> {
    let mut out = String::with_capacity(16 + params.iter().map(|(k, v)| 2 * k.len() + v.len() + 17).sum::<usize>());
    out.push_str("<xml>");
    for (name, value) in params {
        if !is_field_name(name) {
            return Err(WxError::field(
                Code::InvalidField,
                name,
                format!(
                    "field name {} is not allowed in XML: use only letters, digits and `_`",
                    crate::core::error::quoted(name)
                ),
            ));
        }
        if let Some(bad) = value.chars().find(|c| !is_xml_char(*c)) {
            return Err(WxError::field(
                Code::InvalidField,
                name,
                format!("field `{name}` contains U+{:04X}, which XML cannot carry", bad as u32),
            ));
        }
        push_field(&mut out, name, value);
    }
    out.push_str("</xml>");
    Ok(out)
}

fn push_field(out: &mut String, name: &str, value: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
    if value.is_empty() || is_integer_text(value) {
        out.push_str(value);
    } else {
        out.push_str("<![CDATA[");
        let mut rest = value;
        // A byte scan: `str::find` with a &str pattern links a ~2 KB two-way searcher.
        while let Some(i) = rest.as_bytes().windows(3).position(|w| w == b"]]>") {
            // `]]` is ASCII, so i + 2 is a character boundary and the split cannot fail.
            let (head, tail) = rest.split_at_checked(i + 2).unwrap_or((rest, ""));
            out.push_str(head);
            out.push_str("]]><![CDATA[");
            rest = tail;
        }
        out.push_str(rest);
        out.push_str("]]>");
    }
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

/// Refuses oversized input before any parsing, so a 100 MiB body costs nothing.
pub fn check_size(len: usize, max_bytes: usize) -> Result<()> {
    let limit = max_bytes.min(MAX_MAX_BYTES);
    if len > limit {
        return Err(WxError::new(Code::InputTooLarge, format!("input is {len} bytes; the limit is {limit} bytes")));
    }
    Ok(())
}

/// Parses with the default 64 KiB limit.
pub fn parse_xml(xml: &str) -> Result<Params> {
    parse_xml_limited(xml, DEFAULT_MAX_BYTES)
}

/// Parses `<xml>` with one level of fields into a parameter set.
pub fn parse_xml_limited(xml: &str, max_bytes: usize) -> Result<Params> {
    parse_flat(xml, max_bytes, "xml")
}

/// The same hardened parser for a flat document under another root element: the
/// decrypted `req_info` of a refund notification is `<root><field>…</field></root>`.
pub fn parse_flat(xml: &str, max_bytes: usize, root: &'static str) -> Result<Params> {
    check_size(xml.len(), max_bytes)?;
    let xml = xml.strip_prefix('\u{feff}').unwrap_or(xml);
    not_markup(xml, root)?;
    let mut reader = Reader::from_str(xml);
    let mut parser = Parser { root, ..Parser::default() };
    loop {
        let event = reader.read_event().map_err(|e| invalid(format!("malformed XML: {}", describe(&e))))?;
        if parser.feed(event)? {
            return Ok(parser.fields);
        }
    }
}

/// A body that does not start with markup is no XML at all; saying what was expected
/// (and, for a JSON body, that it is likely a v3 callback) helps more than the parser's
/// "text outside a field".
fn not_markup(xml: &str, root: &'static str) -> Result<()> {
    let first = xml.trim_start_matches([' ', '\t', '\r', '\n']).chars().next();
    match first {
        None | Some('<') => Ok(()),
        Some('{') | Some('[') if root == "xml" => Err(invalid(
            "expected a WeChat Pay v2 `<xml>` document, got JSON: this looks like a WeChat Pay API v3 JSON callback; use verifyNotify from wxpay-wasm/v3",
        )),
        Some(_) if root == "xml" => Err(invalid("expected a WeChat Pay v2 `<xml>` document, got text that is not XML")),
        Some(_) => Err(invalid("expected an XML document, got text that is not XML")),
    }
}

/// quick-xml's own wording for the errors a string reader can meet. Restated because its
/// `Display` impls link every message it has plus std's I/O error texts (~5 KB of wasm).
fn describe(e: &quick_xml::Error) -> String {
    use quick_xml::errors::{IllFormedError as Ill, SyntaxError as Syn};
    let syntax = |s: &Syn| match s {
        Syn::InvalidBangMarkup => "unknown or missed symbol in markup",
        Syn::UnclosedPI => "processing instruction not closed: `?>` not found before end of input",
        Syn::UnclosedXmlDecl => "XML declaration not closed: `?>` not found before end of input",
        Syn::UnclosedComment => "comment not closed: `-->` not found before end of input",
        Syn::UnclosedDoctype => "DOCTYPE not closed: `>` not found before end of input",
        Syn::UnclosedCData => "CDATA not closed: `]]>` not found before end of input",
        Syn::UnclosedTag => "tag not closed: `>` not found before end of input",
        Syn::UnclosedSingleQuotedAttributeValue => "attribute value not closed: `'` not found before end of input",
        Syn::UnclosedDoubleQuotedAttributeValue => "attribute value not closed: `\"` not found before end of input",
    };
    match e {
        quick_xml::Error::Syntax(s) => "syntax error: ".to_owned() + syntax(s),
        quick_xml::Error::IllFormed(ill) => {
            let what = match ill {
                Ill::MissingDeclVersion(_) => "an XML declaration does not start with a `version` attribute".to_owned(),
                Ill::UnknownVersion => "unknown XML version: either 1.0 or 1.1 is expected".to_owned(),
                Ill::MissingDoctypeName => {
                    "`<!DOCTYPE>` declaration does not contain a name of a document type".to_owned()
                }
                Ill::MissingEndTag(tag) => {
                    format!("start tag not closed: `</{}>` not found before end of input", escaped(tag, QUOTE_MAX))
                }
                Ill::UnmatchedEndTag(tag) => {
                    format!("close tag `</{}>` does not match any open tag", escaped(tag, QUOTE_MAX))
                }
                Ill::MismatchedEndTag { expected, found } => {
                    format!(
                        "expected `</{}>`, but `</{}>` was found",
                        escaped(expected, QUOTE_MAX),
                        escaped(found, QUOTE_MAX)
                    )
                }
                Ill::DoubleHyphenInComment => "forbidden string `--` was found in a comment".to_owned(),
                Ill::UnclosedReference => {
                    "entity or character reference not closed: `;` not found before end of input".to_owned()
                }
            };
            "ill-formed document: ".to_owned() + &what
        }
        quick_xml::Error::InvalidAttr(_) => "error while parsing attribute".to_owned(),
        quick_xml::Error::Encoding(_) => "the input is not valid UTF-8".to_owned(),
        quick_xml::Error::Escape(_) => "invalid escape".to_owned(),
        quick_xml::Error::Namespace(_) => "namespace error".to_owned(),
        quick_xml::Error::Io(_) => "read error".to_owned(),
    }
}

fn invalid(msg: impl Into<String>) -> WxError {
    WxError::new(Code::InvalidXml, msg)
}

fn forbidden(msg: impl Into<String>) -> WxError {
    WxError::new(Code::XmlForbidden, msg)
}

#[derive(Default, PartialEq)]
enum State {
    #[default]
    Prolog,
    InRoot,
    InField,
    Epilog,
}

#[derive(Default)]
struct Parser {
    root: &'static str,
    state: State,
    fields: Params,
    name: String,
    value: String,
}

impl Parser {
    /// Takes one event; `Ok(true)` once the document is complete.
    fn feed(&mut self, event: Event<'_>) -> Result<bool> {
        match event {
            Event::DocType(_) => Err(forbidden("DOCTYPE declarations are not accepted")),
            Event::PI(_) => Err(forbidden("processing instructions are not accepted")),
            Event::Decl(_) if self.state == State::Prolog => Ok(false),
            Event::Decl(_) => Err(invalid("an XML declaration may only open the document")),
            Event::Comment(_) => Ok(false),
            Event::Start(e) => self.open(e.name().as_ref(), false),
            Event::Empty(e) => self.open(e.name().as_ref(), true),
            Event::End(_) => self.close(),
            Event::Text(t) => self.text(&t.into_inner()),
            Event::CData(c) => self.text_cdata(&c.into_inner()),
            Event::GeneralRef(r) => self.reference(&r),
            Event::Eof if self.state == State::Epilog => Ok(true),
            Event::Eof if self.state == State::Prolog => {
                Err(invalid(format!("the input holds no <{}> element", self.root)))
            }
            Event::Eof => Err(invalid(format!("the XML ends before </{}>: truncated input", self.root))),
        }
    }

    fn open(&mut self, name: &str, empty: bool) -> Result<bool> {
        match self.state {
            State::Prolog if name == self.root => {
                self.state = if empty { State::Epilog } else { State::InRoot };
                Ok(false)
            }
            State::Prolog => {
                Err(invalid(format!("the root element must be <{}>, not <{}>", self.root, escaped(name, QUOTE_MAX))))
            }
            State::InRoot => {
                // What `to_xml` cannot write, the parser does not accept, so every parsed
                // document re-serialises (the fuzz and property tests found `<a-b>`,
                // `<中>` and control characters in names passing through).
                if !is_field_name(name) {
                    return Err(invalid(format!(
                        "field name {} is not a WeChat field name: only letters, digits and `_`",
                        quoted(name)
                    )));
                }
                self.name.clear();
                self.name.push_str(name);
                self.value.clear();
                if empty {
                    self.store()
                } else {
                    self.state = State::InField;
                    Ok(false)
                }
            }
            State::InField => Err(invalid(format!(
                "element <{name}> is nested inside <{}>; only one level of fields is accepted",
                self.name
            ))),
            State::Epilog => Err(invalid(format!("content after </{}>", self.root))),
        }
    }

    fn close(&mut self) -> Result<bool> {
        match self.state {
            State::InField => {
                self.state = State::InRoot;
                self.store()
            }
            State::InRoot => {
                self.state = State::Epilog;
                Ok(false)
            }
            _ => Err(invalid("unexpected closing tag")),
        }
    }

    fn store(&mut self) -> Result<bool> {
        let full = self.fields.len() >= MAX_FIELDS;
        // One search per field (issue 15: contains_key + insert searched twice).
        match self.fields.entry(std::mem::take(&mut self.name)) {
            Entry::Occupied(e) => Err(WxError::field(
                Code::DuplicateField,
                e.key(),
                format!("field `{}` appears more than once; refusing to guess which value counts", e.key()),
            )),
            Entry::Vacant(_) if full => {
                Err(WxError::new(Code::InputTooLarge, format!("more than {MAX_FIELDS} fields")))
            }
            Entry::Vacant(e) => {
                e.insert(std::mem::take(&mut self.value));
                Ok(false)
            }
        }
    }

    fn text(&mut self, text: &str) -> Result<bool> {
        check_chars(text)?;
        if self.state == State::InField {
            self.value.push_str(text);
            Ok(false)
        } else if text.bytes().all(|b| b.is_ascii_whitespace()) {
            Ok(false)
        } else {
            Err(invalid(
                "text outside a field (expected a WeChat Pay v2 `<xml>` document of `<field>value</field>` elements)",
            ))
        }
    }

    fn text_cdata(&mut self, text: &str) -> Result<bool> {
        check_chars(text)?;
        if self.state != State::InField {
            return Err(invalid("CDATA outside a field"));
        }
        self.value.push_str(text);
        Ok(false)
    }

    fn reference(&mut self, r: &BytesRef<'_>) -> Result<bool> {
        let c = resolve_reference(r)?;
        if self.state != State::InField {
            return Err(invalid("character reference outside a field"));
        }
        self.value.push(c);
        Ok(false)
    }
}

/// Raw characters XML 1.0 forbids (C0 controls, U+FFFE, U+FFFF) are refused as the
/// same characters written as references already were: a value holding one could not be
/// written back, nor sent to WeChat.
fn check_chars(text: &str) -> Result<()> {
    // Fast path (issue 15): no C0 control and no 0xEF lead byte (U+FFFE and U+FFFF are
    // EF BF BE / EF BF BF) means every character is allowed, without decoding UTF-8.
    if text.bytes().all(|b| b >= 0x20 && b != 0xEF) {
        return Ok(());
    }
    match text.chars().find(|c| !is_xml_char(*c)) {
        Some(c) => Err(invalid(format!("the XML contains U+{:04X}, which XML does not allow", c as u32))),
        None => Ok(()),
    }
}

/// The five predefined entities and numeric references; every other entity would need
/// a DTD, and DTDs are where XXE and billion-laughs live.
fn resolve_reference(r: &BytesRef<'_>) -> Result<char> {
    let name: &str = r;
    let c = match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "apos" => '\'',
        "quot" => '"',
        _ if r.is_char_ref() => match r.resolve_char_ref() {
            Ok(Some(c)) if is_xml_char(c) => c,
            _ => return Err(invalid(format!("invalid character reference &{};", escaped(name, QUOTE_MAX)))),
        },
        _ => {
            return Err(forbidden(format!(
                "entity &{}; is not accepted: only the five predefined entities are",
                escaped(name, QUOTE_MAX)
            )))
        }
    };
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::v2::params::from_pairs;

    /// Names a sender wrote reach messages cut and escaped, whatever their size.
    #[test]
    fn messages_quote_names_cut() {
        let name = "n".repeat(60_000);
        for xml in [format!("<xml><a></{name}></xml>"), format!("<{name}/>"), format!("<xml><a>&{name};</a></xml>")] {
            let e = parse_xml_limited(&xml, MAX_MAX_BYTES).unwrap_err();
            assert!(e.message.len() < 300 && e.message.contains("(60000 characters)"), "{}", e.message);
        }
    }

    /// A body that is no XML says what was expected; a JSON one points to v3.
    #[test]
    fn not_xml_says_what_was_expected() {
        for body in ["{\"event_type\":\"TRANSACTION.SUCCESS\"}", " \n[1]", "\u{feff}{}"] {
            let e = parse_xml(body).unwrap_err();
            assert_eq!(e.code, Code::InvalidXml);
            assert!(e.message.contains("expected a WeChat Pay v2 `<xml>` document"), "{}", e.message);
            assert!(e.message.contains("WeChat Pay API v3 JSON callback"), "{}", e.message);
        }
        let e = parse_xml("return_code=SUCCESS").unwrap_err();
        assert!(
            e.message.contains("expected a WeChat Pay v2 `<xml>` document") && !e.message.contains("v3"),
            "{}",
            e.message
        );
        let e = parse_flat("hello", DEFAULT_MAX_BYTES, "root").unwrap_err();
        assert!(!e.message.contains("v2"), "{}", e.message);
        assert!(parse_xml("  <xml><a>1</a></xml>").is_ok());
    }

    #[test]
    fn cdata_split_round_trip() {
        let p = from_pairs([("a", "x]]>y]]>"), ("n", "42"), ("e", ""), ("z", "<&>\"'")]);
        let xml = to_xml(&p).unwrap();
        assert_eq!(
            xml,
            "<xml><a><![CDATA[x]]]]><![CDATA[>y]]]]><![CDATA[>]]></a><e></e><n>42</n><z><![CDATA[<&>\"']]></z></xml>"
        );
        assert_eq!(parse_xml(&xml).unwrap(), p);
    }

    #[test]
    fn parse_accepts_decl_whitespace_entities() {
        let xml = "\u{feff}<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xml>\n  <a>1 &lt; 2 &amp;&#x4E2D;&#25991;</a>\n  <b><![CDATA[ x ]]></b><c/>\n</xml>\n";
        let p = parse_xml(xml).unwrap();
        assert_eq!(p, from_pairs([("a", "1 < 2 &中文"), ("b", " x "), ("c", "")]));
    }

    fn code(xml: &str) -> Code {
        parse_xml(xml).unwrap_err().code
    }

    #[test]
    fn hostile_documents() {
        assert_eq!(
            code("<!DOCTYPE xml [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><xml><a>&x;</a></xml>"),
            Code::XmlForbidden
        );
        assert_eq!(code("<xml><a>&x;</a></xml>"), Code::XmlForbidden);
        assert_eq!(code("<?pi x?><xml></xml>"), Code::XmlForbidden);
        assert_eq!(code("<xml><a><b>1</b></a></xml>"), Code::InvalidXml);
        assert_eq!(code("<xml><a>1</a><a>2</a></xml>"), Code::DuplicateField);
        assert_eq!(code("<xml><a>1</a>"), Code::InvalidXml);
        assert_eq!(code("<root><a>1</a></root>"), Code::InvalidXml);
        assert_eq!(code("<xml><a>1</b></xml>"), Code::InvalidXml);
        assert_eq!(code(""), Code::InvalidXml);
        assert_eq!(code("<xml>text</xml>"), Code::InvalidXml);
        assert_eq!(code("<xml><a>&#0;</a></xml>"), Code::InvalidXml);
        assert_eq!(code("<xml></xml><xml></xml>"), Code::InvalidXml);
        assert_eq!(code(&" ".repeat(DEFAULT_MAX_BYTES + 1)), Code::InputTooLarge);
        let many: String = (0..=MAX_FIELDS).map(|i| format!("<f{i}>1</f{i}>")).collect();
        assert_eq!(
            parse_xml_limited(&format!("<xml>{many}</xml>"), MAX_MAX_BYTES).unwrap_err().code,
            Code::InputTooLarge
        );
    }

    /// Regressions from the issue 5 property tests: each parsed, but its fields could not
    /// be serialised again.
    #[test]
    fn parser_accepts_only_what_to_xml_can_write() {
        for xml in [
            "<xml><a-b>1</a-b></xml>",
            "<xml><中>1</中></xml>",
            "<xml><a:b>1</a:b></xml>",
            "<xml><a\u{1}>x</a\u{1}></xml>",
            "<xml><a>\u{1}</a></xml>",
            "<xml><a>\u{fffe}</a></xml>",
            "<xml><a><![CDATA[\u{b}]]></a></xml>",
        ] {
            assert_eq!(code(xml), Code::InvalidXml, "{xml:?}");
        }
        assert_eq!(parse_xml("<xml><A_1>\t\r\n</A_1></xml>").unwrap(), from_pairs([("A_1", "\t\r\n")]));
    }

    #[test]
    fn other_roots_for_refund_plaintext() {
        let p = parse_flat("<root>\n<a><![CDATA[1]]></a>\n</root>", DEFAULT_MAX_BYTES, "root").unwrap();
        assert_eq!(p, from_pairs([("a", "1")]));
        assert_eq!(parse_flat("<xml><a>1</a></xml>", DEFAULT_MAX_BYTES, "root").unwrap_err().code, Code::InvalidXml);
        assert_eq!(parse_xml("<root><a>1</a></root>").unwrap_err().code, Code::InvalidXml);
        assert_eq!(
            parse_flat("<root><a>1</a>", DEFAULT_MAX_BYTES, "root").unwrap_err().message,
            "the XML ends before </root>: truncated input"
        );
    }

    #[test]
    fn bad_names_and_chars_rejected_in_to_xml() {
        assert_eq!(to_xml(&from_pairs([("a<b", "1")])).unwrap_err().code, Code::InvalidField);
        assert_eq!(to_xml(&from_pairs([("a b", "1")])).unwrap_err().code, Code::InvalidField);
        assert_eq!(to_xml(&from_pairs([("a", "\u{1}")])).unwrap_err().code, Code::InvalidField);
    }
}
