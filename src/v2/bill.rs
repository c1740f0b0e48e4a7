//! The trade bill that `downloadbill` returns (对账单): not XML but comma-separated text.
//!
//! Documented shape: a header line; one line per trade whose every value is prefixed
//! with a backquote (`` ` ``) so spreadsheets keep long numbers as text; then a summary
//! header line and one backquoted summary line. Because each value starts with a
//! backquote, data lines are split on `` ,` `` rather than `,`: a comma inside a product
//! name does not shift the columns.

use crate::core::error::{clip, escaped, Code, Result, WxError, QUOTE_MAX};
use crate::v2::params::Params;
use crate::v2::response;
use crate::v2::xml;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Bill {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub summary_headers: Vec<String>,
    pub summary: Vec<String>,
}

fn bad(line: usize, msg: impl std::fmt::Display) -> WxError {
    WxError::new(Code::InvalidParam, format!("bill line {line}: {msg}"))
}

/// Parses a bill. A reply that is XML is WeChat refusing (`No Bill Exist`, `Bill
/// Creating` …): it becomes the same `RETURN_FAIL` as any other API's failure.
pub fn parse_bill(text: &str) -> Result<Bill> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with('<') {
        let fields = xml::parse_xml_limited(text.trim(), xml::MAX_MAX_BYTES)?;
        response::check_return_code(&fields)?;
        return Err(WxError::new(Code::InvalidParam, "the reply is XML with return_code SUCCESS, not a bill"));
    }
    let mut lines = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .filter(|(_, l)| !l.trim().is_empty());
    let (n, first) = lines.next().ok_or_else(|| WxError::new(Code::InvalidParam, "the bill is empty"))?;
    let mut bill = Bill { headers: header_line(n, first)?, ..Bill::default() };
    let mut in_summary = false;
    for (n, line) in lines {
        match (line.starts_with('`'), in_summary) {
            (true, false) => bill.rows.push(value_line(n, line, bill.headers.len())?),
            (false, false) => {
                bill.summary_headers = header_line(n, line)?;
                in_summary = true;
            }
            (true, true) if bill.summary.is_empty() => bill.summary = value_line(n, line, bill.summary_headers.len())?,
            _ => return Err(bad(n, "unexpected line after the summary")),
        }
    }
    if bill.summary.is_empty() {
        return Err(WxError::new(Code::InvalidParam, "the bill has no summary lines at the end: truncated download?"));
    }
    Ok(bill)
}

fn header_line(n: usize, line: &str) -> Result<Vec<String>> {
    if line.starts_with('`') {
        return Err(bad(n, "expected a header line, found backquoted values"));
    }
    let names: Vec<String> = line.split(',').map(|h| h.trim().to_owned()).collect();
    // A set, not a search of the columns before: that was quadratic, and a 700 KB header
    // line took 19 s (`tests::many_columns_are_linear_enough`).
    // (A `Params` map, whose code the wasm already carries: a `BTreeSet<&str>` cost 3.4 KB.)
    let mut seen = Params::new();
    for (i, name) in names.iter().enumerate() {
        if name.is_empty() {
            return Err(bad(n, format!("column {} has an empty name", i + 1)));
        }
        if seen.insert(name.clone(), String::new()).is_some() {
            let shown = escaped(name, QUOTE_MAX);
            return Err(WxError::field(
                Code::DuplicateField,
                clip(name, QUOTE_MAX),
                format!("bill line {n}: column `{shown}` appears twice"),
            ));
        }
    }
    Ok(names)
}

fn value_line(n: usize, line: &str, columns: usize) -> Result<Vec<String>> {
    let rest = line.strip_prefix('`').unwrap_or(line);
    // Split on ",`" by hand: `str::split(&str)` links std's two-way substring searcher
    // (~1.5 KB of wasm) for this one call. Both bytes are ASCII, so every cut is a char boundary.
    let mut values = Vec::new();
    let mut from = 0;
    for (i, w) in rest.as_bytes().windows(2).enumerate() {
        if w == b",`" && i >= from {
            values.push(rest.get(from..i).unwrap_or_default().to_owned());
            from = i + 2;
        }
    }
    values.push(rest.get(from..).unwrap_or_default().to_owned());
    if values.len() != columns {
        return Err(bad(n, format!("{} values for {columns} columns", values.len())));
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression (issue 5 hostile suite): 100,000 distinct column names took 19 s in wasm
    /// when duplicates were found by searching the columns before each one.
    #[test]
    fn many_columns_are_linear_enough() {
        let head: Vec<String> = (0..100_000).map(|i| format!("c{i}")).collect();
        let values: Vec<String> = (0..100_000).map(|i| format!("`{i}")).collect();
        let text = format!("{}\n{}\nn\n`1\n", head.join(","), values.join(","));
        let b = parse_bill(&text).unwrap();
        assert_eq!(b.headers.len(), 100_000);
        assert_eq!(b.rows[0][99_999], "99999");
        let dup = format!("{},c7\n", head.join(","));
        assert_eq!(parse_bill(&dup).unwrap_err().field.as_deref(), Some("c7"));
    }
}
