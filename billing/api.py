"""Billing API (API reference /api/docs/, "Quote preview"): preview a quote, read recorded charges, disputes (R-B9),
repair-plan decisions (R-B6/R-B7). Thin: services decide."""
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from servicedesk.choices import Role
from servicedesk.models import Client, Equipment
from servicedesk.money import MoneyField
from servicedesk.permissions import RolePermission, staff_of
from servicedesk.quantities import QuantityField
from servicedesk.api_fields import FreeTextField, SaidField

from . import selectors, services
from .choices import Decision, LineItem, LineKind
from .filters import RepairPlanFilter, VisitChargeFilter
from .models import ChargeDecision, ChargeLine, RepairPlan, VisitCharge

PREVIEWERS = {Role.COORDINATOR, Role.TECHNICIAN, Role.MANAGER, Role.SALES, Role.FINANCE}
READERS = PREVIEWERS
MONEY = dict(max_digits=12, decimal_places=2)


# --------------------------------------------------------------------------- quote preview


class QuoteLineInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=LineKind.choices)
    item = serializers.ChoiceField(choices=LineItem.choices, required=False, default=LineItem.OTHER)
    cost = MoneyField(allow_zero=True, required=False, allow_null=True, default=None)  # plain decimal, 2 places
    quantity = QuantityField(max_value=services.MAX_QUANTITY, required=False, default=1)
    installed = serializers.BooleanField(required=False, default=False)


class QuotePreviewRequestSerializer(serializers.Serializer):
    client = serializers.PrimaryKeyRelatedField(queryset=Client.objects.all())
    equipment = serializers.PrimaryKeyRelatedField(queryset=Equipment.objects.all(), required=False, allow_null=True, default=None)
    date = serializers.DateField()
    lines = QuoteLineInputSerializer(many=True, allow_empty=True)


class ParamVersionSerializer(serializers.Serializer):
    name = serializers.CharField()
    value = serializers.JSONField()
    version = serializers.IntegerField()
    effective_from = serializers.DateField()


class QuotedLineSerializer(serializers.Serializer):
    kind = serializers.CharField(source="input.kind")
    item = serializers.CharField(source="input.item")
    amount = serializers.DecimalField(**MONEY)
    list_amount = serializers.DecimalField(**MONEY)
    free = serializers.BooleanField()
    awaiting_salesperson = serializers.BooleanField()
    rule = serializers.CharField()
    price_rule = serializers.CharField()
    entitlement_rule = serializers.CharField(allow_null=True)
    explanation = SaidField()
    inputs = serializers.DictField()
    parameter_versions = ParamVersionSerializer(source="params", many=True)


class QuoteSerializer(serializers.Serializer):
    lines = QuotedLineSerializer(many=True)
    onsite_fee = serializers.DecimalField(**MONEY)
    onsite_fee_rule = serializers.CharField()
    onsite_fee_explanation = SaidField()
    onsite_fee_parameter_versions = ParamVersionSerializer(source="onsite_fee_params", many=True)
    visit_rule = serializers.CharField(allow_blank=True)
    software_visit_ordinal = serializers.IntegerField(allow_null=True)
    total = serializers.DecimalField(**MONEY)


class QuotePreviewView(APIView):
    """R-P1…R-P7, R-B1…R-B8: what a visit would cost, line by line, with the rule behind each amount."""

    permission_classes = [RolePermission]
    write_roles = PREVIEWERS

    @extend_schema(request=QuotePreviewRequestSerializer, responses=QuoteSerializer, operation_id="billing_quote_preview")
    def post(self, request):
        data = QuotePreviewRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        quote = services.quote_visit(client=v["client"], equipment=v["equipment"], on=v["date"], lines=v["lines"])
        return Response(QuoteSerializer(quote).data)


# --------------------------------------------------------------------------- recorded charges, disputes


class ChargeLineSerializer(serializers.ModelSerializer):
    parameter_versions = serializers.JSONField(source="params", read_only=True)
    explanation = SaidField()
    billed_amount = serializers.DecimalField(**MONEY, read_only=True)

    class Meta:
        model = ChargeLine
        fields = [
            "id", "position", "kind", "item", "cost", "quantity", "installed", "amount", "list_amount", "free",
            "awaiting_salesperson", "rule", "inputs", "parameter_versions", "explanation", "status", "billed_amount",
        ]
        read_only_fields = fields


class ChargeDecisionSerializer(serializers.ModelSerializer):
    by_name = serializers.CharField(source="by.name", read_only=True)

    class Meta:
        model = ChargeDecision
        fields = ["id", "line", "action", "reason", "by", "by_name", "at"]
        read_only_fields = fields


