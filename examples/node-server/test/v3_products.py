"""An independent client for the mock's v3 products: Python's standard library and `cryptography`
only, none of wxpay-wasm's code, written from WeChat's documented rules:
  - requests signed METHOD\\nURL\\nTIMESTAMP\\nNONCE\\nBODY\\n (SHA256withRSA, PKCS#1 v1.5) with the
    merchant key; an upload signs its `meta` JSON instead of the multipart body;
  - every answer and callback verified over TIMESTAMP\\nNONCE\\nBODY\\n with the WeChat Pay public key
    (Wechatpay-Serial must be its PUB_KEY_ID_…); a bill download is the one unsigned answer, checked
    by the SHA1 the bill answer gave, of the bill before gzip;
  - callbacks' resources decrypted with AES-256-GCM (the APIv3 key, the resource's nonce and
    associated_data); sensitive fields encrypted RSA-OAEP (SHA-1) to the public key, named by
    Wechatpay-Serial (sent on every request, as WeChat asks).
It drives each product against a running mock (started with --refund-delay 1) and receives the
callbacks on a local HTTP server it runs itself.

Usage: python3 v3_products.py MOCK_URL KEYS_DIR PREFIX
Prints one JSON object of what it saw; exits 1 when anything failed verification.
"""
import base64
import datetime
import gzip
import hashlib
import http.server
import json
import os
import secrets
import sys
import threading
import time
import urllib.error
import urllib.request

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


class Failure(Exception):
    pass


class Client:
    def __init__(self, base, keys_dir):
        self.base = base
        with open(os.path.join(keys_dir, "wechatpay.json"), encoding="utf-8") as f:
            self.cfg = json.load(f)
        with open(os.path.join(keys_dir, "apiclient_key.pem"), "rb") as f:
            self.key = serialization.load_pem_private_key(f.read(), password=None)
        with open(os.path.join(keys_dir, "pub_key.pem"), "rb") as f:
            self.wechat = serialization.load_pem_public_key(f.read())
        self.verified = 0

    def authorization(self, method, url, signed):
        ts, nonce = str(int(time.time())), secrets.token_hex(16)
        sig = self.key.sign(f"{method}\n{url}\n{ts}\n{nonce}\n{signed}\n".encode(), padding.PKCS1v15(), hashes.SHA256())
        return (f'WECHATPAY2-SHA256-RSA2048 mchid="{self.cfg["mchid"]}",nonce_str="{nonce}",'
                f'signature="{base64.b64encode(sig).decode()}",timestamp="{ts}",serial_no="{self.cfg["serialNo"]}"')

    def verify(self, headers, body):
        h = {k.lower(): v for k, v in headers.items()}
        if h.get("wechatpay-serial") != self.cfg["publicKeyId"]:
            raise Failure(f"Wechatpay-Serial {h.get('wechatpay-serial')} is not {self.cfg['publicKeyId']}")
        if abs(time.time() - int(h["wechatpay-timestamp"])) > 300:
            raise Failure("Wechatpay-Timestamp outside 300 s")
        msg = f"{h['wechatpay-timestamp']}\n{h['wechatpay-nonce']}\n{body}\n".encode()
        try:
            self.wechat.verify(base64.b64decode(h["wechatpay-signature"]), msg, padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            raise Failure(f"signature does not verify over {body[:80]!r}")
        self.verified += 1

    def encrypt(self, text):
        return base64.b64encode(self.wechat.encrypt(text.encode(), padding.OAEP(
            mgf=padding.MGF1(algorithm=hashes.SHA1()), algorithm=hashes.SHA1(), label=None))).decode()

    def raw(self, method, url, body=b"", signed="", headers=None, content_type="application/json"):
        h = {"Authorization": self.authorization(method, url, signed), "Accept": "application/json", "Content-Type": content_type,
             "Wechatpay-Serial": self.cfg["publicKeyId"]}
        h.update(headers or {})
        req = urllib.request.Request(self.base + url, data=body if method != "GET" else None, method=method, headers=h)
        try:
            with urllib.request.urlopen(req, timeout=20) as res:
                return res.status, dict(res.headers), res.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def call(self, method, url, obj=None, headers=None):
        """A signed JSON call; the answer (errors too) verified. Returns (status, parsed JSON or None)."""
        text = "" if obj is None else json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
        status, h, body = self.raw(method, url, text.encode(), text, headers)
        self.verify(h, body.decode())
        return status, (json.loads(body) if body else None)

    def upload(self, url, filename, data, sha=None):
        meta = json.dumps({"filename": filename, "sha256": sha or hashlib.sha256(data).hexdigest()}, separators=(",", ":"))
        b = "----py" + secrets.token_hex(8)
        body = (f"--{b}\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{meta}\r\n"
                f"--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: image/png\r\n\r\n").encode() \
            + data + f"\r\n--{b}--\r\n".encode()
        status, h, answer = self.raw("POST", url, body, meta, content_type=f"multipart/form-data; boundary={b}")
        self.verify(h, answer.decode())
        return status, json.loads(answer)

    def control(self, method, path, obj=None):
        data = None if obj is None else json.dumps(obj).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=20) as res:
                return res.status, json.loads(res.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())


