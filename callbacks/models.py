"""Callbacks (回访) after every resolved visit (SPEC §4). The deadline is a row (rule 3)."""
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from django.utils.translation import gettext_noop as N_

from servicedesk.models.labels import FastChoiceLabels
from django.utils import timezone

from servicedesk.texts import Date, message

from .choices import (
    CallbackStatus, ComplaintCause, ComplaintChannel, ComplaintOutcome, ComplaintStatus, Question, Satisfaction, SatisfactionSource,
    WindowRule,
)
from servicedesk.validators import FREE_TEXT_MAX_LENGTH, validate_free_text

OPEN_STATUSES = (CallbackStatus.PENDING, CallbackStatus.DUE, CallbackStatus.OVERDUE)


class CallbackQuerySet(models.QuerySet):
    def to_open(self, *, now):
        return self.filter(status=CallbackStatus.PENDING, window_opens_at__lte=now, due_at__gte=now)

    def newly_overdue(self, *, now):
        return self.filter(status__in=(CallbackStatus.PENDING, CallbackStatus.DUE), due_at__lt=now)

    def queue(self):
        """The call screen's order: the earliest deadline first — so the overdue ones (deadline passed) come
        first, and one whose deadline passed a moment ago comes with them before the scan has marked it.
        Read through the partial index `callback_open_due` (10 000 open callbacks cost what 10 do)."""
        return self.filter(status__in=OPEN_STATUSES).order_by("due_at", "pk")


class Callback(FastChoiceLabels, models.Model):
    work_order = models.OneToOneField(
        "servicedesk.WorkOrder", verbose_name=_("工单"), on_delete=models.PROTECT, related_name="callback"
    )
    client = models.ForeignKey("servicedesk.Client", verbose_name=_("客户"), on_delete=models.PROTECT, related_name="callbacks")
    technician = models.ForeignKey(
        "servicedesk.Staff", verbose_name=_("服务技术员"), on_delete=models.PROTECT, related_name="callbacks_about"
    )
    completed_at = models.DateTimeField(_("服务完成时间"), db_index=True)
    window_opens_at = models.DateTimeField(_("最早回访时间"))
    due_at = models.DateTimeField(_("回访截止时间"), db_index=True)
    window_rule = models.CharField(_("回访时限依据"), max_length=20, choices=WindowRule.choices)
    explanation = models.JSONField(_("时限说明"), default=dict)
    status = models.CharField(_("状态"), max_length=16, choices=CallbackStatus.choices, default=CallbackStatus.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("未接通次数"), default=0)
    overdue_at = models.DateTimeField(_("逾期标记时间"), null=True, blank=True)
    # the answers (R-K3)
    answered_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        "servicedesk.Staff", verbose_name=_("回访人"), null=True, blank=True, on_delete=models.PROTECT, related_name="callbacks_made"
    )
    badge = models.BooleanField(Question.BADGE.label, null=True)
    explained = models.BooleanField(Question.EXPLAINED.label, null=True)
    cleaned = models.BooleanField(Question.CLEANED.label, null=True)
    signed = models.BooleanField(Question.SIGNED.label, null=True)
    satisfaction = models.CharField(_("满意度"), max_length=16, choices=Satisfaction.choices, blank=True)
    # R-K3: the satisfaction may come from the client's own page before the call (recorded as theirs)
    satisfaction_source = models.CharField(_("满意度来源"), max_length=8, choices=SatisfactionSource.choices, blank=True)
    client_rated_at = models.DateTimeField(_("客户自评时间"), null=True, blank=True)
    complaint = models.TextField(_("客户意见/投诉"), blank=True, max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])
    late = models.BooleanField(_("超出回访时间"), default=False)

    objects = CallbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("回访")
        verbose_name_plural = _("回访")
        ordering = ["due_at"]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["due_at", "id"], name="callback_open_due", condition=Q(status__in=OPEN_STATUSES)),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(due_at__gte=models.F("window_opens_at")), name="callback_window_ordered"),
        ]

    def __str__(self):
        return f"{self.work_order.number} · {self.get_status_display()}"

    def label_message(self) -> dict:
        """The callback as a penalty's source names it, in the reader's language (rule 7)."""
        return message(N_("%(wo)s · %(what)s"), wo=self.work_order.number, what=self._meta.verbose_name)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def answers(self) -> dict:
        return {q: getattr(self, q) for q in Question.values}


class CallAttempt(models.Model):
    callback = models.ForeignKey(Callback, verbose_name=_("回访"), on_delete=models.CASCADE, related_name="call_attempts")
    at = models.DateTimeField(_("时间"))
    by = models.ForeignKey("servicedesk.Staff", verbose_name=_("拨打人"), on_delete=models.PROTECT, related_name="+")
    answered = models.BooleanField(_("接通"))

    class Meta:
        verbose_name = _("拨打记录")
        verbose_name_plural = _("拨打记录")
        ordering = ["at"]


