"""REST API of the core (shared/API.md): clients, sites, equipment, staff, work orders. Thin: services write."""
import django_filters
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.authtoken.views import ObtainAuthToken

from . import selectors, services
from .choices import Role
from .models import Client, Equipment, Site, Staff, WorkOrder
from .permissions import INTAKE, MASTER_DATA_EDITORS, STAFF_EDITORS, RolePermission, staff_of


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
    class Meta:
        model = Equipment
        fields = [
            "id", "client", "site", "model", "serial", "manufacturer", "quantity", "installed_on",
            "manufacturer_warranty_end", "company_warranty_end",
        ]
        validators = []  # duplicate serials are reported on the `serial` field by Equipment.clean()


class StaffSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices), allow_empty=True)
    password = serializers.CharField(write_only=True, required=False, style={"input_type": "password"})

    class Meta:
        model = Staff
        fields = ["id", "username", "name", "roles", "area", "team", "team_lead", "resident_site", "phone", "active", "password"]

    def validate_username(self, value):
        User = get_user_model()
        qs = User.objects.filter(username=value)
        if self.instance is not None:
            qs = qs.exclude(pk=self.instance.user_id)
        if qs.exists():
            raise serializers.ValidationError(_("用户名已存在。"))
        return value

    def create(self, validated_data):
        user = validated_data.pop("user")
        return services.create_staff(username=user["username"], **validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("user", None)
        validated_data.pop("password", None)
        return services.update_staff(staff=instance, **validated_data)


class WorkOrderSerializer(serializers.ModelSerializer):
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


class WorkOrderFilter(django_filters.FilterSet):
    created_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")
    number = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = WorkOrder
        fields = ["status", "client", "site", "equipment", "technician", "service_mode", "content", "channel", "is_second_service"]


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
    filterset_fields = ["kind", "department", "active", "salesperson"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False) or (self.request.user.is_superuser and self.viewer is None):
            return selectors.client_list()
        return selectors.clients_visible_to(self.viewer)


class SiteViewSet(_Base, viewsets.ModelViewSet):
    serializer_class = SiteSerializer
    read_roles = None
    write_roles = MASTER_DATA_EDITORS
    filterset_fields = ["client", "area", "resident"]

    def get_queryset(self):
        qs = selectors.site_list()
        if self.viewer is not None:
            qs = qs.filter(client__in=selectors.clients_visible_to(self.viewer).values("pk"))
        return qs


class EquipmentViewSet(_Base, viewsets.ModelViewSet):
    serializer_class = EquipmentSerializer
    read_roles = None
    write_roles = MASTER_DATA_EDITORS
    filterset_fields = ["client", "site", "model", "serial"]

    def get_queryset(self):
        qs = selectors.equipment_list()
        if self.viewer is not None:
            qs = qs.filter(client__in=selectors.clients_visible_to(self.viewer).values("pk"))
        return qs


class StaffViewSet(_Base, viewsets.ModelViewSet):
    """Everyone reads the staff list (names for dispatch); only managers and admin change it."""

    serializer_class = StaffSerializer
    read_roles = None
    write_roles = STAFF_EDITORS
    filterset_fields = ["area", "team", "active"]

    def get_queryset(self):
        return selectors.staff_list()


class WorkOrderViewSet(_Base, mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A technician lists and reads only their own work orders (DEVELOPERS.md rule 6)."""

    serializer_class = WorkOrderSerializer
    read_roles = None
    write_roles = INTAKE
    filterset_class = WorkOrderFilter

    def get_queryset(self):
        if self.viewer is None:
            return WorkOrder.objects.select_related("client", "site", "technician")
        return selectors.work_order_list(viewer=self.viewer)


class TokenView(ObtainAuthToken):
    """POST {"username", "password"} → {"token"} (shared/API.md)."""
