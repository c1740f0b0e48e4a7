//! RSA keys and certificates from PEM or DER, by hand: the merchant's `apiclient_key.pem`
//! (PKCS#8 `PRIVATE KEY` or PKCS#1 `RSA PRIVATE KEY`), WeChat's public key (`PUBLIC KEY`, or
//! PKCS#1 `RSA PUBLIC KEY`) and platform certificates (`CERTIFICATE`).
//!
//! The outputs are the two forms WebCrypto's `importKey` takes: PKCS#8 DER for private keys and
//! SPKI DER for public keys, so the JavaScript side imports with one call and never parses.
//! Errors say what was found and what is wanted, and never repeat key material.

use crate::core::base64;
use crate::core::error::{Code, Result, WxError};
use crate::v3::der::{self, Reader};

/// What a certificate tells us: WeChat's serial (upper-case hex of the serial number, no
/// leading zeros, as the official SDKs print it), validity, and the SPKI to verify with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertInfo {
    pub serial_hex_upper: String,
    pub not_before_unix: i64,
    pub not_after_unix: i64,
    pub spki_der: Vec<u8>,
}

/// Larger than any RSA-4096 key or certificate chain a merchant would hand us.
pub const MAX_PEM_BYTES: usize = 64 * 1024;

fn invalid(msg: impl Into<String>) -> WxError {
    WxError::new(Code::InvalidParam, msg)
}

/// One PEM block: its label and decoded DER.
pub struct Pem {
    pub label: String,
    pub der: Vec<u8>,
}

/// The first PEM block of `text`. Text before `-----BEGIN` (OpenSSL's "Bag Attributes") is
/// ignored; inside the block, whitespace and literal `\n` (keys pasted into environment
/// variables) are skipped; RFC 1421 headers (`Proc-Type: 4,ENCRYPTED`) mean an encrypted key.
pub fn parse_pem(text: &str, what: &str) -> Result<Pem> {
    if text.len() > MAX_PEM_BYTES {
        return Err(WxError::new(Code::InputTooLarge, format!("the {what} is larger than {MAX_PEM_BYTES} bytes")));
    }
    // Bytes, not `str::find` / `&str[..]` / `str::replace`: the markers are ASCII, and str's
    // searchers and slicing link a panic path with Unicode tables (see `core::json::cut`).
    let text = text.as_bytes();
    let start = find(text, b"-----BEGIN ")
        .ok_or_else(|| invalid(format!("the {what} is not PEM: no `-----BEGIN …-----` line")))?;
    let after = &text[start + 11..];
    let label_end = find(after, b"-----").ok_or_else(|| invalid(format!("the {what} has a broken BEGIN line")))?;
    let label = &after[..label_end];
    if label.is_empty()
        || label.len() > 40
        || !label.iter().all(|&b| b.is_ascii_uppercase() || b == b' ' || b.is_ascii_digit())
    {
        return Err(invalid(format!("the {what} has a broken BEGIN line")));
    }
    // ASCII, checked just above.
    let label = std::str::from_utf8(label).unwrap_or_default();
    let body_and_rest = &after[label_end + 5..];
    let end_marker = format!("-----END {label}-----");
    let end = find(body_and_rest, end_marker.as_bytes())
        .ok_or_else(|| invalid(format!("the {what} has `-----BEGIN {label}-----` but no matching `{end_marker}`")))?;
    let body = &body_and_rest[..end];
    if body.contains(&b':') {
        return Err(invalid(format!("the {what} is encrypted (it has PEM headers such as Proc-Type: 4,ENCRYPTED); decrypt it first, e.g. `openssl pkey -in key.pem -out plain.pem`")));
    }
    // As `replace("\\n", "")`, then `replace("\\r", "")`, then whitespace dropped.
    let cleaned = drop_escape(&drop_escape(body, b'n'), b'r');
    let cleaned: Vec<u8> = cleaned.into_iter().filter(|b| !b.is_ascii_whitespace()).collect();
    // Only ASCII bytes were taken out of UTF-8 text, so this is text (else base64 refuses "").
    let cleaned = String::from_utf8(cleaned).unwrap_or_default();
    let der = base64::decode(&cleaned)
        .map_err(|why| invalid(format!("the {what}'s `{label}` block is not valid base64: {why}")))?;
    Ok(Pem { label: label.to_owned(), der })
}

