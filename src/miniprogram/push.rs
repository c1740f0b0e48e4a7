//! WeChat's message push for mini-programs: the server URL check and safe mode (安全模式).
//!
//! - URL check (`GET`): `signature` = lower-case hex SHA-1 of token, timestamp and nonce
//!   sorted as byte strings and joined; a match means the request is WeChat's and the
//!   server echoes `echostr`. Plaintext-mode pushes carry the same `signature`.
//! - Safe mode (`POST`): `msg_signature` = SHA-1 of the sorted token, timestamp, nonce and
//!   the body's `Encrypt`; `Encrypt` = Base64 of AES-256-CBC with the key
//!   Base64-decoded from the 43-character `EncodingAESKey`, the IV its first 16 bytes, and
//!   PKCS#7 padding to a multiple of **32** bytes (WeChat's block, not AES's 16) over
//!   `16 random bytes ‖ message length (4 bytes, big-endian) ‖ message ‖ appid`.
//!
//! Every check is made before the message is believed: the signature (constant time, so
//! a forger learns nothing from timing), then the padding, the length and the appid. A
//! push replayed with another timestamp or nonce fails the signature, since both are
//! signed. Failures are SIGN_MISSING / SIGN_MISMATCH, DECRYPT_FAILED and APPID_MISMATCH.

use aes::cipher::{BlockCipherDecrypt, BlockCipherEncrypt, KeyInit};
use aes::Aes256;
use sha1::{Digest, Sha1};

use crate::core::base64;
use crate::core::ct::ct_eq;
use crate::core::error::{quoted, Code, Result, WxError};

/// The `EncodingAESKey` is 43 Base64 characters (32 bytes once `=` is appended).
pub const ENCODING_AES_KEY_CHARS: usize = 43;
/// WeChat pads to multiples of 32 bytes (its sample code's `BLOCK_SIZE`), not AES's 16.
pub const PAD_BLOCK: usize = 32;
/// The largest message sealed or opened. Pushes are a few KB; this bounds the copies.
pub const MAX_MESSAGE_BYTES: usize = 1024 * 1024;
/// The largest `Encrypt` accepted, checked before anything is decoded or copied.
pub const MAX_ENCRYPTED_CHARS: usize = (MAX_MESSAGE_BYTES + 256) / 3 * 4 + 4;
/// Token, timestamp, nonce and appid are short; longer ones are refused before hashing.
const MAX_PART_BYTES: usize = 256;
/// The 16 random bytes and the 4-byte length in front of every message.
const HEADER: usize = 20;

fn decrypt_failed(msg: impl Into<String>) -> WxError {
    WxError::field(Code::DecryptFailed, "Encrypt", msg)
}

/// The AES key: `EncodingAESKey + "="` Base64-decoded. The 43 characters carry 258 bits;
/// the last two are ignored, as WeChat's own samples (Java's and PHP's decoders) do, so a
/// key typed by hand into the console works here as it works there.
pub fn aes_key(encoding_aes_key: &str) -> Result<[u8; 32]> {
    let bad = || {
        WxError::field(
            Code::InvalidParam,
            "encodingAESKey",
            "encodingAESKey must be the 43 characters (letters and digits) of the mini-program's message push settings",
        )
    };
    if encoding_aes_key.len() != ENCODING_AES_KEY_CHARS {
        return Err(bad());
    }
    // 44 characters with `=` decode to 32 bytes; a `=` inside the key decodes short or not at all.
    let key = base64::decode_ignoring_unused_bits(&[encoding_aes_key, "="].concat()).map_err(|_| bad())?;
    <[u8; 32]>::try_from(key.as_slice()).map_err(|_| bad())
}

fn hex_lower(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(HEX[(b >> 4) as usize] as char);
        s.push(HEX[(b & 15) as usize] as char);
    }
    s
}

/// SHA-1 (lower-case hex) of `parts` sorted as byte strings and joined with nothing between:
/// `signature` over [token, timestamp, nonce], `msg_signature` with `Encrypt` added.
pub fn signature(parts: &[&str]) -> String {
    let mut sorted = parts.to_vec();
    sorted.sort_unstable();
    let mut h = Sha1::new();
    for p in sorted {
        h.update(p.as_bytes());
    }
    hex_lower(&h.finalize())
}

