"""The client's own page: a signed, revocable link per site contact (`ClientLink`) and what a client reports
through it (`IntakeRequest`), waiting for the coordinator to confirm it into a work order.

The raw token is never stored: the token is an HMAC of the row (servicedesk's SECRET_KEY), the row keeps its
SHA-256 (`token_hash`) to find it. A leaked database opens no page; the server can show a live link again."""
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from servicedesk.models.labels import FastChoiceLabels
from servicedesk.validators import FREE_TEXT_MAX_LENGTH, validate_free_text


class ClientLinkQuerySet(models.QuerySet):
    def live(self, *, now):
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ClientLink(models.Model):
    contact = models.ForeignKey("servicedesk.Contact", verbose_name=_("联系人"), on_delete=models.PROTECT, related_name="portal_links")
    nonce = models.CharField(_("随机数"), max_length=32, editable=False)
    token_hash = models.CharField(_("链接摘要"), max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        "servicedesk.Staff", verbose_name=_("创建人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("空 = 系统创建"),
    )
    created_at = models.DateTimeField(_("创建时间"))
    expires_at = models.DateTimeField(_("失效时间"), db_index=True)
    valid_days = models.JSONField(_("有效期依据"), default=dict, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        "servicedesk.Staff", verbose_name=_("撤销人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    last_opened_at = models.DateTimeField(_("最近打开时间"), null=True, blank=True)

    objects = ClientLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("客户链接")
        verbose_name_plural = _("客户链接")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["contact", "expires_at"], condition=Q(revoked_at__isnull=True), name="portal_link_live"),
        ]

    def __str__(self):
        return f"{self.contact} · {self.created_at:%Y-%m-%d}"


class IntakeStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已受理")
    DECLINED = "declined", _("未受理")


class IntakeRequest(FastChoiceLabels, models.Model):
    """A fault the client reported from their page (R-W1 fields as the client knows them)."""

    link = models.ForeignKey(ClientLink, verbose_name=_("客户链接"), on_delete=models.PROTECT, related_name="requests")
    contact = models.ForeignKey("servicedesk.Contact", verbose_name=_("联系人"), on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey("servicedesk.Client", verbose_name=_("客户"), on_delete=models.PROTECT, related_name="portal_requests")
    site = models.ForeignKey("servicedesk.Site", verbose_name=_("网点"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    equipment = models.ForeignKey(
        "servicedesk.Equipment", verbose_name=_("设备"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    device_text = models.CharField(_("设备(客户填写)"), max_length=120, blank=True)
    description = models.TextField(_("故障描述"), max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])
    preferred_at = models.DateTimeField(_("希望上门时间"), null=True, blank=True)
    photo = models.FileField(_("照片"), max_length=200, blank=True)
    photo_name = models.CharField(_("照片原文件名"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("提交时间"), db_index=True)
    status = models.CharField(_("状态"), max_length=12, choices=IntakeStatus.choices, default=IntakeStatus.PENDING)
    decided_by = models.ForeignKey(
        "servicedesk.Staff", verbose_name=_("处理人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decline_reason = models.CharField(_("未受理原因"), max_length=200, blank=True)
    work_order = models.OneToOneField(
        "servicedesk.WorkOrder", verbose_name=_("工单"), null=True, blank=True, on_delete=models.PROTECT, related_name="portal_request"
    )

    class Meta:
        verbose_name = _("客户报修申请")
        verbose_name_plural = _("客户报修申请")
        ordering = ["created_at", "pk"]
        indexes = [
            # the coordinator's queue: pending requests, oldest first
            models.Index(fields=["created_at", "id"], condition=Q(status="pending"), name="portal_intake_pending"),
        ]

    def __str__(self):
        return f"{self.client} · {self.created_at:%Y-%m-%d %H:%M}"
