"""Query parameters of the billing API (servicedesk.filters: a bad value is a 400 naming the parameter)."""
from servicedesk.filters import FilterSet, IdFilter, StatusFilter

from .choices import ChargeStatus, RepairPlanStatus
from .models import RepairPlan, VisitCharge


class VisitChargeFilter(FilterSet):
    work_order = IdFilter(field_name="work_order__id")
    status = StatusFilter(ChargeStatus.choices)

    class Meta:
        model = VisitCharge
        fields = ["work_order", "status"]


class RepairPlanFilter(FilterSet):
    status = StatusFilter(RepairPlanStatus.choices)

    class Meta:
        model = RepairPlan
        fields = ["status"]