/// Checks `received` (named `field`: `signature` or `msg_signature`) against `parts` in
/// constant time. Token, timestamp and nonce must be short; `Encrypt` is bounded by the caller.
pub fn verify(parts: &[&str], received: &str, field: &str) -> Result<()> {
    if received.is_empty() {
        return Err(WxError::field(Code::SignMissing, field, format!("the push carries no `{field}`")));
    }
    for (i, p) in parts.iter().enumerate() {
        // The fourth part is `Encrypt`, bounded by MAX_ENCRYPTED_CHARS instead.
        let max = if i < 3 { MAX_PART_BYTES } else { MAX_ENCRYPTED_CHARS };
        if p.len() > max {
            return Err(WxError::new(Code::InputTooLarge, format!("a signed part is longer than {max} bytes")));
        }
    }
    let want = signature(parts);
    if ct_eq(want.as_bytes(), received.to_ascii_lowercase().as_bytes()) {
        Ok(())
    } else {
        Err(WxError::field(
            Code::SignMismatch,
            field,
            format!("`{field}` does not match: another token, an altered message, or a replay with another timestamp or nonce"),
        ))
    }
}

/// AES-256-CBC over whole 16-byte blocks in place, IV = the key's first 16 bytes.
fn cbc_encrypt(key: &[u8; 32], data: &mut [u8]) {
    let cipher = Aes256::new(key.into());
    let mut prev = [0u8; 16];
    prev.copy_from_slice(&key[..16]);
    for chunk in data.chunks_exact_mut(16) {
        for (b, p) in chunk.iter_mut().zip(prev.iter()) {
            *b ^= p;
        }
        if let Ok(block) = <&mut aes::Block>::try_from(&mut *chunk) {
            cipher.encrypt_block(block);
        }
        prev.copy_from_slice(chunk);
    }
}

fn cbc_decrypt(key: &[u8; 32], data: &mut [u8]) {
    let cipher = Aes256::new(key.into());
    let mut prev = [0u8; 16];
    prev.copy_from_slice(&key[..16]);
    for chunk in data.chunks_exact_mut(16) {
        let mut saved = [0u8; 16];
        saved.copy_from_slice(chunk);
        if let Ok(block) = <&mut aes::Block>::try_from(&mut *chunk) {
            cipher.decrypt_block(block);
        }
        for (b, p) in chunk.iter_mut().zip(prev.iter()) {
            *b ^= p;
        }
        prev = saved;
    }
}

/// The envelope's plaintext before padding: `random ‖ len ‖ message ‖ appid`.
fn frame(random: &[u8; 16], message: &str, appid: &str) -> Result<Vec<u8>> {
    if message.len() > MAX_MESSAGE_BYTES {
        return Err(WxError::new(Code::InputTooLarge, format!("the message is larger than {MAX_MESSAGE_BYTES} bytes")));
    }
    let len = u32::try_from(message.len()).map_err(|_| WxError::new(Code::InputTooLarge, "message too large"))?;
    let mut out = Vec::with_capacity(HEADER + message.len() + appid.len() + PAD_BLOCK);
    out.extend_from_slice(random);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(message.as_bytes());
    out.extend_from_slice(appid.as_bytes());
    Ok(out)
}

fn check_appid(appid: &str) -> Result<()> {
    if appid.is_empty() || appid.len() > MAX_PART_BYTES {
        return Err(WxError::field(
            Code::InvalidParam,
            "appid",
            "appid must be a non-empty string of at most 256 bytes",
        ));
    }
    Ok(())
}

/// `Encrypt` for `message` with the 16 bytes `random` given (tests fix them; [`encrypt`] draws them).
pub fn encrypt_with(encoding_aes_key: &str, appid: &str, message: &str, random: &[u8; 16]) -> Result<String> {
    let key = aes_key(encoding_aes_key)?;
    check_appid(appid)?;
    let mut data = frame(random, message, appid)?;
    let pad = PAD_BLOCK - data.len() % PAD_BLOCK;
    data.resize(data.len() + pad, pad as u8);
    cbc_encrypt(&key, &mut data);
    Ok(base64::encode(&data))
}

/// `Encrypt` for a reply, its 16 leading bytes from the CSPRNG (Web Crypto under wasm).
pub fn encrypt(encoding_aes_key: &str, appid: &str, message: &str) -> Result<String> {
    let mut random = [0u8; 16];
    getrandom::fill(&mut random)
        .map_err(|e| WxError::new(Code::InvalidParam, format!("the platform has no secure random source: {e}")))?;
    encrypt_with(encoding_aes_key, appid, message, &random)
}

