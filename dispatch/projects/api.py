"""REST of team projects (API reference /api/docs/, "Projects"). Thin: services decide.

`POST /api/projects/`, `GET /api/projects/{id}/`, `POST /api/projects/{id}/complete/`,
`GET/POST /api/projects/{id}/daily-reports/`, `POST /api/projects/{id}/work-records/`,
`POST /api/projects/{id}/summary/` (sends the summary and returns the client's survey link).
"""
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from servicedesk.api_fields import ExplainedField, FreeTextField
from servicedesk.choices import Role
from servicedesk.permissions import RolePermission, staff_of
from servicedesk.quantities import QuantityField
from servicedesk.texts import rendered

from . import selectors, services
from .filters import ProjectFilter
from .models import DailyReport, Project, ProjectShare, WorkRecord

SEES_ALL = (Role.MANAGER, Role.COORDINATOR, Role.SUPERVISOR, Role.GM_OFFICE, Role.ADMIN, Role.FINANCE)


class ShareSerializer(serializers.ModelSerializer):
    explanation = serializers.SerializerMethodField()

    class Meta:
        model = ProjectShare
        fields = ["person", "role", "gross", "deduction", "amount", "explanation"]

    def get_explanation(self, obj) -> dict:
        """R-M6..R-M8's explanation with its sentences in the request's language (rule 7)."""
        return rendered(obj.explanation or {})


class ProjectSerializer(serializers.ModelSerializer):
    members = serializers.SerializerMethodField()
    shares = serializers.SerializerMethodField()
    pool = serializers.SerializerMethodField()
    pool_explanation = ExplainedField()

    class Meta:
        model = Project
        fields = [
            "id", "number", "name", "client", "site", "kind", "contract_amount", "manager", "documents_responsible", "members",
            "planned_start", "planned_end", "person_days", "documents_due", "status", "pool", "pool_explanation",
            "contract_fulfilled", "documents_complete_on", "client_satisfied", "completed_at", "summary_sent_at", "shares",
        ]
        read_only_fields = fields

    def get_members(self, obj) -> list[dict]:
        return [{"staff": m.staff_id, "task": m.task} for m in obj.members.all()]

    def get_shares(self, obj) -> list[dict]:
        return ShareSerializer(obj.shares.all(), many=True).data

    def get_pool(self, obj) -> str | None:
        if obj.pool is not None:
            return f"{obj.pool:.2f}"
        return f"{obj.manual_pool:.2f}" if obj.manual_pool is not None else None


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "object", "properties": {"staff": {"type": "integer"}, "task": {"type": "string"}}}]})
class MemberField(serializers.Field):
    def to_internal_value(self, data):
        if isinstance(data, dict):
            return {"staff": data.get("staff"), "task": str(data.get("task") or "")}
        if isinstance(data, int) and not isinstance(data, bool):
            return data
        raise serializers.ValidationError(_("组员应为员工编号。"))

    def to_representation(self, value):
        return value


class ProjectCreateSerializer(serializers.Serializer):
    name = serializers.CharField(allow_blank=True, required=False, default="", max_length=120)
    client = serializers.IntegerField(required=False, allow_null=True, default=None)
    site = serializers.IntegerField(required=False, allow_null=True, default=None)
    kind = serializers.CharField(required=False, default="", max_length=32)
    contract_amount = serializers.CharField(required=False, allow_null=True, default=None, max_length=32)
    manager = serializers.IntegerField(required=False, allow_null=True, default=None)
    members = serializers.ListField(child=MemberField(), required=False, default=list)
    planned_start = serializers.DateField(required=False, allow_null=True, default=None)
    planned_end = serializers.DateField(required=False, allow_null=True, default=None)
    person_days = serializers.IntegerField(required=False, allow_null=True, min_value=0, default=None)
    documents_due = serializers.DateField(required=False, allow_null=True, default=None)
    documents_responsible = serializers.IntegerField(required=False, allow_null=True, default=None)
    pool = serializers.CharField(required=False, allow_null=True, allow_blank=True, default=None, max_length=32)
    manager_share = serializers.CharField(required=False, allow_null=True, allow_blank=True, default=None, max_length=32)
    work_order = serializers.IntegerField(required=False, allow_null=True, default=None)
    contract = serializers.IntegerField(required=False, allow_null=True, default=None)


class CompleteSerializer(serializers.Serializer):
    contract_fulfilled = serializers.BooleanField(required=False, allow_null=True, default=None)
    documents_complete_on = serializers.DateField(required=False, allow_null=True, default=None)
    client_satisfied = serializers.BooleanField(required=False, allow_null=True, default=None)


class DailyReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = DailyReport
        fields = ["id", "project", "on", "by", "text", "created_at"]
        read_only_fields = ["id", "project", "by", "created_at"]


class WorkRecordSerializer(serializers.ModelSerializer):
    quantity = QuantityField(required=False, default=1)  # plain ASCII digits (servicedesk.quantities)

    class Meta:
        model = WorkRecord
        fields = ["id", "project", "technician", "on", "serials", "quantity", "note", "created_at"]
        read_only_fields = ["id", "project", "technician", "created_at"]


class SummarySerializer(serializers.Serializer):
    summary_report = FreeTextField(required=False, allow_blank=True, default="", help_text=_("项目总结报告(发给客户)"))


class SummarySentSerializer(serializers.Serializer):
    survey_url = serializers.URLField()
    summary_sent_at = serializers.DateTimeField()


class ProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = ProjectSerializer
    permission_classes = [RolePermission]
    read_roles = None
    write_roles = None  # services check who may create, report, complete
    filterset_class = ProjectFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Project.objects.none()
        staff = staff_of(self.request.user)
        qs = Project.objects.select_related("client", "site", "manager").prefetch_related("members", "shares").order_by("-created_at", "-id")
        if not staff.has_role(*SEES_ALL):
            qs = qs.filter(Q(manager=staff) | Q(members__staff=staff)).distinct()
        return qs

    def get_serializer_class(self):
        return ProjectCreateSerializer if self.action == "create" else ProjectSerializer

    def _project(self, pk) -> Project:
        project = self.get_queryset().filter(pk=pk).first()
        if project is None:
            raise NotFound(_("找不到该项目。"))
        return project

    def _out(self, project, status=200):
        project = selectors.project_detail(pk=project.pk)
        return Response(ProjectSerializer(project).data, status=status)

    @extend_schema(request=ProjectCreateSerializer, responses={201: ProjectSerializer})
    def create(self, request, *args, **kwargs):
        ser = ProjectCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        project = services.create_project(by=staff_of(request.user), now=timezone.now(), **ser.validated_data)
        return self._out(project, status=201)

    @extend_schema(request=CompleteSerializer, responses={200: ProjectSerializer})
    @action(detail=True, methods=["post"], serializer_class=CompleteSerializer)
    def complete(self, request, pk=None):
        ser = CompleteSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        project = services.complete_project(project=self._project(pk), by=staff_of(request.user), now=timezone.now(), **ser.validated_data)
        return self._out(project)

    # the viewset's serializer is the Project's: each method says what it reads and answers (the published schema)
    @extend_schema(methods=["GET"], request=None, responses={200: DailyReportSerializer(many=True)})
    @extend_schema(methods=["POST"], request=DailyReportSerializer, responses={201: DailyReportSerializer})
    @action(detail=True, methods=["get", "post"], url_path="daily-reports", serializer_class=DailyReportSerializer)
    def daily_reports(self, request, pk=None):
        project = self._project(pk)
        if request.method == "GET":
            page = self.paginate_queryset(DailyReport.objects.filter(project=project).order_by("-on", "-id"))
            return self.get_paginated_response(DailyReportSerializer(page, many=True).data)
        ser = DailyReportSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        report = services.add_daily_report(project=project, by=staff_of(request.user), now=timezone.now(), **ser.validated_data)
        return Response(DailyReportSerializer(report).data, status=201)

    @extend_schema(request=WorkRecordSerializer, responses={201: WorkRecordSerializer})
    @action(detail=True, methods=["post"], url_path="work-records", serializer_class=WorkRecordSerializer)
    def work_records(self, request, pk=None):
        project = self._project(pk)
        ser = WorkRecordSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        record = services.add_work_record(project=project, by=staff_of(request.user), now=timezone.now(), **ser.validated_data)
        return Response(WorkRecordSerializer(record).data, status=201)

    @extend_schema(request=SummarySerializer, responses={200: SummarySentSerializer})
    @action(detail=True, methods=["post"], serializer_class=SummarySerializer)
    def summary(self, request, pk=None):
        ser = SummarySerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        project, link = services.send_summary(project=self._project(pk), by=staff_of(request.user),
                                              text=ser.validated_data["summary_report"], now=timezone.now())
        return Response({"survey_url": request.build_absolute_uri(f"/s/{link.token}/"), "summary_sent_at": project.summary_sent_at})
