#!/usr/bin/env python3
"""Regenerates tests/fixtures/v3/certs.json: platform certificates with chosen serials and
validity, made by an independent implementation (Python 3.11 + `cryptography`), for the
certificate checks (issue 26): a certificate is used only under its own serial and only within
notBefore … notAfter (300 s allowed). The suites only READ the file:

    python3 scripts/gen-v3-cert-vectors.py

Every certificate carries the platform key of tests/fixtures/v3/generated.json, so a test signs
callbacks with that key (node:crypto or WebCrypto) and files the certificate under a serial.
`cryptography` writes UTCTime up to 2049 and GeneralizedTime from 2050 on (RFC 5280), so the
certificates ending in 2050 or later exercise both time forms.
"""
import datetime
import json
import os

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GEN = os.path.join(ROOT, "tests", "fixtures", "v3", "generated.json")
OUT = os.path.join(ROOT, "tests", "fixtures", "v3", "certs.json")


def utc(*a):
    return datetime.datetime(*a, tzinfo=datetime.timezone.utc)


def main():
    gen = json.load(open(GEN))
    key = serialization.load_pem_private_key(gen["keys"]["platform"]["private_pkcs8"].encode(), None)
    now = gen["now"]  # 2025-01-01T00:00:00Z
    at = lambda t: datetime.datetime.fromtimestamp(t, datetime.timezone.utc)
    cases = {
        # name: serial, notBefore, notAfter
        "valid": (0xF576A1B2C3D4E5F60718293A4B5C6D7E, utc(2024, 1, 1), utc(2051, 1, 1)),  # high bit: DER adds 00
        "short": (0x0A1B, utc(2024, 1, 1), utc(2049, 12, 31, 23, 59, 59)),  # two bytes, UTCTime's last year
        "zero_nibble": (0x0C95E9, utc(2024, 1, 1), utc(2030, 1, 1)),  # WeChat writes C95E9, openssl 0C95E9
        "expired": (0x3E11, utc(2020, 1, 1), utc(2021, 1, 1)),
        "not_yet": (0x7A2B9C, utc(2050, 6, 1), utc(2060, 6, 1)),  # GeneralizedTime both
        "ended_within_allowance": (0x4D01, utc(2024, 1, 1), at(now - 299)),
        "ended_beyond_allowance": (0x4D02, utc(2024, 1, 1), at(now - 301)),
        "starts_within_allowance": (0x4D03, at(now + 299), utc(2030, 1, 1)),
        "starts_beyond_allowance": (0x4D04, at(now + 301), utc(2030, 1, 1)),
    }
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"), x509.NameAttribute(NameOID.COMMON_NAME, "wxpay-wasm cert checks")])
    out = {"_about": __doc__.strip().splitlines()[0] + " See scripts/gen-v3-cert-vectors.py.", "now": now, "key": "platform", "certificates": {}}
    for n, (serial, nb, na) in cases.items():
        c = x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key()).serial_number(serial).not_valid_before(nb).not_valid_after(na).sign(key, hashes.SHA256())
        out["certificates"][n] = {
            "serial": format(serial, "X"),  # as WeChat writes Wechatpay-Serial
            "pem": c.public_bytes(serialization.Encoding.PEM).decode(),
            "not_before_unix": int(nb.timestamp()),
            "not_after_unix": int(na.timestamp()),
        }
    with open(OUT, "w") as f:
        json.dump(out, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
