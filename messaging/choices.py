from django.db import models
from django.utils.translation import gettext_lazy as _


class ChannelKind(models.TextChoices):
    EMAIL = "email", _("电子邮件")
    WECOM = "wecom", _("企业微信")
    DINGTALK = "dingtalk", _("钉钉")
    SMS = "sms", _("短信")


class StaffChannelChoice(models.TextChoices):
    """A staff member's chosen channel: in-app (and e-mail as before) only, or one more channel."""

    IN_APP = "in_app", _("仅站内提醒")
    WECOM = "wecom", _("企业微信")
    DINGTALK = "dingtalk", _("钉钉")
    SMS = "sms", _("短信")


class OutboxState(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
    CANCELLED = "cancelled", _("已取消")


class Audience(models.TextChoices):
    CLIENT = "client", _("客户")
    STAFF = "staff", _("员工")
