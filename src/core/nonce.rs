//! Random `nonce_str` values from the platform CSPRNG (Web Crypto under wasm).

use crate::core::error::{Code, Result, WxError};

const ALPHABET: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/// WeChat limits `nonce_str` to 32 characters.
pub const MAX_LEN: usize = 32;

/// Random bytes are drawn from the CSPRNG in blocks of this size and handed out in
/// order. Under wasm each draw is a call out to `crypto.getRandomValues`, which cost
/// more than the rest of `requestPaymentParams` together; a block serves ~30 nonces.
/// Nonces are public once sent, so bytes waiting in the pool are no secret either.
const POOL_SIZE: usize = 1024;

struct Pool {
    bytes: [u8; POOL_SIZE],
    next: usize,
}

thread_local! {
    static POOL: std::cell::RefCell<Pool> = const {
        std::cell::RefCell::new(Pool { bytes: [0; POOL_SIZE], next: POOL_SIZE })
    };
}

/// The next random byte, refilling the pool from the CSPRNG when it runs out.
fn random_byte(pool: &mut Pool) -> Result<u8> {
    if pool.next == POOL_SIZE {
        getrandom::fill(&mut pool.bytes)
            .map_err(|e| WxError::new(Code::InvalidParam, format!("the platform has no secure random source: {e}")))?;
        pool.next = 0;
    }
    let b = pool.bytes[pool.next];
    pool.next += 1;
    Ok(b)
}

/// `[A-Za-z0-9]{len}`. Bytes of 248 and above are thrown away (248 = 4 × 62), so every
/// character is equally likely: `byte % 62` on all 256 values would favour the first eight.
pub fn nonce_str(len: usize) -> Result<String> {
    if !(1..=MAX_LEN).contains(&len) {
        return Err(WxError::new(Code::InvalidParam, format!("nonce length must be 1 to {MAX_LEN}, got {len}")));
    }
    let mut out = String::with_capacity(len);
    POOL.with_borrow_mut(|pool| {
        while out.len() < len {
            let b = random_byte(pool)?;
            if b < 248 {
                out.push(ALPHABET[(b % 62) as usize] as char);
            }
        }
        Ok(out)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_and_alphabet() {
        for len in [1, 16, 32] {
            let s = nonce_str(len).unwrap();
            assert_eq!(s.len(), len);
            assert!(s.bytes().all(|b| b.is_ascii_alphanumeric()));
        }
        assert_eq!(nonce_str(0).unwrap_err().code, Code::InvalidParam);
        assert_eq!(nonce_str(33).unwrap_err().code, Code::InvalidParam);
        assert_ne!(nonce_str(32).unwrap(), nonce_str(32).unwrap());
    }

    #[test]
    fn roughly_uniform() {
        let mut counts = [0u32; 62];
        for _ in 0..2000 {
            for b in nonce_str(32).unwrap().bytes() {
                counts[ALPHABET.iter().position(|&a| a == b).unwrap()] += 1;
            }
        }
        // 64,000 draws, 1032 expected per symbol; a modulo bias would push the first
        // eight symbols to about 1290.
        assert!(counts.iter().all(|&c| (850..1220).contains(&c)), "{counts:?}");
    }
}