class VisitChargeSerializer(serializers.ModelSerializer):
    lines = ChargeLineSerializer(source="live_lines", many=True, read_only=True)
    decisions = ChargeDecisionSerializer(many=True, read_only=True)
    billed_total = serializers.SerializerMethodField()
    onsite_fee_explanation = SaidField()

    class Meta:
        model = VisitCharge
        fields = [
            "id", "work_order", "client", "on", "lines", "onsite_fee", "onsite_fee_rule", "onsite_fee_explanation",
            "onsite_fee_params", "total", "visit_rule", "software_visit_ordinal", "revision", "status", "recorded_by",
            "recorded_at", "decisions", "billed_total",
        ]
        read_only_fields = fields

    def get_billed_total(self, obj) -> str:
        return f"{obj.billed_total(obj.live_lines):.2f}"


class DisputeSerializer(serializers.Serializer):
    line = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="空:整次上门的收费")
    reason = FreeTextField()


class DecideSerializer(serializers.Serializer):
    line = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="空:整次上门的收费")
    decision = serializers.ChoiceField(choices=Decision.choices)
    reason = FreeTextField()


class VisitChargeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Recorded visit charges (snapshots). `?work_order=` and `?status=` filter."""

    serializer_class = VisitChargeSerializer
    permission_classes = [RolePermission]
    read_roles = READERS
    write_roles = READERS  # who may actually dispute / decide is the service's rule (R-B9)
    queryset = VisitCharge.objects.none()
    filterset_class = VisitChargeFilter

    def get_queryset(self):
        from django.db.models import Prefetch

        from servicedesk.models import WorkOrder

        staff = staff_of(self.request.user)
        live = ChargeLine.objects.filter(superseded=False).select_related("repair_plan").order_by("position")
        qs = (
            VisitCharge.objects.filter(work_order__in=WorkOrder.objects.visible_to(staff))
            .select_related("client", "work_order")
            .prefetch_related(Prefetch("lines", queryset=live, to_attr="live_lines"), "decisions__by")
            .order_by("-recorded_at")
        )
        return qs

    def _reload(self, pk):
        return self.get_queryset().get(pk=pk)

    @extend_schema(request=DisputeSerializer, responses=VisitChargeSerializer)
    @action(detail=True, methods=["post"])
    def dispute(self, request, pk=None):
        """R-B9: mark the whole charge (line null) or one line disputed."""
        charge = self.get_object()
        data = DisputeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.mark_disputed(visit_charge=charge, by=staff_of(request.user), now=timezone.now(), **data.validated_data)
        return Response(VisitChargeSerializer(self._reload(charge.pk)).data)

    @extend_schema(request=DecideSerializer, responses=VisitChargeSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """R-B9: the client's salesperson or the department head decides charge or waive, with a reason."""
        charge = self.get_object()
        data = DecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.decide_dispute(visit_charge=charge, by=staff_of(request.user), now=timezone.now(), **data.validated_data)
        return Response(VisitChargeSerializer(self._reload(charge.pk)).data)


class RepairPlanSerializer(serializers.ModelSerializer):
    work_order_number = serializers.CharField(source="work_order.number", read_only=True)
    client_name = serializers.CharField(source="client.name", read_only=True)

    class Meta:
        model = RepairPlan
        fields = [
            "id", "work_order", "work_order_number", "client", "client_name", "equipment", "line", "rule", "cost",
            "description", "status", "created_at", "decided_by", "decided_at", "reason",
        ]
        read_only_fields = fields


class PlanDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    reason = FreeTextField()


class RepairPlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """R-B6/R-B7 repair plans. A salesperson sees their own clients' plans; managers, coordinators and finance all."""

    serializer_class = RepairPlanSerializer
    permission_classes = [RolePermission]
    read_roles = {Role.MANAGER, Role.SALES, Role.COORDINATOR, Role.FINANCE}
    write_roles = {Role.MANAGER, Role.SALES}
    queryset = RepairPlan.objects.none()
    filterset_class = RepairPlanFilter

    def get_queryset(self):
        staff = staff_of(self.request.user)
        qs = RepairPlan.objects.select_related("work_order", "client", "equipment", "line").order_by("-created_at")
        if staff and not staff.user.is_superuser and not staff.has_role(Role.MANAGER, Role.COORDINATOR, Role.FINANCE):
            qs = qs.filter(client__salesperson=staff)
        return qs

    @extend_schema(request=PlanDecisionSerializer, responses=RepairPlanSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """R-B6/R-B7: record the client's agreement: charge or waive (company bears the cost)."""
        plan = get_object_or_404(RepairPlan, pk=pk)  # the service refuses a salesperson of another client (403)
        data = PlanDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        plan = services.decide_repair_plan(plan=plan, by=staff_of(request.user), now=timezone.now(), **data.validated_data)
        return Response(RepairPlanSerializer(plan).data)
