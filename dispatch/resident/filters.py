"""Query parameters of the resident reports API (servicedesk.filters: a bad value is a 400 naming the parameter)."""
from servicedesk.filters import BoolFilter, FilterSet, MonthFilter, StatusFilter
from servicedesk.permissions import staff_of

from . import selectors
from .choices import ReportStatus
from .models import ResidentReport


class ResidentReportFilter(FilterSet):
    status = StatusFilter(ReportStatus.choices)
    month = MonthFilter()
    todo = BoolFilter(method="filter_todo", help_text="true: only the reports waiting for the viewer's step (R-R2)")

    class Meta:
        model = ResidentReport
        fields = ["status", "month", "todo"]

    def filter_todo(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(status__in=selectors.todo_statuses(staff_of(self.request.user)))
