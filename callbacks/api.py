"""Callbacks API (API reference /api/docs/): the queue, recording a call, the monthly figures. Coordinators and managers only."""
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from servicedesk.api_fields import FreeTextField
from servicedesk.choices import Role
from servicedesk.filters import MonthInput
from servicedesk.permissions import RolePermission, staff_of

from . import selectors, services
from .choices import CallbackStatus, Satisfaction
from .filters import CallbackFilter
from .models import Callback

CALLERS = {Role.COORDINATOR, Role.MANAGER}


class CallbackSerializer(serializers.ModelSerializer):
    work_order_number = serializers.CharField(source="work_order.number", read_only=True)
    client_name = serializers.CharField(source="client.name", read_only=True)
    phone = serializers.CharField(source="work_order.contact_phone", read_only=True)
    technician_name = serializers.CharField(source="technician.name", read_only=True)
    # "" until the call is answered: documented as one of the values or blank (a read-only model field loses its
    # blank choice in the published schema)
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Callback
        fields = [
            "id", "work_order", "work_order_number", "client", "client_name", "phone", "technician", "technician_name",
            "completed_at", "window_opens_at", "due_at", "window_rule", "explanation", "status", "attempts", "answered_at",
            "badge", "explained", "cleaned", "signed", "satisfaction", "complaint", "late",
        ]
        read_only_fields = fields


class RecordCallSerializer(serializers.Serializer):
    answered = serializers.BooleanField()
    badge = serializers.BooleanField(required=False, allow_null=True, default=None)
    explained = serializers.BooleanField(required=False, allow_null=True, default=None)
    cleaned = serializers.BooleanField(required=False, allow_null=True, default=None)
    signed = serializers.BooleanField(required=False, allow_null=True, default=None)
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices, required=False, allow_blank=True, default="")
    complaint = FreeTextField(required=False, allow_blank=True, default="")


class TechnicianFiguresSerializer(serializers.Serializer):
    technician = serializers.IntegerField(source="technician_id")
    name = serializers.CharField(source="technician_name")
    answered = serializers.IntegerField()
    very_satisfied = serializers.IntegerField()
    very_satisfied_rate = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    unreachable = serializers.IntegerField()
    complaints = serializers.IntegerField()


class DepartmentFiguresSerializer(serializers.Serializer):
    clients_served = serializers.IntegerField()
    clients_called_back = serializers.IntegerField()
    coverage = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    target = serializers.DecimalField(max_digits=6, decimal_places=2)
    below_target = serializers.BooleanField()
    overdue = serializers.IntegerField()


class FiguresSerializer(serializers.Serializer):
    month = serializers.CharField()
    technicians = TechnicianFiguresSerializer(many=True)
    department = DepartmentFiguresSerializer()


class FiguresQuery(serializers.Serializer):
    """The query of `figures` (an action's input, not a list filter)."""

    month = MonthInput(required=False, help_text="YYYY-MM (default: this month)")


class CallbackViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = Callback.objects.none()
    serializer_class = CallbackSerializer
    permission_classes = [RolePermission]
    read_roles = CALLERS
    write_roles = CALLERS
    filterset_class = CallbackFilter  # `?status=`; a list without it is the open queue

    def get_queryset(self):
        return selectors.queue(statuses=CallbackStatus.values)

    @extend_schema(request=RecordCallSerializer, responses=CallbackSerializer)
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        callback = self.get_object()
        data = RecordCallSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        cb = services.record_call(callback=callback, by=staff_of(request.user), now=timezone.now(), **data.validated_data)
        return Response(CallbackSerializer(cb).data)

    @extend_schema(parameters=[FiguresQuery], responses=FiguresSerializer)
    @action(detail=False, methods=["get"], filterset_class=None)
    def figures(self, request):
        query = FiguresQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        month = query.validated_data.get("month") or timezone.localdate().replace(day=1)
        techs = sorted(selectors.technician_month_figures(month).values(), key=lambda t: t.technician_name)
        dept = selectors.department_month_figures(month)
        return Response(
            FiguresSerializer({"month": month.strftime("%Y-%m"), "technicians": techs, "department": dept}).data
        )
