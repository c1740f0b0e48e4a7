//! AEAD_AES_256_GCM with the APIv3 key: how WeChat encrypts callback resources and the
//! certificates `/v3/certificates` returns. The ciphertext is Base64 of the encrypted bytes
//! with the 16-byte tag appended; the nonce is 12 ASCII characters used as 12 bytes; the
//! associated data is a string (often `transaction`, `refund`, `certificate` or empty).
//!
//! Every decryption failure is `DECRYPT_FAILED` with the cause in words (not base64, too
//! short, wrong nonce length, tag mismatch: wrong APIv3 key or tampered data); a key that is
//! not 32 bytes is `INVALID_PARAM`, because that is the caller's configuration, not the data.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::Aes256Gcm;

use crate::core::base64;
use crate::core::error::{Code, Result, WxError};

/// The algorithm name WeChat writes in `resource.algorithm`.
pub const ALGORITHM: &str = "AEAD_AES_256_GCM";
pub const KEY_LEN: usize = 32;
pub const NONCE_LEN: usize = 12;
pub const TAG_LEN: usize = 16;

/// The APIv3 key as the 32 bytes AES-256 needs (it is set in the merchant console as 32
/// ASCII characters; the bytes of that string are the key).
pub fn api_v3_key(key: &[u8]) -> Result<&[u8; KEY_LEN]> {
    key.try_into().map_err(|_| {
        WxError::field(
            Code::InvalidParam,
            "apiV3Key",
            format!(
                "apiV3Key must be exactly {KEY_LEN} bytes (the APIv3 key from the merchant console), got {} bytes",
                key.len()
            ),
        )
    })
}

fn cipher(key: &[u8]) -> Result<Aes256Gcm> {
    let key = api_v3_key(key)?;
    Ok(Aes256Gcm::new(key.into()))
}

fn nonce(nonce: &str) -> Result<&aes_gcm::Nonce<aes_gcm::aead::consts::U12>> {
    nonce.as_bytes().try_into().map_err(|_| {
        WxError::field(
            Code::DecryptFailed,
            "nonce",
            format!("the AES-GCM nonce must be {NONCE_LEN} bytes (WeChat sends 12 characters), got {}", nonce.len()),
        )
    })
}

/// One encrypted resource, checked and decoded: everything an AES-256-GCM implementation
/// needs but the key. The wasm hands these to the host's AES-GCM (node:crypto or WebCrypto,
/// see js/v3/api.js), native code to [`Sealed::open`]; both give the plaintext back to the
/// same checks, so the two paths differ only in who runs AES.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    /// The encrypted bytes with the 16-byte tag at the end, as WeChat sends them.
    pub ciphertext: Vec<u8>,
    pub nonce: [u8; NONCE_LEN],
    pub associated_data: String,
}

impl Sealed {
    /// Checks the nonce's length and decodes the Base64 ciphertext (at least a tag long).
    pub fn new(nonce_text: &str, associated_data: &str, ciphertext_b64: &str) -> Result<Sealed> {
        let nonce = *nonce(nonce_text)?.as_ref();
        let ciphertext = base64::decode(ciphertext_b64).map_err(|why| {
            WxError::field(Code::DecryptFailed, "ciphertext", format!("the ciphertext is not base64: {why}"))
        })?;
        if ciphertext.len() < TAG_LEN {
            return Err(WxError::field(
                Code::DecryptFailed,
                "ciphertext",
                format!("the ciphertext is {} bytes, shorter than the {TAG_LEN}-byte tag", ciphertext.len()),
            ));
        }
        Ok(Sealed { ciphertext, nonce, associated_data: associated_data.to_owned() })
    }

    /// Decrypts with the APIv3 key (RustCrypto's AES-GCM: native code and tests; the wasm
    /// never calls it, so it is not linked there).
    pub fn open(&self, api_v3_key: &[u8]) -> Result<Vec<u8>> {
        let payload = Payload { msg: &self.ciphertext, aad: self.associated_data.as_bytes() };
        cipher(api_v3_key)?.decrypt((&self.nonce).into(), payload).map_err(|_| auth_failed())
    }
}

/// What a tag that does not verify means, wherever AES-GCM ran.
pub fn auth_failed() -> WxError {
    WxError::new(Code::DecryptFailed, "AES-GCM authentication failed: the APIv3 key is wrong (most often the v2 API key (API密钥) was given where the APIv3 key (APIv3密钥) belongs: they are set apart in the merchant console), or the ciphertext, nonce or associated_data was altered")
}

/// Decrypts a resource: Base64 ciphertext-with-tag → plaintext bytes.
pub fn decrypt(api_v3_key: &[u8], nonce_text: &str, associated_data: &str, ciphertext_b64: &str) -> Result<Vec<u8>> {
    self::api_v3_key(api_v3_key)?;
    Sealed::new(nonce_text, associated_data, ciphertext_b64)?.open(api_v3_key)
}

/// Encrypts like WeChat does (for the mock server and tests): plaintext → Base64 ciphertext-with-tag.
pub fn encrypt(api_v3_key: &[u8], nonce_text: &str, associated_data: &str, plaintext: &[u8]) -> Result<String> {
    let c = cipher(api_v3_key)?;
    let n = nonce(nonce_text).map_err(|e| WxError { code: Code::InvalidParam, ..e })?;
    let out = c
        .encrypt(n, Payload { msg: plaintext, aad: associated_data.as_bytes() })
        .map_err(|_| WxError::new(Code::InvalidParam, "the plaintext is too large for AES-GCM"))?;
    Ok(base64::encode(&out))
}