class Callbacks:
    """A local notify_url: every callback verified, decrypted and kept; answered 204."""

    def __init__(self, client):
        self.client, self.events, self.errors = client, [], []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                try:
                    outer.client.verify(dict(self.headers), body)
                    env = json.loads(body)
                    r = env["resource"]
                    plain = AESGCM(outer.client.cfg["apiV3Key"].encode()).decrypt(
                        r["nonce"].encode(), base64.b64decode(r["ciphertext"]), r["associated_data"].encode())
                    outer.events.append({"path": self.path, "event_type": env["event_type"], "original_type": r["original_type"],
                                         "resource": json.loads(plain)})
                    self.send_response(204)
                except Exception as e:  # a callback that fails verification is an error of the mock
                    outer.errors.append(repr(e))
                    self.send_response(400)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def wait(self, pred, what, timeout=15):
        end = time.time() + timeout
        while time.time() < end:
            found = [e for e in self.events if pred(e)]
            if found:
                return found[0]
            time.sleep(0.05)
        raise Failure(f"no callback: {what}")


def expect(cond, what):
    if not cond:
        raise Failure(what)


def poll(fn, pred, what, timeout=15):
    end = time.time() + timeout
    while time.time() < end:
        v = fn()
        if pred(v):
            return v
        time.sleep(0.1)
    raise Failure(f"timed out: {what}")


def order_body(c, no, notify, **extra):
    return {"appid": c.cfg["appid"], "mchid": c.cfg["mchid"], "description": "py products", "out_trade_no": no,
            "notify_url": notify, "amount": {"total": 300, "currency": "CNY"}, **extra}


def native_h5_app(c, cb, p, out):
    no = p + "N0001"
    s, j = c.call("POST", "/v3/pay/transactions/native", order_body(c, no, cb.url + "/pay"))
    expect(s == 200 and j["code_url"].startswith("weixin://wxpay/bizpayurl?pr="), f"native {s} {j}")
    s, _ = c.control("POST", f"/_mock/orders/{no}/pay")
    expect(s == 200, "control pay of a native order")
    e = cb.wait(lambda e: e["resource"].get("out_trade_no") == no, "native TRANSACTION.SUCCESS")
    expect(e["event_type"] == "TRANSACTION.SUCCESS" and e["resource"]["trade_type"] == "NATIVE", f"native callback {e}")
    s, q = c.call("GET", f"/v3/pay/transactions/out-trade-no/{no}?mchid={c.cfg['mchid']}")
    out["native"] = {"code_url": j["code_url"][:28], "callback": e["event_type"], "trade_state": q["trade_state"]}
    s, j = c.call("POST", "/v3/pay/transactions/h5", order_body(c, p + "H0001", cb.url + "/pay",
                  scene_info={"payer_client_ip": "127.0.0.1", "h5_info": {"type": "Wap"}}))
    out["h5_url"] = s == 200 and j["h5_url"].startswith("https://")
    s, j = c.call("POST", "/v3/pay/transactions/app", order_body(c, p + "A0001", cb.url + "/pay"))
    out["app_prepay"] = s == 200 and j["prepay_id"].startswith("wx")
    s, j = c.call("POST", "/v3/pay/transactions/h5", order_body(c, p + "H0002", cb.url + "/pay"))
    out["h5_without_scene"] = [s, j["code"], j["detail"]["field"]]
    return no


