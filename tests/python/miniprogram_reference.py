#!/usr/bin/env python3
"""An independent reference for wxpay-wasm/miniprogram's cryptography (issue 29), written
from WeChat's description of message push safe mode and virtual payment, with Python's
`cryptography` (AES-256-CBC) and the standard library (hashlib, hmac, base64) only.

  python3 miniprogram_reference.py gen SEED COUNT   cases as JSON on stdout: pushes sealed
                                                    here (the package must open them) and
                                                    xpay signatures (it must agree)
  python3 miniprogram_reference.py open             reads [{token, encodingAESKey, appid,
                                                    query, body}] (replies/pushes the package
                                                    sealed) on stdin; writes what each opens to

Driven by tests/js/miniprogram-reference.test.mjs.
"""
import base64
import hashlib
import hmac
import json
import random
import string
import struct
import sys

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 32  # WeChat pads to 32 bytes, not AES's 16


def aes_key(encoding_aes_key):
    return base64.b64decode(encoding_aes_key + "=")


def sha1_sorted(*parts):
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest()


def seal(key, appid, message, random16):
    msg = message.encode("utf-8")
    plain = random16 + struct.pack(">I", len(msg)) + msg + appid.encode("utf-8")
    pad = BLOCK - len(plain) % BLOCK
    plain += bytes([pad]) * pad
    enc = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(enc.update(plain) + enc.finalize()).decode("ascii")


def open_(key, appid, encrypted):
    dec = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    plain = dec.update(base64.b64decode(encrypted)) + dec.finalize()
    pad = plain[-1]
    if not 1 <= pad <= BLOCK or plain[-pad:] != bytes([pad]) * pad:
        raise ValueError("bad padding")
    plain = plain[:-pad]
    (length,) = struct.unpack(">I", plain[16:20])
    msg, tail = plain[20 : 20 + length], plain[20 + length :]
    if tail.decode("utf-8") != appid:
        raise ValueError("appid")
    return msg.decode("utf-8")


def hmac_hex(key, text):
    return hmac.new(key.encode("utf-8"), text.encode("utf-8"), hashlib.sha256).hexdigest()


def words(rng, alphabet, lo, hi):
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(lo, hi)))


def gen(seed, count):
    rng = random.Random(seed)
    alnum = string.ascii_letters + string.digits
    text_chars = alnum + " _-:,.{}[]\"'中文✓€\n\t<>&"
    cases = []
    for i in range(count):
        key_bytes = bytes(rng.getrandbits(8) for _ in range(32))
        encoding_aes_key = base64.b64encode(key_bytes).decode("ascii")[:43]
        token = words(rng, alnum, 3, 32)
        appid = "wx" + words(rng, string.hexdigits.lower(), 16, 16)
        timestamp = str(1700000000 + rng.randint(0, 10**8))
        nonce = words(rng, string.digits, 5, 12)
        # Message lengths around the 32-byte padding boundaries, and a few long ones.
        n = rng.choice([0, 1, 11, 12, 13, 31, 32, 33, 63, 64, 200, 1000, 5000]) if i % 3 else rng.randint(0, 300)
        event = {"ToUserName": "gh_" + words(rng, alnum, 12, 12), "CreateTime": int(timestamp),
                 "MsgType": "event", "Event": "trade_manage_order_settlement",
                 "transaction_id": words(rng, string.digits, 28, 28), "note": words(rng, text_chars, n, n)}
        message = json.dumps(event, ensure_ascii=False)
        random16 = bytes(rng.getrandbits(8) for _ in range(16))
        encrypted = seal(key_bytes, appid, message, random16)
        app_key = words(rng, alnum, 32, 32)
        session_key = base64.b64encode(bytes(rng.getrandbits(8) for _ in range(16))).decode("ascii")
        uri = rng.choice(["/xpay/query_user_balance", "/xpay/currency_pay", "requestVirtualPayment"])
        body = json.dumps({"openid": "o" + words(rng, alnum, 27, 27), "env": rng.randint(0, 1),
                           "user_ip": "127.0.0.1", "note": words(rng, text_chars, 0, 40)}, ensure_ascii=False)
        cases.append({
            "token": token, "encodingAESKey": encoding_aes_key, "appid": appid,
            "timestamp": timestamp, "nonce": nonce, "message": message, "encrypt": encrypted,
            "signature": sha1_sorted(token, timestamp, nonce),
            "msg_signature": sha1_sorted(token, timestamp, nonce, encrypted),
            "appKey": app_key, "sessionKey": session_key, "uri": uri, "body": body,
            "paySig": hmac_hex(app_key, uri + "&" + body), "userSignature": hmac_hex(session_key, body),
        })
    json.dump(cases, sys.stdout, ensure_ascii=False)


def open_all(items):
    out = []
    for it in items:
        q, body = it["query"], json.loads(it["body"])
        enc = body["Encrypt"]
        sig = body.get("MsgSignature") or q["msg_signature"]
        ts = str(body.get("TimeStamp") or q["timestamp"])
        nonce = body.get("Nonce") or q["nonce"]
        ok = hmac.compare_digest(sha1_sorted(it["token"], ts, nonce, enc), sig)
        msg = open_(aes_key(it["encodingAESKey"]), it["appid"], enc) if ok else None
        out.append({"signatureOk": ok, "message": msg})
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    if sys.argv[1] == "gen":
        gen(int(sys.argv[2]), int(sys.argv[3]))
    else:
        open_all(json.load(sys.stdin))