/// PKCS#7 to [`PAD_BLOCK`]: the last byte `n` in 1..=32 and the last `n` bytes all `n`.
fn unpad(data: &[u8]) -> Option<usize> {
    let n = *data.last()? as usize;
    if n == 0 || n > PAD_BLOCK || n > data.len() {
        return None;
    }
    data[data.len() - n..].iter().all(|&b| b as usize == n).then_some(data.len() - n)
}

/// The message inside `Encrypt`, its padding, length and appid checked. Call it only after
/// [`verify`] (or use [`open`]): decrypting first would make it a padding oracle.
pub fn decrypt(encoding_aes_key: &str, appid: &str, encrypted: &str) -> Result<String> {
    let key = aes_key(encoding_aes_key)?;
    check_appid(appid)?;
    if encrypted.len() > MAX_ENCRYPTED_CHARS {
        return Err(WxError::field(
            Code::InputTooLarge,
            "Encrypt",
            format!("Encrypt is longer than {MAX_ENCRYPTED_CHARS} characters"),
        ));
    }
    let mut data = base64::decode(encrypted).map_err(|why| decrypt_failed(format!("Encrypt is not Base64: {why}")))?;
    if data.is_empty() || !data.len().is_multiple_of(16) {
        return Err(decrypt_failed(format!(
            "Encrypt decodes to {} bytes; AES-CBC ciphertext is a non-zero multiple of 16 bytes (truncated?)",
            data.len()
        )));
    }
    cbc_decrypt(&key, &mut data);
    let end = unpad(&data).ok_or_else(|| {
        decrypt_failed("Encrypt does not decrypt to valid padding: wrong EncodingAESKey, or the data was altered")
    })?;
    let body = data.get(HEADER..end).ok_or_else(|| decrypt_failed("Encrypt is too short to hold a message"))?;
    let len = u32::from_be_bytes([data[16], data[17], data[18], data[19]]) as usize;
    let (message, tail) = match body.split_at_checked(len) {
        Some(split) => split,
        None => return Err(decrypt_failed("the message length inside Encrypt is larger than what was sent")),
    };
    if tail != appid.as_bytes() {
        let got = String::from_utf8_lossy(tail);
        return Err(WxError::field(
            Code::AppidMismatch,
            "appid",
            format!("the push is for appid {}, not this mini-program's", quoted(&got)),
        ));
    }
    String::from_utf8(message.to_vec()).map_err(|_| decrypt_failed("the message inside Encrypt is not UTF-8"))
}

/// A safe-mode push opened: `msg_signature` over token, timestamp, nonce and `Encrypt`
/// verified first, then [`decrypt`].
pub fn open(
    token: &str,
    encoding_aes_key: &str,
    appid: &str,
    timestamp: &str,
    nonce: &str,
    encrypted: &str,
    msg_signature: &str,
) -> Result<String> {
    verify(&[token, timestamp, nonce, encrypted], msg_signature, "msg_signature")?;
    decrypt(encoding_aes_key, appid, encrypted)
}

