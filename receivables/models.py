"""Sales confirmations, statements, payments and the receivable ledger (SPEC §9).

Money is Decimal with 2 places. `received_amount` on a confirmation / statement is
the sum of its payment allocations, maintained by services.record_payment inside
the same transaction; check constraints keep 0 ≤ received ≤ invoiced, so the
outstanding balance (invoiced − received) can never go negative.
"""
from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .choices import (
    ConfirmationStatus,
    DifferenceKind,
    ExportStatus,
    ExtensionStatus,
    OverdueCause,
    PaymentMethod,
    PaymentTerms,
    PriceSource,
    StatementStatus,
)
from servicedesk.validators import FREE_TEXT_MAX_LENGTH, validate_free_text
from servicedesk.models.imports import JobProgress

ZERO = Decimal("0.00")
MONEY = dict(max_digits=14, decimal_places=2)


# A confirmation is "open" while it is live (not void) and not fully received. The flag is kept by the
# services (and guarded by a check constraint) so that scans filter on a plain column through the
# partial index `confirmation_open_due` instead of comparing two columns row by row
# (docs/developers.md rule 3; bench/scans_1m.py).
OPEN_Q = Q(received_amount__lt=F("amount")) & ~Q(status=ConfirmationStatus.VOID)


class ConfirmationQuerySet(models.QuerySet):
    def live(self):
        return self.exclude(status=ConfirmationStatus.VOID)

    def outstanding(self):
        return self.filter(is_open=True)

    def overdue(self, *, on):
        return self.filter(is_open=True, due_date__lt=on)

    def visible_to(self, staff):
        """Finance, managers, coordinators, GM office and sales see all; a technician only their own (R-S6)."""
        from servicedesk.choices import Role

        if staff is None:
            return self.none()
        if staff.user.is_superuser or staff.has_role(
            Role.FINANCE, Role.MANAGER, Role.COORDINATOR, Role.GM_OFFICE, Role.ADMIN, Role.SALES
        ):
            return self
        return self.filter(technician=staff)


