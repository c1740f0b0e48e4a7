//! WeChat's `req_info` encryption written out in the tests with the `aes` and `md-5`
//! crates directly, never with the code under test: AES-256-ECB with PKCS#7 padding,
//! keyed by the lowercase hex MD5 of the API key taken as 32 ASCII bytes, then base64.

use aes::cipher::{BlockCipherEncrypt, KeyInit};
use md5::{Digest, Md5};

pub fn encrypt_req_info(plain: &[u8], key: &str) -> String {
    let k: String = Md5::digest(key.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    let cipher = aes::Aes256::new_from_slice(k.as_bytes()).unwrap();
    let pad = 16 - plain.len() % 16;
    let mut data = plain.to_vec();
    data.extend(std::iter::repeat_n(pad as u8, pad));
    for chunk in data.chunks_exact_mut(16) {
        let block: &mut aes::Block = chunk.try_into().unwrap();
        cipher.encrypt_block(block);
    }
    b64(&data)
}

/// Standard base64 with padding.
pub fn b64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in data.chunks(3) {
        let n =
            (u32::from(c[0]) << 16) | (u32::from(*c.get(1).unwrap_or(&0)) << 8) | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            out.push(if i <= c.len() { A[((n >> (18 - 6 * i)) & 63) as usize] as char } else { '=' });
        }
    }
    out
}