/// Where `needle` first occurs in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// `bytes` without each `\` followed by `letter` (a literal `\n` or `\r` in a key pasted
/// into an environment variable), left to right, not overlapping: what `str::replace` does.
fn drop_escape(bytes: &[u8], letter: u8) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'\\' && bytes.get(i + 1) == Some(&letter) {
            i += 2;
        } else {
            out.push(b);
            i += 1;
        }
    }
    out
}

/// Reads `AlgorithmIdentifier` and requires rsaEncryption (with NULL or absent parameters).
fn require_rsa_algorithm(alg: &mut Reader, what: &str) -> Result<()> {
    let bad = |_| invalid(format!("the {what} has a malformed algorithm identifier"));
    let oid = alg.read(der::OID).map_err(bad)?;
    if oid == der::OID_EC {
        return Err(invalid(format!("the {what} is an EC key; WeChat Pay API v3 uses RSA keys (SHA256-RSA2048)")));
    }
    if oid == der::OID_PBES2 {
        return Err(invalid(format!(
            "the {what} is an encrypted PKCS#8 key; decrypt it first, e.g. `openssl pkey -in key.pem -out plain.pem`"
        )));
    }
    if oid != der::OID_RSA {
        return Err(invalid(format!("the {what} is not an RSA key (its algorithm is not rsaEncryption)")));
    }
    if !alg.is_empty() {
        alg.read(der::NULL).map_err(bad)?;
    }
    alg.end().map_err(bad)
}

/// Checks PKCS#1 `RSAPrivateKey` (version 0, nine positive integers).
fn check_pkcs1_private(der_bytes: &[u8], what: &str) -> Result<()> {
    let bad = |why: &str| invalid(format!("the {what} is not a valid RSA private key ({why})"));
    let mut outer = Reader::new(der_bytes);
    let mut seq = outer.sequence().map_err(bad)?;
    outer.end().map_err(bad)?;
    if seq.integer(true).map_err(bad)? != [0] {
        return Err(bad("multi-prime or unknown version"));
    }
    for _ in 0..8 {
        seq.integer(true).map_err(bad)?;
    }
    seq.end().map_err(bad)
}

/// Checks PKCS#1 `RSAPublicKey` (modulus, exponent) and returns the modulus size in bits.
fn check_pkcs1_public(der_bytes: &[u8], what: &str) -> Result<usize> {
    let bad = |why: &str| invalid(format!("the {what} is not a valid RSA public key ({why})"));
    let mut outer = Reader::new(der_bytes);
    let mut seq = outer.sequence().map_err(bad)?;
    outer.end().map_err(bad)?;
    let n = seq.integer(true).map_err(bad)?;
    seq.integer(true).map_err(bad)?;
    seq.end().map_err(bad)?;
    let n = if n[0] == 0 { &n[1..] } else { n };
    Ok(n.len() * 8 - n[0].leading_zeros() as usize)
}

