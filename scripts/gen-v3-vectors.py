#!/usr/bin/env python3
"""Regenerates tests/fixtures/v3/generated.json, the WeChat Pay API v3 vectors computed by an
independent implementation (Python 3.11 + `cryptography`), never by the code under test.

The fixture is committed and the test suites only READ it; run this script only to add cases:

    python3 scripts/gen-v3-vectors.py            # reuses the RSA keys already in the fixture
    python3 scripts/gen-v3-vectors.py --new-keys # draws fresh keys (every signature changes)

Everything except the keys and the OAEP ciphertexts is deterministic: RSASSA-PKCS1-v1_5 has no
randomness, AES-GCM nonces are fixed per case, the certificates have fixed dates and serials. RSA
keys are drawn once and stored in the fixture (PKCS#8 and PKCS#1 PEMs) so reruns reproduce the same
file. OAEP is randomised, so its cases store plaintext and ciphertext and the tests check decryption.
"""
import base64
import datetime
import json
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.x509.oid import NameOID

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "fixtures", "v3", "generated.json")

MCHID = "1900000109"
APPID = "wxd678efh567hg6787"
API_V3_KEY = "0123456789abcdefABCDEF0123456789"  # 32 ASCII bytes, as WeChat's console issues it
OTHER_API_V3_KEY = "ZYXWVUTSRQPONMLKJIHGFEDCBA987654"
PLATFORM_SERIAL = 0x5157F09EFDC096DE15EBE81A47057A7232F1B8E1
PLATFORM2_SERIAL = 0x3775B6A45ACD588826D15E583A95F5DD2A2D2C2D
MERCHANT_SERIAL = 0x1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C
PUB_KEY_ID = "PUB_KEY_ID_0114232134912410000000000000000001"
NOW = 1735689600  # 2025-01-01T00:00:00Z, the `now` every signed case is checked at

b64 = lambda b: base64.b64encode(b).decode()


def pem_pkcs8(k):
    return k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()


def pem_pkcs1(k):
    return k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()).decode()


def pub_spki(k):
    return k.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def pub_pkcs1(k):
    return k.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1).decode()


def spki_der(k):
    return b64(k.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo))


def sign(k, msg: bytes):
    return b64(k.sign(msg, padding.PKCS1v15(), hashes.SHA256()))


def load_or_new_keys(new):
    names = ["merchant", "platform", "platform2", "pubkey", "other"]
    if not new and os.path.exists(OUT):
        old = json.load(open(OUT))["keys"]
        return {n: serialization.load_pem_private_key(old[n]["private_pkcs8"].encode(), None) for n in names}
    return {n: rsa.generate_private_key(public_exponent=65537, key_size=2048) for n in names}


def cert(key, serial, cn, not_before, not_after):
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"), x509.NameAttribute(NameOID.ORGANIZATION_NAME, "wxpay-wasm test"), x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    c = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .sign(key, hashes.SHA256())
    )
    return c.public_bytes(serialization.Encoding.PEM).decode()


def utc(*a):
    return datetime.datetime(*a, tzinfo=datetime.timezone.utc)


def aead(key: str, nonce: str, aad: str, plaintext: bytes):
    return b64(AESGCM(key.encode()).encrypt(nonce.encode(), plaintext, aad.encode()))


