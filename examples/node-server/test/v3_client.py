"""An independent WeChat Pay v3 client for the mock: Python's standard library and
`cryptography` only, none of wxpay-wasm's code. Written from WeChat's documented algorithm:
requests signed METHOD\\nURL\\nTIMESTAMP\\nNONCE\\nBODY\\n with SHA256withRSA (PKCS#1 v1.5),
answers verified over TIMESTAMP\\nNONCE\\nBODY\\n with the WeChat Pay public key.

In certificate mode (a mock run with --v3-keys cert) it first downloads GET /v3/certificates,
decrypts the certificate with AES-256-GCM (the APIv3 key, associated_data "certificate"),
checks its X.509 serial against serial_no and the file, and verifies everything after with it.

Usage: python3 v3_client.py MOCK_URL KEYS_DIR OUT_TRADE_NO [pubkey|cert]
Prints one JSON line of what happened; exits 1 when an answer fails verification.
"""
import base64
import json
import os
import secrets
import sys
import time
import urllib.error
import urllib.request

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def load(keys_dir):
    with open(os.path.join(keys_dir, "wechatpay.json"), encoding="utf-8") as f:
        cfg = json.load(f)
    with open(os.path.join(keys_dir, "apiclient_key.pem"), "rb") as f:
        private_key = serialization.load_pem_private_key(f.read(), password=None)
    with open(os.path.join(keys_dir, "pub_key.pem"), "rb") as f:
        public_key = serialization.load_pem_public_key(f.read())
    return cfg, private_key, public_key


def authorization(cfg, private_key, method, url, body, signed_body=None):
    ts = str(int(time.time()))
    nonce = secrets.token_hex(16)
    message = f"{method}\n{url}\n{ts}\n{nonce}\n{body if signed_body is None else signed_body}\n"
    sig = private_key.sign(message.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256())
    return (
        f'WECHATPAY2-SHA256-RSA2048 mchid="{cfg["mchid"]}",nonce_str="{nonce}",'
        f'signature="{base64.b64encode(sig).decode()}",timestamp="{ts}",serial_no="{cfg["serialNo"]}"'
    )


def call(base, cfg, private_key, method, url, body="", signed_body=None):
    req = urllib.request.Request(
        base + url,
        data=body.encode("utf-8") if method == "POST" else None,
        method=method,
        headers={
            "Authorization": authorization(cfg, private_key, method, url, body, signed_body),
            "Content-Type": "application/json",
            "Accept": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(req, timeout=20) as res:
            return res.status, dict(res.headers), res.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode("utf-8")


def verify(public_key, cfg, headers, body, serial=None):
    h = {k.lower(): v for k, v in headers.items()}
    if h.get("wechatpay-serial") != (serial or cfg["publicKeyId"]):
        raise InvalidSignature(f"unexpected Wechatpay-Serial {h.get('wechatpay-serial')}")
    if abs(int(time.time()) - int(h["wechatpay-timestamp"])) > 300:
        raise InvalidSignature("Wechatpay-Timestamp outside 300 s")
    message = f"{h['wechatpay-timestamp']}\n{h['wechatpay-nonce']}\n{body}\n".encode("utf-8")
    public_key.verify(base64.b64decode(h["wechatpay-signature"]), message, padding.PKCS1v15(), hashes.SHA256())


def download_certificate(base, cfg, private_key, keys_dir, out):
    """GET /v3/certificates; the first download is verified with the certificate it carries."""
    status, headers, body = call(base, cfg, private_key, "GET", "/v3/certificates")
    if status != 200:
        raise InvalidSignature(f"/v3/certificates answered {status}: {body}")
    [entry] = json.loads(body)["data"]
    enc = entry["encrypt_certificate"]
    if enc["algorithm"] != "AEAD_AES_256_GCM" or enc["associated_data"] != "certificate":
        raise InvalidSignature(f"unexpected encrypt_certificate {enc}")
    pem = AESGCM(cfg["apiV3Key"].encode("utf-8")).decrypt(
        enc["nonce"].encode("utf-8"), base64.b64decode(enc["ciphertext"]), b"certificate")
    cert = x509.load_pem_x509_certificate(pem)
    serial = format(cert.serial_number, "X")
    if serial != entry["serial_no"] or serial != cfg["platformSerial"]:
        raise InvalidSignature(f"certificate serial {serial}, listed {entry['serial_no']}, config {cfg['platformSerial']}")
    with open(os.path.join(keys_dir, "platform_cert.pem"), "rb") as f:
        out["certificate_matches_file"] = f.read() == pem
    out["certificate_serial"] = serial
    out["validity_days"] = (cert.not_valid_after_utc - cert.not_valid_before_utc).total_seconds() / 86400
    verify(cert.public_key(), cfg, headers, body, serial)
    out["verified"] += 1
    return cert.public_key(), serial


def main():
    base, keys_dir, no = sys.argv[1], sys.argv[2], sys.argv[3]
    mode = sys.argv[4] if len(sys.argv) > 4 else "pubkey"
    cfg, private_key, public_key = load(keys_dir)
    out = {"verified": 0}
    serial = None
    if mode == "cert":
        public_key, serial = download_certificate(base, cfg, private_key, keys_dir, out)

    order = json.dumps({
        "appid": cfg["appid"], "mchid": cfg["mchid"], "description": "python client", "out_trade_no": no,
        "notify_url": "http://127.0.0.1:9/notify", "amount": {"total": 1, "currency": "CNY"},
        "payer": {"openid": "o-python"},
    }, ensure_ascii=False, separators=(",", ":"))
    status, headers, body = call(base, cfg, private_key, "POST", "/v3/pay/transactions/jsapi", order)
    verify(public_key, cfg, headers, body, serial)
    out["verified"] += 1
    out["create"] = status
    out["prepay_id"] = json.loads(body).get("prepay_id")

    status, headers, body = call(base, cfg, private_key, "GET", f"/v3/pay/transactions/out-trade-no/{no}?mchid={cfg['mchid']}")
    verify(public_key, cfg, headers, body, serial)
    out["verified"] += 1
    out["query"] = status
    out["trade_state"] = json.loads(body).get("trade_state")

    # Signed over one body, sent with another: WeChat's 401 SIGN_ERROR, itself signed.
    status, headers, body = call(base, cfg, private_key, "POST", "/v3/pay/transactions/jsapi", order.replace("python client", "changed"), signed_body=order)
    verify(public_key, cfg, headers, body, serial)
    out["verified"] += 1
    out["bad_signature"] = status
    out["bad_code"] = json.loads(body).get("code")

    # The verification above can fail: one changed byte of an answer must not verify.
    try:
        verify(public_key, cfg, headers, body + " ", serial)
        out["tampered_refused"] = False
    except InvalidSignature:
        out["tampered_refused"] = True

    print(json.dumps(out))


if __name__ == "__main__":
    try:
        main()
    except InvalidSignature as e:
        print(f"an answer of the mock failed verification: {e!r}", file=sys.stderr)
        sys.exit(1)
