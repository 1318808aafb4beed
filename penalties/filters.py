"""Query parameters of the penalties API (servicedesk.filters: a bad value is a 400 naming the parameter)."""
from servicedesk.filters import ChoiceFilter, FilterSet, IdFilter, MonthFilter, StatusFilter

from .choices import RULE_CHOICES, FlagStatus, PenaltyStatus
from .models import DismissalFlag, Penalty


class PenaltyFilter(FilterSet):
    rule = ChoiceFilter(choices=RULE_CHOICES)
    status = StatusFilter(PenaltyStatus.choices)
    person = IdFilter(field_name="person__id")
    month = MonthFilter(method="filter_month", help_text="YYYY-MM: the penalties that occurred in that month")

    class Meta:
        model = Penalty
        fields = ["rule", "status", "person", "month"]

    def filter_month(self, queryset, name, value):
        return queryset.in_month(value)


class DismissalFlagFilter(FilterSet):
    status = StatusFilter(FlagStatus.choices)
    person = IdFilter(field_name="person__id")

    class Meta:
        model = DismissalFlag
        fields = ["status", "person"]
