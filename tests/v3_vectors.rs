//! v3 against the fixtures: every expected value was computed by Python `cryptography`
//! (tests/fixtures/v3/generated.json) or comes from the official SDKs' own tests
//! (tests/fixtures/v3/official.json). RSA cases need `--features native-rsa`.
#![cfg(all(not(target_arch = "wasm32"), feature = "v3"))]

#[path = "support/v3.rs"]
mod fx;

use fx::{b64, generated, headers, headers_obj, official, s};
use wxpay_wasm::v3::{aead, auth, certs, keys, notify, pay, verify, Expect};
use wxpay_wasm::Code;

fn key(g: &serde_json::Value) -> Vec<u8> {
    s(&g["api_v3_key"]).as_bytes().to_vec()
}

fn expect_of(v: &serde_json::Value) -> Expect {
    Expect {
        appid: v.get("appid").map(|x| s(x).to_owned()),
        mchid: v.get("mchid").map(|x| s(x).to_owned()),
        out_trade_no: v.get("out_trade_no").map(|x| s(x).to_owned()),
        total: v.get("total").and_then(|x| x.as_i64()),
    }
}

#[test]
fn authorization_messages_and_headers() {
    let g = generated();
    let serial = s(&g["certificates"]["merchant"]["serial"]);
    let cases = g["authorization"].as_array().unwrap();
    assert_eq!(cases.len(), 9);
    for c in cases {
        let m =
            auth::message(s(&c["method"]), s(&c["url"]), s(&c["timestamp"]), s(&c["nonce"]), s(&c["body"])).unwrap();
        assert_eq!(m, s(&c["message"]));
        let h = auth::header(s(&g["mchid"]), serial, s(&c["timestamp"]), s(&c["nonce"]), s(&c["signature"])).unwrap();
        assert_eq!(h, s(&c["header"]));
        let p = auth::parse_header(&h).unwrap();
        assert_eq!(
            (p.serial_no.as_str(), p.signature.as_str(), p.nonce_str.as_str()),
            (serial, s(&c["signature"]), s(&c["nonce"]))
        );
    }
}

#[test]
fn response_messages_over_raw_bodies() {
    let g = generated();
    let now = g["now"].as_i64().unwrap();
    for c in g["responses"]
        .as_array()
        .unwrap()
        .iter()
        .chain(g["callbacks"].as_array().unwrap())
        .chain([&g["certificates_response"]])
    {
        let p = verify::prepare(
            s(&c["body"]).as_bytes(),
            &headers(&c["headers"]),
            now,
            verify::DEFAULT_MAX_SKEW_SECS,
            |x| x == s(&c["serial"]),
        )
        .unwrap();
        assert_eq!(p.message, s(&c["message"]).as_bytes());
        assert_eq!(p.signature, b64(&c["signature"]));
        assert_eq!(p.serial, s(&c["serial"]));
        assert_eq!(p.timestamp, c["timestamp"].as_i64().unwrap());
    }
}

#[test]
fn private_keys_become_the_pkcs8_python_writes() {
    let g = generated();
    for (name, k) in g["keys"].as_object().unwrap() {
        let pkcs8 = keys::private_key_pkcs8_der(s(&k["private_pkcs8"])).unwrap();
        let from_pkcs1 = keys::private_key_pkcs8_der(s(&k["private_pkcs1"])).unwrap();
        assert_eq!(from_pkcs1, pkcs8, "{name}: PKCS#1 wrapped into PKCS#8 must equal Python's PKCS#8");
        assert_eq!(keys::public_key_spki_der(s(&k["public_spki"])).unwrap(), b64(&k["spki_der_b64"]), "{name}");
        assert_eq!(
            keys::public_key_spki_der(s(&k["public_pkcs1"])).unwrap(),
            b64(&k["spki_der_b64"]),
            "{name}: PKCS#1 public wrapped"
        );
    }
    // The official SDK keys too (Go's PKCS#8 and Java's merchant key).
    let o = official();
    assert!(keys::private_key_pkcs8_der(s(&o["go_signer"]["private_key_pem"])).is_ok());
    assert!(keys::private_key_pkcs8_der(s(&o["java_keys"]["merchant_private_key_pem"])).is_ok());
    assert_eq!(
        keys::public_key_spki_der(s(&o["go_signer"]["public_key_pem"])).unwrap(),
        b64(&o["go_signer"]["derived"]["spki_der_b64"])
    );
    assert_eq!(
        keys::public_key_spki_der(s(&o["java_keys"]["platform_public_key_pem"])).unwrap(),
        b64(&o["java_keys"]["derived"]["platform_public_key_spki_der_b64"])
    );
}

