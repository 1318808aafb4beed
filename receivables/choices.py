"""Enumerations of sales and receivables (SPEC §9), shared by models, API, forms and the export."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class ConfirmationStatus(models.TextChoices):
    """R-S1: the signature flow of a sales confirmation (销售确认书)."""

    DRAFT = "draft", _("草稿")
    TECHNICIAN_SIGNED = "technician_signed", _("技术员已签")
    CLIENT_SIGNED = "client_signed", _("客户已签")
    REGISTERED = "registered", _("送货联已登记")
    VOID = "void", _("已作废")


class PaymentTerms(models.TextChoices):
    """R-S2 / R-S3: how the sale is settled."""

    ON_THE_SPOT = "on_the_spot", _("现场收款")
    WORKING_DAYS = "working_days", _("工作日内回款")
    MONTHLY_STATEMENT = "monthly_statement", _("月结")


class PriceSource(models.TextChoices):
    TYPED = "typed", _("手工录入")
    BILLING = "billing", _("收费规则计算")


class ExtensionStatus(models.TextChoices):
    """R-S4: manager first, then the GM office."""

    PENDING_MANAGER = "pending_manager", _("待部门经理审批")
    PENDING_GM = "pending_gm", _("待总经办审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")


class StatementStatus(models.TextChoices):
    """R-S2: compiled → manager review → finance check → sent → paid."""

    COMPILED = "compiled", _("已汇总")
    REVIEWED = "reviewed", _("经理已审核")
    CHECKED = "checked", _("财务已核对")
    SENT = "sent", _("已发客户")
    PARTIALLY_PAID = "partially_paid", _("部分回款")
    PAID = "paid", _("已回款")


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("现金")
    TRANSFER = "transfer", _("转账")
    CHEQUE = "cheque", _("支票")
    OTHER = "other", _("其他")
    OPENING = "opening", _("期初余额导入")


class ReceivableStatus(models.TextChoices):
    """Filter of the receivable ledger (R-S8)."""

    OUTSTANDING = "outstanding", _("未收清")
    NOT_DUE = "not_due", _("未到期")
    OVERDUE = "overdue", _("已逾期")
    PAID = "paid", _("已收清")


class OverdueCause(models.TextChoices):
    """R-S4 / R-S5: why an item is overdue, noted in the Monday review."""

    UNKNOWN = "unknown", _("待查明")
    CLIENT = "client", _("客户原因")
    TECHNICIAN = "technician", _("技术员原因")


class DifferenceKind(models.TextChoices):
    """R-S6: differences between the technician's ledger and the coordinator's register."""

    NOT_REGISTERED = "not_registered", _("台账有、协调员未登记送货联")
    NOT_IN_LEDGER = "not_in_ledger", _("协调员已登记、技术员台账没有")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("导出中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")
