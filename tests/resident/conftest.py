"""A resident site with its lead and two resident technicians, and the R-R2 chain, at a fixed 2026 clock."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from dispatch.resident.models import ResidentPost
from servicedesk.choices import Role

from ..factories import SiteFactory, staff_with

TZ = ZoneInfo("Asia/Shanghai")
NOV = date(2026, 11, 1)


def at(month: int, day: int, hour: int = 10, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


@pytest.fixture
def site(db):
    return SiteFactory(resident=True, name="国税局驻点")


@pytest.fixture
def lead(site):
    return staff_with(Role.TEAM_LEAD, Role.TECHNICIAN, name="驻点组长", resident_site=site)


@pytest.fixture
def resident(site):
    return staff_with(Role.TECHNICIAN, name="驻点技术员甲", resident_site=site)


@pytest.fixture
def resident2(site):
    return staff_with(Role.TECHNICIAN, name="驻点技术员乙", resident_site=site)


@pytest.fixture
def post(site, lead):
    return ResidentPost.objects.create(site=site, lead=lead)


@pytest.fixture
def supervisor(db):
    return staff_with(Role.SUPERVISOR, name="监督组长")


@pytest.fixture
def gm(db):
    return staff_with(Role.GM_OFFICE, name="总经办")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
