"""Callbacks, complaints and their violations: written by the callback services (R-C…), read-only here."""
from django.contrib import admin

from servicedesk.admin_base import ReadOnlyAdmin, ReadOnlyInline

from .models import CallAttempt, Callback, CallbackViolation, Complaint


class CallAttemptInline(ReadOnlyInline):
    model = CallAttempt
    readonly_fields = ["at", "by", "answered"]


@admin.register(Callback)
class CallbackAdmin(ReadOnlyAdmin):
    list_display = ["work_order", "client", "technician", "status", "window_opens_at", "due_at", "satisfaction", "late"]
    list_filter = ["status", "window_rule", "satisfaction", "late"]
    search_fields = ["work_order__number", "client__name"]
    list_select_related = ["work_order", "client", "technician"]
    readonly_fields = [f.name for f in Callback._meta.fields]
    inlines = [CallAttemptInline]


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "client", "technician", "status", "words"]
    list_filter = ["status"]
    list_select_related = ["client", "technician"]


@admin.register(CallbackViolation)
class CallbackViolationAdmin(ReadOnlyAdmin):
    list_display = ["callback", "item"]
