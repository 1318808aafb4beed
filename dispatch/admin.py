"""Dispatch records in the admin: read-only (history is written by the services, never deleted)."""
from django.contrib import admin

from servicedesk.admin_base import ReadOnlyAdmin

from .models import Assignment, CarryInRepair, ClientChase, CloseOut, Deadline, HandOver, Refusal


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyAdmin):
    list_display = ["work_order", "kind", "technician", "due_at", "met_at", "breached_at", "cancelled_at"]
    list_filter = ["kind"]
    list_select_related = ["work_order", "technician"]
    search_fields = ["work_order__number"]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["work_order", "technician", "by", "at", "ended_at", "end_reason", "load_warning_overridden"]
    list_select_related = ["work_order", "technician", "by"]
    search_fields = ["work_order__number", "technician__name"]


@admin.register(Refusal)
class RefusalAdmin(ReadOnlyAdmin):
    list_display = ["work_order", "technician", "at", "unjustified", "judged_by"]
    list_select_related = ["work_order", "technician", "judged_by"]


@admin.register(HandOver)
class HandOverAdmin(ReadOnlyAdmin):
    list_display = ["work_order", "from_staff", "to_staff", "at"]
    list_select_related = ["work_order", "from_staff", "to_staff"]


@admin.register(CloseOut)
class CloseOutAdmin(ReadOnlyAdmin):
    list_display = ["work_order", "technician", "completed_at", "signature_name", "over_duration", "irregular"]
    list_select_related = ["work_order", "technician"]
    search_fields = ["work_order__number"]


@admin.register(CarryInRepair)
class CarryInRepairAdmin(ReadOnlyAdmin):
    list_display = ["work_order", "received_at", "completed_at", "returned_at"]
    list_select_related = ["work_order"]


@admin.register(ClientChase)
class ClientChaseAdmin(ReadOnlyAdmin):
    list_display = ["work_order", "technician", "at", "recorded_by"]
    list_select_related = ["work_order", "technician", "recorded_by"]
