"""Photos and documents attached to a work order: the device's nameplate, the fault, the result, the device as it
arrived, a cooperation form (R-B4). Stored through Django's storage API (file system or an S3-compatible store,
docs/scaling.md) under a random name; served only by servicedesk.views.attachment_file to people who may see the
order. Never deleted: a removal is a flag with who and when (rule 5)."""
import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .labels import FastChoiceLabels


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", _("照片")
    DOCUMENT = "document", _("文件")


def _stored_name(folder: str, ext: str) -> str:
    """A name that says nothing about the order or the person (the original name is kept in the row)."""
    now = timezone.localtime()
    return f"{folder}/{now:%Y/%m}/{uuid.uuid4().hex}.{ext}"


class AttachmentQuerySet(models.QuerySet):
    def current(self):
        return self.filter(removed_at__isnull=True)

    def visible_to(self, staff):
        """The attachments of the orders `staff` may see (WorkOrder.objects.visible_to: one rule for both)."""
        from .work_orders import WorkOrder

        return self.filter(work_order__in=WorkOrder.objects.visible_to(staff))


class WorkOrderAttachment(FastChoiceLabels, models.Model):
    work_order = models.ForeignKey("servicedesk.WorkOrder", verbose_name=_("工单"), on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField(_("类型"), max_length=10, choices=AttachmentKind.choices)
    file = models.FileField(_("文件"), max_length=200)
    thumbnail = models.FileField(_("缩略图"), max_length=200, blank=True)
    original_name = models.CharField(_("原文件名"), max_length=120)
    content_type = models.CharField(_("文件类型"), max_length=40)
    size = models.PositiveIntegerField(_("保存大小(字节)"))
    original_size = models.PositiveIntegerField(_("上传大小(字节)"))
    width = models.PositiveIntegerField(_("宽(像素)"), null=True, blank=True)
    height = models.PositiveIntegerField(_("高(像素)"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("页数"), null=True, blank=True)
    # the order's status when it was attached: at which step of the job (received, arrived, at the close-out …)
    step = models.CharField(_("环节"), max_length=20, blank=True)
    caption = models.CharField(_("说明"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey("servicedesk.Staff", verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"))
    removed_by = models.ForeignKey("servicedesk.Staff", verbose_name=_("移除人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    removed_at = models.DateTimeField(_("移除时间"), null=True, blank=True)
    removed_reason = models.CharField(_("移除原因"), max_length=200, blank=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("工单附件")
        verbose_name_plural = _("工单附件")
        ordering = ["uploaded_at", "id"]
        indexes = [
            # the order's current attachments (the pages and the per-order caps)
            models.Index(fields=["work_order", "uploaded_at"], condition=Q(removed_at__isnull=True), name="wo_attachment_current"),
        ]

    def __str__(self):
        return f"{self.work_order_id} {self.original_name}"

    @property
    def is_photo(self) -> bool:
        return self.kind == AttachmentKind.PHOTO
