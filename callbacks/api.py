"""Callbacks API (API reference /api/docs/): the queue, recording a call, the monthly figures. Coordinators and managers only."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from servicedesk.choices import Role
from servicedesk.months import first_day, parse_month
from servicedesk.permissions import RolePermission, staff_of

from . import selectors, services
from .choices import CallbackStatus, Satisfaction
from .models import Callback

CALLERS = {Role.COORDINATOR, Role.MANAGER}


class CallbackSerializer(serializers.ModelSerializer):
    work_order_number = serializers.CharField(source="work_order.number", read_only=True)
    client_name = serializers.CharField(source="client.name", read_only=True)
    phone = serializers.CharField(source="work_order.contact_phone", read_only=True)
    technician_name = serializers.CharField(source="technician.name", read_only=True)

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
    complaint = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


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


class CallbackViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = Callback.objects.none()
    serializer_class = CallbackSerializer
    permission_classes = [RolePermission]
    read_roles = CALLERS
    write_roles = CALLERS

    def get_queryset(self):
        status = self.request.query_params.get("status")
        if status:
            if status not in CallbackStatus.values:
                raise serializers.ValidationError({"status": [_("未知的状态:%(s)s") % {"s": status}]})
            return selectors.queue(statuses=[status])
        return selectors.queue(statuses=CallbackStatus.values) if self.detail else selectors.queue()

    @extend_schema(
        parameters=[OpenApiParameter("status", enum=CallbackStatus.values, required=False)],
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=RecordCallSerializer, responses=CallbackSerializer)
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        callback = self.get_object()
        data = RecordCallSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        cb = services.record_call(callback=callback, by=staff_of(request.user), now=timezone.now(), **data.validated_data)
        return Response(CallbackSerializer(cb).data)

    @extend_schema(
        parameters=[OpenApiParameter("month", str, description="YYYY-MM", required=False)], responses=FiguresSerializer
    )
    @action(detail=False, methods=["get"])
    def figures(self, request):
        month = parse_month(request.query_params.get("month"), default=first_day(timezone.localdate()))
        techs = sorted(selectors.technician_month_figures(month).values(), key=lambda t: t.technician_name)
        dept = selectors.department_month_figures(month)
        return Response(
            FiguresSerializer({"month": month.strftime("%Y-%m"), "technicians": techs, "department": dept}).data
        )
