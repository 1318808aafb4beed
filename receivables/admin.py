"""Admin of receivables: read-mostly; financial records are never deleted (corrections are new rows)."""
from django.contrib import admin

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


class NoDelete:
    def has_delete_permission(self, request, obj=None):
        return False


class LineInline(NoDelete, admin.TabularInline):
    model = ConfirmationLine
    extra = 0
    readonly_fields = ["position", "description", "quantity", "unit_price", "amount", "price_source", "explanation"]


class DueDateChangeInline(NoDelete, admin.TabularInline):
    model = DueDateChange
    extra = 0
    readonly_fields = ["from_date", "to_date", "reason", "extension", "by", "at"]


@admin.register(SalesConfirmation)
class SalesConfirmationAdmin(NoDelete, admin.ModelAdmin):
    list_display = ["number", "sold_on", "client", "technician", "amount", "received_amount", "due_date", "status", "registered_at"]
    list_filter = ["status", "payment_terms", "client_kind", "imported"]
    search_fields = ["number", "client__name", "technician__name"]
    list_select_related = ["client", "technician"]
    date_hierarchy = "sold_on"
    readonly_fields = [f.name for f in SalesConfirmation._meta.fields]
    inlines = [LineInline, DueDateChangeInline]


class AllocationInline(NoDelete, admin.TabularInline):
    model = PaymentAllocation
    extra = 0
    readonly_fields = ["confirmation", "amount"]


@admin.register(Payment)
class PaymentAdmin(NoDelete, admin.ModelAdmin):
    list_display = ["received_on", "amount", "confirmation", "statement", "method", "reference", "recorded_by"]
    list_filter = ["method"]
    list_select_related = ["confirmation", "statement", "recorded_by"]
    readonly_fields = [f.name for f in Payment._meta.fields]
    inlines = [AllocationInline]


@admin.register(MonthlyStatement)
class MonthlyStatementAdmin(NoDelete, admin.ModelAdmin):
    list_display = ["number", "client", "month", "status", "amount", "received_amount", "due_date"]
    list_filter = ["status", "month"]
    list_select_related = ["client"]
    readonly_fields = [f.name for f in MonthlyStatement._meta.fields]


@admin.register(DueDateExtension)
class DueDateExtensionAdmin(NoDelete, admin.ModelAdmin):
    list_display = ["confirmation", "requested_due_date", "status", "requested_by", "manager_by", "gm_by"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in DueDateExtension._meta.fields]


class DifferenceInline(NoDelete, admin.TabularInline):
    model = ReconciliationDifference
    extra = 0
    readonly_fields = ["confirmation", "kind"]


@admin.register(Reconciliation)
class ReconciliationAdmin(NoDelete, admin.ModelAdmin):
    list_display = ["week_of", "technician", "ledger_count", "register_count"]
    inlines = [DifferenceInline]


class OverdueItemInline(NoDelete, admin.TabularInline):
    model = OverdueReviewItem
    extra = 0
    readonly_fields = ["confirmation", "follow_up_owner", "days_overdue", "outstanding", "registered", "cause", "note", "penalty_proposed"]


@admin.register(OverdueReview)
class OverdueReviewAdmin(NoDelete, admin.ModelAdmin):
    list_display = ["week_of", "prepared_at", "reviewed_by"]
    inlines = [OverdueItemInline]


@admin.register(ExportJob)
class ExportJobAdmin(NoDelete, admin.ModelAdmin):
    list_display = ["created_at", "requested_by", "status", "done", "total", "file"]
    readonly_fields = [f.name for f in ExportJob._meta.fields]


@admin.register(ImportJob)
class ImportJobAdmin(NoDelete, admin.ModelAdmin):
    list_display = ["created_at", "kind", "requested_by", "status", "done", "total"]
    readonly_fields = [f.name for f in ImportJob._meta.fields]


@admin.register(ConfirmationCorrection)
class ConfirmationCorrectionAdmin(NoDelete, admin.ModelAdmin):
    """Corrections are the history of an amount: read-only, never deleted."""

    list_display = ["at", "confirmation", "old_amount", "new_amount", "rule", "by"]
    readonly_fields = [f.name for f in ConfirmationCorrection._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