def partner(c, cb, p, out):
    no = p + "P0001"
    subs = ["1900000201", "1900000202"]
    for sub in subs:
        body = {"sp_appid": c.cfg["appid"], "sp_mchid": c.cfg["mchid"], "sub_mchid": sub, "description": "py partner",
                "out_trade_no": no, "notify_url": cb.url + "/partner", "amount": {"total": 200 + int(sub[-1]), "currency": "CNY"}}
        s, j = c.call("POST", "/v3/pay/partner/transactions/native", body)
        expect(s == 200 and "code_url" in j, f"partner native {s} {j}")
    s, _ = c.control("POST", f"/_mock/orders/{no}/pay")
    out["partner_ambiguous"] = s
    s, _ = c.control("POST", f"/_mock/orders/{subs[0]}:{no}/pay")
    expect(s == 200, "control pay SUB:NO")
    e = cb.wait(lambda e: e["path"] == "/partner", "partner callback")
    q = {sub: c.call("GET", f"/v3/pay/partner/transactions/out-trade-no/{no}?sp_mchid={c.cfg['mchid']}&sub_mchid={sub}")[1] for sub in subs}
    s, _ = c.call("POST", f"/v3/pay/partner/transactions/out-trade-no/{no}/close", {"sp_mchid": c.cfg["mchid"], "sub_mchid": subs[1]})
    after = c.call("GET", f"/v3/pay/partner/transactions/out-trade-no/{no}?sp_mchid={c.cfg['mchid']}&sub_mchid={subs[1]}")[1]
    s1, refund = c.call("POST", "/v3/refund/domestic/refunds", {"sub_mchid": subs[0], "out_trade_no": no, "out_refund_no": no + "r",
                                                                "amount": {"refund": 1, "total": 201, "currency": "CNY"}})
    s2, other = c.call("POST", "/v3/refund/domestic/refunds", {"sub_mchid": subs[1], "out_trade_no": no, "out_refund_no": no + "x",
                                                                "amount": {"refund": 1, "total": 202, "currency": "CNY"}})
    out["partner_refund"] = [s1, refund.get("status"), s2, other.get("code")]
    out["partner"] = {"callback_sub_mchid": e["resource"]["sub_mchid"], "callback_sp_mchid": e["resource"]["sp_mchid"],
                      "states": [q[subs[0]]["trade_state"], q[subs[1]]["trade_state"]], "amounts": [q[s_]["amount"]["total"] for s_ in subs],
                      "close": s, "closed": after["trade_state"]}


def combine(c, cb, p, out):
    no = p + "C0001"
    body = {"combine_appid": c.cfg["appid"], "combine_mchid": c.cfg["mchid"], "combine_out_trade_no": no,
            "notify_url": cb.url + "/combine", "combine_payer_info": {"openid": "o-py-combine"},
            "sub_orders": [{"mchid": c.cfg["mchid"], "attach": "a", "amount": {"total_amount": 10 + i, "currency": "CNY"},
                            "out_trade_no": f"{p}C0001S{i}", "sub_mchid": f"190000020{i}", "description": f"sub {i}"} for i in range(2)]}
    s, j = c.call("POST", "/v3/combine-transactions/jsapi", body)
    expect(s == 200 and j["prepay_id"].startswith("wx"), f"combine {s} {j}")
    s, _ = c.control("POST", f"/_mock/orders/{no}/pay")
    expect(s == 200, "control pay of a combine order")
    e = cb.wait(lambda e: e["path"] == "/combine", "combine callback")
    time.sleep(0.3)
    s, q = c.call("GET", f"/v3/combine-transactions/out-trade-no/{no}")
    out["combine"] = {"callbacks": len([x for x in cb.events if x["path"] == "/combine"]), "event_type": e["event_type"],
                      "sub_states": [x["trade_state"] for x in e["resource"]["sub_orders"]],
                      "query_states": [x["trade_state"] for x in q["sub_orders"]],
                      "transaction_ids": len({x["transaction_id"] for x in q["sub_orders"]})}


def paid_jsapi(c, cb, no, total=300):
    s, _ = c.call("POST", "/v3/pay/transactions/jsapi", order_body(c, no, cb.url + "/pay", payer={"openid": "o-py"}, amount={"total": total, "currency": "CNY"}))
    expect(s == 200, "jsapi order")
    c.control("POST", f"/_mock/orders/{no}/pay", {"notify": False})
    return c.call("GET", f"/v3/pay/transactions/out-trade-no/{no}?mchid={c.cfg['mchid']}")[1]


