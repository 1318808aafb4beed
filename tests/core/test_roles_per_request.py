"""A person's roles are read once per request (servicedesk.memo): every Staff row of the same user loaded during
the request shares them, and a role granted meanwhile is seen at once."""
import pytest

from servicedesk.choices import Role
from servicedesk.memo import roles_read_once
from servicedesk.models import Staff

from ..factories import staff_with

pytestmark = pytest.mark.django_db


def test_roles_of_one_person_cost_one_query_per_request(django_assert_num_queries):
    coordinator = staff_with(Role.COORDINATOR, name="张协调")
    with roles_read_once():
        first, second = Staff.objects.get(pk=coordinator.pk), Staff.objects.get(pk=coordinator.pk)
        with django_assert_num_queries(3):  # the first: its user row (is_superuser) and the groups; the second: its user row
            assert first.has_role(Role.COORDINATOR) and not first.has_role(Role.MANAGER)
            assert second.has_role(Role.COORDINATOR)
        manager_group = coordinator.user.groups.model.objects.get(name=Role.MANAGER)
        coordinator.user.groups.add(manager_group)  # granted during the request
        assert Staff.objects.get(pk=coordinator.pk).has_role(Role.MANAGER)
    again = Staff.objects.get(pk=coordinator.pk)
    with django_assert_num_queries(2):  # outside a request: the instance's own read, as before
        assert set(again.roles) == {Role.COORDINATOR, Role.MANAGER}
        assert again.has_role(Role.MANAGER)
