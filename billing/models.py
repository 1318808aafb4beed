"""Charges of a visit (SPEC §6): the persisted quote, disputes (R-B9), repair plans (R-B6/R-B7)
and the per-client free software visit slots (R-B2).

Financial records are never hard-deleted: a re-recorded visit supersedes its old lines,
a decision is a new `ChargeDecision` row plus a status change.
"""
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from servicedesk.templatetags.money import format_yuan

from .choices import ChargeStatus, DecisionAction, LineItem, LineKind, RepairPlanStatus
from servicedesk.validators import FREE_TEXT_MAX_LENGTH, validate_free_text

MONEY = dict(max_digits=12, decimal_places=2)
ZERO = Decimal("0.00")


class VisitCharge(models.Model):
    """The quote of one visit (work order) as recorded at close-out: a snapshot, never repriced."""

    work_order = models.OneToOneField(
        "servicedesk.WorkOrder", verbose_name=_("工单"), on_delete=models.PROTECT, related_name="visit_charge"
    )
    client = models.ForeignKey("servicedesk.Client", verbose_name=_("客户"), on_delete=models.PROTECT, related_name="visit_charges")
    on = models.DateField(_("服务日期"))
    onsite_fee = models.DecimalField(_("上门费"), default=ZERO, **MONEY)
    onsite_fee_rule = models.CharField(_("上门费规则"), max_length=16, blank=True)
    # A stored message (servicedesk.texts), rendered in the reader's language (rule 7); rows recorded before are a
    # plain string, shown as written.
    onsite_fee_explanation = models.JSONField(_("上门费说明"), default=str, blank=True)
    onsite_fee_params = models.JSONField(_("上门费参数版本"), default=list, blank=True)
    total = models.DecimalField(_("合计"), default=ZERO, **MONEY)
    visit_rule = models.CharField(_("整次上门的权益规则"), max_length=40, blank=True, help_text=_("整次上门免费时的规则编号"))
    software_visit_ordinal = models.PositiveIntegerField(_("软件上门序号"), null=True, blank=True)
    request = models.JSONField(_("录入内容"), default=dict, help_text=_("录入的收费行,用于判断重复录入"))
    revision = models.PositiveIntegerField(_("版本"), default=1)
    status = models.CharField(_("争议状态"), max_length=16, choices=ChargeStatus.choices, default=ChargeStatus.RECORDED)
    recorded_by = models.ForeignKey(
        "servicedesk.Staff", verbose_name=_("录入人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("录入时间"))

    class Meta:
        verbose_name = _("上门收费")
        verbose_name_plural = _("上门收费")
        ordering = ["-recorded_at"]
        # the salesperson's queue reads the open disputes, oldest first (bounded screens, docs/developers.md rule 8)
        indexes = [
            models.Index(fields=["recorded_at"], condition=models.Q(status="disputed"), name="visitcharge_disputed_at"),
        ]

    def __str__(self):
        return f"{self.work_order} {format_yuan(self.total)}"

    def billed_total(self, live_lines) -> Decimal:
        """The amount due after dispute and repair-plan decisions (the recorded `total` never changes)."""
        if self.status == ChargeStatus.WAIVED:
            return ZERO
        return sum((line.billed_amount for line in live_lines), ZERO) + self.onsite_fee


class ChargeLine(models.Model):
    """One priced line: amount, the rule that priced (or freed) it, its inputs and parameter versions (R-P7)."""

    visit_charge = models.ForeignKey(VisitCharge, verbose_name=_("上门收费"), on_delete=models.PROTECT, related_name="lines")
    position = models.PositiveSmallIntegerField(_("序号"))
    revision = models.PositiveIntegerField(_("版本"), default=1)
    superseded = models.BooleanField(_("已被重新录入取代"), default=False)
    kind = models.CharField(_("类别"), max_length=16, choices=LineKind.choices)
    item = models.CharField(_("项目"), max_length=16, choices=LineItem.choices)
    cost = models.DecimalField(_("成本"), max_digits=14, decimal_places=4, null=True, blank=True)
    quantity = models.PositiveIntegerField(_("数量"), default=1)
    installed = models.BooleanField(_("安装"), default=False)
    amount = models.DecimalField(_("金额"), **MONEY)
    list_amount = models.DecimalField(_("标价金额"), **MONEY, help_text=_("按价目表计算的金额(免费或待商定时供参考)"))
    free = models.BooleanField(_("免费"), default=False)
    awaiting_salesperson = models.BooleanField(_("待业务员与客户商定"), default=False)
    rule = models.CharField(_("规则"), max_length=16)
    inputs = models.JSONField(_("输入"), default=dict)
    params = models.JSONField(_("参数版本"), default=list)
    explanation = models.JSONField(_("说明"), default=str)  # a stored message, as onsite_fee_explanation
    status = models.CharField(_("争议状态"), max_length=16, choices=ChargeStatus.choices, default=ChargeStatus.RECORDED)

    class Meta:
        verbose_name = _("收费明细")
        verbose_name_plural = _("收费明细")
        ordering = ["visit_charge", "superseded", "position", "id"]
        indexes = [  # the live disputed lines of the salesperson's queue (rule 8)
            models.Index(
                fields=["visit_charge", "position"], condition=models.Q(status="disputed", superseded=False),
                name="chargeline_disputed_live",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {format_yuan(self.amount)} ({self.rule})"

    @property
    def plan(self):
        try:
            return self.repair_plan
        except RepairPlan.DoesNotExist:
            return None

    @property
    def billed_amount(self) -> Decimal:
        """What the client pays after decisions: waived → 0; a repair plan agreed as chargeable → its cost."""
        if self.superseded or self.status == ChargeStatus.WAIVED:
            return ZERO
        plan = self.plan
        if plan is not None and plan.status == RepairPlanStatus.CHARGE:
            return plan.cost
        return self.amount


class ChargeDecision(models.Model):
    """R-B9 audit trail: who marked a charge disputed or decided it, when and why. Never deleted."""

    visit_charge = models.ForeignKey(VisitCharge, verbose_name=_("上门收费"), on_delete=models.PROTECT, related_name="decisions")
    line = models.ForeignKey(
        ChargeLine, verbose_name=_("收费明细"), null=True, blank=True, on_delete=models.PROTECT, related_name="decisions",
        help_text=_("空表示整次上门的收费"),
    )
    action = models.CharField(_("动作"), max_length=16, choices=DecisionAction.choices)
    reason = models.TextField(_("理由"), max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])
    by = models.ForeignKey("servicedesk.Staff", verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("收费争议记录")
        verbose_name_plural = _("收费争议记录")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_action_display()} · {self.by} · {self.at:%Y-%m-%d %H:%M}"


class RepairPlan(models.Model):
    """R-B6/R-B7: the engineer's repair plan with its cost; the salesperson agrees with the client whether to charge."""

    work_order = models.ForeignKey("servicedesk.WorkOrder", verbose_name=_("工单"), on_delete=models.PROTECT, related_name="repair_plans")
    client = models.ForeignKey("servicedesk.Client", verbose_name=_("客户"), on_delete=models.PROTECT, related_name="repair_plans")
    equipment = models.ForeignKey(
        "servicedesk.Equipment", verbose_name=_("设备"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    line = models.OneToOneField(ChargeLine, verbose_name=_("收费明细"), on_delete=models.PROTECT, related_name="repair_plan")
    rule = models.CharField(_("规则"), max_length=16)
    cost = models.DecimalField(_("维修费用"), **MONEY)
    description = models.TextField(_("维修方案"), max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])
    status = models.CharField(_("状态"), max_length=20, choices=RepairPlanStatus.choices, default=RepairPlanStatus.AWAITING_CLIENT)
    created_at = models.DateTimeField(_("创建时间"))
    decided_by = models.ForeignKey(
        "servicedesk.Staff", verbose_name=_("决定人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    reason = models.TextField(_("理由"), blank=True, max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])

    class Meta:
        verbose_name = _("维修方案")
        verbose_name_plural = _("维修方案")
        ordering = ["-created_at"]
        indexes = [  # the plans awaiting the client's decision, oldest first (the salesperson's queue, rule 8)
            models.Index(fields=["created_at"], condition=models.Q(status="awaiting_client"), name="repairplan_awaiting_at"),
        ]

    def __str__(self):
        return f"{self.work_order} {format_yuan(self.cost)} {self.get_status_display()}"


class SoftwareVisitSlot(models.Model):
    """R-B2: the n-th software visit of a client. One work order holds at most one slot."""

    client = models.ForeignKey("servicedesk.Client", verbose_name=_("客户"), on_delete=models.PROTECT, related_name="software_visit_slots")
    work_order = models.OneToOneField(
        "servicedesk.WorkOrder", verbose_name=_("工单"), on_delete=models.PROTECT, related_name="software_visit_slot"
    )
    ordinal = models.PositiveIntegerField(_("序号"))
    on = models.DateField(_("服务日期"))
    free = models.BooleanField(_("免费"))
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        verbose_name = _("软件上门次数")
        verbose_name_plural = _("软件上门次数")
        ordering = ["client", "ordinal"]
        constraints = [models.UniqueConstraint(fields=["client", "ordinal"], name="software_visit_ordinal_unique_per_client")]

    def __str__(self):
        return f"{self.client} #{self.ordinal}"
