//! v2 results as they cross to JavaScript: one JSON string the JS entry parses (fields of a
//! reply or notification, a bill, grouped fields), faster than building the object across
//! the boundary, and the `wx.requestPayment` object as six `\0`-separated values.

use crate::core::json::push_string;
use crate::v2::bill::Bill;
use crate::v2::indexed::Grouped;
use crate::v2::params::Params;
use crate::v2::pay_params::PayParams;

/// Writes a parameter set as a JSON object, so the boundary can hand back one string.
pub fn params_to_json(params: &Params, out: &mut String) {
    push_object(out, params.iter().map(|(k, v)| (k.as_str(), v.as_str())));
}

/// Writes name/value pairs as one flat JSON object of strings, in the order given.
pub fn push_object<'a>(out: &mut String, pairs: impl Iterator<Item = (&'a str, &'a str)>) {
    out.push('{');
    for (i, (k, v)) in pairs.enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_string(out, k);
        out.push(':');
        push_string(out, v);
    }
    out.push('}');
}

/// Fields as one JSON object, plus `"paid"` when given (a verified notification).
pub fn fields_json(fields: &Params, paid: Option<bool>) -> String {
    let mut out = String::with_capacity(fields.iter().map(|(k, v)| k.len() + v.len() + 6).sum::<usize>() + 16);
    params_to_json(fields, &mut out);
    if let Some(paid) = paid {
        out.pop();
        if !fields.is_empty() {
            out.push(',');
        }
        out.push_str(if paid { "\"paid\":true}" } else { "\"paid\":false}" });
    }
    out
}

/// A flat JSON object of strings, for small results: JSON.parse on the JS side is faster
/// than building the object field by field across the boundary, and needs no serde glue.
pub fn json_object(pairs: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(pairs.iter().map(|(k, v)| k.len() + v.len() + 6).sum::<usize>() + 2);
    push_object(&mut out, pairs.iter().copied());
    out
}

/// The `wx.requestPayment` object, names as the mini-program API spells them. Speed trick
/// (issue 15; `payParams` in js/v2/api.js reads it): the six values in this order as
/// `\0appId\0timeStamp\0nonceStr\0package\0signType\0paySign`, split in JS instead of
/// JSON.parse; a JSON object whenever a value holds U+0000 itself (an appId, prepayId or
/// nonceStr given with one), so nothing is ever split in the wrong place.
pub fn pay_params_wire(p: &PayParams) -> String {
    let pairs = [
        ("appId", p.app_id.as_str()),
        ("timeStamp", &p.time_stamp),
        ("nonceStr", &p.nonce_str),
        ("package", &p.package),
        ("signType", p.sign_type.as_str()),
        ("paySign", &p.pay_sign),
    ];
    if pairs.iter().any(|(_, v)| v.contains('\0')) {
        return json_object(&pairs);
    }
    let mut out = String::with_capacity(pairs.iter().map(|(_, v)| v.len() + 1).sum());
    for (_, v) in pairs {
        out.push('\0');
        out.push_str(v);
    }
    out
}

/// `{"headers":[…],"rows":[{header: value}],"summary":{header: value}}`, columns in the
/// bill's own order.
pub fn bill_json(bill: &Bill) -> String {
    let columns = |out: &mut String, names: &[String], values: &[String]| {
        push_object(out, names.iter().map(String::as_str).zip(values.iter().map(String::as_str)));
    };
    let mut out = String::with_capacity(64 + bill.rows.iter().flatten().map(|v| v.len() + 24).sum::<usize>());
    out.push_str("{\"headers\":[");
    for (i, h) in bill.headers.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_string(&mut out, h);
    }
    out.push_str("],\"rows\":[");
    for (i, row) in bill.rows.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        columns(&mut out, &bill.headers, row);
    }
    out.push_str("],\"summary\":");
    columns(&mut out, &bill.summary_headers, &bill.summary);
    out.push('}');
    out
}

/// `{"fields":{…},"items":[{"fields":{…},"items":[{…}]}]}`
pub fn grouped_json(g: &Grouped) -> String {
    let mut out = String::from("{\"fields\":");
    params_to_json(&g.fields, &mut out);
    out.push_str(",\"items\":[");
    for (i, item) in g.items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"fields\":");
        params_to_json(&item.fields, &mut out);
        out.push_str(",\"items\":[");
        for (j, inner) in item.items.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            params_to_json(inner, &mut out);
        }
        out.push_str("]}");
    }
    out.push_str("]}");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::v2::params::from_pairs;
    use crate::wasm::fields::params_from_wire;

    #[test]
    fn json_out_round_trips() {
        let p = from_pairs([("a", "q\"b\\s\u{1}\n中"), ("b", "")]);
        let mut s = String::new();
        params_to_json(&p, &mut s);
        assert_eq!(s, "{\"a\":\"q\\\"b\\\\s\\u0001\\n中\",\"b\":\"\"}");
        assert_eq!(params_from_wire(&s).unwrap(), p);
    }
}