def abnormal_refund(c, cb, p, out):
    no = p + "R0001"
    paid_jsapi(c, cb, no)
    s, r = c.call("POST", "/v3/refund/domestic/refunds", {"out_trade_no": no, "out_refund_no": no + "r", "notify_url": cb.url + "/refund",
                                                           "amount": {"refund": 100, "total": 300, "currency": "CNY"}})
    expect(s == 200, f"refund {s} {r}")
    s, _ = c.control("POST", f"/_mock/refunds/{no}r/complete", {"status": "ABNORMAL"})
    e1 = cb.wait(lambda e: e["event_type"] == "REFUND.ABNORMAL" and e["resource"]["out_refund_no"] == no + "r", "REFUND.ABNORMAL")
    url = f"/v3/refund/domestic/refunds/{r['refund_id']}/apply-abnormal-refund"
    body = {"out_refund_no": no + "r", "type": "USER_BANK_CARD", "bank_type": "ICBC_DEBIT",
            "bank_account": c.encrypt("6222020000000000000"), "real_name": c.encrypt("张三")}
    s0, j0 = c.call("POST", url, body, {"Wechatpay-Serial": "PUB_KEY_ID_0000UNKNOWN"})
    s, j = c.call("POST", url, body, {"Wechatpay-Serial": c.cfg["publicKeyId"]})
    e2 = cb.wait(lambda e: e["event_type"] == "REFUND.SUCCESS" and e["resource"]["out_refund_no"] == no + "r", "REFUND.SUCCESS after abnormal")
    out["abnormal_refund"] = {"abnormal_callback": e1["resource"]["refund_status"], "unknown_serial": [s0, j0["code"], j0["detail"]["field"]],
                              "apply": [s, j["status"]], "after": e2["resource"]["refund_status"]}


def profit_sharing(c, cb, p, out):
    no = p + "S0001"
    o = paid_jsapi(c, cb, no, 1000)
    c.control("POST", "/_mock/profitsharing/notify-url", {"url": cb.url + "/sharing"})
    s, j = c.call("POST", "/v3/profitsharing/receivers/add",
                  {"appid": c.cfg["appid"], "type": "MERCHANT_ID", "account": "1900000301", "name": c.encrypt("示例商户"),
                   "relation_type": "PARTNER"}, {"Wechatpay-Serial": c.cfg["publicKeyId"]})
    expect(s == 200, f"receiver add {s} {j}")
    tx = o["transaction_id"]
    s, j = c.call("POST", "/v3/profitsharing/orders", {"appid": c.cfg["appid"], "transaction_id": tx, "out_order_no": no + "o",
                                                        "unfreeze_unsplit": False, "receivers": [
                                                            {"type": "MERCHANT_ID", "account": "1900000301", "amount": 200, "description": "分给商户"},
                                                            {"type": "MERCHANT_ID", "account": "1900000999", "amount": 50, "description": "未添加"}]})
    expect(s == 200 and j["state"] == "PROCESSING", f"sharing {s} {j}")
    q = poll(lambda: c.call("GET", f"/v3/profitsharing/orders/{no}o?transaction_id={tx}")[1], lambda q: q["state"] == "FINISHED", "FINISHED")
    e = cb.wait(lambda e: e["event_type"] == "PROFITSHARING.SUCCESS" and e["resource"]["out_order_no"] == no + "o", "PROFITSHARING.SUCCESS")
    amounts = c.call("GET", f"/v3/profitsharing/transactions/{tx}/amounts")[1]
    s, r = c.call("POST", "/v3/profitsharing/return-orders", {"out_order_no": no + "o", "out_return_no": no + "b", "return_mchid": "1900000301",
                                                               "amount": 80, "description": "回退"})
    rq = poll(lambda: c.call("GET", f"/v3/profitsharing/return-orders/{no}b?out_order_no={no}o")[1], lambda x: x["result"] == "SUCCESS", "return SUCCESS")
    er = cb.wait(lambda e: e["event_type"] == "PROFITSHARING.RETURN", "PROFITSHARING.RETURN")
    s, u = c.call("POST", "/v3/profitsharing/orders/unfreeze", {"transaction_id": tx, "out_order_no": no + "u", "description": "解冻"})
    out["profitsharing"] = {"state": q["state"], "results": [x["result"] for x in q["receivers"]],
                            "fail_reason": q["receivers"][1].get("fail_reason"), "callback_amount": e["resource"]["receiver"]["amount"],
                            "unsplit": amounts["unsplit_amount"], "return": [r["result"], rq["result"], er["resource"]["receiver"]["amount"]],
                            "unfreeze": [u["state"], u["receivers"][0]["amount"]],
                            "after_unfreeze": c.call("GET", f"/v3/profitsharing/transactions/{tx}/amounts")[1]["unsplit_amount"]}


