"""Penalties API (/api/penalties/): lists, the manager's decisions and the monthly totals. Thin: services decide.

A manager sees every penalty; everybody else only their own (another person's → 404).
Decisions are managers' only (403 otherwise); penalties are never deleted (no DELETE).
"""
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from servicedesk.choices import Role
from servicedesk.filters import IdInput, MonthInput
from servicedesk.models import Staff
from servicedesk.permissions import RolePermission, staff_of
from servicedesk.api_fields import FreeTextField, SaidField
from servicedesk.texts import render

from . import selectors, services
from .choices import FlagDecision, JointRole
from .filters import DismissalFlagFilter, PenaltyFilter
from .models import DismissalFlag, Penalty, PenaltyDecision

MANAGERS = {Role.MANAGER}
DECIDERS = {Role.MANAGER, Role.GM_OFFICE}  # GM office: proposals about a department manager (P8 Decision)


# --------------------------------------------------------------------------- serializers
class DecisionSerializer(serializers.ModelSerializer):
    by_name = serializers.CharField(source="by.name", read_only=True, default="")
    reason = SaidField()

    class Meta:
        model = PenaltyDecision
        fields = ["id", "action", "by", "by_name", "at", "points_before", "points_after", "reason"]
        read_only_fields = fields


class PenaltySerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    source_type = serializers.SerializerMethodField()
    decided_by_name = serializers.CharField(source="decided_by.name", read_only=True, default="")
    withdrawn_by_name = serializers.CharField(source="withdrawn_by.name", read_only=True, default="")
    dismissal_flag = serializers.SerializerMethodField()
    decisions = DecisionSerializer(many=True, read_only=True)
    # "" for a person's own penalty: the published schema (/api/schema/) says so, so clients can rely on it
    joint_role = serializers.ChoiceField(choices=JointRole.choices, allow_blank=True, read_only=True)
    reason = SaidField()
    source_label = SaidField(source="source_text")

    class Meta:
        model = Penalty
        fields = [
            "id", "person", "person_name", "rule", "joint_role", "joint_of", "source_type", "source_id", "source_label",
            "source_url", "reason", "suggested_points", "points", "min_points", "max_points", "dismissal", "status",
            "occurred_on", "parameter", "parameter_version", "serious", "failed_supervision", "proposed_at", "proposed_by", "decided_at",
            "decided_by", "decided_by_name", "decision_reason", "withdrawn_at", "withdrawn_by", "withdrawn_by_name",
            "withdraw_reason", "dismissal_flag", "decisions",
        ]
        read_only_fields = fields

    def get_source_type(self, obj) -> str:
        ct = ContentType.objects.get_for_id(obj.source_type_id)  # cached: no query per row
        return f"{ct.app_label}.{ct.model}"

    def get_dismissal_flag(self, obj) -> dict | None:
        flag = getattr(obj, "dismissal_flag", None) if hasattr(obj, "dismissal_flag") else None
        if flag is None:
            return None
        return {"id": flag.pk, "status": flag.status, "decision": flag.decision, "reason": render(flag.reason)}


class ConfirmSerializer(serializers.Serializer):
    points = serializers.IntegerField(required=False, allow_null=True, default=None)
    serious = serializers.BooleanField(required=False, default=False)
    reason = FreeTextField(required=False, allow_blank=True, default="")
    failed_supervision = serializers.BooleanField(
        required=False, default=False,
        help_text="P8: the complaint was caused by failed supervision; only then are the joint-liability proposals made",
    )
    supervisor = serializers.PrimaryKeyRelatedField(
        queryset=Staff.objects.filter(active=True), required=False, allow_null=True, default=None,
        help_text="P8: the supervising leader jointly liable (optional)",
    )


class ReasonSerializer(serializers.Serializer):
    reason = FreeTextField()


class ChangeSerializer(serializers.Serializer):
    points = serializers.IntegerField()
    reason = FreeTextField()


class BulkConfirmSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)


class BulkResultSerializer(serializers.Serializer):
    confirmed = serializers.ListField(child=serializers.IntegerField())
    refused = serializers.ListField(child=serializers.DictField())


class MonthlyPointsSerializer(serializers.Serializer):
    person = serializers.IntegerField(source="person_id")
    person_name = serializers.CharField()
    month = serializers.SerializerMethodField()
    points = serializers.IntegerField()
    penalties = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    yuan_per_point = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    parameter_versions = serializers.ListField(child=serializers.IntegerField())

    def get_month(self, obj) -> str:
        return obj.month.strftime("%Y-%m")


class DismissalFlagSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    decided_by_name = serializers.CharField(source="decided_by.name", read_only=True, default="")
    reason = SaidField()
    decision = serializers.ChoiceField(choices=FlagDecision.choices, allow_blank=True, read_only=True)  # "" until decided

    class Meta:
        model = DismissalFlag
        fields = [
            "id", "person", "person_name", "penalty", "raised_at", "reason", "status", "decision", "decided_by",
            "decided_by_name", "decided_at", "decision_reason",
        ]
        read_only_fields = fields


class DismissalDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=FlagDecision.choices)
    reason = FreeTextField()


