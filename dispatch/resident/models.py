"""Resident sites (SPEC §5, R-R1–R-R4): attendance, the monthly report and its approval chain,
the quality evaluation, the documents due per site and month, and the client's signed links."""
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import DayMark, LinkPurpose, Rating, ReportStatus, SheetStatus
from servicedesk.validators import FREE_TEXT_MAX_LENGTH, validate_free_text


class ResidentPost(models.Model):
    """A resident site's group: who leads it (keeps the attendance sheet R-R1, answers for R-M4)."""

    site = models.OneToOneField("servicedesk.Site", verbose_name=_("驻点单位"), on_delete=models.PROTECT, related_name="resident_post")
    lead = models.ForeignKey("servicedesk.Staff", verbose_name=_("驻点组长"), on_delete=models.PROTECT, related_name="resident_posts_led")

    class Meta:
        verbose_name = _("驻点小组")
        verbose_name_plural = _("驻点小组")

    def __str__(self):
        return f"{self.site} · {self.lead}"


class AttendanceSheet(models.Model):
    """R-R1: one sheet per resident site and month, kept by the site's lead, submitted to admin."""

    site = models.ForeignKey("servicedesk.Site", verbose_name=_("驻点单位"), on_delete=models.PROTECT, related_name="attendance_sheets")
    month = models.DateField(_("月份"))  # first day of the month
    lead = models.ForeignKey("servicedesk.Staff", verbose_name=_("驻点组长"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=SheetStatus.choices, default=SheetStatus.DRAFT)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("驻点考勤表")
        verbose_name_plural = _("驻点考勤表")
        ordering = ["-month", "site_id"]
        constraints = [models.UniqueConstraint(fields=["site", "month"], name="one_attendance_sheet_per_site_month")]

    def __str__(self):
        return f"{self.site} {self.month:%Y-%m}"


class AttendanceDay(models.Model):
    sheet = models.ForeignKey(AttendanceSheet, verbose_name=_("考勤表"), on_delete=models.CASCADE, related_name="days")
    technician = models.ForeignKey("servicedesk.Staff", verbose_name=_("技术员"), on_delete=models.PROTECT, related_name="attendance_days")
    day = models.DateField(_("日期"))
    mark = models.CharField(_("考勤"), max_length=10, choices=DayMark.choices)

    class Meta:
        verbose_name = _("考勤记录")
        verbose_name_plural = _("考勤记录")
        ordering = ["day", "technician_id"]
        constraints = [models.UniqueConstraint(fields=["technician", "day"], name="one_attendance_mark_per_day")]
        # dispatch suggestions ask "who is on leave today" (R-W8 Decision, R-R1)
        indexes = [models.Index(fields=["day"], condition=Q(mark="leave"), name="attendance_leave_by_day")]


class ResidentReport(models.Model):
    """R-R2: 驻场服务月度报表 of one resident technician for one month."""

    site = models.ForeignKey("servicedesk.Site", verbose_name=_("驻点单位"), on_delete=models.PROTECT, related_name="resident_reports")
    technician = models.ForeignKey("servicedesk.Staff", verbose_name=_("技术员"), on_delete=models.PROTECT, related_name="resident_reports")
    month = models.DateField(_("月份"))
    status = models.CharField(_("状态"), max_length=24, choices=ReportStatus.choices, default=ReportStatus.DRAFT, db_index=True)
    work_done = models.TextField(_("本月工作内容"), blank=True, max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])
    counts = models.JSONField(_("各类服务次数"), default=dict, blank=True)
    issues = models.TextField(_("存在问题"), blank=True, max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])
    suggestions = models.TextField(_("改进建议"), blank=True, max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])
    first_submitted_at = models.DateTimeField(_("首次提交时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    stamped_by = models.ForeignKey("servicedesk.Staff", verbose_name=_("盖章人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    stamped_at = models.DateTimeField(_("盖章时间"), null=True, blank=True)
    client_rating = models.CharField(_("客户评价"), max_length=10, choices=Rating.choices, blank=True)
    client_comment = models.TextField(_("客户意见"), blank=True, max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])
    client_name = models.CharField(_("评价人"), max_length=40, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    returned_reason = models.TextField(_("退回原因"), blank=True, max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=0)

    class Meta:
        verbose_name = _("驻场服务月度报表")
        verbose_name_plural = _("驻场服务月度报表")
        ordering = ["-month", "site_id", "technician_id"]
        constraints = [models.UniqueConstraint(fields=["technician", "month"], name="one_resident_report_per_technician_month")]

    def __str__(self):
        return f"{self.technician} {self.month:%Y-%m}"

    def count_rows(self) -> list[tuple]:
        """The counts by service kind with their labels, for the pages."""
        from servicedesk.choices import ServiceContent

        labels = dict(ServiceContent.choices)
        return [(labels.get(k, k), n) for k, n in sorted(self.counts.items())]


class ReportStep(models.Model):
    """Who moved a report and when (R-R2): the approvals and the stamp printed on the report."""

    report = models.ForeignKey(ResidentReport, verbose_name=_("月报"), on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("动作"), max_length=16)
    from_status = models.CharField(_("原状态"), max_length=24)
    to_status = models.CharField(_("新状态"), max_length=24)
    by = models.ForeignKey("servicedesk.Staff", verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    by_client = models.CharField(_("客户签名"), max_length=40, blank=True)
    at = models.DateTimeField(_("时间"))
    reason = models.TextField(_("说明"), blank=True, max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])

    class Meta:
        verbose_name = _("月报审批记录")
        verbose_name_plural = _("月报审批记录")
        ordering = ["at", "id"]


class QualityEvaluation(models.Model):
    """R-R4: the month's quality evaluation form of a resident site."""

    site = models.ForeignKey("servicedesk.Site", verbose_name=_("驻点单位"), on_delete=models.PROTECT, related_name="quality_evaluations")
    month = models.DateField(_("月份"))
    content = models.TextField(_("质量评价"), max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])
    submitted_by = models.ForeignKey("servicedesk.Staff", verbose_name=_("提交人"), on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("提交时间"))

    class Meta:
        verbose_name = _("服务质量评价表")
        verbose_name_plural = _("服务质量评价表")
        constraints = [models.UniqueConstraint(fields=["site", "month"], name="one_quality_evaluation_per_site_month")]


class DocumentsDue(models.Model):
    """R-R4: the month's documents of a resident site and their due date — the row the beat scans."""

    site = models.ForeignKey("servicedesk.Site", verbose_name=_("驻点单位"), on_delete=models.PROTECT, related_name="documents_due")
    month = models.DateField(_("月份"))
    due_on = models.DateField(_("截止日期"))
    completed_at = models.DateTimeField(_("资料齐全时间"), null=True, blank=True)
    last_reminded_on = models.DateField(_("最近提醒日期"), null=True, blank=True)
    explanation = models.JSONField(_("计算说明"), default=dict, blank=True)
    provisional = models.BooleanField(
        _("截止日期按法定假日暂算"), default=False, help_text=_("SPEC §11:用到了尚未录入官方日历的年份;录入后自动重算")
    )

    class Meta:
        verbose_name = _("驻点月度资料")
        verbose_name_plural = _("驻点月度资料")
        ordering = ["due_on", "site_id"]
        constraints = [models.UniqueConstraint(fields=["site", "month"], name="one_documents_due_per_site_month")]
        indexes = [models.Index(fields=["due_on"], condition=Q(completed_at__isnull=True), name="resident_documents_open")]


class ClientLink(models.Model):
    """A signed link for a client without an account (rating, survey): one use, recorded here."""

    purpose = models.CharField(_("用途"), max_length=20, choices=LinkPurpose.choices)
    object_id = models.PositiveBigIntegerField(_("对象"))
    nonce = models.CharField(_("随机码"), max_length=32, unique=True)
    token = models.CharField(_("链接令牌"), max_length=200)
    created_at = models.DateTimeField(_("生成时间"))
    created_by = models.ForeignKey("servicedesk.Staff", verbose_name=_("生成人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("作废时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("客户签名链接")
        verbose_name_plural = _("客户签名链接")
        indexes = [models.Index(fields=["purpose", "object_id"])]


__all__ = [
    "AttendanceDay", "AttendanceSheet", "ClientLink", "DocumentsDue", "QualityEvaluation", "ReportStep", "ResidentPost",
    "ResidentReport",
]
