"""The admin role's master-data import run as a background job with progress (the confirmation queues it; the
page polls it). The file stays where the preview stored it (MEDIA_ROOT/masterdata-imports/) until the job has
read it; the result is stored as message id + params (servicedesk.texts.as_text), read in the reader's language."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("导入中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class JobProgress:
    """Percent done of a background import or export (status, done, total), for the page that polls it; the
    master-data job here and finance's import and export jobs (receivables) share it."""

    @property
    def progress(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return min(100, int(self.done * 100 / self.total)) if self.total else 0


class MasterDataImportJob(JobProgress, models.Model):
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+")
    file = models.CharField(_("文件"), max_length=200)  # the stored file's name under masterdata-imports/
    original_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    # the language active when the import was confirmed: the worker's error texts are written in it (rule 7)
    language = models.CharField(_("语言"), max_length=16, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    total = models.PositiveIntegerField(_("总行数"), default=0)
    done = models.PositiveIntegerField(_("已处理行数"), default=0)
    message = models.TextField(_("结果"), blank=True)
    errors = models.JSONField(_("错误"), default=list, blank=True)
    created_at = models.DateTimeField(_("创建时间"))
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("基础资料导入任务")
        verbose_name_plural = _("基础资料导入任务")
        ordering = ["-created_at"]

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
