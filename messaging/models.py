"""The outbox, the editable message templates and who wants which channel."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from servicedesk.models.labels import FastChoiceLabels

from .choices import ChannelKind, OutboxState, StaffChannelChoice
from servicedesk.validators import FREE_TEXT_MAX_LENGTH, validate_free_text


class OutboxMessage(FastChoiceLabels, models.Model):
    """One message to send. Written in the transaction of its event; sent by `messaging.tasks.send_due_messages`.

    Never twice: `idempotency_key` is unique (per event and recipient) and the sender re-checks the state under a
    row lock. Never lost: the row is the queue — the beat sends whatever is due, whether or not the task message
    reached Redis."""

    channel = models.CharField(_("渠道"), max_length=16, choices=ChannelKind.choices)
    address = models.CharField(_("收件地址"), max_length=200, help_text=_("手机号或邮箱"))
    staff = models.ForeignKey("servicedesk.Staff", verbose_name=_("员工"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    contact = models.ForeignKey("servicedesk.Contact", verbose_name=_("客户联系人"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    template_key = models.CharField(_("模板"), max_length=40)
    language = models.CharField(_("语言"), max_length=16, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    links = models.JSONField(_("链接"), default=dict, blank=True)
    state = models.CharField(_("状态"), max_length=12, choices=OutboxState.choices, default=OutboxState.PENDING)
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"))
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    body = models.TextField(_("发送的内容"), blank=True)
    created_at = models.DateTimeField(_("创建时间"))
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    idempotency_key = models.CharField(_("幂等键"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("待发消息")
        verbose_name_plural = _("待发消息")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # the sender's scan: only pending rows, by due time (rule 3)
            models.Index(fields=["next_attempt_at", "id"], name="outbox_due", condition=Q(state="pending")),
            models.Index(fields=["channel", "sent_at"], name="outbox_rate"),
            models.Index(fields=["state", "created_at"], name="outbox_state_list"),
        ]

    def __str__(self):
        return f"{self.template_key} → {self.address}"


class MessageTemplate(models.Model):
    """A manager's wording of a message in both languages; blank = the default text from the code."""

    key = models.CharField(_("模板"), max_length=40, unique=True)
    text_zh = models.TextField(_("中文内容"), blank=True, max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])
    text_en = models.TextField(_("英文内容"), blank=True, max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])
    updated_at = models.DateTimeField(_("修改时间"), null=True, blank=True)
    updated_by = models.ForeignKey("servicedesk.Staff", verbose_name=_("修改人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("消息模板")
        verbose_name_plural = _("消息模板")
        ordering = ["key"]

    def __str__(self):
        return self.key


class ContactChannel(FastChoiceLabels, models.Model):
    """How a client's contact wants to hear from the department; opting out stops every message to them."""

    contact = models.OneToOneField("servicedesk.Contact", verbose_name=_("联系人"), on_delete=models.CASCADE,
                                   related_name="message_channel")
    channel = models.CharField(_("渠道"), max_length=16, choices=ChannelKind.choices, default=ChannelKind.SMS)
    address = models.CharField(_("收件地址"), max_length=200, blank=True, help_text=_("留空 = 联系人的电话"))
    language = models.CharField(_("语言"), max_length=16, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    opted_out = models.BooleanField(_("已退订"), default=False)
    opted_out_at = models.DateTimeField(_("退订时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("修改时间"))

    class Meta:
        verbose_name = _("联系人消息渠道")
        verbose_name_plural = _("联系人消息渠道")

    def __str__(self):
        return f"{self.contact} · {self.get_channel_display()}"

    @property
    def target(self) -> str:
        return self.address or self.contact.phone


class StaffChannel(FastChoiceLabels, models.Model):
    """A staff member's chosen channel for their alerts (besides the in-app alert)."""

    staff = models.OneToOneField("servicedesk.Staff", verbose_name=_("员工"), on_delete=models.CASCADE,
                                 related_name="message_channel")
    channel = models.CharField(_("渠道"), max_length=16, choices=StaffChannelChoice.choices,
                               default=StaffChannelChoice.IN_APP)
    updated_at = models.DateTimeField(_("修改时间"))

    class Meta:
        verbose_name = _("员工消息渠道")
        verbose_name_plural = _("员工消息渠道")
