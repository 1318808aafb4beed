"""The monthly report (R-T1, R-T2): one stored snapshot per month.

The compiled figures are kept as canonical JSON text (sorted keys, fixed separators, decimals as strings),
so compiling the same month over the same data gives a byte-identical body; `digest` is its SHA-256.
An approved month is frozen: compile and approve refuse it (409), and it stays in the archive for admin.
Reports are never deleted (PROTECT on every link; no delete in admin).
"""
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    APPROVED = "approved", _("已审批")


class MonthlyReport(models.Model):
    month = models.DateField(_("月份"), unique=True, help_text=_("该月第一天"))
    status = models.CharField(_("状态"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT, db_index=True)
    body = models.TextField(_("报表内容 (JSON)"))
    digest = models.CharField(_("内容摘要 (SHA-256)"), max_length=64)
    compiled_at = models.DateTimeField(_("编制时间"))
    compiled_by = models.ForeignKey(
        "servicedesk.Staff", verbose_name=_("编制人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    compile_count = models.PositiveIntegerField(_("编制次数"), default=0)
    auto_compiled_at = models.DateTimeField(_("定时任务编制时间"), null=True, blank=True)
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        "servicedesk.Staff", verbose_name=_("审批人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("月度报表")
        verbose_name_plural = _("月度报表")
        ordering = ["-month"]

    def __str__(self):
        return f"{self.month:%Y-%m} · {self.get_status_display()}"

    @property
    def is_approved(self) -> bool:
        return self.status == ReportStatus.APPROVED

    @property
    def data(self) -> dict:
        import json

        cached = self.__dict__.get("_data")
        if cached is None or cached[0] != self.digest:
            cached = (self.digest, json.loads(self.body))
            self.__dict__["_data"] = cached
        return cached[1]
