//! A push message's XML as JSON text, for JavaScript to `JSON.parse`. Message push in XML
//! format wraps each message in `<xml>…</xml>`; most fields are flat, some events nest
//! (xpay's `<MiniGame>`, a `<List>` of items), so one level of nesting is not enough here
//! as it is for v2. The same refusals as v2's parser: no DOCTYPE, no entities but the five
//! predefined ones, no processing instructions, names of letters, digits and `_`.
//!
//! Shape: an element with child elements becomes an object, one without becomes its text
//! (a string: XML has no numbers, so `CreateTime` is `"1700000000"`); a name repeated
//! among siblings becomes an array in document order.

use quick_xml::events::{BytesRef, Event};
use quick_xml::Reader;

use crate::core::error::{escaped, Code, Result, WxError, QUOTE_MAX};
use crate::core::json::push_string;

/// Deeper documents are no push message.
pub const MAX_DEPTH: usize = 16;
/// Push messages have a few dozen elements.
pub const MAX_ELEMENTS: usize = 4096;

fn invalid(msg: impl Into<String>) -> WxError {
    WxError::new(Code::InvalidXml, msg)
}

fn forbidden(msg: impl Into<String>) -> WxError {
    WxError::new(Code::XmlForbidden, msg)
}

enum Node {
    Text(String),
    Object(Vec<(String, Node)>),
}

struct Frame {
    name: String,
    text: String,
    children: Vec<(String, Node)>,
}

impl Frame {
    fn new(name: &str) -> Self {
        Frame { name: name.to_owned(), text: String::new(), children: Vec::new() }
    }
    fn into_node(self) -> Node {
        if self.children.is_empty() {
            Node::Text(self.text)
        } else {
            Node::Object(self.children)
        }
    }
}

fn field_name(name: &str) -> Result<&str> {
    if !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Ok(name);
    }
    Err(invalid(format!(
        "element <{}> is not a push field name: only letters, digits and `_`",
        escaped(name, QUOTE_MAX)
    )))
}

fn reference(r: &BytesRef<'_>) -> Result<char> {
    let name: &str = r;
    Ok(match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "apos" => '\'',
        "quot" => '"',
        _ if r.is_char_ref() => match r.resolve_char_ref() {
            Ok(Some(c)) => c,
            _ => return Err(invalid(format!("invalid character reference &{};", escaped(name, QUOTE_MAX)))),
        },
        _ => return Err(forbidden(format!("entity &{}; is not accepted", escaped(name, QUOTE_MAX)))),
    })
}

/// The document `<xml>…</xml>` (its root's content) as one JSON object's text.
pub fn to_json(xml: &str, max_bytes: usize) -> Result<String> {
    if xml.len() > max_bytes {
        return Err(WxError::new(Code::InputTooLarge, format!("the XML is larger than {max_bytes} bytes")));
    }
    let xml = xml.strip_prefix('\u{feff}').unwrap_or(xml);
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Node> = None;
    let mut count = 0usize;
    loop {
        let event = reader.read_event().map_err(|_| invalid("malformed XML"))?;
        let top = stack.last_mut();
        match (event, top) {
            (Event::DocType(_), _) => return Err(forbidden("DOCTYPE declarations are not accepted")),
            (Event::PI(_), _) => return Err(forbidden("processing instructions are not accepted")),
            (Event::Decl(_) | Event::Comment(_), _) => {}
            (Event::Start(_) | Event::Empty(_), _) if root.is_some() => {
                return Err(invalid("content after </xml>"));
            }
            (Event::Start(e), top) => {
                let name = field_name(e.name().as_ref())?.to_owned();
                if top.is_none() && name != "xml" {
                    return Err(invalid("the root element must be <xml>"));
                }
                count += 1;
                if stack.len() >= MAX_DEPTH || count > MAX_ELEMENTS {
                    return Err(WxError::new(Code::InputTooLarge, "the XML nests too deep or has too many elements"));
                }
                stack.push(Frame::new(&name));
            }
            (Event::Empty(e), top) => {
                let name = field_name(e.name().as_ref())?.to_owned();
                match top {
                    None if name == "xml" => root = Some(Node::Object(Vec::new())),
                    None => return Err(invalid("the root element must be <xml>")),
                    Some(f) => f.children.push((name, Node::Text(String::new()))),
                }
            }
            (Event::End(_), _) => {
                let Some(done) = stack.pop() else { return Err(invalid("unexpected closing tag")) };
                let name = done.name.clone();
                let node = done.into_node();
                match stack.last_mut() {
                    Some(parent) => parent.children.push((name, node)),
                    None => root = Some(node),
                }
            }
            (Event::Text(t), top) => {
                let t = t.into_inner();
                match top {
                    Some(f) => f.text.push_str(&t),
                    None if t.trim().is_empty() => {}
                    None => return Err(invalid("text outside <xml>")),
                }
            }
            (Event::CData(c), Some(f)) => {
                let c = c.into_inner();
                f.text.push_str(&c);
            }
            (Event::GeneralRef(r), Some(f)) => f.text.push(reference(&r)?),
            (Event::CData(_) | Event::GeneralRef(_), None) => return Err(invalid("text outside <xml>")),
            (Event::Eof, _) => break,
        }
    }
    match (root, stack.is_empty()) {
        (Some(Node::Object(fields)), true) => {
            let mut out = String::new();
            write_object(&mut out, &fields);
            Ok(out)
        }
        (Some(Node::Text(t)), true) if t.trim().is_empty() => Ok("{}".to_owned()),
        (Some(Node::Text(_)), true) => Err(invalid("<xml> holds text, not fields")),
        _ => Err(invalid("the XML ends before </xml>: truncated input")),
    }
}