#[test]
fn certificates_serials_validity_and_keys() {
    let g = generated();
    for (name, c) in g["certificates"].as_object().unwrap() {
        let info = keys::certificate_info(s(&c["pem"]).as_bytes()).unwrap();
        assert_eq!(info.serial_hex_upper, s(&c["serial"]), "{name}");
        assert_eq!(info.not_before_unix, c["not_before_unix"].as_i64().unwrap(), "{name}");
        assert_eq!(info.not_after_unix, c["not_after_unix"].as_i64().unwrap(), "{name}");
        assert_eq!(info.spki_der, b64(&g["keys"][s(&c["key"])]["spki_der_b64"]), "{name}");
        assert_eq!(keys::public_key_spki_der(s(&c["pem"])).unwrap(), info.spki_der);
        // DER input as well as PEM.
        let der = keys::parse_pem(s(&c["pem"]), "t").unwrap().der;
        assert_eq!(keys::certificate_info(&der).unwrap(), info);
    }
    let o = official();
    let go = &o["go_signer"];
    let info = keys::certificate_info(s(&go["certificate_pem"]).as_bytes()).unwrap();
    assert_eq!(info.serial_hex_upper, "F5765756002FDD77");
    assert_eq!(info.spki_der, b64(&go["derived"]["spki_der_b64"]));
    assert_eq!(info.not_before_unix, go["derived"]["not_before_unix"].as_i64().unwrap());
    assert_eq!(info.not_after_unix, go["derived"]["not_after_unix"].as_i64().unwrap());
    assert_eq!(
        keys::certificate_info(s(&o["go_notify"]["certificate_pem"]).as_bytes()).unwrap().serial_hex_upper,
        "D7CE59D1F522D701"
    );
    let j = &o["java_keys"];
    assert_eq!(
        keys::certificate_info(s(&j["platform_certificate_pem"]).as_bytes()).unwrap().serial_hex_upper,
        s(&j["platform_certificate_serial"])
    );
    let m = keys::certificate_info(s(&j["merchant_certificate_pem"]).as_bytes()).unwrap();
    assert_eq!(m.serial_hex_upper, s(&j["merchant_certificate_serial"]));
    assert_eq!(m.spki_der, b64(&j["derived"]["merchant_spki_der_b64"]));
}

#[test]
fn aes_gcm_cases() {
    let g = generated();
    for c in g["aead"].as_array().unwrap() {
        let k = s(&c["key"]).as_bytes();
        assert_eq!(
            aead::decrypt(k, s(&c["nonce"]), s(&c["associated_data"]), s(&c["ciphertext"])).unwrap(),
            s(&c["plaintext"]).as_bytes()
        );
        assert_eq!(
            aead::encrypt(k, s(&c["nonce"]), s(&c["associated_data"]), s(&c["plaintext"]).as_bytes()).unwrap(),
            s(&c["ciphertext"])
        );
    }
    let o = official();
    let j = &o["java_aead"];
    let k = s(&j["key"]).as_bytes();
    assert_eq!(
        aead::decrypt(k, s(&j["nonce"]), s(&j["associated_data"]), s(&j["ciphertext"])).unwrap(),
        s(&j["plaintext"]).as_bytes()
    );
    assert_eq!(
        aead::encrypt(k, s(&j["nonce"]), s(&j["associated_data"]), s(&j["plaintext"]).as_bytes()).unwrap(),
        s(&j["ciphertext"])
    );
    assert_eq!(
        aead::decrypt(k, s(&j["bad_nonce"]), s(&j["associated_data"]), s(&j["ciphertext"])).unwrap_err().code,
        Code::DecryptFailed
    );
    assert_eq!(
        aead::decrypt(k, s(&j["nonce"]), s(&j["bad_associated_data"]), s(&j["ciphertext"])).unwrap_err().code,
        Code::DecryptFailed
    );
    // The Go SDK's AES-128 vector: WeChat's APIv3 key is 32 bytes, so a 16-byte key is refused.
    let a = &o["go_aes128"];
    assert_eq!(
        aead::decrypt(s(&a["key"]).as_bytes(), s(&a["nonce"]), s(&a["associated_data"]), s(&a["ciphertext"]))
            .unwrap_err()
            .code,
        Code::InvalidParam
    );
}

