from django.conf import settings

from .base import Channel, ChannelError, mention, post_json, robot_url

# WeCom answers errcode 45009 when a robot sends more than 20 messages a minute: worth retrying.
RETRY_CODES = {45009, -1}


class WeComChannel(Channel):
    """A WeCom (企业微信) group robot: POST {"msgtype": "text", "text": {"content", "mentioned_mobile_list"}} to the
    webhook URL (…/cgi-bin/webhook/send?key=…). The address is a mobile to @mention in the department's group, or
    the webhook URL of the recipient's own group."""

    kind = "wecom"

    def send(self, *, address, text, subject, template_key, values):
        url = robot_url(address, settings.MESSAGING_WECOM_WEBHOOK_URL)
        content = {"content": text}
        if mention(address):
            content["mentioned_mobile_list"] = mention(address)
        answer = post_json(url, {"msgtype": "text", "text": content})
        code = answer.get("errcode", -1)
        if code != 0:
            raise ChannelError(f"WeCom errcode {code}: {answer.get('errmsg', '')}", retry=code in RETRY_CODES)
        return ""
