//! Convention 4 of the boundary (src/wasm/mod.rs): an export that returns several values
//! returns them as one JS array, a tuple, whose members are named here, once. A bless test
//! writes this table to js/v3/tuples.json (`WXPAY_BLESS=1 cargo test tuples`), which
//! js/v3/wasm.js reads to turn each tuple into an object with these names, so neither side
//! indexes by position. One array is one crossing; an object built here would cost one
//! `Reflect.set` crossing per member. The names are not in the wasm: JS has them already.

/// The member names of the tuple export `export` returns (`N` values, in this order).
pub struct Tuple<const N: usize> {
    pub export: &'static str,
    pub names: [&'static str; N],
}

impl<const N: usize> Tuple<N> {
    /// The tuple of `values`, which are `N` by type: a name without a value cannot compile.
    pub fn of<T>(&self, values: [T; N]) -> Vec<T> {
        values.into()
    }
}

/// Declares each tuple once, and [`ALL`] from the same names.
macro_rules! tuples {
    ($($(#[$doc:meta])* $konst:ident = $export:literal [$($name:literal),+];)+) => {
        $(
            $(#[$doc])*
            pub const $konst: Tuple<{ [$($name),+].len() }> = Tuple { export: $export, names: [$($name),+] };
        )+
        /// Every tuple: its export and its members' names (js/v3/tuples.json).
        pub const ALL: &[(&str, &[&str])] = &[$(($export, &[$($name),+]),)+];
    };
}

tuples! {
    /// A request's signed message, by `v3AuthPrepare`.
    AUTH_PREPARED = "v3AuthPrepare" ["message", "timestamp", "nonce"];
    /// What the host verifies, by `v3VerifyPrepare`.
    VERIFY_PREPARED = "v3VerifyPrepare" ["serial", "timestamp", "message", "signature"];
    /// A public key or certificate: SPKI DER, the certificate's serial and validity (Unix s), by `v3VerificationKey`.
    VERIFICATION_KEY = "v3VerificationKey" ["spki", "serial", "notBefore", "notAfter"];
    /// A callback's sealed resource and its event, by `v3NotifyOpen`.
    NOTIFY_OPENED = "v3NotifyOpen" ["ciphertext", "nonce", "aad", "eventType"];
    /// One sealed resource for the host's AES-256-GCM (ciphertext with its tag), by `v3SealedResource`.
    SEALED = "v3SealedResource" ["ciphertext", "nonce", "aad"];
    /// Sealed certificates, one tuple after another (each as [`SEALED`]), by `v3CertificatesOpen`.
    CERTIFICATES_SEALED = "v3CertificatesOpen" ["ciphertext", "nonce", "aad"];
    /// The message a `paySign` signs and the values around it, by `v3PayPrepare`.
    PAY_PREPARED = "v3PayPrepare" ["message", "timeStamp", "nonceStr", "package"];
    /// The answer to a callback, by `v3NotifyReply`.
    NOTIFY_REPLY = "v3NotifyReply" ["status", "body"];
}

#[cfg(test)]
mod tests {
    use super::ALL;

    fn tuples_json() -> String {
        let table: serde_json::Map<String, serde_json::Value> =
            ALL.iter().map(|(export, names)| ((*export).to_owned(), serde_json::json!(names))).collect();
        serde_json::to_string_pretty(&table).unwrap() + "\n"
    }

    /// js/v3/tuples.json is generated from the table above: `WXPAY_BLESS=1 cargo test
    /// tuples` rewrites it after an edit; without that, any difference fails here.
    #[test]
    fn js_tuples_match() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/js/v3/tuples.json");
        let want = tuples_json();
        if std::env::var_os("WXPAY_BLESS").is_some() {
            std::fs::write(path, &want).unwrap();
        }
        let have = std::fs::read_to_string(path).unwrap_or_default();
        assert!(have == want, "js/v3/tuples.json is out of date: run `WXPAY_BLESS=1 cargo test tuples`");
    }

    #[test]
    fn names_are_identifiers_listed_once() {
        for (export, names) in ALL {
            assert!(export.starts_with("v3"), "{export}");
            for (i, n) in names.iter().enumerate() {
                assert!(n.chars().all(|c| c.is_ascii_alphanumeric()) && !names[..i].contains(n), "{export}: {n}");
            }
        }
    }
}
