"""Dispatch records (SPEC §3): who holds a work order, its deadlines, refusals, hand-overs,
the close-out form and the carry-in repair record. Writes happen in dispatch/services/."""
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from django.utils.translation import gettext_noop as N_

from servicedesk.localtime import local_dt
from servicedesk.texts import Date, message
from servicedesk.models.labels import FastChoiceLabels

from .choices import AssignmentEnd, DeadlineKind, ResidentReason
from servicedesk.validators import FREE_TEXT_MAX_LENGTH, validate_free_text


class Assignment(models.Model):
    """One holding of a work order by one technician (R-W11: exactly one open row per work order).

    Also the basis of the R-W8 load rule: a technician's visits of a day are the assignments
    started that day that were not taken back (refused, reassigned, cancelled)."""

    work_order = models.ForeignKey("servicedesk.WorkOrder", verbose_name=_("工单"), on_delete=models.PROTECT, related_name="assignments")
    technician = models.ForeignKey("servicedesk.Staff", verbose_name=_("负责人"), on_delete=models.PROTECT, related_name="assignments")
    by = models.ForeignKey("servicedesk.Staff", verbose_name=_("派单人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("开始时间"), db_index=True)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    end_reason = models.CharField(_("结束原因"), max_length=16, choices=AssignmentEnd.choices, blank=True)
    load_warning_overridden = models.BooleanField(_("超出每日上门上限仍派单"), default=False)  # R-W8
    # R-W5 decision: a resident-site request dispatched to someone other than the site's residents says why
    resident_reason = models.CharField(_("未派驻点技术员的原因"), max_length=16, choices=ResidentReason.choices, blank=True)
    resident_reason_note = models.CharField(_("原因说明"), max_length=200, blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)

    class Meta:
        verbose_name = _("派单记录")
        verbose_name_plural = _("派单记录")
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["work_order"], condition=Q(ended_at__isnull=True), name="one_open_assignment_per_work_order")
        ]

    def __str__(self):
        return f"{self.work_order_id} → {self.technician_id} @ {local_dt(self.at)}"


class DeadlineQuerySet(models.QuerySet):
    def open(self):
        return self.filter(met_at__isnull=True, cancelled_at__isnull=True)

    def breach_candidates(self, *, now):
        """SLA rows past due and not yet marked: never met, or met late (caught up on the next scan)."""
        from .choices import SLA_KINDS

        return self.filter(
            kind__in=SLA_KINDS, cancelled_at__isnull=True, breached_at__isnull=True, due_at__lt=now
        ).filter(Q(met_at__isnull=True) | Q(met_at__gt=models.F("due_at")))


class Deadline(FastChoiceLabels, models.Model):
    """A response deadline (R-W4…R-W6) or the carry-in return deadline (R-W13), written with its cause."""

    work_order = models.ForeignKey("servicedesk.WorkOrder", verbose_name=_("工单"), on_delete=models.PROTECT, related_name="deadlines")
    kind = models.CharField(_("类型"), max_length=20, choices=DeadlineKind.choices)
    rule = models.CharField(_("规则"), max_length=10)
    technician = models.ForeignKey("servicedesk.Staff", verbose_name=_("责任人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("起算时间"))
    due_at = models.DateTimeField(_("截止时间"), db_index=True)
    warn_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)
    met_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    breached_at = models.DateTimeField(_("超时标记时间"), null=True, blank=True)
    warned_at = models.DateTimeField(_("已提醒时间"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("已升级时间"), null=True, blank=True)
    explanation = models.JSONField(_("计算说明"), default=dict, blank=True)

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        verbose_name = _("时限")
        verbose_name_plural = _("时限")
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["kind", "due_at"]),
            # The every-minute R-W7 scan reads only the rows that can still breach: not breached, not
            # cancelled, and not met in time — the index stays small however long the history (docs/developers.md rule 3).
            models.Index(
                fields=["due_at"],
                condition=Q(breached_at__isnull=True, cancelled_at__isnull=True)
                & (Q(met_at__isnull=True) | Q(met_at__gt=models.F("due_at"))),
                name="deadline_breach_scan",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.work_order.number} @ {local_dt(self.due_at)}"

    def label_message(self) -> dict:
        """The deadline as a penalty's source names it, in the reader's language (rule 7)."""
        return message(N_("%(kind)s %(wo)s @ %(at)s"), kind=DeadlineKind(self.kind).label, wo=self.work_order.number,
                       at=Date(self.due_at))

    @property
    def is_open(self) -> bool:
        return self.met_at is None and self.cancelled_at is None

    @property
    def was_breached(self) -> bool:
        return self.breached_at is not None


class Refusal(models.Model):
    """R-W9: a technician refused a dispatch; the coordinator may judge it unjustified (→ P1 proposal)."""

    work_order = models.ForeignKey("servicedesk.WorkOrder", verbose_name=_("工单"), on_delete=models.PROTECT, related_name="refusals")
    technician = models.ForeignKey("servicedesk.Staff", verbose_name=_("技术员"), on_delete=models.PROTECT, related_name="refusals")
    at = models.DateTimeField(_("拒单时间"))
    reason = models.TextField(_("拒单原因"), max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])
    unjustified = models.BooleanField(_("无正当理由"), null=True, blank=True)
    judged_by = models.ForeignKey("servicedesk.Staff", verbose_name=_("判定人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    judged_at = models.DateTimeField(_("判定时间"), null=True, blank=True)
    judgement_note = models.TextField(_("判定说明"), blank=True, max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])

    class Meta:
        verbose_name = _("拒单记录")
        verbose_name_plural = _("拒单记录")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.work_order_id} {self.technician_id} @ {local_dt(self.at)}"