/// PKCS#8 `PrivateKeyInfo` DER from a PEM private key (PKCS#8 or PKCS#1, RSA only).
pub fn private_key_pkcs8_der(pem: &str) -> Result<Vec<u8>> {
    const WHAT: &str = "private key";
    let block = parse_pem(pem, WHAT)?;
    match block.label.as_str() {
        "PRIVATE KEY" => {
            let bad = |why: &str| invalid(format!("the private key is not a valid PKCS#8 key ({why})"));
            let mut outer = Reader::new(&block.der);
            let mut seq = outer.sequence().map_err(bad)?;
            outer.end().map_err(bad)?;
            let version = seq.integer(true).map_err(bad)?;
            if version != [0] && version != [1] {
                return Err(bad("unknown version"));
            }
            let mut alg = seq.sequence().map_err(bad)?;
            require_rsa_algorithm(&mut alg, WHAT)?;
            check_pkcs1_private(seq.read(der::OCTET_STRING).map_err(bad)?, WHAT)?;
            Ok(block.der)
        }
        "RSA PRIVATE KEY" => {
            check_pkcs1_private(&block.der, WHAT)?;
            let mut body = der::tlv(der::INTEGER, &[0]);
            body.extend(der::rsa_algorithm());
            body.extend(der::tlv(der::OCTET_STRING, &block.der));
            Ok(der::tlv(der::SEQUENCE, &body))
        }
        "ENCRYPTED PRIVATE KEY" => Err(invalid("the private key is encrypted (ENCRYPTED PRIVATE KEY); decrypt it first, e.g. `openssl pkey -in key.pem -out plain.pem`")),
        "EC PRIVATE KEY" => Err(invalid("the private key is an EC key; WeChat Pay API v3 uses RSA keys (apiclient_key.pem)")),
        "CERTIFICATE" | "PUBLIC KEY" | "RSA PUBLIC KEY" => Err(invalid(format!("expected the merchant private key (apiclient_key.pem) but got a {}; the private key begins with -----BEGIN PRIVATE KEY-----", block.label))),
        other => Err(invalid(format!("expected a PRIVATE KEY or RSA PRIVATE KEY PEM, got `{other}`"))),
    }
}

/// Checks an SPKI and returns it (RSA only).
fn check_spki(spki: &[u8], what: &str) -> Result<()> {
    let bad = |why: &str| invalid(format!("the {what} is not a valid public key ({why})"));
    let mut outer = Reader::new(spki);
    let mut seq = outer.sequence().map_err(bad)?;
    outer.end().map_err(bad)?;
    let mut alg = seq.sequence().map_err(bad)?;
    require_rsa_algorithm(&mut alg, what)?;
    let bits = seq.read(der::BIT_STRING).map_err(bad)?;
    seq.end().map_err(bad)?;
    match bits.split_first() {
        Some((0, key)) => {
            let size = check_pkcs1_public(key, what)?;
            if size < 2048 {
                return Err(invalid(format!("the {what} is a {size}-bit RSA key; WeChat Pay uses 2048 bits or more")));
            }
            Ok(())
        }
        _ => Err(bad("its BIT STRING has unused bits")),
    }
}

/// SPKI DER from a PEM public key (`PUBLIC KEY`, `RSA PUBLIC KEY`) or certificate.
pub fn public_key_spki_der(pem: &str) -> Result<Vec<u8>> {
    verification_key(pem).map(|k| k.spki_der)
}

/// A verification key from a PEM public key or certificate: its SPKI and, for a certificate,
/// its serial and validity, so that JS can refuse a certificate filed under another serial or
/// used outside its validity (js/v3/keys.js). A public key has neither: an empty serial and
/// `i64::MIN … i64::MAX`, which every instant is inside, so no caller needs a case for it. The
/// comparisons are JS's: rules and messages in Rust would cost the v3 wasm more than there.
pub fn verification_key(pem: &str) -> Result<CertInfo> {
    const WHAT: &str = "public key";
    let block = parse_pem(pem, WHAT)?;
    let spki_der = match block.label.as_str() {
        "CERTIFICATE" => return certificate_from_der(&block.der),
        "PUBLIC KEY" => {
            check_spki(&block.der, WHAT)?;
            block.der
        }
        "RSA PUBLIC KEY" => {
            check_pkcs1_public(&block.der, WHAT)?;
            let mut bits = vec![0u8];
            bits.extend_from_slice(&block.der);
            let mut body = der::rsa_algorithm();
            body.extend(der::tlv(der::BIT_STRING, &bits));
            let spki = der::tlv(der::SEQUENCE, &body);
            check_spki(&spki, WHAT)?;
            spki
        }
        "PRIVATE KEY" | "RSA PRIVATE KEY" | "ENCRYPTED PRIVATE KEY" => {
            return Err(invalid("expected a public key or certificate but got a PRIVATE key; never send the private key where a public key is wanted"))
        }
        other => return Err(invalid(format!("expected a PUBLIC KEY, RSA PUBLIC KEY or CERTIFICATE PEM, got `{other}`"))),
    };
    Ok(CertInfo { serial_hex_upper: String::new(), not_before_unix: i64::MIN, not_after_unix: i64::MAX, spki_der })
}

