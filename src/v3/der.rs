//! A minimal DER reader and writer: exactly what PKCS#1, PKCS#8, SPKI and an X.509
//! certificate's outer fields need, so the wasm carries no ASN.1 crate.
//!
//! Only definite lengths in their shortest form and single-byte tags are accepted (DER
//! requires both for everything we read); anything else is an error, never a guess. The
//! reader returns borrowed slices, so nothing is copied until a result is built.

/// Universal tags we meet.
pub const INTEGER: u8 = 0x02;
pub const BIT_STRING: u8 = 0x03;
pub const OCTET_STRING: u8 = 0x04;
pub const NULL: u8 = 0x05;
pub const OID: u8 = 0x06;
pub const SEQUENCE: u8 = 0x30;
pub const UTC_TIME: u8 = 0x17;
pub const GENERALIZED_TIME: u8 = 0x18;

/// 1.2.840.113549.1.1.1 rsaEncryption, content bytes.
pub const OID_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
/// 1.2.840.10045.2.1 id-ecPublicKey, to say "EC key" instead of "unknown algorithm".
pub const OID_EC: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
/// 1.2.840.113549.1.5.13 PBES2: an encrypted PKCS#8 key that lost its PEM label.
pub const OID_PBES2: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0d];

/// A reader over DER bytes; each `read` takes one TLV off the front.
#[derive(Clone, Copy)]
pub struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { rest: bytes }
    }

    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// The tag of the next element without consuming it.
    pub fn peek_tag(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// The next element: (tag, content, the element's whole encoding).
    pub fn read_any(&mut self) -> Result<(u8, &'a [u8], &'a [u8]), &'static str> {
        let b = self.rest;
        let (&tag, after_tag) = b.split_first().ok_or("the DER ends early")?;
        if tag & 0x1f == 0x1f {
            return Err("a multi-byte DER tag");
        }
        let (&first, mut after_len) = after_tag.split_first().ok_or("the DER ends early")?;
        let len = if first < 0x80 {
            first as usize
        } else {
            let n = (first & 0x7f) as usize;
            if n == 0 || n > 4 || after_len.len() < n {
                return Err("a DER length that is indefinite, too large or truncated");
            }
            let mut len = 0usize;
            for &d in &after_len[..n] {
                len = (len << 8) | d as usize;
            }
            // Shortest form only: a long form must be needed and must not start with zero.
            if len < 0x80 || after_len[0] == 0 {
                return Err("a DER length not in its shortest form");
            }
            after_len = &after_len[n..];
            len
        };
        if after_len.len() < len {
            return Err("a DER element longer than its input");
        }
        let header = b.len() - after_len.len();
        let (content, rest) = after_len.split_at(len);
        self.rest = rest;
        Ok((tag, content, &b[..header + len]))
    }

    /// The next element, which must carry `tag`; returns its content.
    pub fn read(&mut self, tag: u8) -> Result<&'a [u8], &'static str> {
        match self.read_any()? {
            (t, content, _) if t == tag => Ok(content),
            _ => Err("an unexpected DER element"),
        }
    }

    /// Like [`read`](Self::read) but returns the whole encoding (tag and length included).
    pub fn read_whole(&mut self, tag: u8) -> Result<&'a [u8], &'static str> {
        match self.read_any()? {
            (t, _, whole) if t == tag => Ok(whole),
            _ => Err("an unexpected DER element"),
        }
    }

    /// The content of a SEQUENCE as a reader of its own.
    pub fn sequence(&mut self) -> Result<Reader<'a>, &'static str> {
        self.read(SEQUENCE).map(Reader::new)
    }

    /// An INTEGER's content, checked to be minimal and (when `positive`) non-negative.
    pub fn integer(&mut self, positive: bool) -> Result<&'a [u8], &'static str> {
        let c = self.read(INTEGER)?;
        match c {
            [] => Err("an empty DER INTEGER"),
            [0, b, ..] if b & 0x80 == 0 => Err("a DER INTEGER with a redundant leading zero"),
            [0xff, b, ..] if b & 0x80 != 0 => Err("a DER INTEGER with a redundant leading 0xff"),
            [b, ..] if positive && b & 0x80 != 0 => Err("a negative DER INTEGER"),
            _ => Ok(c),
        }
    }

    /// Requires that nothing is left.
    pub fn end(&self) -> Result<(), &'static str> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err("trailing bytes after the DER structure")
        }
    }
}

/// Appends a DER length.
fn push_len(out: &mut Vec<u8>, len: usize) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = (len as u32).to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (4 - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
}

/// One TLV.
pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() + 6);
    out.push(tag);
    push_len(&mut out, content.len());
    out.extend_from_slice(content);
    out
}

/// `AlgorithmIdentifier { rsaEncryption, NULL }`.
pub fn rsa_algorithm() -> Vec<u8> {
    let mut c = tlv(OID, OID_RSA);
    c.extend_from_slice(&[NULL, 0]);
    tlv(SEQUENCE, &c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_round_trip_and_non_minimal_forms_are_refused() {
        for n in [0usize, 1, 127, 128, 255, 256, 65535, 70000] {
            let enc = tlv(OCTET_STRING, &vec![7u8; n]);
            let mut r = Reader::new(&enc);
            assert_eq!(r.read(OCTET_STRING).unwrap().len(), n);
            r.end().unwrap();
        }
        for bad in [
            &[0x04u8, 0x81, 0x05, 1, 2, 3, 4, 5][..],
            &[0x04, 0x80],
            &[0x04, 0x82, 0x00, 0x90],
            &[0x04, 0x03, 1],
            &[0x1f, 0x01, 0x00],
            &[0x04],
            &[],
        ] {
            assert!(Reader::new(bad).read_any().is_err(), "{bad:?}");
        }
        assert!(Reader::new(&[0x02, 0x02, 0x00, 0x01]).integer(true).is_err());
        assert!(Reader::new(&[0x02, 0x01, 0x80]).integer(true).is_err());
        assert_eq!(Reader::new(&[0x02, 0x02, 0x00, 0x80]).integer(true).unwrap(), &[0, 0x80]);
    }
}