def transfers(c, cb, p, out):
    def bill(no, **over):
        b = {"appid": c.cfg["appid"], "out_bill_no": no, "transfer_scene_id": "1000", "openid": "o-py-transfer", "transfer_amount": 500,
             "transfer_remark": "新会员有礼", "notify_url": cb.url + "/transfer", "user_recv_perception": "现金奖励",
             "transfer_scene_report_infos": [{"info_type": "活动名称", "info_content": "新会员有礼"},
                                             {"info_type": "奖励说明", "info_content": "注册会员抽奖一等奖"}]}
        b.update(over)
        return b
    res = {}
    s, j = c.call("POST", "/v3/fund-app/mch-transfer/transfer-bills", bill(p + "T1", user_name=c.encrypt("张三")), {"Wechatpay-Serial": c.cfg["publicKeyId"]})
    expect(s == 200 and j["state"] == "WAIT_USER_CONFIRM" and j["package_info"], f"transfer {s} {j}")
    res["create"] = [s, j["state"], bool(j["package_info"])]
    s, _ = c.control("POST", f"/_mock/transfers/{p}T1/confirm")
    e = cb.wait(lambda e: e["resource"].get("out_bill_no") == p + "T1", "transfer SUCCESS callback")
    res["confirm"] = [s, e["event_type"], e["original_type"], e["resource"]["state"]]
    q = c.call("GET", f"/v3/fund-app/mch-transfer/transfer-bills/transfer-bill-no/{j['transfer_bill_no']}")[1]
    res["by_id"] = q["state"]
    c.call("POST", "/v3/fund-app/mch-transfer/transfer-bills", bill(p + "T2"))
    c.control("POST", f"/_mock/transfers/{p}T2/reject")
    e = cb.wait(lambda e: e["resource"].get("out_bill_no") == p + "T2", "transfer FAIL callback")
    res["reject"] = e["resource"]["state"]
    c.call("POST", "/v3/fund-app/mch-transfer/transfer-bills", bill(p + "T3"))
    s, j = c.call("POST", f"/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/{p}T3/cancel")
    e = cb.wait(lambda e: e["resource"].get("out_bill_no") == p + "T3", "transfer CANCELLED callback")
    res["cancel"] = [j["state"], e["resource"]["state"], c.call("GET", f"/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/{p}T3")[1]["state"]]
    s, j = c.call("POST", "/v3/fund-app/mch-transfer/transfer-bills", bill(p + "T4", transfer_scene_report_infos=[{"info_type": "活动名称", "info_content": "x"}]))
    res["one_report_info"] = [s, j["code"]]
    s, j = c.call("POST", "/v3/fund-app/mch-transfer/transfer-bills", bill(p + "T5", user_recv_perception="佣金报酬"))
    res["bad_perception"] = [s, j["code"]]
    s, j = c.call("POST", "/v3/fund-app/mch-transfer/transfer-bills", bill(p + "T6", user_name=c.encrypt("李四")), {"Wechatpay-Serial": "PUB_KEY_ID_0000UNKNOWN"})
    res["name_unknown_serial"] = [s, j["code"], j["detail"]["field"]]
    out["transfers"] = res


def bills(c, p, out):
    day = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)).strftime("%Y-%m-%d")
    res = {}
    for kind, q in (("tradebill", "bill_type=ALL"), ("fundflowbill", "account_type=BASIC"), ("gzip", "bill_type=ALL&tar_type=GZIP")):
        path = "/v3/bill/fundflowbill" if kind == "fundflowbill" else "/v3/bill/tradebill"
        s, j = c.call("GET", f"{path}?bill_date={day}&{q}")
        expect(s == 200 and j["hash_type"] == "SHA1", f"{kind} {s} {j}")
        url = j["download_url"][j["download_url"].index("/v3/"):]
        s, h, data = c.raw("GET", url)
        expect(s == 200 and not any(k.lower() == "wechatpay-signature" for k in h), "download answered unsigned")
        text = gzip.decompress(data) if kind == "gzip" else data
        expect(hashlib.sha1(text).hexdigest() == j["hash_value"], f"{kind} hash")
        lines = text.decode().split("\r\n")
        res[kind] = {"lines": len(lines), "backquoted": all(v.startswith("`") for v in lines[1].split(",")), "head": lines[0][:4]}
    s, j = c.call("GET", f"/v3/bill/tradebill?bill_date={day}")
    c.control("POST", "/_mock/faults", {"kind": "tamper-bill"})
    s, h, data = c.raw("GET", j["download_url"][j["download_url"].index("/v3/"):])
    res["tampered_refused"] = hashlib.sha1(data).hexdigest() != j["hash_value"]
    s, h, data = c.raw("GET", "/v3/billdownload/file?token=" + j["download_url"].split("token=")[1], headers={"Authorization": "x"})
    res["unsigned_download_refused"] = s
    out["bills"] = res


