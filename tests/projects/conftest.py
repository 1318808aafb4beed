"""A team project's people at a fixed 2026 clock."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from servicedesk.choices import Role

from ..factories import SiteFactory, staff_with

TZ = ZoneInfo("Asia/Shanghai")
DONE = datetime(2026, 11, 20, 16, 0, tzinfo=TZ)  # completion clock
DUE = date(2026, 11, 15)  # documents due


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def site(db):
    return SiteFactory(name="数据中心")


@pytest.fixture
def lead(db):
    return staff_with(Role.TEAM_LEAD, Role.TECHNICIAN, name="项目组长")


@pytest.fixture
def members(db):
    return [staff_with(Role.TECHNICIAN, name=f"组员{i}") for i in range(1, 4)]


@pytest.fixture
def make_project(site, lead, members, manager):
    from dispatch.projects import services

    def make(**kw):
        data = dict(
            name="服务器平台软件安装", client=site.client_id, site=site.pk, kind="construction", contract_amount="60000.00",
            manager=lead.pk, members=[m.pk for m in members], planned_start=date(2026, 11, 2), planned_end=date(2026, 11, 13),
            documents_due=DUE, person_days=40,
        )
        data.update(kw)
        return services.create_project(by=manager, now=datetime(2026, 11, 1, 9, tzinfo=TZ), **data)

    return make
