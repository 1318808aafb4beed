"""Query parameters of the callbacks API (servicedesk.filters: a bad value is a 400 naming the parameter)."""
from servicedesk.filters import FilterSet, StatusFilter

from .choices import CallbackStatus
from .models import Callback


class CallbackFilter(FilterSet):
    """`status`: one status; a list without it is the call screen's queue (due and overdue, earliest first)."""

    status = StatusFilter(CallbackStatus.choices, help_text="without it, a list shows the open queue (due, overdue)")

    class Meta:
        model = Callback
        fields = ["status"]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        view = (getattr(self.request, "parser_context", None) or {}).get("view")
        if not self.form.cleaned_data.get("status") and getattr(view, "action", None) == "list":
            queryset = queryset.queue()  # the open ones through the partial index, as the call screen reads them
        return queryset
