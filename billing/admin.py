"""Charges are financial records: read-only in the admin, never deleted (corrections are new rows / decisions)."""
from django.contrib import admin

from servicedesk.admin_base import ReadOnlyAdmin, ReadOnlyInline

from .models import ChargeDecision, ChargeLine, RepairPlan, SoftwareVisitSlot, VisitCharge


class ChargeLineInline(ReadOnlyInline):
    model = ChargeLine
    fields = ["position", "superseded", "kind", "item", "cost", "quantity", "amount", "rule", "status", "explanation"]
    readonly_fields = fields


@admin.register(VisitCharge)
class VisitChargeAdmin(ReadOnlyAdmin):
    list_display = ["work_order", "client", "on", "onsite_fee", "total", "status", "revision", "recorded_at"]
    list_filter = ["status"]
    search_fields = ["work_order__number", "client__name"]
    list_select_related = ["work_order", "client"]
    inlines = [ChargeLineInline]


@admin.register(ChargeDecision)
class ChargeDecisionAdmin(ReadOnlyAdmin):
    list_display = ["at", "visit_charge", "line", "action", "by", "reason"]
    list_filter = ["action"]
    list_select_related = ["visit_charge", "visit_charge__work_order", "line", "by"]


@admin.register(RepairPlan)
class RepairPlanAdmin(ReadOnlyAdmin):
    list_display = ["work_order", "client", "rule", "cost", "status", "decided_by", "decided_at"]
    list_filter = ["status", "rule"]
    list_select_related = ["work_order", "client", "decided_by"]


@admin.register(SoftwareVisitSlot)
class SoftwareVisitSlotAdmin(ReadOnlyAdmin):
    list_display = ["client", "ordinal", "work_order", "on", "free"]
    list_select_related = ["client", "work_order"]
