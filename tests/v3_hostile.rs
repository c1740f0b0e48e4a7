//! Hostile v3 inputs, each with its exact code, and a good call after each to show nothing
//! was left broken. Signed variants are re-signed with the fixture's private keys so that
//! the signature passes and the check under test is the one that fails.
#![cfg(all(not(target_arch = "wasm32"), feature = "v3"))]

#[path = "support/v3.rs"]
mod fx;

use fx::{generated, headers, s, with_header};
use serde_json::{json, Value};
use wxpay_wasm::v3::{aead, builders, certs, keys, notify, verify, Expect};
use wxpay_wasm::{Code, WxError};

fn k(g: &Value) -> Vec<u8> {
    s(&g["api_v3_key"]).as_bytes().to_vec()
}

fn full_expect(c: &Value) -> Expect {
    let e = &c["expect"];
    Expect {
        appid: e.get("appid").map(|x| s(x).to_owned()),
        mchid: e.get("mchid").map(|x| s(x).to_owned()),
        out_trade_no: e.get("out_trade_no").map(|x| s(x).to_owned()),
        total: e.get("total").and_then(Value::as_i64),
    }
}

fn decrypt_code(g: &Value, body: &str, key: &[u8], expect: &Expect) -> Code {
    let r = notify::decrypt_notify(body.as_bytes(), key, expect, notify::DEFAULT_MAX_BYTES);
    // After every failure, a good callback still goes through.
    let good = &g["callbacks"][0];
    notify::decrypt_notify(s(&good["body"]).as_bytes(), &k(g), &full_expect(good), notify::DEFAULT_MAX_BYTES)
        .expect("a good call after a bad one");
    r.map(|_| ()).unwrap_err().code
}

/// The callback's envelope with `resource` edited by `f`.
fn edit_resource(body: &str, f: impl FnOnce(&mut serde_json::Map<String, Value>)) -> String {
    let mut v: Value = serde_json::from_str(body).unwrap();
    f(v["resource"].as_object_mut().unwrap());
    v.to_string()
}

fn flip_b64(text: &str, byte: usize) -> String {
    let mut b = wxpay_wasm::core::base64::decode(text).unwrap();
    let i = if byte == usize::MAX { b.len() - 1 } else { byte };
    b[i] ^= 1;
    wxpay_wasm::core::base64::encode(&b)
}

#[test]
fn tampered_resources_fail_to_decrypt() {
    let g = generated();
    let c = &g["callbacks"][0];
    let body = s(&c["body"]);
    let e = full_expect(c);
    let ct = |f: fn(&str) -> String| {
        edit_resource(body, |r| {
            let t = f(r["ciphertext"].as_str().unwrap());
            r.insert("ciphertext".into(), t.into());
        })
    };
    assert_eq!(decrypt_code(&g, &ct(|t| flip_b64(t, 0)), &k(&g), &e), Code::DecryptFailed, "ciphertext");
    assert_eq!(decrypt_code(&g, &ct(|t| flip_b64(t, usize::MAX)), &k(&g), &e), Code::DecryptFailed, "tag");
    assert_eq!(decrypt_code(&g, &ct(|t| t[..t.len() - 4].to_owned()), &k(&g), &e), Code::DecryptFailed, "truncated");
    assert_eq!(decrypt_code(&g, &ct(|_| "AAAA".to_owned()), &k(&g), &e), Code::DecryptFailed, "shorter than a tag");
    assert_eq!(decrypt_code(&g, &ct(|t| format!("{t}!")), &k(&g), &e), Code::DecryptFailed, "not base64");
    let nonce = edit_resource(body, |r| {
        r.insert("nonce".into(), "fdasflkja485".into());
    });
    assert_eq!(decrypt_code(&g, &nonce, &k(&g), &e), Code::DecryptFailed, "nonce");
    let short_nonce = edit_resource(body, |r| {
        r.insert("nonce".into(), "short".into());
    });
    assert_eq!(decrypt_code(&g, &short_nonce, &k(&g), &e), Code::DecryptFailed, "nonce length");
    let aad = edit_resource(body, |r| {
        r.insert("associated_data".into(), "refund".into());
    });
    assert_eq!(decrypt_code(&g, &aad, &k(&g), &e), Code::DecryptFailed, "associated_data");
    let alg = edit_resource(body, |r| {
        r.insert("algorithm".into(), "AEAD_SM4_GCM".into());
    });
    assert_eq!(decrypt_code(&g, &alg, &k(&g), &e), Code::DecryptFailed, "algorithm");
    let no_ct = edit_resource(body, |r| {
        r.remove("ciphertext");
    });
    assert_eq!(decrypt_code(&g, &no_ct, &k(&g), &e), Code::InvalidJson, "no ciphertext");
    assert_eq!(
        decrypt_code(&g, body, s(&g["other_api_v3_key"]).as_bytes(), &e),
        Code::DecryptFailed,
        "wrong APIv3 key"
    );
    // The most common cause is named: the v2 API key given as the APIv3 key.
    let wrong =
        notify::decrypt_notify(body.as_bytes(), s(&g["other_api_v3_key"]).as_bytes(), &e, notify::DEFAULT_MAX_BYTES)
            .unwrap_err();
    assert!(wrong.message.contains("v2 API key") && wrong.message.contains("APIv3"), "{}", wrong.message);
    for bad_len in [0usize, 16, 31, 33, 64] {
        assert_eq!(decrypt_code(&g, body, &vec![b'a'; bad_len], &e), Code::InvalidParam, "key of {bad_len} bytes");
    }
}