def compact(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def main():
    keys = load_or_new_keys("--new-keys" in sys.argv)
    out = {"_about": __doc__.strip().splitlines()[0] + " See scripts/gen-v3-vectors.py.", "now": NOW, "mchid": MCHID, "appid": APPID, "api_v3_key": API_V3_KEY, "other_api_v3_key": OTHER_API_V3_KEY}

    k = {}
    for n, key in keys.items():
        k[n] = {"private_pkcs8": pem_pkcs8(key), "private_pkcs1": pem_pkcs1(key), "public_spki": pub_spki(key.public_key()), "public_pkcs1": pub_pkcs1(key.public_key()), "spki_der_b64": spki_der(key.public_key())}
    out["keys"] = k
    nb, na = utc(2024, 1, 1), utc(2029, 1, 1)
    out["certificates"] = {
        "platform": {"serial": format(PLATFORM_SERIAL, "X"), "pem": cert(keys["platform"], PLATFORM_SERIAL, "Tenpay.com Root CA test", nb, na), "key": "platform", "not_before_unix": int(nb.timestamp()), "not_after_unix": int(na.timestamp())},
        "platform2": {"serial": format(PLATFORM2_SERIAL, "X"), "pem": cert(keys["platform2"], PLATFORM2_SERIAL, "Tenpay.com Root CA test 2", utc(2024, 6, 1), utc(2029, 6, 1)), "key": "platform2", "not_before_unix": int(utc(2024, 6, 1).timestamp()), "not_after_unix": int(utc(2029, 6, 1).timestamp())},
        "merchant": {"serial": format(MERCHANT_SERIAL, "X"), "pem": cert(keys["merchant"], MERCHANT_SERIAL, MCHID, nb, na), "key": "merchant", "not_before_unix": int(nb.timestamp()), "not_after_unix": int(na.timestamp())},
    }
    out["pub_key_id"] = PUB_KEY_ID
    # Key material that must be refused (INVALID_PARAM).
    eck = ec.generate_private_key(ec.SECP256R1()) if "--new-keys" in sys.argv or not os.path.exists(OUT) else serialization.load_pem_private_key(json.load(open(OUT))["bad_keys"]["ec_pkcs8"].encode(), None)
    out["bad_keys"] = {
        "ec_pkcs8": eck.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode(),
        "ec_public": pub_spki(eck.public_key()),
        "encrypted_pkcs8": keys["other"].private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.BestAvailableEncryption(b"secret")).decode() if not os.path.exists(OUT) or "--new-keys" in sys.argv else json.load(open(OUT))["bad_keys"]["encrypted_pkcs8"],
    }

    # Authorization: message = METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n signed with the merchant key.
    auth = []
    reqs = [
        ("POST", "/v3/pay/transactions/jsapi", compact({"appid": APPID, "mchid": MCHID, "description": "Image形象店-深圳腾大-QQ公仔", "out_trade_no": "1217752501201407033233368018", "notify_url": "https://www.weixin.qq.com/wxpay/pay.php", "amount": {"total": 100, "currency": "CNY"}, "payer": {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}})),
        ("GET", "/v3/pay/transactions/out-trade-no/1217752501201407033233368018?mchid=" + MCHID, ""),
        ("GET", "/v3/certificates", ""),
        ("POST", "/v3/pay/transactions/out-trade-no/1217752501201407033233368018/close", compact({"mchid": MCHID})),
        ("POST", "/v3/refund/domestic/refunds", compact({"out_trade_no": "1217752501201407033233368018", "out_refund_no": "1217752501201407033233368019", "amount": {"refund": 1, "total": 100, "currency": "CNY"}})),
        ("GET", "/v3/refund/domestic/refunds/1217752501201407033233368019", ""),
        ("PUT", "/v3/merchant-service/complaints-v2/200201820200101080076610000/response", compact({"complainted_mchid": MCHID, "response_content": "已与用户沟通解决"})),
        ("PATCH", "/v3/marketing/favor/stocks/9856000?x=1&y=%E4%B8%AD", compact({"a": "b"})),
        ("DELETE", "/v3/merchant-service/complaint-notifications", ""),
    ]
    for i, (m, url, body) in enumerate(reqs):
        ts, nonce = str(NOW + i), f"593BEC0C930BF1AFEB40B4A08C8FB2{i:02d}"
        msg = f"{m}\n{url}\n{ts}\n{nonce}\n{body}\n"
        s = sign(keys["merchant"], msg.encode())
        auth.append({"method": m, "url": url, "timestamp": ts, "nonce": nonce, "body": body, "message": msg, "signature": s,
                     "header": f'WECHATPAY2-SHA256-RSA2048 mchid="{MCHID}",nonce_str="{nonce}",timestamp="{ts}",serial_no="{format(MERCHANT_SERIAL, "X")}",signature="{s}"'})
    out["authorization"] = auth

    # Responses and callbacks: message = TIMESTAMP\nNONCE\nBODY\n over the raw bytes.
    def signed(body: str, signer: str, serial: str, ts: int, nonce: str, header_case: str):
        msg = f"{ts}\n{nonce}\n{body}\n"
        names = {"canonical": ["Wechatpay-Timestamp", "Wechatpay-Nonce", "Wechatpay-Signature", "Wechatpay-Serial"], "lower": ["wechatpay-timestamp", "wechatpay-nonce", "wechatpay-signature", "wechatpay-serial"], "upper": ["WECHATPAY-TIMESTAMP", "WECHATPAY-NONCE", "WECHATPAY-SIGNATURE", "WECHATPAY-SERIAL"]}[header_case]
        s = sign(keys[signer], msg.encode())
        return {"body": body, "signer": signer, "serial": serial, "timestamp": ts, "nonce": nonce, "message": msg, "signature": s,
                "headers": [[names[0], str(ts)], [names[1], nonce], [names[2], s], [names[3], serial], ["Content-Type", "application/json"]]}

    plat = format(PLATFORM_SERIAL, "X")
    out["responses"] = [
        signed(compact({"prepay_id": "wx201410272009395522657a690389285100"}), "platform", plat, NOW, "c5ac7061fccab6bf3e254dcf98995b8c", "canonical"),
        signed("", "platform", plat, NOW - 299, "2d4be8e6b2c3e5a7f0e2c0c5e1a4b3c9", "lower"),
        signed(compact({"code": "ORDER_NOT_EXIST", "message": "订单不存在"}), "pubkey", PUB_KEY_ID, NOW + 299, "a1", "upper"),
        signed('{ "spaced" : "json",\n "emoji": "😀", "cjk": "微信支付" }', "pubkey", PUB_KEY_ID, NOW, "N0nce-With_Mixed.Chars", "lower"),
        signed(compact({"mchid": MCHID}), "platform2", format(PLATFORM2_SERIAL, "X"), NOW + 1, "x" * 32, "canonical"),
    ]

    # Callbacks: encrypted resource, signed envelope.
    def callback(cid, event, summary, original_type, plaintext_obj, nonce, signer, serial, header_case, aad):
        pt = compact(plaintext_obj)
        resource = {"original_type": original_type, "algorithm": "AEAD_AES_256_GCM", "ciphertext": aead(API_V3_KEY, nonce, aad, pt.encode()), "associated_data": aad, "nonce": nonce}
        body = compact({"id": cid, "create_time": "2025-01-01T08:00:00+08:00", "resource_type": "encrypt-resource", "event_type": event, "summary": summary, "resource": resource})
        c = signed(body, signer, serial, NOW - 10, "fdasflkja484w", header_case)
        c.update({"plaintext": pt, "event_type": event})
        return c

    txn = {"mchid": MCHID, "appid": APPID, "out_trade_no": "1217752501201407033233368018", "transaction_id": "1217752501201407033233368018", "trade_type": "JSAPI", "trade_state": "SUCCESS", "trade_state_desc": "支付成功", "bank_type": "CMC", "attach": "自定义数据", "success_time": "2025-01-01T07:59:50+08:00", "payer": {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}, "amount": {"total": 100, "payer_total": 100, "currency": "CNY", "payer_currency": "CNY"}}
    refund = {"mchid": MCHID, "out_trade_no": "1217752501201407033233368018", "transaction_id": "1217752501201407033233368018", "out_refund_no": "1217752501201407033233368019", "refund_id": "50000000382019052709732678859", "refund_status": "SUCCESS", "success_time": "2025-01-01T07:59:55+08:00", "user_received_account": "招商银行信用卡0403", "amount": {"total": 100, "refund": 1, "payer_total": 100, "payer_refund": 1}}
    notpaid = dict(txn, trade_state="NOTPAY", trade_state_desc="未支付")
    out["callbacks"] = [
        dict(callback("EV-2018022511223320873", "TRANSACTION.SUCCESS", "支付成功", "transaction", txn, "fdasflkja484", "platform", plat, "canonical", "transaction"), paid=True,
             expect={"appid": APPID, "mchid": MCHID, "out_trade_no": txn["out_trade_no"], "total": 100}),
        dict(callback("EV-2018022511223320874", "TRANSACTION.SUCCESS", "支付成功", "transaction", txn, "0123456789ab", "pubkey", PUB_KEY_ID, "lower", ""), paid=True,
             expect={"appid": APPID, "mchid": MCHID, "out_trade_no": txn["out_trade_no"], "total": 100}),
        dict(callback("EV-2018022511223320875", "REFUND.SUCCESS", "退款成功", "refund", refund, "refundnonce1", "platform", plat, "lower", "refund"), paid=False,
             expect={"mchid": MCHID, "out_trade_no": refund["out_trade_no"], "total": 100}),
        dict(callback("EV-2018022511223320876", "TRANSACTION.SUCCESS", "支付成功", "transaction", notpaid, "notpaidnonce", "pubkey", PUB_KEY_ID, "upper", "transaction"), paid=False,
             expect={"appid": APPID, "mchid": MCHID, "out_trade_no": txn["out_trade_no"], "total": 100}),
    ]

    # /v3/certificates response: each certificate AES-GCM encrypted with the APIv3 key, signed by the platform.
    data = []
    for i, name in enumerate(["platform", "platform2"]):
        c = out["certificates"][name]
        nonce, aad = f"certnonce{i:03d}", "certificate"
        data.append({"serial_no": c["serial"], "effective_time": "2024-01-01T08:00:00+08:00" if i == 0 else "2024-06-01T08:00:00+08:00", "expire_time": "2029-01-01T08:00:00+08:00" if i == 0 else "2029-06-01T08:00:00+08:00",
                     "encrypt_certificate": {"algorithm": "AEAD_AES_256_GCM", "nonce": nonce, "associated_data": aad, "ciphertext": aead(API_V3_KEY, nonce, aad, c["pem"].encode())}})
    cbody = compact({"data": data})
    out["certificates_response"] = dict(signed(cbody, "platform", plat, NOW, "certsnonce", "canonical"), certs=[{"serial": d["serial_no"], "pem": out["certificates"][n]["pem"], "effective_time": d["effective_time"], "expire_time": d["expire_time"]} for d, n in zip(data, ["platform", "platform2"])])
    # The same response with platform2's serial_no swapped for another: the check must refuse it.
    bad = json.loads(cbody)
    bad["data"][1]["serial_no"] = "0000000000000000000000000000000000000001"
    out["certificates_response_serial_mismatch"] = compact(bad)

    # Standalone AES-GCM cases (decryptResource).
    out["aead"] = [{"key": API_V3_KEY, "nonce": n, "associated_data": a, "plaintext": p, "ciphertext": aead(API_V3_KEY, n, a, p.encode())}
                   for n, a, p in [("abcdefghijkl", "transaction", '{"a":1}'), ("000000000000", "", ""), ("ZZZZZZZZZZZZ", "中文", "微信支付 plaintext with ünïcödé"), ("nonce1234567", "certificate", "x" * 1000)]]

    # paySign for wx.requestPayment: appId\ntimeStamp\nnonceStr\npackage\n with the merchant key.
    pays = []
    for i, (appid, prepay) in enumerate([(APPID, "wx201410272009395522657a690389285100"), ("wx8888888888888888", "up_wx21201855730335ac86f8c43d1889123400")]):
        ts, nonce = str(NOW + i), f"5K8264ILTKCH16CQ2502SI8ZNMTM67V{i}"
        msg = f"{appid}\n{ts}\n{nonce}\nprepay_id={prepay}\n"
        pays.append({"app_id": appid, "time_stamp": ts, "nonce_str": nonce, "package": "prepay_id=" + prepay, "message": msg, "pay_sign": sign(keys["merchant"], msg.encode())})
    out["pay_sign"] = pays

    # Sensitive fields: RSAES-OAEP SHA-1/MGF1-SHA-1. encrypt: to the platform key; decrypt: with the merchant key.
    if os.path.exists(OUT) and "--new-keys" not in sys.argv and "oaep" in json.load(open(OUT)):
        out["oaep"] = json.load(open(OUT))["oaep"]  # keep the random ciphertexts stable across reruns
    else:
        oaep = padding.OAEP(mgf=padding.MGF1(hashes.SHA1()), algorithm=hashes.SHA1(), label=None)
        out["oaep"] = [{"key": kn, "plaintext": p, "ciphertext": b64(keys[kn].public_key().encrypt(p.encode(), oaep))}
                       for kn, p in [("platform", "张三"), ("platform", "13800138000"), ("merchant", "330100199001011234"), ("pubkey", "zhangsan@example.com")]]

    with open(OUT, "w") as f:
        json.dump(out, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print("wrote", os.path.relpath(OUT, ROOT))


if __name__ == "__main__":
    main()
