"""Fixtures of the dispatch tests: a believable visit at a fixed 2026 clock."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from servicedesk.choices import Channel, Role, ServiceMode

from ..factories import EquipmentFactory, SiteFactory, WorkOrderFactory, staff_with

TZ = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=TZ)


@pytest.fixture
def t0():
    return at(16, 9, 0)  # Monday 2026-11-16 09:00


@pytest.fixture
def team_lead(db):
    return staff_with(Role.TEAM_LEAD, Role.TECHNICIAN, name="刘组长")


@pytest.fixture
def equipment(db):
    return EquipmentFactory()


@pytest.fixture
def make_order(db, t0):
    def make(**kw):
        equipment = kw.pop("equipment", None)
        if equipment is not None:
            kw.setdefault("client", equipment.client)
            kw.setdefault("site", equipment.site)
            kw.setdefault("equipment_model", equipment.model)
            kw.setdefault("equipment_serial", equipment.serial)
        if "client" in kw and "site" not in kw:
            kw["site"] = SiteFactory(client=kw["client"])
        kw.setdefault("created_at", t0.replace(hour=8))
        return WorkOrderFactory(equipment=equipment, **kw)

    return make


@pytest.fixture
def order(make_order, equipment):
    return make_order(equipment=equipment, service_mode=ServiceMode.MOBILE)


@pytest.fixture
def carry_in_order(make_order, equipment):
    return make_order(equipment=equipment, channel=Channel.CARRY_IN, service_mode=ServiceMode.MOBILE)


@pytest.fixture
def billing_ready():
    """resolve() records the priced quote through billing.record_visit_charges (a real import: a rename fails loudly)."""
    from billing import services

    return services


@pytest.fixture
def penalties_ready():
    """The penalties model the R-W7/R-W9/R-W10/R-W12 proposals land in (a real import, never a skip)."""
    from penalties.models import Penalty

    return Penalty