#[test]
fn expectations_are_enforced() {
    let g = generated();
    let c = &g["callbacks"][0];
    let body = s(&c["body"]);
    let base = full_expect(c);
    let cases: [(Expect, Code); 5] = [
        (Expect { appid: Some("wx0000000000000000".into()), ..base.clone() }, Code::AppidMismatch),
        (Expect { mchid: Some("1900000110".into()), ..base.clone() }, Code::MchIdMismatch),
        (
            Expect { out_trade_no: Some("1217752501201407033233368017".into()), ..base.clone() },
            Code::OutTradeNoMismatch,
        ),
        (Expect { total: Some(101), ..base.clone() }, Code::AmountMismatch),
        (Expect { total: Some(1), ..base.clone() }, Code::AmountMismatch),
    ];
    for (e, code) in cases {
        assert_eq!(decrypt_code(&g, body, &k(&g), &e), code);
    }
    // Refund callbacks: mchid, out_trade_no and amount.total apply; appid is not in a refund.
    let r = &g["callbacks"][2];
    let rb = s(&r["body"]);
    let with_appid = Expect { appid: Some("wx_anything".into()), ..full_expect(r) };
    assert!(notify::decrypt_notify(rb.as_bytes(), &k(&g), &with_appid, notify::DEFAULT_MAX_BYTES).is_ok());
    assert_eq!(decrypt_code(&g, rb, &k(&g), &Expect { total: Some(99), ..full_expect(r) }), Code::AmountMismatch);
    assert_eq!(
        decrypt_code(&g, rb, &k(&g), &Expect { mchid: Some("1".into()), ..full_expect(r) }),
        Code::MchIdMismatch
    );
    // NOTPAY under TRANSACTION.SUCCESS is not paid.
    let np = &g["callbacks"][3];
    assert!(
        !notify::decrypt_notify(s(&np["body"]).as_bytes(), &k(&g), &full_expect(np), notify::DEFAULT_MAX_BYTES)
            .unwrap()
            .paid
    );
}

