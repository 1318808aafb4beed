"""Resident service, team projects and contracts (R-R1…R-R6) in the admin: read-only — site leads are set
through resident.services.set_site_lead and contracts created through contracts.services.create_contract (their
pages), workflow records by their services."""
from django.contrib import admin

from servicedesk.admin_base import ReadOnlyAdmin

from ..contracts.models import Inspection, MaintenanceContract
from ..projects.models import DailyReport, Project, ProjectShare, ProjectSurvey, WorkRecord
from .models import AttendanceSheet, ClientLink, DocumentsDue, QualityEvaluation, ResidentPost, ResidentReport


@admin.register(ResidentPost)
class ResidentPostAdmin(ReadOnlyAdmin):
    list_display = ["site", "lead"]
    list_select_related = ["site__client", "lead"]


@admin.register(MaintenanceContract)
class MaintenanceContractAdmin(ReadOnlyAdmin):
    list_display = ["number", "client", "starts_on", "ends_on", "frequency", "amount", "renewal_reminded_at"]
    list_select_related = ["client"]


@admin.register(ResidentReport)
class ResidentReportAdmin(ReadOnlyAdmin):
    list_display = ["technician", "site", "month", "status", "client_rating", "stamped_by", "stamped_at"]
    list_filter = ["status", "month"]


for model in (AttendanceSheet, DocumentsDue, QualityEvaluation, ClientLink, Inspection, Project, ProjectShare, ProjectSurvey, DailyReport, WorkRecord):
    if not admin.site.is_registered(model):
        admin.site.register(model, ReadOnlyAdmin)