class CallbackViolation(models.Model):
    """One "no" on items 1–4 (R-K4): the source of one P6 proposal."""

    callback = models.ForeignKey(Callback, verbose_name=_("回访"), on_delete=models.PROTECT, related_name="violations")
    item = models.CharField(_("项目"), max_length=16, choices=Question.choices)

    class Meta:
        verbose_name = _("违反操作规范")
        verbose_name_plural = _("违反操作规范")
        constraints = [models.UniqueConstraint(fields=["callback", "item"], name="callback_violation_once_per_item")]

    def __str__(self):
        return f"{self.callback.work_order.number} · {self.get_item_display()}"

    def label_message(self) -> dict:
        return message(N_("%(wo)s · %(what)s"), wo=self.callback.work_order.number, what=Question(self.item).label)


class ComplaintQuerySet(models.QuerySet):
    def reply_overdue(self, *, now):
        """R-K10: not replied by the deadline and not yet alerted (the partial index's rows)."""
        return self.filter(replied_at__isnull=True, overdue_at__isnull=True, reply_due_at__lt=now)


class Complaint(models.Model):
    """R-K5/R-K10: a client's complaint from any channel, with an owner and a reply deadline (a row the beat scans).

    `technician` is the person the complaint names when it is taken; that proposes nothing. Only the manager's
    decision (`outcome`) names who is `responsible`: own_work proposes P8 to them and counts for R-M2."""

    callback = models.OneToOneField(
        Callback, verbose_name=_("回访"), null=True, blank=True, on_delete=models.PROTECT, related_name="complaint_record"
    )
    channel = models.CharField(_("渠道"), max_length=16, choices=ComplaintChannel.choices, default=ComplaintChannel.CALLBACK)
    work_order = models.ForeignKey(
        "servicedesk.WorkOrder", verbose_name=_("工单"), null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    client = models.ForeignKey("servicedesk.Client", verbose_name=_("客户"), on_delete=models.PROTECT, related_name="complaints")
    technician = models.ForeignKey(
        "servicedesk.Staff", verbose_name=_("涉及人员"), null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    words = models.TextField(_("客户原话"), max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])
    satisfaction = models.CharField(_("满意度"), max_length=16, choices=Satisfaction.choices, blank=True)
    created_at = models.DateTimeField(_("登记时间"), db_index=True)
    created_by = models.ForeignKey(
        "servicedesk.Staff", verbose_name=_("登记人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("空 = 客户通过签名链接自行提交"),
    )
    status = models.CharField(_("状态"), max_length=16, choices=ComplaintStatus.choices, default=ComplaintStatus.OPEN)
    handled_by = models.ForeignKey(
        "servicedesk.Staff", verbose_name=_("处理人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    resolution = models.TextField(_("处理结果"), blank=True, max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])
    # R-K10
    owner = models.ForeignKey(
        "servicedesk.Staff", verbose_name=_("负责人"), null=True, blank=True, on_delete=models.PROTECT, related_name="complaints_owned"
    )
    reply_due_at = models.DateTimeField(_("答复期限"), null=True, blank=True)
    reply_explanation = models.JSONField(_("期限说明"), default=dict, blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("逾期提醒时间"), null=True, blank=True)
    root_cause = models.TextField(_("根本原因"), blank=True, max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])
    agreed_fix = models.TextField(_("商定的解决办法"), blank=True, max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])
    fix_due_on = models.DateField(_("解决日期"), null=True, blank=True)
    client_confirmed_at = models.DateTimeField(_("客户确认时间"), null=True, blank=True)
    client_confirmation = models.TextField(_("客户确认意见"), blank=True, max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])
    serious = models.BooleanField(_("情节严重"), default=False)
    gm_reported_at = models.DateTimeField(_("上报总经办时间"), null=True, blank=True)
    # R-K10 Decision: the manager's decision — whose, if anyone's, the complaint is
    outcome = models.CharField(_("判定结果"), max_length=16, choices=ComplaintOutcome.choices, blank=True, db_index=True)
    responsible = models.ForeignKey(
        "servicedesk.Staff", verbose_name=_("责任人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="complaints_responsible",
    )
    cause = models.CharField(_("原因类别"), max_length=16, choices=ComplaintCause.choices, blank=True)
    decided_by = models.ForeignKey(
        "servicedesk.Staff", verbose_name=_("判定人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("判定时间"), null=True, blank=True)
    decision_reason = models.TextField(_("判定理由"), blank=True, max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = _("客户投诉")
        verbose_name_plural = _("客户投诉")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["reply_due_at"], condition=Q(replied_at__isnull=True, overdue_at__isnull=True),
                name="complaint_reply_due_open",
            )
        ]
        constraints = [
            # R-K10: a person is responsible exactly when the complaint was decided "the person's own work"
            models.CheckConstraint(
                condition=Q(outcome=ComplaintOutcome.OWN_WORK, responsible__isnull=False)
                | (~Q(outcome=ComplaintOutcome.OWN_WORK) & Q(responsible__isnull=True)),
                name="complaint_responsible_iff_own_work",
            ),
        ]

    def __str__(self):
        return f"{self.client} · {self.created_at:%Y-%m-%d}"

    def label_message(self) -> dict:
        """The complaint as a penalty's source names it: the client as typed, the day (rule 7)."""
        return message("%(client)s · %(day)s", client=str(self.client), day=Date(timezone.localtime(self.created_at).date()))

    def get_absolute_url(self):
        return f"/callbacks/complaints/{self.pk}/"

    @property
    def is_decided(self) -> bool:
        return bool(self.outcome)

    @property
    def is_reply_overdue(self) -> bool:
        return self.overdue_at is not None and self.replied_at is None