def media(c, out):
    png = b"\x89PNG\r\n\x1a\n" + secrets.token_bytes(200)
    s, j = c.upload("/v3/merchant/media/upload", "shot.png", png)
    s2, j2 = c.upload("/v3/merchant/media/upload", "shot.png", png, sha="0" * 64)
    out["media"] = {"status": s, "media_id": bool(j.get("media_id")), "wrong_sha": [s2, j2["code"]]}
    return j["media_id"]


def complaints(c, cb, p, out, media_id):
    no = p + "Q0001"
    paid_jsapi(c, cb, no)
    s, _ = c.call("POST", "/v3/merchant-service/complaint-notifications", {"url": cb.url + "/complaint"})
    s, opened = c.control("POST", "/_mock/complaints", {"out_trade_no": no, "detail": "没收到货"})
    cid = opened["complaint_id"]
    e = cb.wait(lambda e: e["event_type"] == "COMPLAINT.CREATE" and e["resource"]["complaint_id"] == cid, "COMPLAINT.CREATE")
    day = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)).strftime("%Y-%m-%d")
    lst = c.call("GET", f"/v3/merchant-service/complaints-v2?begin_date={day}&end_date={day}&limit=50")[1]
    detail = c.call("GET", f"/v3/merchant-service/complaints-v2/{cid}")[1]
    s_done_early, _ = c.call("POST", f"/v3/merchant-service/complaints-v2/{cid}/complete", {"complainted_mchid": c.cfg["mchid"]})
    s1, _ = c.call("POST", f"/v3/merchant-service/complaints-v2/{cid}/response",
                   {"complainted_mchid": c.cfg["mchid"], "response_content": "已补发", "response_images": [media_id]})
    s2, _ = c.call("POST", f"/v3/merchant-service/complaints-v2/{cid}/complete", {"complainted_mchid": c.cfg["mchid"]})
    done = cb.wait(lambda e: e["event_type"] == "COMPLAINT.STATE_CHANGE" and e["resource"]["action_type"] == "MERCHANT_CONFIRM_COMPLETE", "complete callback")
    hist = c.call("GET", f"/v3/merchant-service/complaints-v2/{cid}/negotiation-historys")[1]
    out["complaints"] = {"create_callback": e["resource"]["action_type"], "listed": any(x["complaint_id"] == cid for x in lst["data"]),
                         "order": detail["complaint_order_info"][0]["out_trade_no"] == no, "complete_before_response": s_done_early,
                         "response": s1, "complete": s2, "done_callback": done["resource"]["action_type"],
                         "state": c.call("GET", f"/v3/merchant-service/complaints-v2/{cid}")[1]["complaint_state"],
                         "history": [x["operate_type"] for x in hist["data"]], "image": hist["data"][1]["image_list"] == [media_id]}


def main():
    base, keys_dir, p = sys.argv[1], sys.argv[2], sys.argv[3]
    c = Client(base, keys_dir)
    cb = Callbacks(c)
    out = {}
    native_h5_app(c, cb, p, out)
    partner(c, cb, p, out)
    combine(c, cb, p, out)
    abnormal_refund(c, cb, p, out)
    profit_sharing(c, cb, p, out)
    transfers(c, cb, p, out)
    bills(c, p, out)
    complaints(c, cb, p, out, media(c, out))
    if cb.errors:
        raise Failure(f"callbacks failed verification: {cb.errors}")
    out["verified"] = c.verified
    out["callbacks"] = len(cb.events)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    try:
        main()
    except Failure as e:
        print(f"v3_products.py: {e}", file=sys.stderr)
        sys.exit(1)
