"""Admin of receivables: read-only; financial records are written by the receivables services and never deleted
(corrections are new rows)."""
from django.contrib import admin

from servicedesk.admin_base import ReadOnlyAdmin, ReadOnlyInline

from .models import (
    ConfirmationCorrection,
    ConfirmationLine,
    DueDateChange,
    DueDateExtension,
    ExportJob,
    ImportJob,
    MonthlyStatement,
    OverdueReview,
    OverdueReviewItem,
    Payment,
    PaymentAllocation,
    Reconciliation,
    ReconciliationDifference,
    SalesConfirmation,
)


class LineInline(ReadOnlyInline):
    model = ConfirmationLine
    readonly_fields = ["position", "description", "quantity", "unit_price", "amount", "price_source", "explanation"]


class DueDateChangeInline(ReadOnlyInline):
    model = DueDateChange
    readonly_fields = ["from_date", "to_date", "reason", "extension", "by", "at"]


@admin.register(SalesConfirmation)
class SalesConfirmationAdmin(ReadOnlyAdmin):
    list_display = ["number", "sold_on", "client", "technician", "amount", "received_amount", "due_date", "status", "registered_at"]
    list_filter = ["status", "payment_terms", "client_kind", "imported"]
    search_fields = ["number", "client__name", "technician__name"]
    list_select_related = ["client", "technician"]
    date_hierarchy = "sold_on"
    readonly_fields = [f.name for f in SalesConfirmation._meta.fields]
    inlines = [LineInline, DueDateChangeInline]


class AllocationInline(ReadOnlyInline):
    model = PaymentAllocation
    readonly_fields = ["confirmation", "amount"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["received_on", "amount", "confirmation", "statement", "method", "reference", "recorded_by"]
    list_filter = ["method"]
    list_select_related = ["confirmation", "statement", "recorded_by"]
    readonly_fields = [f.name for f in Payment._meta.fields]
    inlines = [AllocationInline]


@admin.register(MonthlyStatement)
class MonthlyStatementAdmin(ReadOnlyAdmin):
    list_display = ["number", "client", "month", "status", "amount", "received_amount", "due_date"]
    list_filter = ["status", "month"]
    list_select_related = ["client"]
    readonly_fields = [f.name for f in MonthlyStatement._meta.fields]


@admin.register(DueDateExtension)
class DueDateExtensionAdmin(ReadOnlyAdmin):
    list_display = ["confirmation", "requested_due_date", "status", "requested_by", "manager_by", "gm_by"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in DueDateExtension._meta.fields]


class DifferenceInline(ReadOnlyInline):
    model = ReconciliationDifference
    readonly_fields = ["confirmation", "kind"]


@admin.register(Reconciliation)
class ReconciliationAdmin(ReadOnlyAdmin):
    list_display = ["week_of", "technician", "ledger_count", "register_count"]
    inlines = [DifferenceInline]


class OverdueItemInline(ReadOnlyInline):
    model = OverdueReviewItem
    readonly_fields = ["confirmation", "follow_up_owner", "days_overdue", "outstanding", "registered", "cause", "note", "penalty_proposed"]


@admin.register(OverdueReview)
class OverdueReviewAdmin(ReadOnlyAdmin):
    list_display = ["week_of", "prepared_at", "reviewed_by"]
    inlines = [OverdueItemInline]


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "requested_by", "status", "done", "total", "file"]
    readonly_fields = [f.name for f in ExportJob._meta.fields]


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "requested_by", "status", "done", "total"]
    readonly_fields = [f.name for f in ImportJob._meta.fields]


@admin.register(ConfirmationCorrection)
class ConfirmationCorrectionAdmin(ReadOnlyAdmin):
    """Corrections are the history of an amount: read-only, never deleted."""

    list_display = ["at", "confirmation", "old_amount", "new_amount", "rule", "by"]
    readonly_fields = [f.name for f in ConfirmationCorrection._meta.fields]
