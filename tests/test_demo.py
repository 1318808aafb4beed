"""The demo department of `manage.py seed_demo` / `rundemo`."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client as Browser

from servicedesk.choices import ClientKind, Department, Role
from servicedesk.demo import DEMO_USERS, build
from servicedesk.models import Client, Equipment, Staff, WorkOrder

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.mark.django_db
def test_demo_department_is_believable_and_idempotent():
    assert build(now=NOW) is True
    assert Staff.objects.technicians().count() >= 8
    assert Staff.objects.technicians().filter(resident_site__isnull=False).count() == 2
    assert Staff.objects.with_role(Role.TEAM_LEAD).exists()
    assert Client.objects.count() >= 20
    assert {c.kind for c in Client.objects.all()} == set(ClientKind.values)
    assert {c.department for c in Client.objects.all()} == set(Department.values)
    assert Equipment.objects.count() >= 50
    assert WorkOrder.objects.count() >= 100
    first = WorkOrder.objects.order_by("created_at").first().created_at
    assert (NOW - first).days >= 55
    for role in Role.values:
        assert Staff.objects.with_role(role).exists(), role
    counts = (Staff.objects.count(), WorkOrder.objects.count())
    assert build(now=NOW) is False
    assert (Staff.objects.count(), WorkOrder.objects.count()) == counts
    b = Browser()
    for username, _role, password in DEMO_USERS[:3]:
        assert b.login(username=username, password=password)
        assert b.get("/").status_code == 200
