"""Resident service, team projects and contracts (R-R1…R-R6) in the admin: the site groups and contracts are
edited here; workflow records are read-only."""
from django.contrib import admin

from servicedesk.admin_base import ReadOnlyAdmin

from ..contracts.models import Inspection, MaintenanceContract
from ..projects.models import DailyReport, Project, ProjectShare, ProjectSurvey, WorkRecord
from .models import AttendanceSheet, ClientLink, DocumentsDue, QualityEvaluation, ResidentPost, ResidentReport


@admin.register(ResidentPost)
class ResidentPostAdmin(admin.ModelAdmin):
    list_display = ["site", "lead"]
    autocomplete_fields = []
    list_select_related = ["site__client", "lead"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MaintenanceContract)
class MaintenanceContractAdmin(admin.ModelAdmin):
    list_display = ["number", "client", "starts_on", "ends_on", "frequency", "amount", "renewal_reminded_at"]
    list_select_related = ["client"]
    filter_horizontal = ["equipment"]
    readonly_fields = ["renewal_reminded_at"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ResidentReport)
class ResidentReportAdmin(ReadOnlyAdmin):
    list_display = ["technician", "site", "month", "status", "client_rating", "stamped_by", "stamped_at"]
    list_filter = ["status", "month"]


for model in (AttendanceSheet, DocumentsDue, QualityEvaluation, ClientLink, Inspection, Project, ProjectShare, ProjectSurvey, DailyReport, WorkRecord):
    if not admin.site.is_registered(model):
        admin.site.register(model, ReadOnlyAdmin)