fn write_node(out: &mut String, node: &Node) {
    match node {
        Node::Text(t) => push_string(out, t),
        Node::Object(fields) => write_object(out, fields),
    }
}

/// Fields in document order; a name met again joins the first one's array.
fn write_object(out: &mut String, fields: &[(String, Node)]) {
    out.push('{');
    let mut first = true;
    for (i, (name, node)) in fields.iter().enumerate() {
        if fields[..i].iter().any(|(n, _)| n == name) {
            continue;
        }
        if !first {
            out.push(',');
        }
        first = false;
        push_string(out, name);
        out.push(':');
        let same: Vec<&Node> = fields[i..].iter().filter(|(n, _)| n == name).map(|(_, v)| v).collect();
        if same.len() == 1 {
            write_node(out, node);
        } else {
            out.push('[');
            for (j, n) in same.iter().enumerate() {
                if j > 0 {
                    out.push(',');
                }
                write_node(out, n);
            }
            out.push(']');
        }
    }
    out.push('}');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_and_repeated_elements() {
        let xml = "<xml><ToUserName><![CDATA[gh_1]]></ToUserName><CreateTime>1700000000</CreateTime>\
                   <MiniGame><Payload><![CDATA[{\"a\":1}]]></Payload></MiniGame><Item>1</Item><Item>2</Item><E/></xml>";
        assert_eq!(
            to_json(xml, 65536).unwrap(),
            r#"{"ToUserName":"gh_1","CreateTime":"1700000000","MiniGame":{"Payload":"{\"a\":1}"},"Item":["1","2"],"E":""}"#
        );
        assert_eq!(to_json("<xml/>", 100).unwrap(), "{}");
        assert_eq!(to_json("<xml>a &amp; b</xml>", 100).unwrap_err().code, Code::InvalidXml);
        assert_eq!(to_json("<xml><a>&lt;&#x41;</a></xml>", 100).unwrap(), r#"{"a":"<A"}"#);
        // Unlike v2 (which writes values back as XML), any character reference is taken: JSON escapes it.
        assert_eq!(to_json("<xml><a>&#1;</a></xml>", 100).unwrap(), r#"{"a":"\u0001"}"#);
        assert_eq!(to_json("<xml><a>&foo;</a></xml>", 100).unwrap_err().code, Code::XmlForbidden);
    }

    #[test]
    fn hostile_xml_is_refused() {
        let dtd = "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><xml><a>&e;</a></xml>";
        assert_eq!(to_json(dtd, 1000).unwrap_err().code, Code::XmlForbidden);
        assert_eq!(to_json("<xml><a>&e;</a></xml>", 1000).unwrap_err().code, Code::XmlForbidden);
        assert_eq!(to_json("<?pi x?><xml/>", 1000).unwrap_err().code, Code::XmlForbidden);
        assert_eq!(to_json("<root/>", 1000).unwrap_err().code, Code::InvalidXml);
        assert_eq!(to_json("<xml><a>1</a>", 1000).unwrap_err().code, Code::InvalidXml);
        assert_eq!(to_json("<xml></xml><xml></xml>", 1000).unwrap_err().code, Code::InvalidXml);
        let deep = format!("<xml>{}{}</xml>", "<a>".repeat(20), "</a>".repeat(20));
        assert_eq!(to_json(&deep, 10000).unwrap_err().code, Code::InputTooLarge);
        assert_eq!(to_json(&"x".repeat(200), 100).unwrap_err().code, Code::InputTooLarge);
    }
}
