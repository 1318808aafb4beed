"""SMS through Alibaba Cloud SMS (阿里云短信服务), the SendSms action of its RPC API (version 2017-05-25).

The request is signed as the RPC API documents (signature version 1.0): every parameter but Signature sorted by
name, each name and value percent-encoded (RFC 3986: space → %20, * → %2A, ~ kept), joined with & and =; the string
to sign is `POST&%2F&` + the percent-encoded query; Signature = base64(HMAC-SHA1(AccessKeySecret + "&", it)).
A text message in China must use a template approved by the provider: each of our templates maps to its
TemplateCode (settings.MESSAGING_SMS_TEMPLATE_CODES) and its parameters go as TemplateParam (JSON)."""
import base64
import hashlib
import hmac
import json
import urllib.parse
import uuid
from datetime import UTC

from django.conf import settings
from django.utils import timezone

from .base import Channel, ChannelError, post

# The provider's own flow control: try again later.
RETRY_CODES = {"isv.BUSINESS_LIMIT_CONTROL", "Throttling.User", "SignatureNonceUsed", "ServiceUnavailable",
               "InternalError"}


def percent_encode(value: str) -> str:
    return urllib.parse.quote(str(value), safe="~")


def canonical_query(params: dict) -> str:
    return "&".join(f"{percent_encode(k)}={percent_encode(params[k])}" for k in sorted(params))


def signature(params: dict, secret: str, *, method: str = "POST") -> str:
    to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical_query(params))}"
    digest = hmac.new(f"{secret}&".encode("utf-8"), to_sign.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


class AliyunSmsChannel(Channel):
    kind = "sms"

    def send(self, *, address, text, subject, template_key, values):
        key_id, secret = settings.MESSAGING_SMS_ACCESS_KEY_ID, settings.MESSAGING_SMS_ACCESS_KEY_SECRET
        if not (key_id and secret and settings.MESSAGING_SMS_SIGN_NAME):
            raise ChannelError("SMS not configured (access key or sign name missing in settings)", retry=False)
        code = settings.MESSAGING_SMS_TEMPLATE_CODES.get(template_key)
        if not code:
            raise ChannelError(f"no SMS TemplateCode for template {template_key}", retry=False)
        params = {
            "AccessKeyId": key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": address,
            "RegionId": settings.MESSAGING_SMS_REGION,
            "SignName": settings.MESSAGING_SMS_SIGN_NAME,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "TemplateCode": code,
            "TemplateParam": json.dumps({k: str(v)[:35] for k, v in values.items() if v != ""}, ensure_ascii=False),
            "Timestamp": timezone.now().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
        }
        params["Signature"] = signature(params, secret)
        answer = post(settings.MESSAGING_SMS_ENDPOINT, body=urllib.parse.urlencode(params).encode("ascii"),
                      content_type="application/x-www-form-urlencoded")
        result = answer.get("Code", "")
        if result != "OK":
            raise ChannelError(f"Aliyun SMS {result}: {answer.get('Message', '')}", retry=result in RETRY_CODES)
        return answer.get("BizId", "")
