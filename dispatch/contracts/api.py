"""REST of maintenance contracts (R-R6): `GET/POST /api/maintenance-contracts/`, `GET …/{id}/` with its schedule."""
from django.utils import timezone
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from servicedesk.choices import Role
from servicedesk.permissions import RolePermission, staff_of

from . import selectors, services
from .models import MaintenanceContract


class ContractSerializer(serializers.ModelSerializer):
    schedule = serializers.SerializerMethodField()
    fulfilled = serializers.SerializerMethodField()

    class Meta:
        model = MaintenanceContract
        fields = ["id", "number", "client", "site", "equipment", "starts_on", "ends_on", "frequency", "amount", "technician",
                  "renewal_reminded_at", "schedule", "fulfilled"]
        read_only_fields = ["renewal_reminded_at", "schedule", "fulfilled"]
        extra_kwargs = {"number": {"validators": []}}

    def get_schedule(self, obj) -> list[dict]:
        if not hasattr(obj, "schedule"):
            return []
        return [{"slot": s.isoformat(), "work_order": i.work_order_id if i else None, "status": i.work_order.status if i else None} for s, i in obj.schedule]

    def get_fulfilled(self, obj) -> bool | None:
        return getattr(obj, "fulfilled", None)


class ContractViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = ContractSerializer
    permission_classes = [RolePermission]
    read_roles = {Role.MANAGER, Role.COORDINATOR, Role.SUPERVISOR, Role.GM_OFFICE, Role.ADMIN, Role.FINANCE, Role.SALES}
    write_roles = {Role.MANAGER, Role.COORDINATOR}
    queryset = MaintenanceContract.objects.select_related("client", "site").prefetch_related("equipment").order_by("ends_on", "id")

    def retrieve(self, request, *args, **kwargs):
        contract = selectors.contract_detail(pk=self.get_object().pk)
        return Response(ContractSerializer(contract).data)

    def create(self, request, *args, **kwargs):
        ser = ContractSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = ser.validated_data
        contract = services.create_contract(
            by=staff_of(request.user), now=timezone.now(), number=data["number"], client=data["client"], site=data["site"],
            starts_on=data["starts_on"], ends_on=data["ends_on"], frequency=data.get("frequency", "3"), equipment=data.get("equipment", []),
            amount=data.get("amount"), technician=data.get("technician"),
        )
        return Response(ContractSerializer(selectors.contract_detail(pk=contract.pk)).data, status=201)
