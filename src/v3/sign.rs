//! RSA as a pair of traits, so the core never does RSA itself: JavaScript supplies WebCrypto
//! (`src/wasm/v3.rs`), a native Rust server the `rsa` crate ([`RsaSigner`], [`RsaVerifier`],
//! cargo feature `native-rsa`), a HSM user its own. Everything around the RSA call (messages,
//! headers, the skew window, key choice by serial) is here and the same for all of them.

use crate::core::base64;
use crate::core::error::{Code, Result, WxError};
use crate::v3::{auth, pay, verify};

/// SHA256withRSA (RSASSA-PKCS1-v1_5 over SHA-256) with the merchant private key.
pub trait Signer {
    fn sign_sha256_rsa(&self, msg: &[u8]) -> Result<Vec<u8>>;
}

/// SHA256withRSA verification with one WeChat Pay public key (certificate or `PUB_KEY_ID_…`).
pub trait Verifier {
    /// `Ok(false)` for a signature that does not match; `Err` only when verifying was impossible.
    fn verify_sha256_rsa(&self, msg: &[u8], signature: &[u8]) -> Result<bool>;
}

/// The `Authorization` header value for one request.
#[allow(clippy::too_many_arguments)]
pub fn authorization(
    signer: &dyn Signer,
    mchid: &str,
    serial_no: &str,
    method: &str,
    url: &str,
    body: &str,
    timestamp: &str,
    nonce: &str,
) -> Result<String> {
    let msg = auth::message(method, url, timestamp, nonce, body)?;
    let sig = base64::encode(&signer.sign_sha256_rsa(msg.as_bytes())?);
    auth::header(mchid, serial_no, timestamp, nonce, &sig)
}

/// `paySign` for `wx.requestPayment` (Base64).
pub fn pay_sign(signer: &dyn Signer, app_id: &str, time_stamp: &str, nonce_str: &str, package: &str) -> Result<String> {
    let msg = pay::pay_message(app_id, time_stamp, nonce_str, package)?;
    Ok(base64::encode(&signer.sign_sha256_rsa(msg.as_bytes())?))
}

/// What a verified response or callback was signed with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub serial: String,
    pub timestamp: i64,
}

/// Verifies a response or callback: [`verify::prepare`], then the key `verifier_by_serial`
/// returns for `Wechatpay-Serial`. A signature that does not match is `SIGN_MISMATCH`.
pub fn verify_signature<'k>(
    verifier_by_serial: impl Fn(&str) -> Option<&'k dyn Verifier>,
    body: &[u8],
    headers: &verify::Headers,
    now_secs: i64,
    max_skew_secs: i64,
) -> Result<Verified> {
    let p = verify::prepare(body, headers, now_secs, max_skew_secs, |s| verifier_by_serial(s).is_some())?;
    let key = verifier_by_serial(&p.serial)
        .ok_or_else(|| WxError::new(Code::UnknownSerial, "the key for Wechatpay-Serial disappeared between lookups"))?;
    if key.verify_sha256_rsa(&p.message, &p.signature)? {
        Ok(Verified { serial: p.serial, timestamp: p.timestamp })
    } else {
        Err(WxError::field(Code::SignMismatch, verify::SIGNATURE, format!("the signature does not match the body under key {}: the body was altered, or it was signed with another key", p.serial)))
    }
}

#[cfg(feature = "native-rsa")]
pub use native::{decrypt_sensitive, encrypt_sensitive, RsaSigner, RsaVerifier};

#[cfg(feature = "native-rsa")]
mod native {
    use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
    use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey};
    use rsa::sha2::Sha256;
    use rsa::signature::{Signer as _, Verifier as _};
    use rsa::{Oaep, PrivateKey, PublicKey};

    use super::{Signer, Verifier};
    use crate::core::base64;
    use crate::core::error::{Code, Result, WxError};
    use crate::v3::keys;

    /// The merchant private key, parsed once.
    pub struct RsaSigner(SigningKey<Sha256>);

    impl RsaSigner {
        /// From `apiclient_key.pem` (PKCS#8 or PKCS#1).
        pub fn from_pem(pem: &str) -> Result<Self> {
            let der = keys::private_key_pkcs8_der(pem)?;
            let key = PrivateKey::from_pkcs8_der(&der)
                .map_err(|_| WxError::new(Code::InvalidParam, "the private key's numbers are not a valid RSA key"))?;
            Ok(RsaSigner(SigningKey::new(key)))
        }
    }

    impl Signer for RsaSigner {
        fn sign_sha256_rsa(&self, msg: &[u8]) -> Result<Vec<u8>> {
            let sig: Signature =
                self.0.try_sign(msg).map_err(|_| WxError::new(Code::InvalidParam, "RSA signing failed"))?;
            Ok(Box::<[u8]>::from(sig).into_vec())
        }
    }

    /// A WeChat Pay public key or platform certificate's key.
    pub struct RsaVerifier(VerifyingKey<Sha256>, PublicKey);

    impl RsaVerifier {
        /// From a `PUBLIC KEY` / `RSA PUBLIC KEY` PEM or a `CERTIFICATE`.
        pub fn from_pem(pem: &str) -> Result<Self> {
            let spki = keys::public_key_spki_der(pem)?;
            let key = PublicKey::from_public_key_der(&spki)
                .map_err(|_| WxError::new(Code::InvalidParam, "the public key's numbers are not a valid RSA key"))?;
            Ok(RsaVerifier(VerifyingKey::new(key.clone()), key))
        }
    }

    impl Verifier for RsaVerifier {
        fn verify_sha256_rsa(&self, msg: &[u8], signature: &[u8]) -> Result<bool> {
            let Ok(sig) = Signature::try_from(signature) else { return Ok(false) };
            Ok(self.0.verify(msg, &sig).is_ok())
        }
    }

    /// Sensitive fields (names, phone numbers): RSAES-OAEP SHA-1 / MGF1-SHA-1 to the WeChat key, Base64.
    pub fn encrypt_sensitive(verifier: &RsaVerifier, plaintext: &str) -> Result<String> {
        let mut rng = getrandom::SysRng;
        let ct = verifier
            .1
            .encrypt(&mut rng, Oaep::<sha1::Sha1>::new(), plaintext.as_bytes())
            .map_err(|_| WxError::new(Code::InvalidParam, "the plaintext is too long for RSA-OAEP"))?;
        Ok(base64::encode(&ct))
    }

    /// Decrypts a sensitive field WeChat encrypted to the merchant key.
    pub fn decrypt_sensitive(private_pem: &str, ciphertext_b64: &str) -> Result<String> {
        let der = keys::private_key_pkcs8_der(private_pem)?;
        let key = PrivateKey::from_pkcs8_der(&der)
            .map_err(|_| WxError::new(Code::InvalidParam, "the private key's numbers are not a valid RSA key"))?;
        let ct = base64::decode(ciphertext_b64)
            .map_err(|why| WxError::new(Code::DecryptFailed, format!("the ciphertext is not base64: {why}")))?;
        let pt = key.decrypt(Oaep::<sha1::Sha1>::new(), &ct).map_err(|_| {
            WxError::new(Code::DecryptFailed, "RSA-OAEP decryption failed: wrong key or altered ciphertext")
        })?;
        String::from_utf8(pt).map_err(|_| WxError::new(Code::DecryptFailed, "the decrypted field is not UTF-8 text"))
    }
}
