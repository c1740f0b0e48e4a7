//! v3 signature-header checks: `name: value` lines, an empty line, then the raw body; the
//! clock is fixed at 1735689600 and only the serial `KNOWN` has a key. No panic; an accepted
//! input yields exactly `TIMESTAMP\nNONCE\nBODY\n` and a timestamp inside the window.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wxpay_wasm::v3::verify::{prepare, Headers, NONCE, TIMESTAMP};

const NOW: i64 = 1735689600;

fuzz_target!(|data: &[u8]| {
    let split = data.windows(2).position(|w| w == b"\n\n").unwrap_or(data.len());
    let Ok(head) = std::str::from_utf8(&data[..split]) else { return };
    let body = data.get(split + 2..).unwrap_or(&[]);
    let pairs = head.lines().filter_map(|l| l.split_once(':'));
    let Ok(headers) = Headers::from_pairs(pairs) else { return };
    if let Ok(p) = prepare(body, &headers, NOW, 300, |s| s == "KNOWN") {
        assert_eq!(p.serial, "KNOWN");
        assert!((p.timestamp - NOW).abs() <= 300);
        let mut want = format!("{}\n{}\n", headers.get(TIMESTAMP).unwrap(), headers.get(NONCE).unwrap()).into_bytes();
        want.extend_from_slice(body);
        want.push(b'\n');
        assert_eq!(p.message, want);
    }
});