#[test]
fn callbacks_decrypt_and_meet_their_expectations() {
    let g = generated();
    let cases = g["callbacks"].as_array().unwrap();
    assert_eq!(cases.len(), 4);
    for c in cases {
        let n = notify::decrypt_notify(
            s(&c["body"]).as_bytes(),
            &key(&g),
            &expect_of(&c["expect"]),
            notify::DEFAULT_MAX_BYTES,
        )
        .unwrap();
        let plain: serde_json::Value = serde_json::from_str(s(&c["plaintext"])).unwrap();
        let out: serde_json::Value = serde_json::from_str(&n.to_json()).unwrap();
        assert_eq!(out["resource"], plain);
        assert_eq!(out["paid"], c["paid"]);
        assert_eq!(n.paid, c["paid"].as_bool().unwrap());
        assert_eq!(n.event_type, s(&c["event_type"]));
        let envelope: serde_json::Value = serde_json::from_str(s(&c["body"])).unwrap();
        for f in ["id", "create_time", "event_type", "resource_type", "summary"] {
            assert_eq!(out[f], envelope[f], "{f}");
        }
        assert_eq!(n.original_type.as_deref(), envelope["resource"]["original_type"].as_str());
        // decryptResource on the resource object alone gives the same plaintext.
        let r = notify::decrypt_resource(envelope["resource"].to_string().as_bytes(), &key(&g)).unwrap();
        assert_eq!(r, s(&c["plaintext"]).as_bytes());
    }
    // The Go SDK's callback: its 16-byte APIv3 key is refused before anything is decrypted.
    let o = official();
    let e = notify::decrypt_notify(
        s(&o["go_notify"]["body"]).as_bytes(),
        s(&o["go_notify"]["api_v3_key_16"]).as_bytes(),
        &Expect::default(),
        notify::DEFAULT_MAX_BYTES,
    )
    .unwrap_err();
    assert_eq!(e.code, Code::InvalidParam);
}

/// The wasm's path: the core checks and decodes the resource, the host's AES-GCM decrypts,
/// the core checks the plaintext. Fed Python's plaintexts, it must equal the one-shot path.
#[test]
fn callbacks_split_for_the_hosts_aes_gcm() {
    let g = generated();
    for c in g["callbacks"].as_array().unwrap() {
        let body = s(&c["body"]).as_bytes();
        let envelope: serde_json::Value = serde_json::from_slice(body).unwrap();
        let r = &envelope["resource"];
        let sealed = notify::open_notify(body, &key(&g), notify::DEFAULT_MAX_BYTES).unwrap().sealed().unwrap();
        assert_eq!(sealed.ciphertext, b64(&r["ciphertext"]));
        assert_eq!(&sealed.nonce[..], s(&r["nonce"]).as_bytes());
        assert_eq!(sealed.associated_data, s(&r["associated_data"]));
        assert_eq!(sealed, notify::seal_resource(r.to_string().as_bytes()).unwrap());
        let opened = notify::open_notify(body, &key(&g), notify::DEFAULT_MAX_BYTES).unwrap();
        let split = opened.finish(s(&c["plaintext"]).as_bytes(), &expect_of(&c["expect"])).unwrap();
        let whole =
            notify::decrypt_notify(body, &key(&g), &expect_of(&c["expect"]), notify::DEFAULT_MAX_BYTES).unwrap();
        assert_eq!(split.to_json(), whole.to_json());
        // The expectations hold for whatever the host returns: a plaintext naming another
        // merchant is refused after decryption, as in the one-shot path.
        let other = s(&c["plaintext"]).replace(s(&c["expect"]["mchid"]), "1900000999");
        let opened = notify::open_notify(body, &key(&g), notify::DEFAULT_MAX_BYTES).unwrap();
        assert_eq!(opened.finish(other.as_bytes(), &expect_of(&c["expect"])).unwrap_err().code, Code::MchIdMismatch);
    }
}