/// Serial, validity and SPKI of an X.509 certificate given as PEM text or DER bytes.
pub fn certificate_info(pem_or_der: &[u8]) -> Result<CertInfo> {
    if pem_or_der.first() == Some(&der::SEQUENCE) {
        return certificate_from_der(pem_or_der);
    }
    let text = std::str::from_utf8(pem_or_der).map_err(|_| invalid("the certificate is neither DER nor PEM text"))?;
    let block = parse_pem(text, "certificate")?;
    if block.label != "CERTIFICATE" {
        return Err(invalid(format!("expected a CERTIFICATE PEM, got `{}`", block.label)));
    }
    certificate_from_der(&block.der)
}

fn certificate_from_der(cert: &[u8]) -> Result<CertInfo> {
    let bad = |why: &str| invalid(format!("the certificate is not a valid X.509 certificate ({why})"));
    let mut outer = Reader::new(cert);
    let mut c = outer.sequence().map_err(bad)?;
    outer.end().map_err(bad)?;
    let mut tbs = c.sequence().map_err(bad)?;
    c.sequence().map_err(bad)?; // signatureAlgorithm
    c.read(der::BIT_STRING).map_err(bad)?;
    c.end().map_err(bad)?;
    if tbs.peek_tag() == Some(0xa0) {
        tbs.read(0xa0).map_err(bad)?; // [0] EXPLICIT version
    }
    let serial = tbs.integer(true).map_err(|_| bad("its serial number is not a positive INTEGER"))?;
    tbs.sequence().map_err(bad)?; // signature
    tbs.sequence().map_err(bad)?; // issuer
    let mut validity = tbs.sequence().map_err(bad)?;
    let not_before = time(&mut validity).map_err(bad)?;
    let not_after = time(&mut validity).map_err(bad)?;
    validity.end().map_err(bad)?;
    tbs.sequence().map_err(bad)?; // subject
    let spki = tbs.read_whole(der::SEQUENCE).map_err(bad)?;
    check_spki(spki, "certificate's public key")?;
    Ok(CertInfo {
        serial_hex_upper: serial_hex(serial),
        not_before_unix: not_before,
        not_after_unix: not_after,
        spki_der: spki.to_vec(),
    })
}

/// Whether two hex serials name the same number: `openssl x509 -serial` and Node's
/// `X509Certificate.serialNumber` keep a leading zero nibble (`0C95…`), Go's `%X` and Java's
/// `BigInteger.toString(16)` drop it (`C95…`), and case varies. A certificate whose serial
/// starts with a zero nibble (1 in 16) must not be refused for the spelling.
pub fn same_serial(a: &str, b: &str) -> bool {
    !a.is_empty() && !b.is_empty() && a.trim_start_matches('0').eq_ignore_ascii_case(b.trim_start_matches('0'))
}

