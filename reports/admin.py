"""Admin: the archive of monthly reports, read-only (snapshots are written by the services, never by hand)."""
from django.contrib import admin

from servicedesk.admin_base import ReadOnlyAdmin

from .models import MonthlyReport


@admin.register(MonthlyReport)
class MonthlyReportAdmin(ReadOnlyAdmin):
    list_display = ["month", "status", "compiled_at", "approved_by", "approved_at", "digest"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in MonthlyReport._meta.fields]
