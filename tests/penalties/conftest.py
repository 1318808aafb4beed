from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from servicedesk.choices import Role
from tests.factories import WorkOrderFactory, staff_with

TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def now():
    return datetime(2026, 11, 20, 10, 0, tzinfo=TZ)


@pytest.fixture
def day():
    return date(2026, 11, 20)


@pytest.fixture
def source(db):
    """Any model instance can be a source; a work order is the usual one."""
    return WorkOrderFactory()


@pytest.fixture
def make_source(db):
    return lambda: WorkOrderFactory()


@pytest.fixture
def other_manager(db):
    return staff_with(Role.MANAGER, name="陈经理")


@pytest.fixture
def team_lead(db):
    return staff_with(Role.TECHNICIAN, Role.TEAM_LEAD, name="刘组长")


@pytest.fixture
def supervisor(db):
    return staff_with(Role.SUPERVISOR, name="吴监督")


@pytest.fixture
def page(client):
    def login(staff):
        client.force_login(staff.user)
        return client

    return login