/// Upper-case hex without leading zeros (`%X` of the big integer).
fn serial_hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        s.push(HEX[(b >> 4) as usize] as char);
        s.push(HEX[(b & 15) as usize] as char);
    }
    let trimmed = s.trim_start_matches('0');
    if trimmed.is_empty() {
        "0".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// UTCTime `YYMMDDHHMMSSZ` (years 1950–2049, RFC 5280) or GeneralizedTime `YYYYMMDDHHMMSSZ`.
fn time(r: &mut Reader) -> std::result::Result<i64, &'static str> {
    let (tag, content, _) = r.read_any()?;
    let (year, rest) = match (tag, content.len()) {
        (der::UTC_TIME, 13) => {
            let yy = digits(&content[..2])?;
            (if yy < 50 { 2000 + yy } else { 1900 + yy }, &content[2..])
        }
        (der::GENERALIZED_TIME, 15) => (digits(&content[..4])?, &content[4..]),
        _ => return Err("a validity time that is not UTCTime/GeneralizedTime in Z form"),
    };
    if rest[10] != b'Z' {
        return Err("a validity time not in UTC");
    }
    let (mo, d, h, mi, s) =
        (digits(&rest[0..2])?, digits(&rest[2..4])?, digits(&rest[4..6])?, digits(&rest[6..8])?, digits(&rest[8..10])?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || s > 60 {
        return Err("a validity time out of range");
    }
    Ok(days_from_civil(year, mo, d) * 86400 + h * 3600 + mi * 60 + s)
}

fn digits(b: &[u8]) -> std::result::Result<i64, &'static str> {
    b.iter().try_fold(0i64, |n, &c| {
        if c.is_ascii_digit() {
            Ok(n * 10 + (c - b'0') as i64)
        } else {
            Err("a non-digit in a time")
        }
    })
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11017);
        assert_eq!(days_from_civil(2025, 1, 1) * 86400, 1735689600);
    }

    #[test]
    fn same_serial_ignores_case_and_leading_zeros_only() {
        assert!(same_serial("0C95E9", "c95e9"));
        assert!(same_serial("000A", "A"));
        assert!(same_serial("0", "00"));
        assert!(!same_serial("0C95E9", "C95E90"));
        assert!(!same_serial("C95E9", "C95E8"));
        assert!(!same_serial("", "0"));
    }

    fn fixture() -> serde_json::Value {
        serde_json::from_str(include_str!("../../tests/fixtures/v3/certs.json")).unwrap()
    }

    fn times(der_time: &[u8]) -> std::result::Result<i64, &'static str> {
        time(&mut Reader::new(der_time))
    }

    /// Serials and validity as Python `cryptography` wrote them (scripts/gen-v3-cert-vectors.py).
    #[test]
    fn certificates_from_python_read_back() {
        for (name, c) in fixture()["certificates"].as_object().unwrap() {
            let info = certificate_info(c["pem"].as_str().unwrap().as_bytes()).unwrap();
            assert_eq!(info.serial_hex_upper, c["serial"].as_str().unwrap(), "{name}");
            assert_eq!(info.not_before_unix, c["not_before_unix"].as_i64().unwrap(), "{name}");
            assert_eq!(info.not_after_unix, c["not_after_unix"].as_i64().unwrap(), "{name}");
        }
    }

    #[test]
    fn a_verification_key_is_a_certificate_with_its_serial_or_a_public_key() {
        let f = fixture();
        let c = &f["certificates"]["zero_nibble"];
        let info = verification_key(c["pem"].as_str().unwrap()).unwrap();
        assert_eq!(info, certificate_info(c["pem"].as_str().unwrap().as_bytes()).unwrap());
        assert_eq!(info.serial_hex_upper, "C95E9");
        let public: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/fixtures/v3/generated.json")).unwrap();
        let spki = public["keys"]["platform"]["public_spki"].as_str().unwrap();
        let key = verification_key(spki).unwrap();
        assert_eq!(key.spki_der, public_key_spki_der(spki).unwrap());
        assert_eq!((key.serial_hex_upper.as_str(), key.not_before_unix, key.not_after_unix), ("", i64::MIN, i64::MAX));
        assert_eq!(info.spki_der, public_key_spki_der(spki).unwrap());
    }

    #[test]
    fn utc_and_generalized_times() {
        let t = |tag: u8, s: &str| times(&der::tlv(tag, s.as_bytes()));
        assert_eq!(t(der::UTC_TIME, "700101000000Z"), Ok(0));
        assert_eq!(t(der::UTC_TIME, "491231235959Z"), Ok(2524607999)); // YY < 50 is 20YY
        assert_eq!(t(der::UTC_TIME, "500101000000Z"), Ok(-631152000)); // YY ≥ 50 is 19YY
        assert_eq!(t(der::GENERALIZED_TIME, "20500101000000Z"), Ok(2524608000));
        assert_eq!(t(der::GENERALIZED_TIME, "20991231235959Z"), Ok(4102444799));
        assert_eq!(t(der::GENERALIZED_TIME, "20240229120000Z"), Ok(1709208000));
        for (tag, bad) in [
            (der::UTC_TIME, "7001010000Z"),       // no seconds
            (der::UTC_TIME, "700101000000+0800"), // not Z
            (der::UTC_TIME, "7001010000000"),     // 13 bytes, no Z
            (der::UTC_TIME, "20500101000000Z"),   // GeneralizedTime's length under UTCTime's tag
            (der::GENERALIZED_TIME, "500101000000Z"),
            (der::GENERALIZED_TIME, "20500101000000.5Z"),
            (der::UTC_TIME, "701301000000Z"), // month 13
            (der::UTC_TIME, "700100000000Z"), // day 0
            (der::UTC_TIME, "700101240000Z"), // hour 24
            (der::UTC_TIME, "7O0101000000Z"), // a letter
            (der::UTC_TIME, "70-101000000Z"),
            (der::OCTET_STRING, "700101000000Z"), // another tag
        ] {
            assert!(t(tag, bad).is_err(), "{bad}");
        }
        // Malformed lengths: an error, never a panic.
        for bad in [&[0x17u8, 0x0d, b'7', b'0'][..], &[0x17, 0x85, 0, 0, 0, 0, 13], &[0x17], &[0x18, 0x0f], &[]] {
            assert!(times(bad).is_err(), "{bad:?}");
        }
    }

    /// Every truncation and every single-byte change of a certificate is an error or a
    /// certificate, never a panic.
    #[test]
    fn damaged_certificates_never_panic() {
        let f = fixture();
        let block = parse_pem(f["certificates"]["valid"]["pem"].as_str().unwrap(), "t").unwrap();
        for n in 0..block.der.len() {
            assert!(certificate_info(&block.der[..n]).is_err());
        }
        for i in 0..block.der.len() {
            for x in [0x00, 0x80, 0xff] {
                let mut d = block.der.clone();
                d[i] ^= x | 1;
                let _ = certificate_info(&d);
            }
        }
    }

    #[test]
    fn serial_hex_drops_leading_zeros() {
        assert_eq!(serial_hex(&[0x00, 0xF5, 0x76]), "F576");
        assert_eq!(serial_hex(&[0x0A, 0xBC]), "ABC");
        assert_eq!(serial_hex(&[0]), "0");
        assert_eq!(serial_hex(&[0x01]), "1");
        assert_eq!(serial_hex(&[0x00, 0x80, 0x00]), "8000"); // the sign byte DER adds before a high bit
    }

    /// The byte helpers parse_pem uses instead of str's, against str's own (`replace`, `find`).
    #[test]
    fn pem_byte_helpers_match_str() {
        for s in ["", "\\", "\\n", "a\\nb\\rc", "\\\\nr", "\\\\n\\r", "x\\n\\n\\r\\rn", "\\\n", "é\\né\\"] {
            let want = s.replace("\\n", "").replace("\\r", "");
            assert_eq!(drop_escape(&drop_escape(s.as_bytes(), b'n'), b'r'), want.as_bytes(), "{s:?}");
        }
        for (hay, needle) in
            [("", "-----"), ("----", "-----"), ("a-----BEGIN X-----", "-----"), ("é-----END K-----", "-----END K-----")]
        {
            assert_eq!(find(hay.as_bytes(), needle.as_bytes()), hay.find(needle), "{hay:?}");
        }
    }
}
