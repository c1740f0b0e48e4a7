//! Constant-time comparison of signatures, for every API version.

/// Compares a computed sign with a received one in time that depends only on the length
/// of the shorter input, never on the contents: every byte pair up to that length is
/// XOR-ed and the results OR-ed together, with no branch and no early exit, and a length
/// difference is folded into the same accumulator instead of returning first. An attacker
/// timing the notify endpoint therefore learns nothing about how many leading characters
/// of a forged sign were right. `black_box` keeps the optimiser from turning the fold back
/// into a short-circuiting loop.
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    let (diff, _) = ct_diff(a, b);
    core::hint::black_box(diff | u8::from(a.len() != b.len())) == 0
}

/// The OR of all byte differences and how many byte pairs were visited (the unit test
/// checks that this is always the shorter length).
fn ct_diff(a: &[u8], b: &[u8]) -> (u8, usize) {
    let mut diff = 0u8;
    let mut visited = 0usize;
    for (x, y) in a.iter().zip(b) {
        diff |= core::hint::black_box(x ^ y);
        visited += 1;
    }
    (diff, visited)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ct_eq_equal_length_behaviour() {
        assert!(ct_eq(b"", b""));
        assert!(ct_eq(b"ABCD", b"ABCD"));
        // A difference at the first, middle and last byte is found alike.
        assert!(!ct_eq(b"XBCD", b"ABCD"));
        assert!(!ct_eq(b"ABXD", b"ABCD"));
        assert!(!ct_eq(b"ABCX", b"ABCD"));
        // Bits that cancel out in a sum do not cancel in an OR of XORs.
        assert!(!ct_eq(&[1, 2], &[2, 1]));
        assert!(!ct_eq(b"ABC", b"ABCD"));
        assert!(!ct_eq(b"", b"A"));
    }

    #[test]
    fn ct_eq_visits_every_byte_wherever_the_difference_is() {
        let sign = b"9A0A8659F005D6984697E2CA0A9CF3B7";
        for pos in 0..sign.len() {
            let mut forged = *sign;
            forged[pos] ^= 1;
            let (diff, visited) = ct_diff(sign, &forged);
            assert_ne!(diff, 0);
            assert_eq!(visited, sign.len(), "stopped early for a difference at {pos}");
        }
        // Unequal lengths walk the shorter input too: no early return on length.
        assert_eq!(ct_diff(&sign[..5], sign).1, 5);
        assert_eq!(ct_diff(sign, &sign[..7]).1, 7);
    }
}
