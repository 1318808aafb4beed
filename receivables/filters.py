"""Query parameters of the receivables API (servicedesk.filters: a bad value is a 400 naming the parameter)."""
import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from servicedesk.choices import ClientKind
from servicedesk.months import FIRST_YEAR, LAST_YEAR, in_range
from servicedesk.filters import (
    CLIENT_KIND_MESSAGE, DATE_MESSAGE, ChoiceFilter, DateFilter, FilterSet, IdFilter, StatusFilter,
)

from .choices import ConfirmationStatus, ExtensionStatus, ReceivableStatus
from .models import DueDateExtension, SalesConfirmation


class ConfirmationFilter(FilterSet):
    status = StatusFilter(ConfirmationStatus.choices)
    number = django_filters.CharFilter(lookup_expr="icontains")
    work_order = IdFilter(field_name="work_order__id", help_text=_("工单 id:该次上门生成的确认书(R-S1)"))

    class Meta:
        model = SalesConfirmation
        fields = ["status", "number", "work_order"]


class ExtensionFilter(FilterSet):
    status = StatusFilter(ExtensionStatus.choices)

    class Meta:
        model = DueDateExtension
        fields = ["status"]


class LedgerQuery(serializers.Serializer):
    """The ledger's reference date (an input of the ageing, not a filter): today when not given."""

    as_of = serializers.DateField(required=False, error_messages={"invalid": DATE_MESSAGE, "datetime": DATE_MESSAGE})

    def validate_as_of(self, value):
        if not in_range(value):
            raise serializers.ValidationError(
                _("日期超出范围:年份应在 %(first)s 到 %(last)s 之间。") % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        return value

    def as_of_date(self):
        return self.validated_data.get("as_of") or timezone.localdate()


class LedgerFilter(FilterSet):
    """R-S8: the receivable ledger by period, client, technician, salesperson, client kind and status. `status`
    (overdue / not due) is judged at `as_of`, the same date the view ages the rows at."""

    date_from = DateFilter(field_name="sold_on", lookup_expr="gte", help_text=_("销售日期起 YYYY-MM-DD"))
    date_to = DateFilter(field_name="sold_on", lookup_expr="lte", help_text=_("销售日期止 YYYY-MM-DD"))
    client = IdFilter(field_name="client__id")
    technician = IdFilter(field_name="technician__id")
    salesperson = IdFilter(field_name="salesperson__id")
    kind = ChoiceFilter(field_name="client_kind", choices=ClientKind.choices, message=CLIENT_KIND_MESSAGE)
    status = StatusFilter(ReceivableStatus.choices, method="filter_status")
    as_of = DateFilter(method="filter_as_of", help_text=_("账龄统计日期 YYYY-MM-DD(默认今天)"))

    class Meta:
        model = SalesConfirmation
        fields = ["date_from", "date_to", "client", "technician", "salesperson", "kind", "status", "as_of"]

    def filter_as_of(self, queryset, name, value):
        return queryset  # the view ages the rows at it (receivables.selectors.ledger); `status` reads it below

    def filter_status(self, queryset, name, value):
        # the conditions of receivables.selectors.ledger: `is_open` so the partial index serves them
        as_of = self.form.cleaned_data.get("as_of") or timezone.localdate()
        if value == ReceivableStatus.PAID:
            return queryset.filter(is_open=False)
        if value == ReceivableStatus.OUTSTANDING:
            return queryset.filter(is_open=True)
        if value == ReceivableStatus.OVERDUE:
            return queryset.filter(is_open=True, due_date__lt=as_of)
        return queryset.filter(is_open=True, due_date__gte=as_of)  # NOT_DUE