#[test]
fn certificates_response() {
    let g = generated();
    let c = &g["certificates_response"];
    let got = certs::parse_certificates(s(&c["body"]).as_bytes(), &key(&g)).unwrap();
    let want = c["certs"].as_array().unwrap();
    assert_eq!(got.len(), want.len());
    for (a, b) in got.iter().zip(want) {
        assert_eq!(a.serial, s(&b["serial"]));
        assert_eq!(a.pem, s(&b["pem"]));
        assert_eq!(a.effective_time, s(&b["effective_time"]));
        assert_eq!(a.expire_time, s(&b["expire_time"]));
    }
    let j: serde_json::Value = serde_json::from_str(&certs::certificates_to_json(&got)).unwrap();
    assert_eq!(j[s(&want[0]["serial"])]["pem"], want[0]["pem"]);
    // Split as the wasm runs it, with Python's PEMs as the host's plaintexts.
    let listed = certs::open_certificates(s(&c["body"]).as_bytes(), &key(&g)).unwrap();
    let pems = want.iter().map(|b| s(&b["pem"]).as_bytes().to_vec()).collect::<Vec<_>>();
    assert_eq!(certs::finish_certificates(listed.clone(), pems.clone()).unwrap(), got);
    assert_eq!(certs::finish_certificates(listed.clone(), pems[..1].to_vec()).unwrap_err().code, Code::InvalidParam);
    let swapped = pems.iter().rev().cloned().collect::<Vec<_>>();
    assert_eq!(certs::finish_certificates(listed, swapped).unwrap_err().code, Code::InvalidField);
    let e = certs::parse_certificates(s(&g["certificates_response_serial_mismatch"]).as_bytes(), &key(&g)).unwrap_err();
    assert_eq!((e.code, e.field.as_deref()), (Code::InvalidField, Some("serial_no")));
    // wechatpay-java's recorded /v3/certificates answer.
    let o = official();
    let jc = &o["java_certificates"];
    let got = certs::parse_certificates(s(&jc["body"]).as_bytes(), s(&jc["api_v3_key"]).as_bytes()).unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].serial, s(&jc["serial"]));
    assert_eq!(got[0].pem, s(&jc["derived"]["certificate_pem"]));
    assert_eq!(
        (got[0].not_before_unix, got[0].not_after_unix),
        (jc["derived"]["not_before_unix"].as_i64().unwrap(), jc["derived"]["not_after_unix"].as_i64().unwrap())
    );
}

#[test]
fn pay_sign_messages() {
    let g = generated();
    for c in g["pay_sign"].as_array().unwrap() {
        assert_eq!(
            pay::pay_message(s(&c["app_id"]), s(&c["time_stamp"]), s(&c["nonce_str"]), s(&c["package"])).unwrap(),
            s(&c["message"])
        );
    }
}

#[test]
fn official_callback_message() {
    let o = official();
    let n = &o["go_notify"];
    let p =
        verify::prepare(s(&n["body"]).as_bytes(), &headers_obj(&n["headers"]), n["now"].as_i64().unwrap(), 300, |x| {
            x == "D7CE59D1F522D701"
        })
        .unwrap();
    assert!(p.message.starts_with(b"1624523846\nEcZ9Cmy4Xyx1i6RlJQzLcCyEqDa26NBz\n{\"id\":"));
    assert_eq!(p.signature.len(), 256);
}

#[cfg(feature = "native-rsa")]
mod rsa_cases {
    use super::*;
    use std::collections::HashMap;
    use wxpay_wasm::v3::sign::{self, decrypt_sensitive, encrypt_sensitive, RsaSigner, RsaVerifier, Signer, Verifier};

