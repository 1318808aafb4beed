"""Penalty points (SPEC §7): proposals from events, confirmed by a manager, never deleted (R-N1, R-N2, R-N4).

A proposal keeps what produced it: the rule, the range and dismissal mark in force on the
event date, and the parameter version(s) they came from (`parameter`, `parameter_version`).
"""
import re

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils import timezone

from servicedesk.months import date_bounds
from servicedesk.texts import Date, message, render

from .choices import (
    RULE_CHOICES,
    DecisionAction,
    DismissalMark,
    FlagDecision,
    FlagStatus,
    JointRole,
    PenaltyStatus,
)
from servicedesk.validators import FREE_TEXT_MAX_LENGTH, validate_free_text


DEFAULT_REPR = re.compile(r"\w+ object \(\d+\)")  # str() of a model without __str__

class PenaltyQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=PenaltyStatus.PENDING)

    def confirmed(self):
        return self.filter(status=PenaltyStatus.CONFIRMED)

    def in_month(self, month):
        start, end = date_bounds(month)
        return self.filter(occurred_on__gte=start, occurred_on__lt=end)


class Penalty(models.Model):
    person = models.ForeignKey(
        "servicedesk.Staff", verbose_name=_("责任人"), on_delete=models.PROTECT, related_name="penalties"
    )
    rule = models.CharField(_("条款"), max_length=8, choices=RULE_CHOICES, db_index=True)
    joint_role = models.CharField(_("连带责任角色"), max_length=16, choices=JointRole.choices, blank=True)
    joint_of = models.ForeignKey(
        "self", verbose_name=_("连带于"), null=True, blank=True, on_delete=models.PROTECT, related_name="joint_penalties"
    )
    source_type = models.ForeignKey(ContentType, verbose_name=_("来源类型"), on_delete=models.PROTECT)
    source_id = models.PositiveBigIntegerField(_("来源编号"))
    source = GenericForeignKey("source_type", "source_id")
    # snapshot of the source at proposal time: lists show it without touching the source tables
    source_label = models.CharField(_("来源"), max_length=200, blank=True)
    source_url = models.CharField(_("来源链接"), max_length=300, blank=True)
    # Rule 7: what the service wrote, as a message (servicedesk.texts) read in the reader's language; a reason
    # written before, or typed by a person, is a plain string and reads as written
    reason = models.JSONField(_("原因"), default=str)
    suggested_points = models.PositiveSmallIntegerField(_("建议扣分"))
    points = models.PositiveSmallIntegerField(_("确认扣分"), null=True, blank=True)
    min_points = models.PositiveSmallIntegerField(_("最低分"))
    max_points = models.PositiveSmallIntegerField(_("最高分"))
    dismissal = models.CharField(_("辞退标记"), max_length=16, choices=DismissalMark.choices, default=DismissalMark.NEVER)
    status = models.CharField(
        _("状态"), max_length=16, choices=PenaltyStatus.choices, default=PenaltyStatus.PENDING, db_index=True
    )
    occurred_on = models.DateField(_("发生日期"), db_index=True)
    parameter = models.JSONField(_("参数版本"), default=dict)
    parameter_version = models.PositiveIntegerField(_("参数版本号"))
    serious = models.BooleanField(_("情节严重"), default=False)
    # P8 Decision: the confirming manager marked the complaint as caused by failed supervision (joint liability)
    failed_supervision = models.BooleanField(_("监管不力"), default=False)
    proposed_at = models.DateTimeField(_("提出时间"))
    proposed_by = models.ForeignKey(
        "servicedesk.Staff", verbose_name=_("提出人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "servicedesk.Staff", verbose_name=_("处理人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_reason = models.TextField(_("处理说明"), blank=True, max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])
    withdrawn_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        "servicedesk.Staff", verbose_name=_("撤销人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdraw_reason = models.TextField(_("撤销原因"), blank=True, max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])

    objects = PenaltyQuerySet.as_manager()

    class Meta:
        verbose_name = _("处罚")
        verbose_name_plural = _("处罚")
        ordering = ["-occurred_on", "-id"]
        constraints = [
            # R-N1: one proposal per (source, rule, person), even when two runs race
            models.UniqueConstraint(
                fields=["source_type", "source_id", "rule", "person"], name="penalty_once_per_source_rule_person"
            ),
            models.CheckConstraint(
                condition=Q(suggested_points__gte=models.F("min_points"), suggested_points__lte=models.F("max_points")),
                name="penalty_suggested_points_in_range",
            ),
            models.CheckConstraint(
                condition=Q(points__isnull=True)
                | Q(points__gte=models.F("min_points"), points__lte=models.F("max_points")),
                name="penalty_points_in_range",
            ),
        ]
        indexes = [
            models.Index(fields=["person", "occurred_on"]),
            # the review queue's default view: the pending proposals, oldest first (bounded screens, rule 8)
            models.Index(fields=["occurred_on", "id"], condition=Q(status="pending"), name="penalty_pending_occurred"),
        ]

    def __str__(self):
        return f"{self.person} {self.rule} {self.get_status_display()}"

    @property
    def is_pending(self) -> bool:
        return self.status == PenaltyStatus.PENDING

    @property
    def is_confirmed(self) -> bool:
        return self.status == PenaltyStatus.CONFIRMED

    @property
    def source_text(self) -> str:
        """The source as a reader names it (rule 2): the stored snapshot, or — for a snapshot that recorded
        Django's default "Model object (pk)" — the source's kind and number."""
        label = render(self.source_label or "")  # a snapshot kept as a message reads in the reader's language
        if not label or DEFAULT_REPR.fullmatch(label):
            model = self.source_type.model_class() if self.source_type_id else None
            kind = str(model._meta.verbose_name) if model is not None else str(_("记录"))
            return f"{kind} #{self.source_id}"
        return label

    @property
    def source_html(self):
        """The source for a page: a stored message in the reader's language (typed names in it marked
        `data-user-text`), a snapshot of typed text marked as such, or the source's kind and number (rule 7)."""
        from django.utils.html import format_html

        from servicedesk.texts import is_text_message, render_html

        label = self.source_label or ""
        if is_text_message(label):
            return render_html(label)
        if not label or DEFAULT_REPR.fullmatch(label):
            return self.source_text
        return format_html("<span data-user-text>{}</span>", label)

    @property
    def range_label(self) -> str:
        return str(self.min_points) if self.min_points == self.max_points else f"{self.min_points}–{self.max_points}"

    @property
    def points_shown(self):
        """The points that count (confirmed) or would count (pending)."""
        return self.points if self.points is not None else self.suggested_points

    def in_range(self, points) -> bool:
        return points is not None and self.min_points <= int(points) <= self.max_points

    def can_confirm(self) -> bool:
        return self.is_pending

    def can_withdraw(self) -> bool:
        return self.is_confirmed


class PenaltyDecision(models.Model):
    """Audit trail (R-N4): every propose / confirm / change / reject / withdraw — who, when, why."""

    penalty = models.ForeignKey(Penalty, on_delete=models.PROTECT, related_name="decisions")
    action = models.CharField(_("动作"), max_length=16, choices=DecisionAction.choices)
    by = models.ForeignKey(
        "servicedesk.Staff", verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("时间"))
    points_before = models.PositiveSmallIntegerField(_("原分数"), null=True, blank=True)
    points_after = models.PositiveSmallIntegerField(_("新分数"), null=True, blank=True)
    reason = models.JSONField(_("说明"), default=str, blank=True)  # the proposal's message, or the words typed

    class Meta:
        verbose_name = _("处罚处理记录")
        verbose_name_plural = _("处罚处理记录")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.penalty_id} {self.get_action_display()}"


class DismissalFlag(models.Model):
    """R-N2: a flag for the manager's decision; nothing happens to the person's account automatically."""

    person = models.ForeignKey(
        "servicedesk.Staff", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="dismissal_flags"
    )
    penalty = models.OneToOneField(Penalty, verbose_name=_("处罚"), on_delete=models.PROTECT, related_name="dismissal_flag")
    raised_at = models.DateTimeField(_("提出时间"))
    reason = models.JSONField(_("原因"), default=str)  # rule 7: a message, read in the reader's language
    status = models.CharField(_("状态"), max_length=16, choices=FlagStatus.choices, default=FlagStatus.OPEN, db_index=True)
    decision = models.CharField(_("决定"), max_length=16, choices=FlagDecision.choices, blank=True)
    decided_by = models.ForeignKey(
        "servicedesk.Staff", verbose_name=_("决定人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decision_reason = models.TextField(_("决定说明"), blank=True, max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])

    class Meta:
        verbose_name = _("辞退提示")
        verbose_name_plural = _("辞退提示")
        ordering = ["status", "-raised_at"]

    def __str__(self):
        return f"{self.person} {self.get_status_display()}"


class RecordedOffence(models.Model):
    """R-N5: an offence no event reveals, recorded by a manager, supervisor, team lead or coordinator.

    It is the source of one pending Penalty (the proposal the manager confirms like any other);
    like every penalty record it is never deleted.
    """

    person = models.ForeignKey(
        "servicedesk.Staff", verbose_name=_("当事人"), on_delete=models.PROTECT, related_name="recorded_offences"
    )
    rule = models.CharField(_("条款"), max_length=8, choices=RULE_CHOICES)
    occurred_at = models.DateTimeField(_("发生时间"))
    observed = models.TextField(_("所见情况"), max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])
    photo = models.FileField(_("照片"), upload_to="offences/%Y/%m/", blank=True)
    recorded_by = models.ForeignKey(
        "servicedesk.Staff", verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="offences_recorded"
    )
    recorded_at = models.DateTimeField(_("记录时间"), db_index=True)

    class Meta:
        verbose_name = _("违规记录")
        verbose_name_plural = _("违规记录")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["person", "occurred_at"])]

    def __str__(self):
        return f"{self.rule} · {self.person} · {self.occurred_at:%Y-%m-%d}"

    def label_message(self) -> dict:
        """The offence as a penalty's source names it: the clause, the person as typed, the day (rule 7)."""
        return message("%(rule)s · %(person)s · %(day)s", rule=self.rule, person=str(self.person),
                       day=Date(timezone.localtime(self.occurred_at).date()))

    def get_absolute_url(self):
        return f"/penalties/offences/{self.pk}/"