class MonthlyTotalsQuery(serializers.Serializer):
    """The query of `monthly-totals` (an action's inputs, not a list filter)."""

    month = MonthInput(required=False, help_text="YYYY-MM (default: this month)")
    person = IdInput(required=False, help_text="managers: one person; others always see only themselves")


# --------------------------------------------------------------------------- views
@extend_schema_view(
    list=extend_schema(summary="Penalties (a manager sees all; others only their own)"),
    retrieve=extend_schema(summary="One penalty with its decision history"),
)
class PenaltyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = Penalty.objects.none()
    serializer_class = PenaltySerializer
    permission_classes = [RolePermission]
    read_roles = None
    write_roles = MANAGERS
    action_roles = {"confirm": DECIDERS, "reject": DECIDERS, "withdraw": DECIDERS, "change": DECIDERS,
                    "bulk_confirm": DECIDERS, "monthly_totals": None}
    filterset_class = PenaltyFilter

    def get_queryset(self):
        viewer = staff_of(self.request.user)
        if viewer is None:  # a superuser without a Staff profile
            return selectors.with_history(selectors._base()) if self.request.user.is_superuser else Penalty.objects.none()
        return selectors.with_history(selectors.visible_to(viewer))

    def _by(self):
        by = staff_of(self.request.user)
        if by is None:
            raise exceptions.PermissionDenied(_("需要员工档案才能处理处罚。"))
        return by

    def _done(self, pen):
        return Response(PenaltySerializer(self.get_queryset().get(pk=pen.pk)).data)

    @extend_schema(request=ConfirmSerializer, responses=PenaltySerializer,
                   summary="Confirm a pending proposal (points within the rule's range; serious → dismissal flag)")
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        pen = self.get_object()
        data = ConfirmSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pen = services.confirm(penalty=pen, by=self._by(), now=timezone.now(), **data.validated_data)
        return self._done(pen)

    @extend_schema(request=ChangeSerializer, responses=PenaltySerializer, summary="Change the points within the range")
    @action(detail=True, methods=["post"])
    def change(self, request, pk=None):
        pen = self.get_object()
        data = ChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pen = services.change_points(penalty=pen, by=self._by(), now=timezone.now(), **data.validated_data)
        return self._done(pen)

    @extend_schema(request=ReasonSerializer, responses=PenaltySerializer, summary="Reject a pending proposal")
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        pen = self.get_object()
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pen = services.reject(penalty=pen, by=self._by(), now=timezone.now(), **data.validated_data)
        return self._done(pen)

    @extend_schema(request=ReasonSerializer, responses=PenaltySerializer, summary="Withdraw a confirmed penalty")
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        pen = self.get_object()
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pen = services.withdraw(penalty=pen, by=self._by(), now=timezone.now(), **data.validated_data)
        return self._done(pen)

    @extend_schema(request=BulkConfirmSerializer, responses=BulkResultSerializer,
                   summary="Confirm several pending proposals at their suggested points")
    @action(detail=False, methods=["post"], url_path="bulk-confirm")
    def bulk_confirm(self, request):
        data = BulkConfirmSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rows = list(self.get_queryset().filter(pk__in=data.validated_data["ids"]).order_by("pk"))
        result = services.bulk_confirm(penalties=rows, by=self._by(), now=timezone.now())
        return Response({
            "confirmed": [p.pk for p in result.confirmed],
            "refused": [{"id": p.pk, "detail": msg} for p, msg in result.refused],
        })

    @extend_schema(
        parameters=[MonthlyTotalsQuery],
        responses=MonthlyPointsSerializer(many=True),
        summary="Confirmed points per person for a month and their ¥ amount (R-N3)",
    )
    @action(detail=False, methods=["get"], url_path="monthly-totals", filterset_class=None, pagination_class=None)
    def monthly_totals(self, request):
        query = MonthlyTotalsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        month = query.validated_data.get("month") or timezone.localdate().replace(day=1)
        viewer = staff_of(request.user)
        if request.user.is_superuser or selectors.is_manager(viewer):
            person = query.validated_data.get("person")
        else:
            person = viewer.pk  # a technician only ever sees their own totals
        rows = selectors.monthly_points(month, person=person)
        return Response(MonthlyPointsSerializer(rows, many=True).data)


@extend_schema_view(list=extend_schema(summary="Dismissal flags (R-N2), managers only"))
class DismissalFlagViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = DismissalFlag.objects.select_related("person", "decided_by").order_by("status", "-raised_at")
    serializer_class = DismissalFlagSerializer
    permission_classes = [RolePermission]
    read_roles = MANAGERS
    write_roles = MANAGERS
    filterset_class = DismissalFlagFilter

    @extend_schema(request=DismissalDecisionSerializer, responses=DismissalFlagSerializer,
                   summary="Record the manager's decision (kept / dismissed); nothing automatic happens")
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        flag = self.get_object()
        data = DismissalDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        flag = services.decide_dismissal(flag=flag, by=staff_of(request.user), now=timezone.now(), **data.validated_data)
        return Response(DismissalFlagSerializer(flag).data)