/// A reply sealed: `(Encrypt, MsgSignature)` for the given timestamp and nonce.
pub fn seal(
    token: &str,
    encoding_aes_key: &str,
    appid: &str,
    message: &str,
    timestamp: &str,
    nonce: &str,
) -> Result<(String, String)> {
    for (name, v) in [("token", token), ("timestamp", timestamp), ("nonce", nonce)] {
        if v.is_empty() || v.len() > MAX_PART_BYTES {
            return Err(WxError::field(
                Code::InvalidParam,
                name,
                format!("{name} must be a non-empty string of at most 256 bytes"),
            ));
        }
    }
    let encrypted = encrypt(encoding_aes_key, appid, message)?;
    let sig = signature(&[token, timestamp, nonce, &encrypted]);
    Ok((encrypted, sig))
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values from tests/python/miniprogram_reference.py (Python `cryptography`,
    // hashlib), not from this module. The key's last character (`G`) has its two low bits
    // set: Python's decoder ignores them, as WeChat's do, and so must we.
    const KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    const APPID: &str = "wx1234567890abcdef";
    const RANDOM: [u8; 16] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
    const MSG: &str = r#"{"Event":"trade_manage_order_settlement"}"#;
    const SEALED: &str = "IG+0eOkLdhYW9kHtuT3HY4SQfV4Yrn3xMPNA2ozPJDnjYhlXk6vADpOdCcxSRARKEwvQ3v0EPGV/AubO18DegFWfkAAzjlwzAnwPvbVKeKdroM43YwzP0GMew4SsLJ4J";

    #[test]
    fn key_and_envelope_match_the_reference() {
        let hex: String = aes_key(KEY).unwrap().iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "69b71d79f8218a39259a7a29aabb2dbafc31cb3d35db7e39ebbf3d0010831051");
        assert_eq!(encrypt_with(KEY, APPID, MSG, &RANDOM).unwrap(), SEALED);
        assert_eq!(
            encrypt_with(KEY, APPID, "", &RANDOM).unwrap(),
            "IG+0eOkLdhYW9kHtuT3HYwcua4gcUX8bIpkNaUfNKhoxT4Yb2GoNAyALCID6tr9alfx7FxMUv1+PhgxZlGstwQ=="
        );
        assert_eq!(decrypt(KEY, APPID, SEALED).unwrap(), MSG);
        assert_eq!(signature(&["tok", "1700000000", "123456"]), "ae0691b9659496dc26402485c1cbd2f28b57f1dc");
        assert_eq!(signature(&["tok", "1700000000", "123456", "ENC"]), "56a9c3ae3a464b7ed6cf69c63f7a1228248a6ed6");
    }

    #[test]
    fn hostile_envelopes_are_refused_with_their_codes() {
        let sig = signature(&["tok", "1", "n", SEALED]);
        assert_eq!(open("tok", KEY, APPID, "1", "n", SEALED, &sig).unwrap(), MSG);
        // Replayed with another timestamp or nonce, or a forged signature: SIGN_MISMATCH.
        assert_eq!(open("tok", KEY, APPID, "2", "n", SEALED, &sig).unwrap_err().code, Code::SignMismatch);
        assert_eq!(open("tok", KEY, APPID, "1", "m", SEALED, &sig).unwrap_err().code, Code::SignMismatch);
        assert_eq!(open("tok", KEY, APPID, "1", "n", SEALED, "").unwrap_err().code, Code::SignMissing);
        // Another appid inside.
        assert_eq!(decrypt(KEY, "wx0000000000000000", SEALED).unwrap_err().code, Code::AppidMismatch);
        // Truncated: whole blocks missing, or not whole blocks.
        assert_eq!(decrypt(KEY, APPID, &SEALED[..64]).unwrap_err().code, Code::DecryptFailed);
        assert_eq!(decrypt(KEY, APPID, &SEALED[..SEALED.len() - 4]).unwrap_err().code, Code::DecryptFailed);
        // A flipped last byte breaks the padding (wrong key alike).
        let mut bytes = base64::decode(SEALED).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        assert_eq!(decrypt(KEY, APPID, &base64::encode(&bytes)).unwrap_err().code, Code::DecryptFailed);
        let other = "bbcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
        assert_eq!(decrypt(other, APPID, SEALED).unwrap_err().code, Code::DecryptFailed);
        // The next good call works.
        assert_eq!(decrypt(KEY, APPID, SEALED).unwrap(), MSG);
        assert_eq!(aes_key("short").unwrap_err().code, Code::InvalidParam);
        assert_eq!(aes_key(&"é".repeat(43)).unwrap_err().code, Code::InvalidParam);
        // `=` (at the end or inside) and the URL-safe alphabet are no key characters.
        for bad in [
            format!("{}=", &KEY[..42]),
            format!("{}==", &KEY[..41]),
            format!("ab=d{}", &KEY[4..]),
            KEY.replace('a', "-"),
        ] {
            assert_eq!(aes_key(&bad).unwrap_err().code, Code::InvalidParam, "{bad}");
        }
    }

    #[test]
    fn a_length_beyond_the_data_is_refused() {
        // Frame a message whose stated length is larger than what follows it.
        let key = aes_key(KEY).unwrap();
        let mut data = RANDOM.to_vec();
        data.extend_from_slice(&1000u32.to_be_bytes());
        data.extend_from_slice(b"short");
        let pad = PAD_BLOCK - data.len() % PAD_BLOCK;
        data.resize(data.len() + pad, pad as u8);
        cbc_encrypt(&key, &mut data);
        assert_eq!(decrypt(KEY, APPID, &base64::encode(&data)).unwrap_err().code, Code::DecryptFailed);
    }

    #[test]
    fn sealed_replies_open_again() {
        let (enc, sig) = seal("tok", KEY, APPID, "中文 reply", "1700000000", "abc").unwrap();
        assert_eq!(open("tok", KEY, APPID, "1700000000", "abc", &enc, &sig).unwrap(), "中文 reply");
        // Two seals of the same message differ (random prefix).
        assert_ne!(encrypt(KEY, APPID, "x").unwrap(), encrypt(KEY, APPID, "x").unwrap());
    }
}
