"""The channels a message can go by, behind one small interface:

    channel = get_channel("wecom")
    provider_id = channel.send(address=…, text=…, subject=…, template_key=…, values={…})

`send` returns the provider's id for the message (or "") or raises ChannelError: `retry=True` for trouble that may
pass (the provider down or refusing connections, a 5xx, its own rate limit), `retry=False` for a request the
provider will never accept (an unknown number, a channel not configured). Credentials and URLs come from settings.
"""
from .base import Channel, ChannelError


def get_channel(kind: str) -> Channel:
    from .dingtalk import DingTalkChannel
    from .email import EmailChannel
    from .sms import AliyunSmsChannel
    from .wecom import WeComChannel

    return {"email": EmailChannel, "wecom": WeComChannel, "dingtalk": DingTalkChannel, "sms": AliyunSmsChannel}[kind]()


__all__ = ["Channel", "ChannelError", "get_channel"]
