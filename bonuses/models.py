"""Models of the month close (SPEC §8, R-M9): awards (one money line each) and monthly statements.

An award is the stored result of one rule for one person in one month, with the rule, the inputs and
the parameter versions in `explanation` ("why ¥100?"). `source` is the stable key of what caused it;
(person, month, rule, source) is unique so a re-run of the compile updates the same row (idempotent).
A draft award the re-run no longer produces is marked superseded, never deleted. A correction to an
approved month is an *adjustment* award of a later month whose `adjusts` cites the original.
"""
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from servicedesk.texts import render

from .choices import LOCKED_STATUSES, AwardKind, MoneyRule, StatementStatus


class AwardQuerySet(models.QuerySet):
    def current(self):
        return self.filter(superseded_at__isnull=True)

    def in_month(self, month):
        return self.filter(month=month.replace(day=1))


class Award(models.Model):
    person = models.ForeignKey("servicedesk.Staff", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="awards")
    month = models.DateField(_("月份"), db_index=True, help_text=_("该月 1 日"))
    rule = models.CharField(_("规则"), max_length=8, choices=MoneyRule.choices)
    kind = models.CharField(_("类别"), max_length=16, choices=AwardKind.choices)
    amount = models.DecimalField(_("金额"), max_digits=12, decimal_places=2)
    explanation = models.JSONField(_("计算说明"), default=dict)
    source = models.CharField(_("来源"), max_length=120)
    adjusts = models.ForeignKey(
        "self", verbose_name=_("更正的原记录"), null=True, blank=True, on_delete=models.PROTECT, related_name="adjustments"
    )
    adjusts_month = models.DateField(_("更正的月份"), null=True, blank=True)
    statement = models.ForeignKey(
        "bonuses.Statement", verbose_name=_("月度结算单"), on_delete=models.PROTECT, related_name="awards"
    )
    compiled_at = models.DateTimeField(_("计算时间"))
    superseded_at = models.DateTimeField(_("作废时间"), null=True, blank=True)

    objects = AwardQuerySet.as_manager()

    class Meta:
        verbose_name = _("奖罚记录")
        verbose_name_plural = _("奖罚记录")
        ordering = ["month", "person_id", "rule", "source"]
        constraints = [
            models.UniqueConstraint(fields=["person", "month", "rule", "source"], name="award_once_per_person_month_rule_source"),
            models.CheckConstraint(condition=Q(kind__in=AwardKind.values), name="award_kind_known"),
        ]
        indexes = [models.Index(fields=["month", "person"], condition=Q(superseded_at__isnull=True), name="award_current_idx")]

    def __str__(self):
        return f"{self.person_id} {self.month:%Y-%m} {self.rule} {self.amount}"

    @property
    def is_adjustment(self) -> bool:
        return self.adjusts_month is not None

    @property
    def signed_amount(self):
        """Money to the person: rewards, allowances and bonuses add, fines subtract."""
        return -self.amount if self.kind == AwardKind.FINE else self.amount

    @property
    def text(self) -> str:
        """Why, in the reader's language: the stored message (rule 7), or a line written before as it was written."""
        return render((self.explanation or {}).get("text", ""))


class StatementQuerySet(models.QuerySet):
    def in_month(self, month):
        return self.filter(month=month.replace(day=1))

    def locked(self):
        return self.filter(status__in=LOCKED_STATUSES)


class Statement(models.Model):
    """R-M9: one person's month — draft → approved by the manager → archived by admin."""

    person = models.ForeignKey("servicedesk.Staff", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="statements")
    month = models.DateField(_("月份"), db_index=True)
    status = models.CharField(_("状态"), max_length=16, choices=StatementStatus.choices, default=StatementStatus.DRAFT)
    penalty_points = models.PositiveIntegerField(_("当月扣分"), default=0)
    penalty_explanation = models.JSONField(_("扣分说明"), default=dict, blank=True)
    compiled_at = models.DateTimeField(_("计算时间"))
    approved_by = models.ForeignKey(
        "servicedesk.Staff", verbose_name=_("审批人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    archived_by = models.ForeignKey(
        "servicedesk.Staff", verbose_name=_("归档人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)

    objects = StatementQuerySet.as_manager()

    class Meta:
        verbose_name = _("月度结算单")
        verbose_name_plural = _("月度结算单")
        ordering = ["-month", "person__name", "person_id"]
        constraints = [models.UniqueConstraint(fields=["person", "month"], name="statement_once_per_person_month")]

    def __str__(self):
        return f"{self.person} {self.month:%Y-%m}"

    @property
    def is_locked(self) -> bool:
        return self.status in LOCKED_STATUSES

    def can_approve(self) -> bool:
        return self.status == StatementStatus.DRAFT

    def can_archive(self) -> bool:
        return self.status == StatementStatus.APPROVED


class MonthClose(models.Model):
    """One row per compiled month: when and by whom (the beat job's catch-up looks for it)."""

    month = models.DateField(_("月份"), unique=True)
    compiled_at = models.DateTimeField(_("计算时间"))
    compiled_by = models.ForeignKey(
        "servicedesk.Staff", verbose_name=_("计算人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    runs = models.PositiveIntegerField(_("计算次数"), default=0)

    class Meta:
        verbose_name = _("月度结算")
        verbose_name_plural = _("月度结算")
        ordering = ["-month"]

    def __str__(self):
        return f"{self.month:%Y-%m}"
