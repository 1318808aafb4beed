import base64
import hashlib
import hmac
import time
import urllib.parse

from django.conf import settings

from .base import Channel, ChannelError, mention, post_json, robot_url

# DingTalk's 130101 = sending too fast (20 a minute per robot): worth retrying.
RETRY_CODES = {130101, -1}


def sign(secret: str, timestamp_ms: str) -> str:
    """DingTalk's robot signature: HMAC-SHA256 of "timestamp\\nsecret" keyed by the secret, base64, url-encoded."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode("utf-8"), hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


def signed_url(url: str, secret: str, *, timestamp_ms: str | None = None) -> str:
    if not secret:
        return url
    timestamp_ms = timestamp_ms or str(round(time.time() * 1000))
    return f"{url}{'&' if '?' in url else '?'}timestamp={timestamp_ms}&sign={sign(secret, timestamp_ms)}"


class DingTalkChannel(Channel):
    """A DingTalk (钉钉) custom robot with the "加签" security setting: the webhook URL (…/robot/send?access_token=…)
    plus timestamp and sign; body {"msgtype": "text", "text": {"content"}, "at": {"atMobiles"}}."""

    kind = "dingtalk"

    def send(self, *, address, text, subject, template_key, values):
        url = robot_url(address, settings.MESSAGING_DINGTALK_WEBHOOK_URL)
        payload = {"msgtype": "text", "text": {"content": text}}
        if mention(address):
            payload["at"] = {"atMobiles": mention(address), "isAtAll": False}
        answer = post_json(signed_url(url, settings.MESSAGING_DINGTALK_SECRET), payload)
        code = answer.get("errcode", -1)
        if code != 0:
            raise ChannelError(f"DingTalk errcode {code}: {answer.get('errmsg', '')}", retry=code in RETRY_CODES)
        return ""
