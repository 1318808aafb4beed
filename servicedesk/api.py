"""REST API of the core (API reference /api/docs/): clients, sites, equipment, staff, work orders. Thin: services write."""
import django_filters
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .texts import render

PASSWORD_MAX_LENGTH = 1024  # a bound for the hasher's input, far above any password a person types
from . import selectors, services
from .api_errors import ErrorSerializer
from .choices import Channel, ClientKind, Department, Role, ServiceContent, ServiceMode, WorkOrderStatus
from .filters import (
    CLIENT_KIND_MESSAGE, BoolFilter, ChoiceFilter, DateTimeFilter, FilterSet, IdFilter, StatusFilter,
)
from .models import Client, Equipment, RuleParameter, Site, Staff, WorkOrder
from .quantities import QuantityField
from .permissions import ANY_STAFF, INTAKE, MASTER_DATA_EDITORS, STAFF_EDITORS, RolePermission, staff_of


class ServiceSaveMixin:
    """ModelSerializer whose create/update go through services.save_record (model.clean → field errors)."""

    def create(self, validated_data):
        return services.save_record(self.Meta.model(), **validated_data)

    def update(self, instance, validated_data):
        return services.save_record(instance, **validated_data)


class ClientSerializer(ServiceSaveMixin, serializers.ModelSerializer):
    class Meta:
        model = Client
        fields = ["id", "name", "kind", "department", "agreement_start", "software_entitlement", "phone", "salesperson", "notes", "active"]


class SiteSerializer(ServiceSaveMixin, serializers.ModelSerializer):
    class Meta:
        model = Site
        fields = ["id", "client", "name", "address", "area", "contact_name", "phone", "resident"]


class EquipmentSerializer(ServiceSaveMixin, serializers.ModelSerializer):
    quantity = QuantityField(required=False, default=1)  # plain ASCII digits (servicedesk.quantities)

    class Meta:
        model = Equipment
        fields = [
            "id", "client", "site", "model", "serial", "manufacturer", "quantity", "installed_on",
            "manufacturer_warranty_end", "company_warranty_end",
        ]
        validators = []  # duplicate serials are reported on the `serial` field by Equipment.clean()