    #[test]
    fn authorization_headers_match_python_signatures() {
        let g = generated();
        let serial = s(&g["certificates"]["merchant"]["serial"]);
        for pem in ["private_pkcs8", "private_pkcs1"] {
            let signer = RsaSigner::from_pem(s(&g["keys"]["merchant"][pem])).unwrap();
            for c in g["authorization"].as_array().unwrap() {
                let h = sign::authorization(
                    &signer,
                    s(&g["mchid"]),
                    serial,
                    s(&c["method"]),
                    s(&c["url"]),
                    s(&c["body"]),
                    s(&c["timestamp"]),
                    s(&c["nonce"]),
                )
                .unwrap();
                assert_eq!(h, s(&c["header"]), "{pem}");
            }
            for c in g["pay_sign"].as_array().unwrap() {
                assert_eq!(
                    sign::pay_sign(&signer, s(&c["app_id"]), s(&c["time_stamp"]), s(&c["nonce_str"]), s(&c["package"]))
                        .unwrap(),
                    s(&c["pay_sign"])
                );
            }
        }
    }

    #[test]
    fn official_go_signature() {
        let o = official();
        let go = &o["go_signer"];
        let signer = RsaSigner::from_pem(s(&go["private_key_pem"])).unwrap();
        assert_eq!(wxpay_wasm::core::base64::encode(&signer.sign_sha256_rsa(b"source").unwrap()), s(&go["signature"]));
        for pem in [&go["certificate_pem"], &go["public_key_pem"]] {
            let v = RsaVerifier::from_pem(s(pem)).unwrap();
            assert!(v.verify_sha256_rsa(b"source", &b64(&go["signature"])).unwrap());
            assert!(!v.verify_sha256_rsa(b"wrong source", &b64(&go["signature"])).unwrap());
        }
    }

    #[test]
    fn official_go_callback_verifies() {
        let o = official();
        let n = &o["go_notify"];
        let v = RsaVerifier::from_pem(s(&n["certificate_pem"])).unwrap();
        let got = sign::verify_signature(
            |x| (x == "D7CE59D1F522D701").then_some(&v as &dyn Verifier),
            s(&n["body"]).as_bytes(),
            &headers_obj(&n["headers"]),
            n["now"].as_i64().unwrap(),
            300,
        )
        .unwrap();
        assert_eq!((got.serial.as_str(), got.timestamp), ("D7CE59D1F522D701", 1624523846));
    }

    #[test]
    fn responses_and_callbacks_verify_in_both_modes() {
        let g = generated();
        let now = g["now"].as_i64().unwrap();
        let mut map: HashMap<String, RsaVerifier> = HashMap::new();
        for name in ["platform", "platform2"] {
            map.insert(
                s(&g["certificates"][name]["serial"]).to_owned(),
                RsaVerifier::from_pem(s(&g["certificates"][name]["pem"])).unwrap(),
            );
        }
        map.insert(
            s(&g["pub_key_id"]).to_owned(),
            RsaVerifier::from_pem(s(&g["keys"]["pubkey"]["public_spki"])).unwrap(),
        );
        let mut modes = std::collections::HashSet::new();
        for c in g["responses"]
            .as_array()
            .unwrap()
            .iter()
            .chain(g["callbacks"].as_array().unwrap())
            .chain([&g["certificates_response"]])
        {
            let got = sign::verify_signature(
                |x| map.get(x).map(|v| v as &dyn Verifier),
                s(&c["body"]).as_bytes(),
                &headers(&c["headers"]),
                now,
                300,
            )
            .unwrap();
            assert_eq!(got.serial, s(&c["serial"]));
            modes.insert(s(&c["signer"]).to_owned());
        }
        assert_eq!(modes.len(), 3, "certificate mode, a second certificate, and public-key mode");
    }

    #[test]
    fn oaep_sensitive_fields() {
        let g = generated();
        for c in g["oaep"].as_array().unwrap() {
            let private = s(&g["keys"][s(&c["key"])]["private_pkcs8"]);
            assert_eq!(decrypt_sensitive(private, s(&c["ciphertext"])).unwrap(), s(&c["plaintext"]));
            let v = RsaVerifier::from_pem(s(&g["keys"][s(&c["key"])]["public_spki"])).unwrap();
            let ct = encrypt_sensitive(&v, s(&c["plaintext"])).unwrap();
            assert_ne!(ct, s(&c["ciphertext"]), "OAEP is randomised");
            assert_eq!(decrypt_sensitive(private, &ct).unwrap(), s(&c["plaintext"]));
            let other = s(&g["keys"]["other"]["private_pkcs8"]);
            assert_eq!(decrypt_sensitive(other, s(&c["ciphertext"])).unwrap_err().code, Code::DecryptFailed);
        }
    }
}