class SalesConfirmation(models.Model):
    """R-S1: a numbered sales confirmation (销售确认书) and its signature flow."""

    number = models.CharField(_("确认书编号"), max_length=32, unique=True)
    client = models.ForeignKey("servicedesk.Client", verbose_name=_("客户"), on_delete=models.PROTECT, related_name="sales_confirmations")
    client_kind = models.CharField(_("客户类型"), max_length=16, help_text=_("销售时的客户类型(R-C1)"))
    site = models.ForeignKey(
        "servicedesk.Site", verbose_name=_("网点"), null=True, blank=True, on_delete=models.PROTECT, related_name="sales_confirmations"
    )
    work_order = models.ForeignKey(
        "servicedesk.WorkOrder", verbose_name=_("工单"), null=True, blank=True, on_delete=models.PROTECT, related_name="sales_confirmations"
    )
    technician = models.ForeignKey(
        "servicedesk.Staff", verbose_name=_("技术员"), on_delete=models.PROTECT, related_name="sales_confirmations"
    )
    salesperson = models.ForeignKey(
        "servicedesk.Staff", verbose_name=_("业务员"), null=True, blank=True, on_delete=models.PROTECT, related_name="sales_confirmations_owned"
    )
    sold_on = models.DateField(_("销售日期"), db_index=True)
    payment_terms = models.CharField(_("结算方式"), max_length=20, choices=PaymentTerms.choices)
    amount = models.DecimalField(_("开票金额"), **MONEY, default=ZERO)
    received_amount = models.DecimalField(_("已收金额"), **MONEY, default=ZERO)
    due_date = models.DateField(_("到期日"), db_index=True)
    original_due_date = models.DateField(_("原到期日"))
    due_rule = models.JSONField(_("到期日依据"), default=dict, blank=True)
    due_provisional = models.BooleanField(
        _("到期日按法定假日暂算"), default=False,
        help_text=_("SPEC §11:到期日计算用到了尚未录入官方日历的年份;录入后自动重算"),
    )
    status = models.CharField(_("单据状态"), max_length=20, choices=ConfirmationStatus.choices, default=ConfirmationStatus.DRAFT, db_index=True)
    is_open = models.BooleanField(_("未收清"), default=True, help_text=_("未作废且未收清;由服务维护"))
    from_visit = models.BooleanField(_("由上门服务生成"), default=False, help_text=_("R-S1:工单完工时按收费自动生成"))
    invoice_number = models.CharField(_("发票号"), max_length=40, blank=True)
    technician_signed_at = models.DateTimeField(_("技术员签字时间"), null=True, blank=True)
    client_signed_at = models.DateTimeField(_("客户签字时间"), null=True, blank=True)
    client_signatory = models.CharField(_("客户签字人"), max_length=40, blank=True)
    registered_at = models.DateTimeField(_("送货联登记时间"), null=True, blank=True)
    registered_by = models.ForeignKey(
        "servicedesk.Staff", verbose_name=_("登记人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ledger_recorded_at = models.DateTimeField(
        _("记入技术员台账时间"), null=True, blank=True, help_text=_("R-S6 技术员销售台账")
    )
    statement = models.ForeignKey(
        "MonthlyStatement", verbose_name=_("月结对账单"), null=True, blank=True, on_delete=models.PROTECT, related_name="confirmations"
    )
    penalty_proposed_at = models.DateTimeField(_("已建议处罚时间"), null=True, blank=True, help_text=_("R-S5,每笔只建议一次"))
    imported = models.BooleanField(_("期初导入"), default=False)
    void_reason = models.CharField(_("作废原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        "servicedesk.Staff", verbose_name=_("创建人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"))

    objects = ConfirmationQuerySet.as_manager()

    class Meta:
        verbose_name = _("销售确认书")
        verbose_name_plural = _("销售确认书")
        ordering = ["-sold_on", "-number"]
        indexes = [
            models.Index(fields=["technician", "sold_on"]),
            models.Index(fields=["client", "sold_on"]),
            models.Index(fields=["status", "due_date"]),
            # The Monday overdue review and the ledger's "outstanding" views scan only open rows.
            models.Index(fields=["due_date"], condition=Q(is_open=True), name="confirmation_open_due"),
            # SPEC §11: what to recompute when an official calendar year is loaded.
            models.Index(fields=["due_date"], condition=Q(is_open=True, due_provisional=True), name="confirmation_provisional_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(received_amount__gte=0) & Q(received_amount__lte=F("amount")),
                name="confirmation_received_within_invoiced",
            ),
            models.CheckConstraint(
                condition=(Q(is_open=True) & OPEN_Q) | (Q(is_open=False) & ~OPEN_Q),
                name="confirmation_open_flag_consistent",
            ),
            # R-S1: a resolved visit makes at most one sales confirmation, whatever re-runs.
            models.UniqueConstraint(fields=["work_order"], condition=Q(from_visit=True), name="confirmation_one_per_visit"),
        ]

    def __str__(self):
        return self.number

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.received_amount

    @property
    def is_registered(self) -> bool:
        return self.registered_at is not None

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("receivables:confirmation_detail", args=[self.pk])

    def compute_open(self) -> bool:
        return self.status != ConfirmationStatus.VOID and self.received_amount < self.amount


class ConfirmationCorrection(models.Model):
    """A change of a registered confirmation's amount after the fact (R-B9 dispute decision, R-B6/R-B7
    salesperson decision): who, when, why, old and new amount. The confirmation's lines stay as they
    were written; its `amount` is the last correction's `new_amount`."""

    confirmation = models.ForeignKey(SalesConfirmation, verbose_name=_("确认书"), on_delete=models.PROTECT, related_name="corrections")
    old_amount = models.DecimalField(_("原金额"), **MONEY)
    new_amount = models.DecimalField(_("新金额"), **MONEY)
    rule = models.CharField(_("依据规则"), max_length=16)
    reason = models.TextField(_("原因"), max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])
    source = models.JSONField(_("来源"), default=dict, blank=True)
    by = models.ForeignKey("servicedesk.Staff", verbose_name=_("决定人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("确认书金额更正")
        verbose_name_plural = _("确认书金额更正")
        ordering = ["confirmation", "at", "pk"]

    def __str__(self):
        return f"{self.confirmation_id}: {self.old_amount} → {self.new_amount}"


class ConfirmationLine(models.Model):
    confirmation = models.ForeignKey(SalesConfirmation, verbose_name=_("确认书"), on_delete=models.PROTECT, related_name="lines")
    position = models.PositiveSmallIntegerField(_("序号"), default=1)
    description = models.CharField(_("品名/服务内容"), max_length=200)
    quantity = models.DecimalField(_("数量"), max_digits=10, decimal_places=2)
    unit_price = models.DecimalField(_("单价"), **MONEY)
    amount = models.DecimalField(_("金额"), **MONEY)
    price_source = models.CharField(_("价格来源"), max_length=10, choices=PriceSource.choices, default=PriceSource.TYPED)
    explanation = models.JSONField(_("计算说明"), default=dict, blank=True)

    class Meta:
        verbose_name = _("确认书明细")
        verbose_name_plural = _("确认书明细")
        ordering = ["confirmation", "position"]

    def __str__(self):
        from servicedesk.texts import render

        return f"{render(self.description)} × {self.quantity}"  # a catalogue line's name in the reader's language


class DueDateChange(models.Model):
    """History of a confirmation's due date; the original stays on the confirmation (R-S4)."""

    confirmation = models.ForeignKey(SalesConfirmation, verbose_name=_("确认书"), on_delete=models.PROTECT, related_name="due_date_changes")
    from_date = models.DateField(_("原到期日"))
    to_date = models.DateField(_("新到期日"))
    # a stored message (servicedesk.texts) read in the reader's language (rule 7); rows written before keep
    # their sentence as a plain string, shown as written
    reason = models.JSONField(_("原因"), default=str)
    extension = models.ForeignKey("DueDateExtension", verbose_name=_("延期申请"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey("servicedesk.Staff", verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("到期日变更")
        verbose_name_plural = _("到期日变更")
        ordering = ["confirmation", "at", "pk"]


class DueDateExtension(models.Model):
    """R-S4: a written extension request for a client-caused delay; manager then GM office approve."""

    confirmation = models.ForeignKey(SalesConfirmation, verbose_name=_("确认书"), on_delete=models.PROTECT, related_name="extensions")
    requested_due_date = models.DateField(_("申请延至"))
    reason = models.TextField(_("客户原因说明"), max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])
    status = models.CharField(_("状态"), max_length=20, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING_MANAGER)
    requested_by = models.ForeignKey("servicedesk.Staff", verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("申请时间"))
    manager_by = models.ForeignKey("servicedesk.Staff", verbose_name=_("经理审批人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    manager_at = models.DateTimeField(_("经理审批时间"), null=True, blank=True)
    gm_by = models.ForeignKey("servicedesk.Staff", verbose_name=_("总经办审批人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    gm_at = models.DateTimeField(_("总经办审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["-requested_at"]


class MonthlyStatement(models.Model):
    """R-S2: one statement per key-account client per month."""

    number = models.CharField(_("对账单编号"), max_length=32, unique=True)
    client = models.ForeignKey("servicedesk.Client", verbose_name=_("客户"), on_delete=models.PROTECT, related_name="statements")
    month = models.DateField(_("月份"), help_text=_("当月1日"))
    status = models.CharField(_("状态"), max_length=20, choices=StatementStatus.choices, default=StatementStatus.COMPILED)
    amount = models.DecimalField(_("对账金额"), **MONEY, default=ZERO)
    received_amount = models.DecimalField(_("已收金额"), **MONEY, default=ZERO)
    due_date = models.DateField(_("到期日"))
    compiled_at = models.DateTimeField(_("汇总时间"))
    compiled_by = models.ForeignKey("servicedesk.Staff", verbose_name=_("汇总人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(_("经理审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey("servicedesk.Staff", verbose_name=_("审核经理"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(_("财务核对时间"), null=True, blank=True)
    checked_by = models.ForeignKey("servicedesk.Staff", verbose_name=_("核对财务"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    sent_by = models.ForeignKey("servicedesk.Staff", verbose_name=_("发送人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    paid_at = models.DateTimeField(_("回款完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("月结对账单")
        verbose_name_plural = _("月结对账单")
        ordering = ["-month", "client__name"]
        constraints = [
            models.UniqueConstraint(fields=["client", "month"], name="statement_one_per_client_month"),
            models.CheckConstraint(
                condition=Q(received_amount__gte=0) & Q(received_amount__lte=F("amount")),
                name="statement_received_within_amount",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.received_amount


class Payment(models.Model):
    """A receipt against one confirmation or one statement; allocations spread it over confirmations."""

    confirmation = models.ForeignKey(SalesConfirmation, verbose_name=_("确认书"), null=True, blank=True, on_delete=models.PROTECT, related_name="payments")
    statement = models.ForeignKey(MonthlyStatement, verbose_name=_("对账单"), null=True, blank=True, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(_("收款金额"), **MONEY)
    received_on = models.DateField(_("收款日期"))
    method = models.CharField(_("收款方式"), max_length=10, choices=PaymentMethod.choices, default=PaymentMethod.TRANSFER)
    reference = models.CharField(_("凭证号/发票号"), max_length=60, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = models.ForeignKey("servicedesk.Staff", verbose_name=_("登记人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("收款")
        verbose_name_plural = _("收款")
        ordering = ["-received_on", "-pk"]
        constraints = [
            # A bank reference / invoice number is recorded once: a second use is refused.
            models.UniqueConstraint(fields=["reference"], condition=~Q(reference=""), name="payment_reference_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=(Q(confirmation__isnull=False) & Q(statement__isnull=True))
                | (Q(confirmation__isnull=True) & Q(statement__isnull=False)),
                name="payment_one_target",
            ),
        ]

    def __str__(self):
        from servicedesk.templatetags.money import format_yuan

        return f"{format_yuan(self.amount)} {self.received_on}"


class PaymentAllocation(models.Model):
    payment = models.ForeignKey(Payment, verbose_name=_("收款"), on_delete=models.PROTECT, related_name="allocations")
    confirmation = models.ForeignKey(SalesConfirmation, verbose_name=_("确认书"), on_delete=models.PROTECT, related_name="allocations")
    amount = models.DecimalField(_("核销金额"), **MONEY)

    class Meta:
        verbose_name = _("收款核销")
        verbose_name_plural = _("收款核销")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="allocation_amount_positive")]


class Reconciliation(models.Model):
    """R-S6: the Friday/Saturday reconciliation of a technician's ledger with the coordinator's register."""

    technician = models.ForeignKey("servicedesk.Staff", verbose_name=_("技术员"), on_delete=models.PROTECT, related_name="sales_reconciliations")
    week_of = models.DateField(_("对账日"))
    prepared_at = models.DateTimeField(_("生成时间"))
    ledger_count = models.PositiveIntegerField(_("台账笔数"), default=0)
    register_count = models.PositiveIntegerField(_("登记笔数"), default=0)
    confirmed_at = models.DateTimeField(_("技术员确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("销售台账对账")
        verbose_name_plural = _("销售台账对账")
        ordering = ["-week_of", "technician__name"]
        constraints = [models.UniqueConstraint(fields=["technician", "week_of"], name="reconciliation_once_per_week")]


class ReconciliationDifference(models.Model):
    reconciliation = models.ForeignKey(Reconciliation, verbose_name=_("对账"), on_delete=models.PROTECT, related_name="differences")
    confirmation = models.ForeignKey(SalesConfirmation, verbose_name=_("确认书"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("差异"), max_length=20, choices=DifferenceKind.choices)

    class Meta:
        verbose_name = _("对账差异")
        verbose_name_plural = _("对账差异")
        constraints = [
            models.UniqueConstraint(fields=["reconciliation", "confirmation", "kind"], name="difference_once"),
        ]


class OverdueReview(models.Model):
    """R-S6: the manager's Monday-morning review of overdue items."""

    week_of = models.DateField(_("周一日期"), unique=True)
    prepared_at = models.DateTimeField(_("生成时间"))
    reviewed_at = models.DateTimeField(_("经理审阅时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey("servicedesk.Staff", verbose_name=_("审阅经理"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("逾期回款周审")
        verbose_name_plural = _("逾期回款周审")
        ordering = ["-week_of"]


class OverdueReviewItem(models.Model):
    review = models.ForeignKey(OverdueReview, verbose_name=_("周审"), on_delete=models.PROTECT, related_name="items")
    confirmation = models.ForeignKey(SalesConfirmation, verbose_name=_("确认书"), on_delete=models.PROTECT, related_name="overdue_reviews")
    follow_up_owner = models.ForeignKey(
        "servicedesk.Staff", verbose_name=_("催收负责人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    follow_up_rule = models.CharField(_("负责人依据"), max_length=80, blank=True)
    days_overdue = models.PositiveIntegerField(_("逾期天数"))
    outstanding = models.DecimalField(_("未收金额"), **MONEY)
    registered = models.BooleanField(_("送货联已登记"))
    cause = models.CharField(_("逾期原因"), max_length=12, choices=OverdueCause.choices, default=OverdueCause.UNKNOWN)
    note = models.TextField(_("经理备注"), blank=True, max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])
    noted_by = models.ForeignKey("servicedesk.Staff", verbose_name=_("备注人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    noted_at = models.DateTimeField(_("备注时间"), null=True, blank=True)
    penalty_proposed = models.BooleanField(_("已建议处罚"), default=False)

    class Meta:
        verbose_name = _("逾期明细")
        verbose_name_plural = _("逾期明细")
        ordering = ["review", "-days_overdue"]
        constraints = [models.UniqueConstraint(fields=["review", "confirmation"], name="overdue_item_once_per_review")]


_JobProgress = JobProgress  # the percent done the polling pages show (its statuses have the same values)


class ImportJob(_JobProgress, models.Model):
    """A large Excel import (receivables opening balances or payments) run in Celery with progress."""

    class Kind(models.TextChoices):
        CONFIRMATIONS = "confirmations", _("期初应收导入")
        PAYMENTS = "payments", _("收款导入")

    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    requested_by = models.ForeignKey("servicedesk.Staff", verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+")
    file = models.CharField(_("文件"), max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    # the language active when the import was asked for: the worker writes its result and errors in it (rule 7)
    language = models.CharField(_("语言"), max_length=16, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    total = models.PositiveIntegerField(_("总行数"), default=0)
    done = models.PositiveIntegerField(_("已处理行数"), default=0)
    message = models.TextField(_("结果"), blank=True)
    errors = models.JSONField(_("错误"), default=list, blank=True)
    created_at = models.DateTimeField(_("创建时间"))
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at"]


class ExportJob(_JobProgress, models.Model):
    """A large ledger export running in Celery; the page polls `progress` with htmx (R-S8)."""

    requested_by = models.ForeignKey("servicedesk.Staff", verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+")
    filters = models.JSONField(_("筛选条件"), default=dict)
    as_of = models.DateField(_("统计日期"))
    # the language active when the export was asked for: the workbook is written in it, headers and sheets (rule 7)
    language = models.CharField(_("语言"), max_length=16, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    total = models.PositiveIntegerField(_("总行数"), default=0)
    done = models.PositiveIntegerField(_("已导出行数"), default=0)
    file = models.CharField(_("文件"), max_length=200, blank=True)
    error = models.TextField(_("错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"))
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")
        ordering = ["-created_at"]
