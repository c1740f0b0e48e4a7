//! Strict standard base64 (RFC 4648 §4, `=` padding required): decode, and encode for v3.
//!
//! v2's `req_info` and v3's signatures, ciphertexts and PEM bodies are the base64 we meet. A dozen lines cost less wasm than the
//! `base64` crate's engines, and strictness is the point: whitespace, the URL-safe
//! alphabet, missing padding and non-zero trailing bits are all refused, so a mangled
//! ciphertext is reported as such instead of being half-decoded. The one exception is
//! [`decode_ignoring_unused_bits`], for the mini-program's `EncodingAESKey`.

/// The 6-bit value of one alphabet character.
fn sextet(c: u8) -> Option<u32> {
    let v = match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    };
    Some(u32::from(v))
}

/// Standard base64 with `=` padding (v3 writes signatures and ciphertexts with it).
pub fn encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes `s`, or says in a few words why it is not canonical base64.
pub fn decode(s: &str) -> Result<Vec<u8>, &'static str> {
    let bytes = s.as_bytes();
    if bytes.is_empty() {
        return Err("it is empty");
    }
    if !bytes.len().is_multiple_of(4) {
        return Err("its length is not a multiple of 4");
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    let last = bytes.len() / 4 - 1;
    for (i, quad) in bytes.chunks_exact(4).enumerate() {
        let pad = quad.iter().rev().take_while(|&&c| c == b'=').count();
        if pad > 2 || (pad > 0 && i != last) {
            return Err("it has `=` padding in the middle or more than two `=`");
        }
        let mut n = 0u32;
        for &c in &quad[..4 - pad] {
            n = (n << 6) | sextet(c).ok_or("it contains a character outside the base64 alphabet")?;
        }
        n <<= 6 * pad as u32;
        let [_, b0, b1, b2] = n.to_be_bytes();
        let (keep, spare) = match pad {
            0 => (3, 0),
            1 => (2, b2),
            _ => (1, b1 | b2),
        };
        if spare != 0 {
            return Err("its last character has non-zero unused bits (not canonical base64)");
        }
        out.extend_from_slice(&[b0, b1, b2][..keep]);
    }
    Ok(out)
}

/// [`decode`], except that the last character's unused bits may be set. WeChat's
/// `EncodingAESKey` needs it: its 43 characters (with `=` appended) carry 258 bits for a
/// 256-bit key, and WeChat's own decoders (Java's, PHP's) ignore the last two, so a key
/// typed by hand into the console may have them set. They are cleared, then [`decode`]
/// judges the rest. Only the mini-program's wasm has it: v2's and v3's `decode` is untouched.
#[cfg(feature = "miniprogram")]
pub fn decode_ignoring_unused_bits(s: &str) -> Result<Vec<u8>, &'static str> {
    let pad = s.bytes().rev().take_while(|&c| c == b'=').count();
    let unused: u32 = match pad {
        1 => 0b11,
        2 => 0b1111,
        _ => 0,
    };
    let mut b = s.as_bytes().to_vec();
    if let Some(last) = b.len().checked_sub(pad + 1).and_then(|i| b.get_mut(i)) {
        if let Some(v) = sextet(*last) {
            // The character of sextet `v & !unused`, from encode's alphabet (no second table):
            // a byte whose top six bits are that sextet encodes to it first.
            *last = encode(&[((v & !unused) << 2) as u8]).as_bytes()[0];
        }
    }
    // Only an alphabet character was replaced by another: still ASCII where it was.
    decode(core::str::from_utf8(&b).map_err(|_| "it is not text")?)
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn rfc4648_vectors() {
        for (enc, dec) in [
            ("Zg==", "f"),
            ("Zm8=", "fo"),
            ("Zm9v", "foo"),
            ("Zm9vYg==", "foob"),
            ("Zm9vYmE=", "fooba"),
            ("Zm9vYmFy", "foobar"),
        ] {
            assert_eq!(decode(enc).unwrap(), dec.as_bytes(), "{enc}");
        }
        assert_eq!(decode("+/+/").unwrap(), [0xfb, 0xff, 0xbf]);
        for (enc, dec) in [
            ("", ""),
            ("Zg==", "f"),
            ("Zm8=", "fo"),
            ("Zm9v", "foo"),
            ("Zm9vYg==", "foob"),
            ("Zm9vYmE=", "fooba"),
            ("Zm9vYmFy", "foobar"),
        ] {
            assert_eq!(super::encode(dec.as_bytes()), enc);
        }
        assert_eq!(super::encode(&[0xfb, 0xff, 0xbf]), "+/+/");
    }

    #[test]
    fn refuses_non_canonical() {
        for bad in ["", "Zg", "Zg=", "Zh==", "Zm9=", "Z===", "Zg==Zg==", "Zm9v\n", "Zm 9", "-_-_", "Zm9v====", "Zg=a"] {
            assert!(decode(bad).is_err(), "{bad:?}");
        }
    }

    #[cfg(feature = "miniprogram")]
    #[test]
    fn unused_bits_ignored_only_when_asked() {
        // Python: base64.b64decode("Zh==") == b"f", b64decode("Zm9=") == b"fo" (its decoder drops them).
        assert_eq!(super::decode_ignoring_unused_bits("Zh==").unwrap(), b"f");
        assert_eq!(super::decode_ignoring_unused_bits("Zm9=").unwrap(), b"fo");
        assert_eq!(super::decode_ignoring_unused_bits("Zm8=").unwrap(), b"fo");
        assert_eq!(super::decode_ignoring_unused_bits("Zm9v").unwrap(), b"foo");
        // Everything else stays refused.
        for bad in ["", "Zg", "Zg=", "Z===", "Zg==Zg==", "Zm9v\n", "-_-_", "Zm9v====", "Zm9\u{e9}"] {
            assert!(super::decode_ignoring_unused_bits(bad).is_err(), "{bad:?}");
        }
    }
}
