"""REST of resident service (API reference /api/docs/, "Resident service"). Thin: services decide.

`GET/POST /api/resident-reports/`, actions `/submit/`, `/approve/` (whoever's step it is),
`/return/ {"reason"}`, `/archive/` (admin), `/rating-link/` (a fresh client link for a stamped report).
"""
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from servicedesk.api_fields import FreeTextField
from servicedesk.pdf import API_PARAMETERS, API_RENDERERS, API_RESPONSES, pdf_response
from servicedesk.permissions import RolePermission, staff_of

from . import selectors, services
from .filters import ResidentReportFilter
from .models import ReportStep, ResidentReport
from servicedesk.months import parse_month


class StepSerializer(serializers.ModelSerializer):
    by_name = serializers.SerializerMethodField()

    class Meta:
        model = ReportStep
        fields = ["action", "from_status", "to_status", "by", "by_name", "at", "reason"]

    def get_by_name(self, obj) -> str:
        return obj.by.name if obj.by_id else obj.by_client


class ResidentReportSerializer(serializers.ModelSerializer):
    month = serializers.SerializerMethodField()
    client_rating = serializers.SerializerMethodField()
    documents_on_time = serializers.SerializerMethodField()
    stamp = serializers.SerializerMethodField()

    class Meta:
        model = ResidentReport
        fields = [
            "id", "site", "technician", "month", "status", "client_rating", "documents_on_time", "work_done", "counts",
            "issues", "suggestions", "submitted_at", "stamp", "client_comment", "rated_at", "returned_reason", "archived_at", "version",
        ]
        read_only_fields = fields

    def get_month(self, obj) -> str:
        return obj.month.strftime("%Y-%m")

    def get_client_rating(self, obj) -> str | None:
        return obj.client_rating or None

    def get_documents_on_time(self, obj) -> bool | None:
        statuses = self.context.get("documents")
        today = timezone.localdate()
        if statuses is not None and (obj.site_id, obj.month) in statuses:
            return selectors.on_time(statuses[(obj.site_id, obj.month)], obj.technician_id, today=today)
        return selectors.documents_on_time(obj, today=today)

    def get_stamp(self, obj) -> dict | None:
        if not obj.stamped_at:
            return None
        return {"by": obj.stamped_by_id, "by_name": obj.stamped_by.name if obj.stamped_by_id else "", "at": timezone.localtime(obj.stamped_at).isoformat()}


class ReportWriteSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM", max_length=10)
    work_done = FreeTextField(required=False, allow_blank=True)
    issues = FreeTextField(required=False, allow_blank=True)
    suggestions = FreeTextField(required=False, allow_blank=True)


class ReasonSerializer(serializers.Serializer):
    reason = FreeTextField(required=False, allow_blank=True)


class ResidentReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = ResidentReportSerializer
    permission_classes = [RolePermission]
    read_roles = None
    write_roles = None  # every step's role is checked by the service
    filterset_class = ResidentReportFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ResidentReport.objects.none()
        return selectors.reports_for(staff=staff_of(self.request.user))

    def get_serializer_class(self):
        return ReportWriteSerializer if self.action == "create" else ResidentReportSerializer

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        docs = selectors.documents_statuses(pairs=[(r.site_id, r.month) for r in page])
        return self.get_paginated_response(ResidentReportSerializer(page, many=True, context={"documents": docs, "request": request}).data)

    def _me(self):
        return staff_of(self.request.user)

    def _out(self, report, status=200):
        report = selectors.report_detail(pk=report.pk)
        return Response(ResidentReportSerializer(report, context={"request": self.request}).data, status=status)

    def create(self, request, *args, **kwargs):
        ser = ReportWriteSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        me, now = self._me(), timezone.now()
        report = services.start_report(technician=me, month=parse_month(ser.validated_data["month"]), by=me, now=now)
        if any(k in ser.validated_data for k in ("work_done", "issues", "suggestions")):
            report = services.update_report(
                report=report, by=me, now=now, work_done=ser.validated_data.get("work_done", report.work_done),
                issues=ser.validated_data.get("issues", report.issues), suggestions=ser.validated_data.get("suggestions", report.suggestions),
            )
        return self._out(report, status=201)

    def _report(self, pk) -> ResidentReport:
        report = self.get_queryset().filter(pk=pk).first()
        if report is None:
            raise NotFound(_("找不到该月报。"))
        return report

    @extend_schema(responses=API_RESPONSES, parameters=API_PARAMETERS, summary=_("驻场服务月度报表 PDF(R-R2)"))
    @action(detail=True, methods=["get"], url_path="pdf", url_name="pdf", renderer_classes=API_RENDERERS)
    def pdf(self, request, pk=None):
        """The report with its approvals, the GM office stamp and the client's rating, as an A4 PDF (Chinese;
        `?lang=en`); 404 for a report the caller may not see."""
        report = self._report(pk)
        report = selectors.report_detail(pk=report.pk)
        return pdf_response(request, template="resident/report_pdf.html", context={"report": report},
                            filename=f"驻场月报-{report.month:%Y-%m}-{report.technician.name}.pdf", api=True)

    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._out(services.submit_report(report=self._report(pk), by=self._me(), now=timezone.now()))

    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._out(services.approve_report(report=self._report(pk), by=self._me(), now=timezone.now()))

    @action(detail=True, methods=["post"], url_path="return", serializer_class=ReasonSerializer)
    def return_(self, request, pk=None):
        reason = request.data.get("reason", "")
        return self._out(services.return_report(report=self._report(pk), by=self._me(), reason=reason, now=timezone.now()))

    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        return self._out(services.archive_report(report=self._report(pk), by=self._me(), now=timezone.now()))

    @action(detail=True, methods=["post"], url_path="rating-link")
    def rating_link(self, request, pk=None):
        link = services.new_rating_link(report=self._report(pk), by=self._me(), now=timezone.now())
        return Response({"url": request.build_absolute_uri(f"/r/{link.token}/"), "created_at": link.created_at})
