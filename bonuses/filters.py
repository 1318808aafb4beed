"""Query parameters of the month-close API (servicedesk.filters: a bad value is a 400 naming the parameter)."""
from django.utils.translation import gettext as _
from rest_framework import exceptions

from servicedesk.choices import Role
from servicedesk.filters import FilterSet, IdFilter, MonthFilter, StatusFilter
from servicedesk.permissions import staff_of

from .choices import StatementStatus
from .models import Award, Statement

SEE_ALL = {Role.MANAGER, Role.ADMIN, Role.FINANCE}


def sees_all(user) -> bool:
    staff = staff_of(user)
    return bool(user.is_superuser or (staff and staff.has_role(*SEE_ALL)))


class _OwnOrAll(FilterSet):
    """`month` and `person`. Managers, admin and finance ask for anyone; everybody else sees only their own rows
    (the view narrows them) and asking for another person is refused (docs/developers.md rule 6)."""

    month = MonthFilter()
    person = IdFilter(field_name="person__id", method="filter_person")

    def filter_person(self, queryset, name, value):
        if not sees_all(self.request.user) and value != getattr(staff_of(self.request.user), "pk", None):
            raise exceptions.PermissionDenied(_("只能查看本人的月度结算。"))
        return queryset.filter(**{name: value})


class AwardFilter(_OwnOrAll):
    class Meta:
        model = Award
        fields = ["month", "person"]


class StatementFilter(_OwnOrAll):
    status = StatusFilter(StatementStatus.choices)

    class Meta:
        model = Statement
        fields = ["month", "person", "status"]
