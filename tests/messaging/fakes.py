"""A fake of the providers on 127.0.0.1: WeCom's group robot, DingTalk's signed robot and Alibaba Cloud's SMS RPC
API, in one tiny http.server run in a thread. It checks each request the way the provider does — the JSON shape,
DingTalk's timestamp+sign, Alibaba Cloud's HMAC-SHA1 signature over the sorted, percent-encoded parameters
(computed here independently of the product's code) — records what it accepted, and can be made to fail: `mode`
"ok", "500" (answers 500), "busy" (the provider's own rate-limit answer); `stop()` makes it refuse connections
(nothing listens on the port) and `start()` brings it back on the same port."""
import base64
import hashlib
import hmac
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DINGTALK_SECRET = "SEC-test-secret-0123456789"
SMS_KEY_ID = "LTAI-test-key"
SMS_SECRET = "test-access-secret"
SMS_SIGN = "客服部"
SMS_REQUIRED = {"AccessKeyId", "Action", "Format", "PhoneNumbers", "RegionId", "SignName", "SignatureMethod",
                "SignatureNonce", "SignatureVersion", "TemplateCode", "TemplateParam", "Timestamp", "Version",
                "Signature"}


def _pe(value: str) -> str:
    # RFC 3986 as Alibaba Cloud documents it: encode everything but A-Z a-z 0-9 - _ . ~ (space → %20, * → %2A)
    return "".join(c if (c.isascii() and (c.isalnum() or c in "-_.~")) else
                    "".join(f"%{b:02X}" for b in c.encode("utf-8")) for c in value)


def aliyun_signature(params: dict, secret: str, method: str) -> str:
    query = "&".join(f"{_pe(k)}={_pe(v)}" for k, v in sorted(params.items()) if k != "Signature")
    to_sign = f"{method}&{_pe('/')}&{_pe(query)}"
    return base64.b64encode(hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()).decode()


class FakeProvider:
    def __init__(self):
        self.mode = "ok"
        self.received = []  # (provider, payload) accepted
        self.refused = []  # (provider, why) rejected as a provider would
        self.hits = 0
        self.port = 0
        self._server = None
        self._thread = None

    # -- life -----------------------------------------------------------------------------------------------
    def start(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                fake.hits += 1
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                url = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(url.query))
                if fake.mode == "500":
                    return self._answer(500, {"error": "internal"})
                if url.path == "/cgi-bin/webhook/send":
                    return self._answer(200, fake.wecom(query, body))
                if url.path == "/robot/send":
                    return self._answer(200, fake.dingtalk(query, body))
                if url.path == "/sms/":
                    return self._answer(200, fake.sms(self.headers.get("Content-Type", ""), body))
                return self._answer(404, {"error": "no such path"})

            def _answer(self, status, payload):
                raw = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

        ThreadingHTTPServer.allow_reuse_address = True
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def settings(self, settings):
        """Point the product's settings (pytest-django's `settings`) at this fake."""
        settings.MESSAGING_WECOM_WEBHOOK_URL = f"{self.base}/cgi-bin/webhook/send?key=wecom-key"
        settings.MESSAGING_DINGTALK_WEBHOOK_URL = f"{self.base}/robot/send?access_token=ding-token"
        settings.MESSAGING_DINGTALK_SECRET = DINGTALK_SECRET
        settings.MESSAGING_SMS_ENDPOINT = f"{self.base}/sms/"
        settings.MESSAGING_SMS_ACCESS_KEY_ID = SMS_KEY_ID
        settings.MESSAGING_SMS_ACCESS_KEY_SECRET = SMS_SECRET
        settings.MESSAGING_SMS_SIGN_NAME = SMS_SIGN
        settings.MESSAGING_SMS_TEMPLATE_CODES = {key: f"SMS_{100 + i}" for i, key in enumerate([
            "dispatched", "on_the_way", "done", "callback_scheduled", "statement_sent", "payment_received",
            "extension_approved", "portal_link", "staff_dispatch", "staff_sla", "staff_complaint", "staff_penalty"])}
        settings.MESSAGING_HTTP_TIMEOUT = 2.0

    # -- the providers' checks ----------------------------------------------------------------------------
    def _busy(self, provider, answer):
        self.refused.append((provider, "busy"))
        return answer

    def wecom(self, query, body):
        if self.mode == "busy":
            return self._busy("wecom", {"errcode": 45009, "errmsg": "api freq out of limit"})
        payload = json.loads(body)
        if query.get("key") != "wecom-key":
            self.refused.append(("wecom", "key"))
            return {"errcode": 93000, "errmsg": "invalid webhook url"}
        if payload.get("msgtype") != "text" or not payload.get("text", {}).get("content"):
            self.refused.append(("wecom", "shape"))
            return {"errcode": 40008, "errmsg": "invalid message type"}
        self.received.append(("wecom", payload))
        return {"errcode": 0, "errmsg": "ok"}

    def dingtalk(self, query, body):
        if self.mode == "busy":
            return self._busy("dingtalk", {"errcode": 130101, "errmsg": "send too fast"})
        timestamp, sign = query.get("timestamp", ""), query.get("sign", "")
        expected = base64.b64encode(hmac.new(DINGTALK_SECRET.encode(), f"{timestamp}\n{DINGTALK_SECRET}".encode(),
                                             hashlib.sha256).digest()).decode()
        # parse_qsl has already url-decoded `sign` once, as DingTalk's server does
        if query.get("access_token") != "ding-token" or not timestamp.isdigit() or sign != expected:
            self.refused.append(("dingtalk", "sign"))
            return {"errcode": 310000, "errmsg": "sign not match"}
        payload = json.loads(body)
        if payload.get("msgtype") != "text" or not payload.get("text", {}).get("content"):
            self.refused.append(("dingtalk", "shape"))
            return {"errcode": 40035, "errmsg": "missing parameter"}
        self.received.append(("dingtalk", payload))
        return {"errcode": 0, "errmsg": "ok"}

    def sms(self, content_type, body):
        if self.mode == "busy":
            return self._busy("sms", {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发分钟级流控"})
        if not content_type.startswith("application/x-www-form-urlencoded"):
            self.refused.append(("sms", "content type"))
            return {"Code": "MissingParameter", "Message": content_type}
        params = dict(urllib.parse.parse_qsl(body.decode("ascii"), keep_blank_values=True))
        missing = SMS_REQUIRED - set(params)
        if missing:
            self.refused.append(("sms", f"missing {sorted(missing)}"))
            return {"Code": "MissingParameter", "Message": str(sorted(missing))}
        if (params["Action"], params["Version"], params["SignatureMethod"], params["SignatureVersion"]) != (
                "SendSms", "2017-05-25", "HMAC-SHA1", "1.0") or params["AccessKeyId"] != SMS_KEY_ID:
            self.refused.append(("sms", "api"))
            return {"Code": "InvalidParameter", "Message": "api"}
        if params["Signature"] != aliyun_signature(params, SMS_SECRET, "POST"):
            self.refused.append(("sms", "signature"))
            return {"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched"}
        json.loads(params["TemplateParam"])
        self.received.append(("sms", params))
        return {"Code": "OK", "Message": "OK", "BizId": f"biz{len(self.received)}", "RequestId": "req"}
