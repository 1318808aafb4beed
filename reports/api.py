"""Monthly report API (shared API "Monthly report"): read, compile, approve, export. Thin: services decide.

GET returns the stored snapshot (`month`, `status`, `technicians`, `department`, …) plus `digest`,
`compiled_at`, `approved_at`. Managers compile and approve; managers and the GM office read everything;
admin reads and exports the approved months (the archive).
"""
import io

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from receivables.selectors import bucket_label
from servicedesk.choices import Role
from servicedesk.filters import month_input
from servicedesk.permissions import RolePermission, has_role, staff_of

from . import selectors, services
from .excel import write_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _readable_body(data: dict) -> dict:
    """The stored body with the ageing buckets named in the request's language (the body keeps their keys and
    messages, rule 7); the stored snapshot itself is not touched."""
    department = data.get("department")
    if not isinstance(department, dict) or "receivables_buckets" not in department:
        return data
    buckets = [{**b, "label": bucket_label(b["key"], b.get("label"))} for b in department["receivables_buckets"]]
    return {**data, "department": {**department, "receivables_buckets": buckets}}


def payload(report) -> dict:
    return {
        **_readable_body(report.data),
        "status": report.status,
        "digest": report.digest,
        "compiled_at": report.compiled_at.isoformat(),
        "approved_at": report.approved_at.isoformat() if report.approved_at else None,
        "approved_by": report.approved_by.name if report.approved_by_id else None,
    }


def readable(user, report) -> bool:
    if has_role(user, *selectors.VIEWERS):
        return True
    return report.is_approved and has_role(user, Role.ADMIN)


class ApproveSerializer(serializers.Serializer):
    digest = serializers.CharField(required=False, allow_blank=True, default="", max_length=128)
    drafts_confirmed = serializers.BooleanField(required=False, default=False)


class MonthlyReportView(APIView):
    permission_classes = [RolePermission]
    read_roles = selectors.ARCHIVE_VIEWERS

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, month):
        report = selectors.report_for(month_input(month))
        if report is None:
            raise Http404(_("该月的报表尚未编制。"))
        if not readable(request.user, report):
            raise PermissionDenied()
        return Response(payload(report))


class CompileView(APIView):
    permission_classes = [RolePermission]
    write_roles = {Role.MANAGER}

    @extend_schema(request=None, responses=OpenApiTypes.OBJECT)
    def post(self, request, month):
        report = services.compile_month(month=month_input(month), by=staff_of(request.user), now=timezone.now())
        return Response(payload(report))


class ApproveView(APIView):
    permission_classes = [RolePermission]
    write_roles = {Role.MANAGER}

    @extend_schema(request=ApproveSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request, month):
        data = ApproveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.approve(month=month_input(month), by=staff_of(request.user), now=timezone.now(), **data.validated_data)
        return Response(payload(report))


def workbook_response(report) -> HttpResponse:
    buf = io.BytesIO()
    write_workbook(report, buf)
    response = HttpResponse(buf.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="monthly-report-{report.month:%Y-%m}.xlsx"'
    return response


class ExportView(APIView):
    permission_classes = [RolePermission]
    read_roles = selectors.ARCHIVE_VIEWERS

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY})
    def get(self, request, month):
        report = selectors.report_for(month_input(month))
        if report is None:
            raise Http404(_("该月的报表尚未编制。"))
        if not readable(request.user, report):
            raise PermissionDenied()
        return workbook_response(report)