class HandOver(models.Model):
    """R-W11 维修工作交接: the holder hands the work order to the technical team lead with notes."""

    work_order = models.ForeignKey("servicedesk.WorkOrder", verbose_name=_("工单"), on_delete=models.PROTECT, related_name="handovers")
    from_staff = models.ForeignKey("servicedesk.Staff", verbose_name=_("移交人"), on_delete=models.PROTECT, related_name="+")
    to_staff = models.ForeignKey("servicedesk.Staff", verbose_name=_("接手人"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("交接时间"))
    notes = models.TextField(_("交接说明"), max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])
    status_at_handover = models.CharField(_("交接时状态"), max_length=20)

    class Meta:
        verbose_name = _("维修工作交接")
        verbose_name_plural = _("维修工作交接")
        ordering = ["at", "id"]


class CloseOut(models.Model):
    """R-W10: the visit's service form. Irregular forms found later propose P4."""

    work_order = models.OneToOneField("servicedesk.WorkOrder", verbose_name=_("工单"), on_delete=models.PROTECT, related_name="close_out")
    technician = models.ForeignKey("servicedesk.Staff", verbose_name=_("技术员"), on_delete=models.PROTECT, related_name="+")
    work_done = models.TextField(_("工作内容"), max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])
    fault_cause = models.TextField(_("故障原因"), max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])
    advice = models.TextField(_("给客户的建议"), max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])
    software_installed = models.TextField(_("安装的软件"), blank=True, max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])
    lines = models.JSONField(_("配件/耗材/维修/软件"), default=list, blank=True)
    started_at = models.DateTimeField(_("开始时间"))
    ended_at = models.DateTimeField(_("结束时间"))
    signature_name = models.CharField(_("客户签名"), max_length=40)
    # R-W10: the client's drawn signature (signature_pad, SVG data URL), beside the typed name (which stays required).
    signature_drawing = models.TextField(_("客户手写签名"), blank=True)
    completed_at = models.DateTimeField(_("完成时间"))
    recorded_at = models.DateTimeField(_("提交时间"))
    over_duration = models.BooleanField(_("超过时长上限"), default=False)  # R-W10: flagged, not refused
    second_service_of = models.ForeignKey(
        "servicedesk.WorkOrder", verbose_name=_("二次服务的前次工单"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    explanation = models.JSONField(_("计算说明"), default=dict, blank=True)
    irregular = models.BooleanField(_("填写不规范"), default=False)
    irregular_by = models.ForeignKey("servicedesk.Staff", verbose_name=_("判定人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    irregular_at = models.DateTimeField(_("判定时间"), null=True, blank=True)
    irregular_reason = models.TextField(_("不规范原因"), blank=True, max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])

    class Meta:
        verbose_name = _("服务单")
        verbose_name_plural = _("服务单")
        ordering = ["-completed_at"]
        indexes = [models.Index(fields=["completed_at"], name="closeout_completed_at")]  # a day's or a month's visits

    def __str__(self):
        return f"{self.work_order_id} {local_dt(self.completed_at)}"

    @property
    def part_replaced(self) -> bool:
        return any(line.get("kind") == "part" for line in self.lines)


class CarryInRepair(models.Model):
    """R-W12/R-W13: the carry-in repair record of a work order received at the company."""

    work_order = models.OneToOneField("servicedesk.WorkOrder", verbose_name=_("工单"), on_delete=models.PROTECT, related_name="carry_in")
    received_at = models.DateTimeField(_("接收时间"))
    diagnosis = models.TextField(_("检测结论"), blank=True, max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])
    expected_ready_on = models.DateField(_("预计修好日期"), null=True, blank=True)
    client_told_at = models.DateTimeField(_("告知客户时间"), null=True, blank=True)
    client_continue = models.BooleanField(_("客户同意继续维修"), null=True, blank=True)
    client_answer_note = models.TextField(_("客户答复"), blank=True, max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])
    client_answered_at = models.DateTimeField(_("客户答复时间"), null=True, blank=True)
    testing_started_at = models.DateTimeField(_("开始测试时间"), null=True, blank=True)
    test_days = models.PositiveIntegerField(_("测试天数"), null=True, blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    completion_remark = models.CharField(_("完成说明"), max_length=120, blank=True)
    returned_at = models.DateTimeField(_("返还时间"), null=True, blank=True)
    returned_by = models.ForeignKey("servicedesk.Staff", verbose_name=_("返还经办"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("送修记录")
        verbose_name_plural = _("送修记录")


class ClientChase(models.Model):
    """R-W12: the carry-in client had to call in because nobody told them (→ P8 proposal)."""

    work_order = models.ForeignKey("servicedesk.WorkOrder", verbose_name=_("工单"), on_delete=models.PROTECT, related_name="client_chases")
    technician = models.ForeignKey("servicedesk.Staff", verbose_name=_("责任技术员"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("来电时间"))
    recorded_by = models.ForeignKey("servicedesk.Staff", verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("说明"), max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])

    class Meta:
        verbose_name = _("客户来电催问")
        verbose_name_plural = _("客户来电催问")
        ordering = ["-at"]

    def __str__(self):
        return _("%(wo)s 客户来电催问 %(at)s") % {"wo": self.work_order.number, "at": local_dt(self.at)}

    def label_message(self) -> dict:
        return message(N_("%(wo)s 客户来电催问 %(at)s"), wo=self.work_order.number, at=Date(self.at))


# R-R1…R-R6: resident sites, team projects and maintenance contracts live in sub-packages; imported here
# so the dispatch app (and its migrations) owns their models.
from .contracts.models import *  # noqa: E402,F401,F403
from .projects.models import *  # noqa: E402,F401,F403
from .resident.models import *  # noqa: E402,F401,F403