#[test]
fn envelopes_that_are_not_callbacks() {
    let g = generated();
    let e = Expect::default();
    for bad in [
        "",
        "not json",
        "[]",
        "\"str\"",
        "{\"id\":1}",
        "{\"id\":\"a\",\"create_time\":\"t\",\"event_type\":\"E\",\"resource_type\":\"r\"}",
        "{\"id\":\"a\",\"id\":\"b\"}",
    ] {
        assert_eq!(decrypt_code(&g, bad, &k(&g), &e), Code::InvalidJson, "{bad}");
    }
    // A resource whose plaintext is not JSON.
    let body = json!({"id": "x", "create_time": "t", "event_type": "TRANSACTION.SUCCESS", "resource_type": "encrypt-resource", "summary": "s",
        "resource": {"algorithm": "AEAD_AES_256_GCM", "nonce": "abcdefghijkl", "associated_data": "", "ciphertext": aead::encrypt(&k(&g), "abcdefghijkl", "", b"not json").unwrap()}}).to_string();
    assert_eq!(decrypt_code(&g, &body, &k(&g), &e), Code::InvalidJson);
    // Too large: refused before parsing, whatever it contains.
    let huge = format!("{{\"pad\":\"{}\"}}", "x".repeat(notify::DEFAULT_MAX_BYTES));
    assert_eq!(decrypt_code(&g, &huge, &k(&g), &e), Code::InputTooLarge);
    assert_eq!(notify::decrypt_notify(b"{}", &k(&g), &e, 0).unwrap_err().code, Code::InvalidParam);
}

#[test]
fn header_failures_in_check_order() {
    let g = generated();
    let now = g["now"].as_i64().unwrap();
    let c = &g["callbacks"][0];
    let body = s(&c["body"]).as_bytes();
    let serial = s(&c["serial"]);
    let has = |x: &str| x == serial;
    let code = |h: &verify::Headers, now: i64| verify::prepare(body, h, now, 300, has).unwrap_err().code;
    for name in [verify::TIMESTAMP, verify::NONCE, verify::SIGNATURE, verify::SERIAL] {
        assert_eq!(code(&with_header(&c["headers"], name, None), now), Code::SignMissing, "{name} absent");
        assert_eq!(code(&with_header(&c["headers"], name, Some("")), now), Code::SignMissing, "{name} empty");
    }
    let probe = with_header(
        &c["headers"],
        verify::SIGNATURE,
        Some("WECHATPAY/SIGNTEST/9ZyOXcV0JXhaj7CSL2aQvZ6ezIwkm0FkkUxDtUJz58HVHqf1Nv6Td8Tg1xq8YXVmr4xv"),
    );
    assert_eq!(code(&probe, now), Code::SignMismatch);
    let ts = c["timestamp"].as_i64().unwrap();
    assert_eq!(code(&headers(&c["headers"]), ts + 301), Code::TimestampSkew);
    assert_eq!(code(&headers(&c["headers"]), ts - 301), Code::TimestampSkew);
    assert!(verify::prepare(body, &headers(&c["headers"]), ts + 300, 300, has).is_ok());
    assert!(verify::prepare(body, &headers(&c["headers"]), ts - 300, 300, has).is_ok());
    assert_eq!(code(&with_header(&c["headers"], verify::SERIAL, Some("PUB_KEY_ID_0000")), now), Code::UnknownSerial);
    assert_eq!(code(&with_header(&c["headers"], verify::SIGNATURE, Some("%%%")), now), Code::SignMismatch);
    // Lower-case and mixed-case names, and an extra copy with the same value, are fine.
    let mut pairs: Vec<(String, String)> =
        c["headers"].as_array().unwrap().iter().map(|p| (s(&p[0]).to_lowercase(), s(&p[1]).to_owned())).collect();
    pairs.push(("WECHATPAY-SERIAL".into(), serial.into()));
    assert!(verify::prepare(body, &verify::Headers::from_pairs(pairs.clone()).unwrap(), now, 300, has).is_ok());
    pairs.push(("wechatpay-serial".into(), "OTHER".into()));
    assert_eq!(verify::Headers::from_pairs(pairs).unwrap_err().code, Code::DuplicateField);
}

