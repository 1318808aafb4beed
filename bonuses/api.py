"""Month-close API (/api/bonuses/…; API reference /api/docs/, "Month close"). Thin: services decide, selectors read.

Managers, admin and finance see every statement and award; everybody else only their own (another
person's statement → 403 with a message). Compile and approve are the manager's, archive is admin's.
"""
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from servicedesk.choices import Role
from servicedesk.filters import MonthQuery, month_input
from servicedesk.permissions import RolePermission, staff_of
from servicedesk.texts import rendered

from . import selectors, services
from .filters import SEE_ALL, AwardFilter, StatementFilter, sees_all
from .models import Award, Statement


# --------------------------------------------------------------------------- serializers
class MonthAwardSerializer(serializers.ModelSerializer):
    month = serializers.SerializerMethodField()
    person_name = serializers.CharField(source="person.name", read_only=True)
    adjusts_month = serializers.SerializerMethodField()
    explanation = serializers.SerializerMethodField()

    class Meta:
        model = Award
        fields = ["id", "person", "person_name", "month", "rule", "kind", "amount", "explanation", "source", "adjusts",
                  "adjusts_month"]
        read_only_fields = fields

    def get_month(self, obj) -> str:
        return f"{obj.month:%Y-%m}"

    def get_adjusts_month(self, obj) -> str | None:
        return f"{obj.adjusts_month:%Y-%m}" if obj.adjusts_month else None

    def get_explanation(self, obj) -> dict:
        """The stored explanation with its sentences ("text", the reasons) in the request's language (rule 7)."""
        return rendered(obj.explanation or {})


class MonthStatementSerializer(serializers.ModelSerializer):
    month = serializers.SerializerMethodField()
    person_name = serializers.CharField(source="person.name", read_only=True)
    lines = serializers.SerializerMethodField()
    rewards_total = serializers.SerializerMethodField()
    allowances_total = serializers.SerializerMethodField()
    project_bonus_total = serializers.SerializerMethodField()
    fines_total = serializers.SerializerMethodField()
    penalty_amount = serializers.SerializerMethodField()
    net = serializers.SerializerMethodField()
    approved_by_name = serializers.CharField(source="approved_by.name", read_only=True, default="")
    archived_by_name = serializers.CharField(source="archived_by.name", read_only=True, default="")

    class Meta:
        model = Statement
        fields = ["id", "person", "person_name", "month", "status", "lines", "rewards_total", "allowances_total",
                  "project_bonus_total", "fines_total", "penalty_points", "penalty_amount", "net", "approved_by",
                  "approved_by_name", "approved_at", "archived_by", "archived_by_name", "archived_at"]
        read_only_fields = fields

    def _totals(self, obj) -> dict:
        if not hasattr(obj, "_totals_cache"):
            obj._totals_cache = selectors.totals_of(obj)
        return obj._totals_cache

    def get_month(self, obj) -> str:
        return f"{obj.month:%Y-%m}"

    def get_lines(self, obj) -> list:
        return MonthAwardSerializer(obj.lines, many=True).data

    def get_rewards_total(self, obj) -> str:
        return f"{self._totals(obj)['rewards']:.2f}"

    def get_allowances_total(self, obj) -> str:
        return f"{self._totals(obj)['allowances']:.2f}"

    def get_project_bonus_total(self, obj) -> str:
        return f"{self._totals(obj)['project_bonus']:.2f}"

    def get_fines_total(self, obj) -> str:
        return f"{self._totals(obj)['fines']:.2f}"

    def get_penalty_amount(self, obj) -> str:
        return f"{self._totals(obj)['penalty_amount']:.2f}"

    def get_net(self, obj) -> str:
        return f"{self._totals(obj)['net']:.2f}"


class MonthRankingRowSerializer(serializers.Serializer):
    person = serializers.IntegerField(source="person_id")
    person_name = serializers.CharField()
    rank = serializers.IntegerField()
    score = serializers.DecimalField(max_digits=12, decimal_places=2)
    very_satisfied_rate = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    complaints = serializers.IntegerField()
    reward = serializers.DecimalField(max_digits=12, decimal_places=2)
    reward_reason = serializers.CharField()
    fine = serializers.DecimalField(max_digits=12, decimal_places=2)
    fine_reasons = serializers.ListField(child=serializers.CharField())


