"""Admin: the archive of monthly reports, read-only (snapshots are written by the services, never by hand)."""
from django.contrib import admin

from .models import MonthlyReport


@admin.register(MonthlyReport)
class MonthlyReportAdmin(admin.ModelAdmin):
    list_display = ["month", "status", "compiled_at", "approved_by", "approved_at", "digest"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in MonthlyReport._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
