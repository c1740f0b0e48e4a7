//! Differential: 1,000 generated requests and 1,000 generated responses/callbacks (Unicode
//! bodies, random header capitalisation, certificate and public-key mode) against Node's
//! `node:crypto`, both ways: our Authorization signatures must verify in Node over the message
//! Node builds itself, and Node's response signatures must verify here. Needs `node` on PATH
//! (it is, for `make test`) and `--features native-rsa`.
#![cfg(all(not(target_arch = "wasm32"), feature = "native-rsa"))]

#[path = "support/v3.rs"]
mod fx;

use std::io::Write;
use std::process::{Command, Stdio};

use fx::{generated, s};
use serde_json::{json, Value};
use wxpay_wasm::v3::sign::{self, RsaSigner, RsaVerifier, Verifier};
use wxpay_wasm::v3::{auth, verify};
use wxpay_wasm::Code;

/// xorshift64*: reproducible cases without a dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const PIECES: [&str; 12] =
    ["{\"a\":", "1", "\"微信支付\"", "😀", " ", "\n", "\\\"", "ünï", "}", "[1,2]", "\t", "prepay_id"];
const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

fn body(r: &mut Rng) -> String {
    (0..r.below(40)).map(|_| PIECES[r.below(PIECES.len())]).collect()
}

fn nonce(r: &mut Rng) -> String {
    (0..1 + r.below(32)).map(|_| ALNUM[r.below(ALNUM.len())] as char).collect()
}

fn cased(r: &mut Rng, name: &str) -> String {
    name.chars().map(|c| if r.below(2) == 0 { c.to_ascii_lowercase() } else { c.to_ascii_uppercase() }).collect()
}

const NODE: &str = r#"
const crypto = require('node:crypto');
let input = '';
process.stdin.on('data', (d) => (input += d));
process.stdin.on('end', () => {
  const { merchantPublic, signers, requests, responses } = JSON.parse(input);
  const pub = crypto.createPublicKey(merchantPublic);
  const ok = requests.map((q) => crypto.verify('sha256', Buffer.from(`${q.method}\n${q.url}\n${q.timestamp}\n${q.nonce}\n${q.body}\n`), pub, Buffer.from(q.signature, 'base64')));
  const keys = Object.fromEntries(Object.entries(signers).map(([k, pem]) => [k, crypto.createPrivateKey(pem)]));
  const sigs = responses.map((p) => crypto.sign('sha256', Buffer.from(`${p.timestamp}\n${p.nonce}\n${p.body}\n`), keys[p.signer]).toString('base64'));
  process.stdout.write(JSON.stringify({ ok, sigs }));
});
"#;

#[test]
// One differential run against node:crypto, its cases written out in order: longer than 80 lines by design.
#[allow(clippy::too_many_lines)]
fn against_node_crypto_both_ways() {
    let g = generated();
    let now = g["now"].as_i64().unwrap();
    let merchant = RsaSigner::from_pem(s(&g["keys"]["merchant"]["private_pkcs1"])).unwrap();
    let serial = s(&g["certificates"]["merchant"]["serial"]);
    let mut r = Rng(0x5EED_1234_ABCD_0001);
    let urls = [
        "/v3/pay/transactions/jsapi",
        "/v3/refund/domestic/refunds",
        "/v3/pay/transactions/id/4200000001?mchid=1900000109",
        "/v3/certificates",
        "/v3/x?a=%E4%B8%AD&b=1",
    ];
    let methods = ["POST", "PUT", "PATCH", "DELETE", "GET"];

    let mut requests = Vec::new();
    for _ in 0..1000 {
        let method = methods[r.below(methods.len())];
        let body = if method == "GET" { String::new() } else { body(&mut r) };
        let (url, ts, nonce) = (urls[r.below(urls.len())], (now + r.below(1000) as i64).to_string(), nonce(&mut r));
        let header = sign::authorization(&merchant, "1900000109", serial, method, url, &body, &ts, &nonce).unwrap();
        let signature = auth::parse_header(&header).unwrap().signature;
        requests.push(json!({"method": method, "url": url, "timestamp": ts, "nonce": nonce, "body": body, "signature": signature}));
    }
    let modes = [
        ("platform", s(&g["certificates"]["platform"]["serial"]).to_owned()),
        ("pubkey", s(&g["pub_key_id"]).to_owned()),
    ];
    let mut responses = Vec::new();
    for _ in 0..1000 {
        let (signer, serial) = &modes[r.below(2)];
        let ts = now - 300 + r.below(601) as i64;
        responses.push(json!({"signer": signer, "serial": serial, "timestamp": ts.to_string(), "nonce": nonce(&mut r), "body": body(&mut r)}));
    }
    let input = json!({
        "merchantPublic": s(&g["keys"]["merchant"]["public_spki"]),
        "signers": {"platform": s(&g["keys"]["platform"]["private_pkcs8"]), "pubkey": s(&g["keys"]["pubkey"]["private_pkcs1"])},
        "requests": requests, "responses": responses,
    });

    let mut child = Command::new("node")
        .arg("-e")
        .arg(NODE)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node on PATH");
    child.stdin.take().unwrap().write_all(input.to_string().as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "node failed");
    let res: Value = serde_json::from_slice(&out.stdout).unwrap();

    let ok = res["ok"].as_array().unwrap();
    assert_eq!(ok.len(), 1000);
    assert!(ok.iter().all(|v| v == &Value::Bool(true)), "node:crypto rejected one of our Authorization signatures");

    let platform = RsaVerifier::from_pem(s(&g["certificates"]["platform"]["pem"])).unwrap();
    let pubkey = RsaVerifier::from_pem(s(&g["keys"]["pubkey"]["public_spki"])).unwrap();
    let lookup = |x: &str| -> Option<&dyn Verifier> {
        if x == modes[0].1 {
            Some(&platform)
        } else if x == modes[1].1 {
            Some(&pubkey)
        } else {
            None
        }
    };
    let sigs = res["sigs"].as_array().unwrap();
    for (p, sig) in responses.iter().zip(sigs) {
        let pairs = [
            (cased(&mut r, verify::TIMESTAMP), s(&p["timestamp"]).to_owned()),
            (cased(&mut r, verify::NONCE), s(&p["nonce"]).to_owned()),
            (cased(&mut r, verify::SIGNATURE), s(sig).to_owned()),
            (cased(&mut r, verify::SERIAL), s(&p["serial"]).to_owned()),
        ];
        let h = verify::Headers::from_pairs(pairs.clone()).unwrap();
        let body = s(&p["body"]);
        let got =
            sign::verify_signature(lookup, body.as_bytes(), &h, now, 300).unwrap_or_else(|e| panic!("{e} for {p}"));
        assert_eq!(got.serial, s(&p["serial"]));
        // One more byte, or the other mode's serial, must fail.
        assert_eq!(
            sign::verify_signature(lookup, format!("{body} ").as_bytes(), &h, now, 300).unwrap_err().code,
            Code::SignMismatch
        );
        let mut swapped = pairs;
        swapped[3].1 = if s(&p["serial"]) == modes[0].1 { modes[1].1.clone() } else { modes[0].1.clone() };
        let h2 = verify::Headers::from_pairs(swapped).unwrap();
        assert_eq!(
            sign::verify_signature(lookup, body.as_bytes(), &h2, now, 300).unwrap_err().code,
            Code::SignMismatch
        );
    }
}
