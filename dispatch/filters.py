"""Query parameters of the dispatch API (servicedesk.filters: a bad value is a 400 naming the parameter)."""
from servicedesk.filters import BoolFilter, FilterSet, IdFilter

from .models import Refusal


class RefusalFilter(FilterSet):
    """R-W9: `judged=false` is what waits for the coordinator's judgement."""

    work_order = IdFilter(field_name="work_order__id")
    technician = IdFilter(field_name="technician__id")
    unjustified = BoolFilter()
    judged = BoolFilter(field_name="judged_at", lookup_expr="isnull", exclude=True, help_text="false: not judged yet")

    class Meta:
        model = Refusal
        fields = ["work_order", "technician", "unjustified", "judged"]
