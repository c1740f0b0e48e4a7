//! v3's JSON reader against serde_json on any bytes: the same values where we accept, a
//! refusal by both where we refuse (a duplicate member aside, which only we refuse), and
//! our output reads back the same (tests/support/json_diff.rs holds the rule).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/support/json_diff.rs"]
mod json_diff;

fuzz_target!(|data: &[u8]| json_diff::check(data));