#[test]
fn bad_pems_are_invalid_param_and_never_echo_the_key() {
    let g = generated();
    let pkcs8 = s(&g["keys"]["merchant"]["private_pkcs8"]);
    let body_line = pkcs8.lines().nth(3).unwrap();
    let truncated: String = pkcs8.lines().take(6).chain(["-----END PRIVATE KEY-----"]).collect::<Vec<_>>().join("\n");
    let bad_b64 = pkcs8.replacen(body_line, &format!("{}!", &body_line[1..]), 1);
    let cert = s(&g["certificates"]["platform"]["pem"]);
    let cases: Vec<(&str, String)> = vec![
        ("empty", String::new()),
        ("garbage", "hello".into()),
        ("EC key", s(&g["bad_keys"]["ec_pkcs8"]).into()),
        ("encrypted key", s(&g["bad_keys"]["encrypted_pkcs8"]).into()),
        ("legacy encrypted", "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n".into()),
        ("truncated", truncated),
        ("bad base64", bad_b64),
        ("no END", pkcs8.replace("-----END PRIVATE KEY-----", "")),
        ("certificate as private key", cert.into()),
        ("public key as private key", s(&g["keys"]["merchant"]["public_spki"]).into()),
    ];
    for (what, pem) in &cases {
        let e: WxError = keys::private_key_pkcs8_der(pem).unwrap_err();
        assert_eq!(e.code, Code::InvalidParam, "{what}: {}", e.message);
        assert!(!e.message.contains(body_line) && !e.message.contains(&body_line[..20]), "{what} echoes key material");
        assert!(keys::private_key_pkcs8_der(pkcs8).is_ok(), "good call after {what}");
    }
    for (what, pem) in [
        ("EC public", s(&g["bad_keys"]["ec_public"])),
        ("private as public", pkcs8),
        ("garbage", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"),
    ] {
        let e = keys::public_key_spki_der(pem).unwrap_err();
        assert_eq!(e.code, Code::InvalidParam, "{what}: {}", e.message);
    }
    assert_eq!(keys::certificate_info(b"\x30\x03\x02\x01\x01").unwrap_err().code, Code::InvalidParam);
    assert_eq!(
        keys::certificate_info(s(&g["keys"]["merchant"]["public_spki"]).as_bytes()).unwrap_err().code,
        Code::InvalidParam
    );
    let huge = "A".repeat(keys::MAX_PEM_BYTES + 1);
    assert_eq!(keys::private_key_pkcs8_der(&huge).unwrap_err().code, Code::InputTooLarge);
}

#[test]
fn certificates_responses_that_must_be_refused() {
    let g = generated();
    let key = k(&g);
    for bad in ["", "{}", "{\"data\":[]}", "{\"data\":{}}", "{\"data\":[1]}", "{\"data\":[{\"serial_no\":\"A\"}]}"] {
        let code = certs::parse_certificates(bad.as_bytes(), &key).unwrap_err().code;
        assert!(code == Code::InvalidJson, "{bad}: {code:?}");
    }
    let body = s(&g["certificates_response"]["body"]);
    assert_eq!(
        certs::parse_certificates(body.as_bytes(), s(&g["other_api_v3_key"]).as_bytes()).unwrap_err().code,
        Code::DecryptFailed
    );
    let mut v: Value = serde_json::from_str(body).unwrap();
    let first = v["data"][0].clone();
    v["data"].as_array_mut().unwrap().push(first);
    assert_eq!(certs::parse_certificates(v.to_string().as_bytes(), &key).unwrap_err().code, Code::DuplicateField);
    assert_eq!(certs::parse_certificates(body.as_bytes(), &key).unwrap().len(), 2);
}

#[test]
fn builders_validate_fields() {
    let ok = json!({"appid": "wxd678efh567hg6787", "mchid": "1230000109", "description": "Image形象店-深圳腾大-QQ公仔", "out_trade_no": "1217752501201407033233368018",
        "notify_url": "https://www.weixin.qq.com/wxpay/pay.php", "amount": {"total": 100, "currency": "CNY"}, "payer": {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}});
    let r = builders::jsapi(&ok.to_string()).unwrap();
    assert_eq!((r.method, r.url.as_str()), ("POST", "/v3/pay/transactions/jsapi"));
    assert_eq!(serde_json::from_str::<Value>(&r.body).unwrap(), ok);
    let code = |f: &dyn Fn(&mut Value)| {
        let mut v = ok.clone();
        f(&mut v);
        let e = builders::jsapi(&v.to_string()).unwrap_err();
        assert!(builders::jsapi(&ok.to_string()).is_ok());
        (e.code, e.field.unwrap_or_default())
    };
    assert_eq!(
        code(&|v| {
            v.as_object_mut().unwrap().remove("payer");
        }),
        (Code::MissingField, "payer".into())
    );
    assert_eq!(code(&|v| v["amount"]["total"] = json!(0)), (Code::InvalidField, "amount.total".into()));
    assert_eq!(code(&|v| v["amount"]["total"] = json!(1.5)), (Code::InvalidField, "amount.total".into()));
    assert_eq!(code(&|v| v["amount"]["total"] = json!("100")), (Code::InvalidField, "amount.total".into()));
    assert_eq!(code(&|v| v["amount"]["currency"] = json!("USD")), (Code::InvalidField, "amount.currency".into()));
    assert_eq!(code(&|v| v["notify_url"] = json!("http://example.com/n")), (Code::InvalidField, "notify_url".into()));
    assert_eq!(
        code(&|v| v["notify_url"] = json!("https://example.com/n?x=1")),
        (Code::InvalidField, "notify_url".into())
    );
    assert_eq!(code(&|v| v["out_trade_no"] = json!("12345")), (Code::InvalidField, "out_trade_no".into()));
    assert_eq!(code(&|v| v["out_trade_no"] = json!("1234567/../x")), (Code::InvalidField, "out_trade_no".into()));
    assert_eq!(code(&|v| v["description"] = json!("x".repeat(128))), (Code::InvalidField, "description".into()));
    assert_eq!(code(&|v| v["notifyUrl"] = json!("https://x")), (Code::InvalidField, "notifyUrl".into()));
    assert_eq!(code(&|v| v["payer"]["open_id"] = json!("x")), (Code::InvalidField, "payer.open_id".into()));
    assert_eq!(code(&|v| v["mchid"] = json!("12a")), (Code::InvalidField, "mchid".into()));
    assert_eq!(code(&|v| v["payer"]["openid"] = json!("")), (Code::MissingField, "payer.openid".into()));
    assert_eq!(builders::jsapi("not json").unwrap_err().code, Code::InvalidJson);

    let q = builders::query_by_out_trade_no(r#"{"out_trade_no":"abc|12*3","mchid":"1230000109"}"#).unwrap();
    assert_eq!(
        (q.method, q.url.as_str(), q.body.as_str()),
        ("GET", "/v3/pay/transactions/out-trade-no/abc%7C12*3?mchid=1230000109", "")
    );
    let q = builders::query_by_id(r#"{"transaction_id":"1217752501201407033233368018","mchid":"1230000109"}"#).unwrap();
    assert_eq!(q.url, "/v3/pay/transactions/id/1217752501201407033233368018?mchid=1230000109");
    assert_eq!(
        builders::query_by_id(r#"{"transaction_id":"12/../34","mchid":"1"}"#).unwrap_err().code,
        Code::InvalidField
    );
    let c = builders::close(r#"{"out_trade_no":"1217752501201407033233368018","mchid":"1230000109"}"#).unwrap();
    assert_eq!(
        (c.method, c.url.as_str(), c.body.as_str()),
        ("POST", "/v3/pay/transactions/out-trade-no/1217752501201407033233368018/close", r#"{"mchid":"1230000109"}"#)
    );
    let rf = builders::refund(r#"{"out_trade_no":"1217752501201407033233368018","out_refund_no":"R@1","amount":{"refund":1,"total":100,"currency":"CNY"}}"#).unwrap();
    assert_eq!((rf.method, rf.url.as_str()), ("POST", "/v3/refund/domestic/refunds"));
    assert_eq!(
        builders::refund(r#"{"out_refund_no":"R1","amount":{"refund":1,"total":100,"currency":"CNY"}}"#)
            .unwrap_err()
            .code,
        Code::MissingField
    );
    assert_eq!(builders::refund(r#"{"transaction_id":"1","out_trade_no":"123456","out_refund_no":"R1","amount":{"refund":1,"total":100,"currency":"CNY"}}"#).unwrap_err().code, Code::InvalidField);
    assert_eq!(
        builders::refund(
            r#"{"out_trade_no":"123456","out_refund_no":"R1","amount":{"refund":101,"total":100,"currency":"CNY"}}"#
        )
        .unwrap_err()
        .field
        .as_deref(),
        Some("amount.refund")
    );
    assert_eq!(
        builders::refund(r#"{"out_trade_no":"123456","out_refund_no":"R1","amount":{"refund":1,"total":100}}"#)
            .unwrap_err()
            .code,
        Code::MissingField
    );
    let rq = builders::refund_query(r#"{"out_refund_no":"R@1"}"#).unwrap();
    assert_eq!((rq.method, rq.url.as_str()), ("GET", "/v3/refund/domestic/refunds/R%401"));
    // Every URL a builder makes is one auth::message accepts.
    for r in [q, c, rf, rq, r] {
        assert!(wxpay_wasm::v3::auth::message(r.method, &r.url, "1", "n", &r.body).is_ok());
    }
}

#[cfg(feature = "native-rsa")]
mod signed {
    use super::*;
    use wxpay_wasm::v3::sign::{self, RsaSigner, RsaVerifier, Signer, Verifier};

    /// Re-signs `body` as WeChat would with the fixture key `signer`, at the case's time and nonce.
    fn resign(g: &Value, c: &Value, body: &str, signer: &str) -> verify::Headers {
        let key = RsaSigner::from_pem(s(&g["keys"][signer]["private_pkcs8"])).unwrap();
        let msg = format!("{}\n{}\n{}\n", c["timestamp"], s(&c["nonce"]), body);
        let sig = wxpay_wasm::core::base64::encode(&key.sign_sha256_rsa(msg.as_bytes()).unwrap());
        with_header(&c["headers"], verify::SIGNATURE, Some(&sig))
    }

    struct Keys(Vec<(String, RsaVerifier)>);
    impl Keys {
        fn of(g: &Value) -> Keys {
            Keys(vec![
                (
                    s(&g["certificates"]["platform"]["serial"]).to_owned(),
                    RsaVerifier::from_pem(s(&g["certificates"]["platform"]["pem"])).unwrap(),
                ),
                (
                    s(&g["pub_key_id"]).to_owned(),
                    RsaVerifier::from_pem(s(&g["keys"]["pubkey"]["public_spki"])).unwrap(),
                ),
            ])
        }
        fn get(&self, serial: &str) -> Option<&dyn Verifier> {
            self.0.iter().find(|(s, _)| s == serial).map(|(_, v)| v as &dyn Verifier)
        }
    }

    fn verify_code(g: &Value, keys: &Keys, body: &str, h: &verify::Headers, now: i64) -> Code {
        let r = sign::verify_signature(|x| keys.get(x), body.as_bytes(), h, now, 300);
        let good = &g["callbacks"][0];
        sign::verify_signature(
            |x| keys.get(x),
            s(&good["body"]).as_bytes(),
            &headers(&good["headers"]),
            g["now"].as_i64().unwrap(),
            300,
        )
        .expect("a good call after a bad one");
        r.map(|_| ()).unwrap_err().code
    }

    #[test]
    fn signatures_that_must_fail() {
        let g = generated();
        let keys = Keys::of(&g);
        let now = g["now"].as_i64().unwrap();
        let c = &g["callbacks"][0];
        let body = s(&c["body"]);
        // The body changed after signing (one byte, a re-serialisation, a trailing newline).
        let changed = body.replacen("EV-", "EW-", 1);
        assert_eq!(verify_code(&g, &keys, &changed, &headers(&c["headers"]), now), Code::SignMismatch);
        let reserialised = serde_json::to_string_pretty(&serde_json::from_str::<Value>(body).unwrap()).unwrap();
        assert_eq!(verify_code(&g, &keys, &reserialised, &headers(&c["headers"]), now), Code::SignMismatch);
        assert_eq!(verify_code(&g, &keys, &format!("{body}\n"), &headers(&c["headers"]), now), Code::SignMismatch);
        // Another key under the right serial.
        assert_eq!(verify_code(&g, &keys, body, &resign(&g, c, body, "other"), now), Code::SignMismatch);
        // The certificate's key under the public key's id (and the reverse).
        let pk = &g["callbacks"][1];
        let cert_signed = resign(&g, pk, s(&pk["body"]), "platform");
        assert_eq!(verify_code(&g, &keys, s(&pk["body"]), &cert_signed, now), Code::SignMismatch);
        assert_eq!(verify_code(&g, &keys, body, &resign(&g, c, body, "pubkey"), now), Code::SignMismatch);
        // A truncated or padded signature.
        let sig = s(&c["signature"]);
        let short = wxpay_wasm::core::base64::encode(&wxpay_wasm::core::base64::decode(sig).unwrap()[..255]);
        assert_eq!(
            verify_code(&g, &keys, body, &with_header(&c["headers"], verify::SIGNATURE, Some(&short)), now),
            Code::SignMismatch
        );
        // Unknown serial, skew, probes and missing headers reach the same codes through verify_signature.
        assert_eq!(
            verify_code(&g, &keys, body, &with_header(&c["headers"], verify::SERIAL, Some("ABCDEF")), now),
            Code::UnknownSerial
        );
        assert_eq!(verify_code(&g, &keys, body, &headers(&c["headers"]), now + 311), Code::TimestampSkew);
        assert_eq!(
            verify_code(
                &g,
                &keys,
                body,
                &with_header(&c["headers"], verify::SIGNATURE, Some("WECHATPAY/SIGNTEST/abc")),
                now
            ),
            Code::SignMismatch
        );
        assert_eq!(
            verify_code(&g, &keys, body, &with_header(&c["headers"], verify::NONCE, None), now),
            Code::SignMissing
        );
    }

    #[test]
    fn tampered_ciphertext_under_a_valid_signature() {
        let g = generated();
        let keys = Keys::of(&g);
        let now = g["now"].as_i64().unwrap();
        let c = &g["callbacks"][0];
        for (what, f) in [
            (
                "ciphertext",
                Box::new(|r: &mut serde_json::Map<String, Value>| {
                    let t = flip_b64(r["ciphertext"].as_str().unwrap(), 3);
                    r.insert("ciphertext".into(), t.into());
                }) as Box<dyn Fn(&mut serde_json::Map<String, Value>)>,
            ),
            (
                "tag",
                Box::new(|r: &mut serde_json::Map<String, Value>| {
                    let t = flip_b64(r["ciphertext"].as_str().unwrap(), usize::MAX);
                    r.insert("ciphertext".into(), t.into());
                }),
            ),
            (
                "nonce",
                Box::new(|r: &mut serde_json::Map<String, Value>| {
                    r.insert("nonce".into(), "XXXXXXXXXXXX".into());
                }),
            ),
            (
                "associated_data",
                Box::new(|r: &mut serde_json::Map<String, Value>| {
                    r.insert("associated_data".into(), "certificate".into());
                }),
            ),
        ] {
            let body = edit_resource(s(&c["body"]), f);
            let h = resign(&g, c, &body, "platform");
            sign::verify_signature(|x| keys.get(x), body.as_bytes(), &h, now, 300)
                .unwrap_or_else(|e| panic!("{what}: the re-signed body must verify: {e}"));
            assert_eq!(decrypt_code(&g, &body, &k(&g), &full_expect(c)), Code::DecryptFailed, "{what}");
        }
    }

    #[test]
    fn signer_refuses_bad_keys() {
        let g = generated();
        assert_eq!(RsaSigner::from_pem(s(&g["bad_keys"]["ec_pkcs8"])).err().unwrap().code, Code::InvalidParam);
        assert_eq!(RsaVerifier::from_pem(s(&g["bad_keys"]["ec_public"])).err().unwrap().code, Code::InvalidParam);
        assert!(RsaSigner::from_pem(s(&g["keys"]["merchant"]["private_pkcs1"])).is_ok());
    }
}
