"""Team projects (R-R5): members and tasks, the lead's daily reports, work records, the client's
survey, and the bonus shares computed at completion (R-M6–R-M8)."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import ProjectKind, ProjectStatus, Satisfaction, ShareRole
from servicedesk.validators import FREE_TEXT_MAX_LENGTH, validate_free_text


class Project(models.Model):
    number = models.CharField(_("项目编号"), max_length=20, unique=True, editable=False)
    name = models.CharField(_("项目名称"), max_length=120)
    client = models.ForeignKey("servicedesk.Client", verbose_name=_("客户"), on_delete=models.PROTECT, related_name="projects")
    site = models.ForeignKey("servicedesk.Site", verbose_name=_("网点"), on_delete=models.PROTECT, related_name="projects")
    kind = models.CharField(_("项目类型"), max_length=16, choices=ProjectKind.choices)
    contract_amount = models.DecimalField(
        _("合同金额"), max_digits=12, decimal_places=2, null=True, blank=True, help_text=_("团队服务(R-M5)没有合同金额")
    )
    manager = models.ForeignKey("servicedesk.Staff", verbose_name=_("项目经理/组长"), on_delete=models.PROTECT, related_name="projects_managed")
    documents_responsible = models.ForeignKey(
        "servicedesk.Staff", verbose_name=_("资料责任人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("R-M8:空表示项目经理"),
    )
    planned_start = models.DateField(_("计划开始"))
    planned_end = models.DateField(_("计划结束"))
    person_days = models.PositiveIntegerField(_("预计人天"), null=True, blank=True)
    documents_due = models.DateField(_("资料截止日期"))
    manual_pool = models.DecimalField(_("经理确定的奖金池"), max_digits=12, decimal_places=2, null=True, blank=True)
    manual_manager_share = models.DecimalField(_("经理确定的项目经理份额"), max_digits=12, decimal_places=2, null=True, blank=True)
    work_order = models.ForeignKey("servicedesk.WorkOrder", verbose_name=_("来源工单"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    contract = models.ForeignKey(
        "dispatch.MaintenanceContract", verbose_name=_("维保合同"), null=True, blank=True, on_delete=models.PROTECT, related_name="projects"
    )
    status = models.CharField(_("状态"), max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED, db_index=True)
    summary_report = models.TextField(_("项目总结报告"), blank=True, max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])
    summary_sent_at = models.DateTimeField(_("总结报告提交客户时间"), null=True, blank=True)
    contract_fulfilled = models.BooleanField(_("合同已履行"), null=True, blank=True)
    documents_complete_on = models.DateField(_("资料齐全日期"), null=True, blank=True)
    client_satisfied = models.BooleanField(_("客户满意"), null=True, blank=True)
    pool = models.DecimalField(_("奖金池"), max_digits=12, decimal_places=2, null=True, blank=True)
    pool_explanation = models.JSONField(_("奖金池说明"), default=dict, blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True, db_index=True)
    completed_by = models.ForeignKey("servicedesk.Staff", verbose_name=_("确认人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey("servicedesk.Staff", verbose_name=_("创建人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        verbose_name = _("团队项目")
        verbose_name_plural = _("团队项目")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.number} {self.name}"

    @property
    def responsible_id(self):
        return self.documents_responsible_id or self.manager_id


class ProjectMember(models.Model):
    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="members")
    staff = models.ForeignKey("servicedesk.Staff", verbose_name=_("组员"), on_delete=models.PROTECT, related_name="project_memberships")
    task = models.CharField(_("任务分工"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("项目组员")
        verbose_name_plural = _("项目组员")
        ordering = ["staff_id"]
        constraints = [models.UniqueConstraint(fields=["project", "staff"], name="project_member_once")]


class DailyReport(models.Model):
    """R-R5: the lead's daily report to the manager."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="daily_reports")
    on = models.DateField(_("日期"))
    by = models.ForeignKey("servicedesk.Staff", verbose_name=_("填报人"), on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("当日进展"), max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])
    created_at = models.DateTimeField(_("提交时间"))

    class Meta:
        verbose_name = _("项目日报")
        verbose_name_plural = _("项目日报")
        ordering = ["-on", "-id"]
        constraints = [models.UniqueConstraint(fields=["project", "on"], name="one_daily_report_per_project_day")]


class WorkRecord(models.Model):
    """R-R5: a technician's work record (equipment serials, quantities)."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="work_records")
    technician = models.ForeignKey("servicedesk.Staff", verbose_name=_("技术员"), on_delete=models.PROTECT, related_name="+")
    on = models.DateField(_("日期"))
    serials = models.TextField(_("设备序列号"), blank=True, max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])
    quantity = models.PositiveIntegerField(_("数量"), default=1)
    note = models.TextField(_("工作内容"), blank=True, max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])
    created_at = models.DateTimeField(_("提交时间"))

    class Meta:
        verbose_name = _("项目工作记录")
        verbose_name_plural = _("项目工作记录")
        ordering = ["-on", "-id"]


class ProjectSurvey(models.Model):
    """R-R5: the client's satisfaction survey, answered through a signed link."""

    project = models.OneToOneField(Project, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="survey")
    needs = models.TextField(_("需求"), blank=True, max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])
    staffing_timing = models.TextField(_("人员与时间安排"), blank=True, max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])
    work_done = models.TextField(_("完成的工作"), blank=True, max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])
    summary = models.TextField(_("总结"), blank=True, max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])
    satisfaction = models.CharField(_("满意度"), max_length=16, choices=Satisfaction.choices)
    client_name = models.CharField(_("填写人"), max_length=40, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"))

    class Meta:
        verbose_name = _("项目客户满意度调查")
        verbose_name_plural = _("项目客户满意度调查")


class ProjectShare(models.Model):
    """R-M6–R-M8: one person's part of the pool; never deleted (financial record)."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="shares")
    person = models.ForeignKey("servicedesk.Staff", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="project_shares")
    role = models.CharField(_("身份"), max_length=12, choices=ShareRole.choices)
    gross = models.DecimalField(_("分配额"), max_digits=12, decimal_places=2)
    deduction = models.DecimalField(_("迟交资料扣减"), max_digits=12, decimal_places=2, default=0)
    amount = models.DecimalField(_("实得"), max_digits=12, decimal_places=2)
    explanation = models.JSONField(_("计算说明"), default=dict, blank=True)

    class Meta:
        verbose_name = _("项目奖金分配")
        verbose_name_plural = _("项目奖金分配")
        ordering = ["project_id", "role", "person_id"]
        constraints = [models.UniqueConstraint(fields=["project", "person", "role"], name="project_share_once")]


__all__ = ["DailyReport", "Project", "ProjectMember", "ProjectShare", "ProjectSurvey", "WorkRecord"]