class StaffSerializer(serializers.ModelSerializer):
    """Roles are granted only by someone with authority over them, never to oneself (docs/rules.md §1,
    Decision (granting roles)); the password
    is given only when creating an account (Django's validators) — later through `set-password`."""

    username = serializers.CharField(source="user.username", max_length=150)
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices), allow_empty=True)
    password = serializers.CharField(
        write_only=True, required=False, max_length=PASSWORD_MAX_LENGTH, style={"input_type": "password"},
        help_text=gettext_lazy("仅在创建账号时填写;修改密码请用 POST /api/staff/{id}/set-password/"),
    )

    class Meta:
        model = Staff
        fields = ["id", "username", "name", "roles", "area", "team", "team_lead", "resident_site", "phone", "active", "language", "password"]

    def validate_username(self, value):
        User = get_user_model()
        if self.instance is not None:
            if value != self.instance.user.username:
                raise serializers.ValidationError(_("用户名创建后不能修改。"))
            return value
        if User.objects.filter(username=value).exists():
            raise serializers.ValidationError(_("用户名已存在。"))
        return value

    def validate(self, attrs):
        if self.instance is not None and "password" in self.initial_data:
            raise serializers.ValidationError(
                {"password": [_("不能在这里修改密码,请使用 POST /api/staff/%(id)s/set-password/。") % {"id": self.instance.pk}]}
            )
        return attrs

    def create(self, validated_data):
        user = validated_data.pop("user")
        return services.create_staff(username=user["username"], by=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("user", None)
        validated_data.pop("password", None)
        return services.update_staff(staff=instance, by=self.context["request"].user, **validated_data)


class SetPasswordSerializer(serializers.Serializer):
    password = serializers.CharField(write_only=True, max_length=PASSWORD_MAX_LENGTH, style={"input_type": "password"}, help_text=gettext_lazy("新密码"))
    current_password = serializers.CharField(
        write_only=True, required=False, max_length=PASSWORD_MAX_LENGTH, allow_blank=True, style={"input_type": "password"},
        help_text=gettext_lazy("修改自己的密码时必填"),
    )


class WorkOrderSerializer(serializers.ModelSerializer):
    quantity = QuantityField(required=False, default=1)  # plain ASCII digits (servicedesk.quantities)

    class Meta:
        model = WorkOrder
        fields = [
            "id", "number", "client", "site", "equipment", "contact_name", "contact_phone", "equipment_model",
            "equipment_serial", "quantity", "service_mode", "content", "channel", "description", "required_at",
            "cooperation_chargeable", "status", "technician", "is_second_service", "created_at", "version",
        ]
        read_only_fields = ["number", "status", "technician", "is_second_service", "created_at", "version"]

    def create(self, validated_data):
        return services.create_work_order(by=staff_of(self.context["request"].user), **validated_data)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["description"] = render(instance.description)  # a description the product wrote reads in the reader's language
        return data


# --------------------------------------------------------------------------- filters (servicedesk.filters)


class ClientFilter(FilterSet):
    kind = ChoiceFilter(choices=ClientKind.choices, message=CLIENT_KIND_MESSAGE)
    department = ChoiceFilter(choices=Department.choices)
    active = BoolFilter()
    salesperson = IdFilter(field_name="salesperson__id")

    class Meta:
        model = Client
        fields = ["kind", "department", "active", "salesperson"]


class SiteFilter(FilterSet):
    client = IdFilter(field_name="client__id")
    area = django_filters.CharFilter()
    resident = BoolFilter()

    class Meta:
        model = Site
        fields = ["client", "area", "resident"]


class EquipmentFilter(FilterSet):
    client = IdFilter(field_name="client__id")
    site = IdFilter(field_name="site__id")
    model = django_filters.CharFilter()
    serial = django_filters.CharFilter()

    class Meta:
        model = Equipment
        fields = ["client", "site", "model", "serial"]


class StaffFilter(FilterSet):
    area = django_filters.CharFilter()
    team = django_filters.CharFilter()
    active = BoolFilter()

    class Meta:
        model = Staff
        fields = ["area", "team", "active"]


class WorkOrderFilter(FilterSet):
    status = StatusFilter(WorkOrderStatus.choices)
    client = IdFilter(field_name="client__id")
    site = IdFilter(field_name="site__id")
    equipment = IdFilter(field_name="equipment__id")
    technician = IdFilter(field_name="technician__id")
    service_mode = ChoiceFilter(choices=ServiceMode.choices)
    content = ChoiceFilter(choices=ServiceContent.choices)
    channel = ChoiceFilter(choices=Channel.choices)
    is_second_service = BoolFilter()
    created_after = DateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = DateTimeFilter(field_name="created_at", lookup_expr="lt")
    number = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = WorkOrder
        fields = [
            "status", "client", "site", "equipment", "technician", "service_mode", "content", "channel",
            "is_second_service", "created_after", "created_before", "number",
        ]


class RuleParameterFilter(FilterSet):
    name = django_filters.CharFilter()
    rule = django_filters.CharFilter()

    class Meta:
        model = RuleParameter
        fields = ["name", "rule"]


# --------------------------------------------------------------------------- views


class _Base:
    permission_classes = [RolePermission]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]  # records are deactivated, not deleted

    @property
    def viewer(self):
        return staff_of(self.request.user)


class ClientViewSet(_Base, viewsets.ModelViewSet):
    queryset = Client.objects.none()  # for the schema; get_queryset() is what serves
    serializer_class = ClientSerializer
    read_roles = None
    write_roles = MASTER_DATA_EDITORS
    filterset_class = ClientFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False) or (self.request.user.is_superuser and self.viewer is None):
            return selectors.client_list()
        return selectors.clients_visible_to(self.viewer)


class SiteViewSet(_Base, viewsets.ModelViewSet):
    serializer_class = SiteSerializer
    read_roles = None
    write_roles = MASTER_DATA_EDITORS
    filterset_class = SiteFilter

    def get_queryset(self):
        qs = selectors.site_list()
        if self.viewer is not None:
            qs = qs.filter(client__in=selectors.clients_visible_to(self.viewer).values("pk"))
        return qs