# --------------------------------------------------------------------------- views
class MonthCompileView(APIView):
    """POST /api/bonuses/months/{month}/compile/ (manager) → {"month", "status", …}; 409 once approved."""

    permission_classes = [RolePermission]
    read_roles = {Role.MANAGER}
    write_roles = {Role.MANAGER}

    @extend_schema(request=None, responses={200: dict})
    def post(self, request, month: str):
        m = month_input(month)
        result = services.compile_month(month=m, by=staff_of(request.user), now=timezone.now())
        return Response({
            "month": f"{result.month:%Y-%m}", "status": selectors.month_status(result.month), "statements": result.statements,
            "created": result.created, "updated": result.updated, "superseded": result.superseded,
            "adjustments": len(result.adjustments),
        })


class RankingView(APIView):
    """GET /api/bonuses/ranking/?month= → the R-M1 table, best first (managers, admin, finance)."""

    permission_classes = [RolePermission]
    read_roles = SEE_ALL

    @extend_schema(parameters=[MonthQuery], responses=MonthRankingRowSerializer(many=True))
    def get(self, request):
        query = MonthQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        m = query.validated_data["month"]
        return Response(MonthRankingRowSerializer(selectors.ranking(m), many=True).data)


class _OwnOrAll:
    def _own(self):
        """Everybody but managers, admin and finance sees only their own rows (the FilterSet refuses `person`
        naming someone else)."""
        if sees_all(self.request.user):
            return None
        return getattr(staff_of(self.request.user), "pk", -1)


class AwardViewSet(_OwnOrAll, mixins.ListModelMixin, viewsets.GenericViewSet):
    """GET /api/bonuses/awards/?month=&person= (paginated)."""

    queryset = Award.objects.none()
    serializer_class = MonthAwardSerializer
    permission_classes = [RolePermission]
    read_roles = None
    filterset_class = AwardFilter

    def get_queryset(self):
        return selectors.awards(person=self._own())


class StatementViewSet(_OwnOrAll, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """GET /api/bonuses/statements/?month=&person=; POST …/{id}/approve/ (manager), …/{id}/archive/ (admin)."""

    serializer_class = MonthStatementSerializer
    permission_classes = [RolePermission]
    read_roles = None
    write_roles = {Role.MANAGER}
    action_roles = {"approve": {Role.MANAGER}, "archive": {Role.ADMIN}, "approve_month": {Role.MANAGER}}
    queryset = Statement.objects.none()
    filterset_class = StatementFilter

    def get_queryset(self):
        if self.action == "retrieve":
            return selectors.statements()
        return selectors.statements(person=self._own())

    def get_object(self):
        st = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        if not sees_all(self.request.user) and st.person_id != getattr(staff_of(self.request.user), "pk", None):
            raise exceptions.NotFound()  # another person's statement: not found, never "exists but not yours" (rule 6)
        return st

    def _reload(self, st):
        return Response(MonthStatementSerializer(selectors.statements().get(pk=st.pk)).data)

    @extend_schema(request=None, responses=MonthStatementSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        st = get_object_or_404(Statement, pk=pk)
        st = services.approve_statement(statement=st, by=staff_of(request.user), now=timezone.now())
        return self._reload(st)

    @extend_schema(request=None, responses=MonthStatementSerializer)
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        st = get_object_or_404(Statement, pk=pk)
        st = services.archive_statement(statement=st, by=staff_of(request.user), now=timezone.now())
        return self._reload(st)

    @extend_schema(request=None, parameters=[OpenApiParameter("month", str, description="YYYY-MM (or `month` in the body)")],
                   responses=dict)
    @action(detail=False, methods=["post"], url_path="approve-month", filterset_class=None)
    def approve_month(self, request):
        body = request.data if isinstance(request.data, dict) else {}
        query = MonthQuery(data=body if body.get("month") else request.query_params)  # the body's month, else the query's
        query.is_valid(raise_exception=True)
        m = query.validated_data["month"]
        result = services.approve_month(month=m, by=staff_of(request.user), now=timezone.now())
        return Response({
            "approved": [s.pk for s in result.approved],
            "refused": [{"id": s.pk, "person": s.person_id, "detail": msg} for s, msg in result.refused],
        })
