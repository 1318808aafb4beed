"""The client portal's world: two clients, each with a site contact, a device, a resolved visit (service form and
callback), a sales confirmation and a statement sent — so every test can try the other client's ids."""
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from dispatch import services as dispatch_services
from receivables import services as receivable_services
from servicedesk.choices import ClientKind, Department
from servicedesk.models import Contact, WorkOrder
from servicedesk.services import create_work_order
from tests.dispatch.helpers import close_out_fields, drive
from tests.factories import ClientFactory, EquipmentFactory, SiteFactory
from tests.receivables.factories import confirmation

TZ = ZoneInfo("Asia/Shanghai")


def at(m, d, h=9, mi=0):
    return datetime(2026, m, d, h, mi, tzinfo=TZ)


@dataclass
class Party:
    client: object
    site: object
    contact: object
    equipment: object
    visit: WorkOrder
    confirmation: object
    statement: object


def build_party(name: str, *, coordinator, technician, finance, manager, contact_name: str) -> Party:
    client = ClientFactory(name=name, kind=ClientKind.KEY_ACCOUNT, department=Department.KEY_ACCOUNT)
    site = SiteFactory(client=client, name=f"{name}总部")
    contact = Contact.objects.create(client=client, site=site, name=contact_name, phone="13812345678")
    eq = EquipmentFactory(client=client, site=site, model="HP LaserJet M405")
    wo = create_work_order(by=coordinator, now=at(12, 1, 9), client=client, site=site, contact_name=contact_name,
                           contact_phone="13812345678", equipment=eq, content="repair", description="卡纸")
    arrived = drive(wo, to="on_site", coordinator=coordinator, technician=technician, now=at(12, 1, 9, 5))
    fields = close_out_fields(arrived)
    dispatch_services.resolve(work_order=wo, by=technician, now=fields["completed_at"], **fields)
    wo.refresh_from_db()
    conf = confirmation(technician=technician, client=client, sold_on=date(2026, 11, 5), amount="300.00", register_by=coordinator)
    stmt = receivable_services.compile_statement(client=client, month=date(2026, 11, 1), now=at(11, 30, 18))
    stmt = receivable_services.review_statement(statement=stmt, by=manager, now=at(12, 1, 10))
    stmt = receivable_services.check_statement(statement=stmt, by=finance, now=at(12, 1, 11))
    stmt = receivable_services.send_statement(statement=stmt, by=finance, now=at(12, 1, 12))
    return Party(client=client, site=site, contact=contact, equipment=eq, visit=wo, confirmation=conf, statement=stmt)


@pytest.fixture
def parties(coordinator, technician, finance, manager):
    mine = build_party("深圳市华强电子", coordinator=coordinator, technician=technician, finance=finance, manager=manager,
                       contact_name="陈主任")
    theirs = build_party("南山科技园物业", coordinator=coordinator, technician=technician, finance=finance, manager=manager,
                         contact_name="赵经理")
    return mine, theirs


@pytest.fixture
def now():
    return at(12, 3, 10)


def later(now, **kw):
    return now + timedelta(**kw)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Photos the clients upload land in this test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_X_ACCEL_REDIRECT = ""