class EquipmentViewSet(_Base, viewsets.ModelViewSet):
    serializer_class = EquipmentSerializer
    read_roles = None
    write_roles = MASTER_DATA_EDITORS
    filterset_class = EquipmentFilter

    def get_queryset(self):
        qs = selectors.equipment_list()
        if self.viewer is not None:
            qs = qs.filter(client__in=selectors.clients_visible_to(self.viewer).values("pk"))
        return qs


class StaffViewSet(_Base, viewsets.ModelViewSet):
    """Everyone reads the staff list (names for dispatch); only managers and admin change it, and roles only
    within their authority (permissions.ROLE_GRANTORS)."""

    serializer_class = StaffSerializer
    read_roles = None
    write_roles = STAFF_EDITORS
    action_roles = {"set_password": ANY_STAFF}
    filterset_class = StaffFilter

    def get_queryset(self):
        return selectors.staff_list()

    @extend_schema(
        request=SetPasswordSerializer,
        responses={204: None, 400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer},
        operation_id="staff_set_password",
    )
    @action(detail=True, methods=["post"], url_path="set-password")
    def set_password(self, request, pk=None):
        """Set a password (Django's validators). One's own needs the current password; someone else's needs
        authority over them. Their API tokens are revoked."""
        staff = self.get_object()
        data = SetPasswordSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.set_password(
            staff=staff, password=data.validated_data["password"], by=request.user,
            current_password=data.validated_data.get("current_password") or None,
        )
        return Response(status=204)


class WorkOrderViewSet(_Base, mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A technician lists and reads only their own work orders (docs/developers.md rule 6)."""

    serializer_class = WorkOrderSerializer
    read_roles = None
    write_roles = INTAKE
    filterset_class = WorkOrderFilter

    def get_queryset(self):
        if self.viewer is None:
            return WorkOrder.objects.select_related("client", "site", "technician")
        return selectors.work_order_list(viewer=self.viewer)


from .auth.views import TokenView  # noqa: E402,F401  (moved to servicedesk/auth.py: lockout, throttle, expiry)


# --- rule parameters (docs/developers.md rule 2): list and schedule a new version; type/range checked by params.schedule_param ---


class RuleParameterScheduleSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=64)
    value = serializers.JSONField(help_text=_("数值用字符串,如 \"300.00\";表格按其形状(见 spec)"))
    effective_from = serializers.DateField()
    note = serializers.CharField(max_length=200)


class RuleParameterSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    value = serializers.JSONField()
    unit = serializers.CharField()
    rule = serializers.CharField()
    description = serializers.CharField()
    effective_from = serializers.DateField()
    note = serializers.CharField()
    spec = serializers.SerializerMethodField()

    @extend_schema_field(serializers.DictField())
    def get_spec(self, row):
        from .param_specs import spec_for

        spec = spec_for(row.name, row.kind, unit=row.unit)
        return {
            "kind": spec.kind, "section": spec.section, "label": str(spec.label), "unit": spec.unit,
            "min": None if spec.min is None or spec.is_table else str(spec.min),
            "max": None if spec.max is None or spec.is_table else str(spec.max),
        }


class RuleParameterViewSet(_Base, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """GET: every version of every rule parameter (filter `name`); POST: schedule a new version
    (managers; the security.* safeguards only admin — params.check_schedule decides, 403 otherwise). A value outside
    its type or range → 400 naming the parameter (`value`)."""

    read_roles = frozenset({Role.MANAGER, Role.ADMIN})
    write_roles = frozenset({Role.MANAGER, Role.ADMIN})
    filterset_class = RuleParameterFilter

    def get_serializer_class(self):
        return RuleParameterScheduleSerializer if self.action == "create" else RuleParameterSerializer

    def get_queryset(self):
        return RuleParameter.objects.order_by("name", "effective_from")

    def create(self, request, *args, **kwargs):
        from django.utils import timezone
        from rest_framework import status
        from rest_framework.response import Response

        from .params import schedule_param

        data = RuleParameterScheduleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = schedule_param(**data.validated_data, today=timezone.localdate(), by=request.user)
        return Response(RuleParameterSerializer(row).data, status=status.HTTP_201_CREATED)
