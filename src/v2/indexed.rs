//! Indexed fields (`coupon_fee_0`, `refund_id_1`, `coupon_refund_fee_1_0` …) grouped into
//! lists. They stay flat everywhere else, because the sign covers them flat; grouping is
//! only a view for the caller.
//!
//! `name_$n` goes to `items[n]` under `name`; `name_$n_$m` to `items[n].items[m]`. So a
//! refund query's `refund_fee_0` is `items[0].fields.refund_fee` and its coupon
//! `coupon_refund_fee_0_1` is `items[0].items[1].coupon_refund_fee`, while the
//! unindexed totals (`refund_fee`, `coupon_fee`) stay in `fields`.

use crate::core::error::{Code, Result, WxError};
use crate::v2::params::Params;
use crate::v2::xml;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Item {
    pub fields: Params,
    pub items: Vec<Params>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Grouped {
    pub fields: Params,
    pub items: Vec<Item>,
}

/// A decimal index without a leading zero, as WeChat numbers its lists.
fn index(s: &str) -> Option<usize> {
    let ok = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && (s == "0" || !s.starts_with('0'));
    if ok {
        s.parse().ok()
    } else {
        None
    }
}

/// `base_n` or `base_n_m`; `None` when the name carries no index.
fn split(name: &str) -> Option<(&str, usize, Option<usize>)> {
    let (rest, last) = name.rsplit_once('_')?;
    let last = index(last)?;
    if let Some((base, n)) = rest.rsplit_once('_').and_then(|(b, n)| Some((b, index(n)?))) {
        if !base.is_empty() {
            return Some((base, n, Some(last)));
        }
    }
    (!rest.is_empty()).then_some((rest, last, None))
}

/// Groups indexed fields. WeChat's lists are dense from 0, so a missing position means
/// the message is not what it claims to be and is refused rather than padded. Density is
/// checked before allocating, so a hostile `x_999_999` cannot make a large table.
pub fn group_indexed(fields: &Params) -> Result<Grouped> {
    if fields.len() > xml::MAX_FIELDS {
        return Err(WxError::new(Code::InputTooLarge, format!("more than {} fields", xml::MAX_FIELDS)));
    }
    let mut out = Grouped::default();
    let mut entries = Vec::new();
    for (name, value) in fields {
        match split(name) {
            None => {
                out.fields.insert(name.clone(), value.clone());
            }
            Some((base, n, m)) => entries.push((n, m, base, value)),
        }
    }
    // A dense list of `len` items needs at least `len` fields; likewise below each item.
    let len = entries.iter().map(|e| e.0 + 1).max().unwrap_or(0);
    if len > entries.len() {
        return Err(gap(first_missing(entries.iter().map(|e| e.0))));
    }
    let mut inner_len = vec![0usize; len];
    let mut inner_count = vec![0usize; len];
    for &(n, m, _, _) in &entries {
        if let Some(m) = m {
            inner_len[n] = inner_len[n].max(m + 1);
            inner_count[n] += 1;
        }
    }
    for n in 0..len {
        if inner_len[n] > inner_count[n] {
            return Err(gap(first_missing(entries.iter().filter(|e| e.0 == n).filter_map(|e| e.1))));
        }
    }
    out.items = inner_len.iter().map(|&l| Item { fields: Params::new(), items: vec![Params::new(); l] }).collect();
    for (n, m, base, value) in entries {
        let item = &mut out.items[n];
        let target = match m {
            Some(m) => &mut item.items[m],
            None => &mut item.fields,
        };
        target.insert(base.to_owned(), value.clone());
    }
    if let Some(n) = out.items.iter().position(|i| i.fields.is_empty() && i.items.is_empty()) {
        return Err(gap(n));
    }
    if let Some(m) = out.items.iter().flat_map(|i| i.items.iter().position(Params::is_empty)).next() {
        return Err(gap(m));
    }
    Ok(out)
}

/// The smallest index not among `present`.
fn first_missing(present: impl Iterator<Item = usize> + Clone) -> usize {
    (0..).find(|i| !present.clone().any(|p| p == *i)).unwrap_or(0)
}

fn gap(at: usize) -> WxError {
    WxError::new(
        Code::InvalidField,
        format!("indexed fields skip index {at}; WeChat numbers them 0, 1, 2 … without gaps"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::v2::params::from_pairs;

    #[test]
    fn split_names() {
        assert_eq!(split("refund_fee_0"), Some(("refund_fee", 0, None)));
        assert_eq!(split("coupon_refund_fee_1_12"), Some(("coupon_refund_fee", 1, Some(12))));
        assert_eq!(split("refund_fee"), None);
        assert_eq!(split("x_01"), None);
        assert_eq!(split("_0"), None);
        assert_eq!(split("a__0"), Some(("a_", 0, None)));
    }

    #[test]
    fn gaps_are_refused() {
        let e = group_indexed(&from_pairs([("refund_id_0", "a"), ("refund_id_2", "c")])).unwrap_err();
        assert_eq!(e.code, Code::InvalidField);
        let e = group_indexed(&from_pairs([("c_0_1", "a")])).unwrap_err();
        assert_eq!(e.code, Code::InvalidField);
        assert!(e.message.contains("index 0"), "{}", e.message);
        let e = group_indexed(&from_pairs([("a_0", "1"), ("c_1_0", "a"), ("c_1_2", "b")])).unwrap_err();
        assert!(e.message.contains("index 1"), "{}", e.message);
        let e = group_indexed(&from_pairs([("x_999_999", "a"), ("y_999", "b")])).unwrap_err();
        assert_eq!(e.code, Code::InvalidField);
    }
}
