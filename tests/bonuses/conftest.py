"""A month of a believable department: resolved visits, callbacks and complaints written directly as rows."""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from callbacks.choices import CallbackStatus, Satisfaction, WindowRule
from callbacks.models import Callback, Complaint
from dispatch.models import CloseOut
from servicedesk.choices import Role, ServiceMode, WorkOrderStatus
from servicedesk.models import WorkOrder
from tests.factories import ClientFactory, SiteFactory, staff_with

SH = ZoneInfo("Asia/Shanghai")
OCT = date(2026, 10, 1)
NOV = date(2026, 11, 1)
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=SH)  # a Monday, November running


def at(month: date, day: int = 10, hour: int = 10) -> datetime:
    return datetime(month.year, month.month, day, hour, 0, tzinfo=SH)


class Month:
    """Writes the facts the month close reads, for one month."""

    def __init__(self, coordinator):
        self.coordinator = coordinator
        self.client = ClientFactory()
        self.site = SiteFactory(client=self.client)

    _seq = 0

    def _orders(self, tech, n, *, kind="repair", mode=ServiceMode.MOBILE):
        rows = []
        for _i in range(n):
            Month._seq += 1
            rows.append(WorkOrder(
                number=f"WO-B-{Month._seq:07d}", client=self.client, site=self.site, contact_name="王经理",
                contact_phone="13900000000", technician=tech, content=kind, service_mode=mode,
                status=WorkOrderStatus.RESOLVED,
            ))
        WorkOrder.objects.bulk_create(rows)
        return list(WorkOrder.objects.filter(number__in=[r.number for r in rows]).order_by("pk"))

    def _order(self, tech, *, kind="repair", mode=ServiceMode.MOBILE):
        return self._orders(tech, 1, kind=kind, mode=mode)[0]

    def visits(self, tech, n, *, month=OCT, kind="repair", mode=ServiceMode.MOBILE, day=10):
        done = at(month, day)
        CloseOut.objects.bulk_create([
            CloseOut(
                work_order=wo, technician=tech, work_done="维修", fault_cause="老化", advice="无",
                started_at=done - timedelta(hours=1), ended_at=done, signature_name="王经理",
                completed_at=done, recorded_at=done,
            )
            for wo in self._orders(tech, n, kind=kind, mode=mode)
        ])

    def callbacks(self, tech, *, answered, very, month=OCT, unreachable=0):
        done = at(month, 5)
        rows = []
        for i, wo in enumerate(self._orders(tech, answered + unreachable)):
            rows.append(Callback(
                work_order=wo, client=self.client, technician=tech, completed_at=done,
                window_opens_at=done + timedelta(hours=24), due_at=done + timedelta(hours=72),
                window_rule=WindowRule.FIRST_SERVICE,
                status=CallbackStatus.DONE if i < answered else CallbackStatus.UNREACHABLE,
                satisfaction=(Satisfaction.VERY_SATISFIED if i < very else Satisfaction.SATISFIED) if i < answered else "",
                answered_at=done + timedelta(hours=30) if i < answered else None,
            ))
        Callback.objects.bulk_create(rows)

    def complaint(self, tech, *, month=OCT):
        """A complaint the manager decided was `tech`'s own work (R-K10): the kind R-M2 counts."""
        wo = self._order(tech)
        return Complaint.objects.create(
            work_order=wo, client=self.client, technician=tech, words="维修后仍然卡纸",
            created_at=at(month, 12), created_by=self.coordinator,
            outcome="own_work", responsible=tech, cause="own_work", decided_at=at(month, 13), decision_reason="本人工作问题",
        )


@pytest.fixture
def facts(db, coordinator):
    return Month(coordinator)


@pytest.fixture
def techs(db):
    """Technicians named so the alphabetical order is A, B, C, D (never decides a rank by itself)."""

    def make(n=4, prefix="技术"):
        return [staff_with(Role.TECHNICIAN, name=f"{prefix}{chr(65 + i)}") for i in range(n)]

    return make


@pytest.fixture
def page(client):
    def login(staff):
        client.force_login(staff.user)
        return client

    return login


def bulk_technicians(n: int, *, prefix: str = "技术") -> list:
    """n technicians in a handful of queries (the factory hashes a password per user, far too slow for 200)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from servicedesk.models import Staff

    User = get_user_model()
    Month._seq += 1
    tag = f"b{Month._seq}"
    users = User.objects.bulk_create([User(username=f"{tag}-{i:04d}", password="!") for i in range(n)])
    users = list(User.objects.filter(username__startswith=f"{tag}-").order_by("username"))
    group, _c = Group.objects.get_or_create(name=Role.TECHNICIAN)
    group.user_set.add(*users)
    Staff.objects.bulk_create([Staff(user=u, name=f"{prefix}{i:03d}", area="福田区") for i, u in enumerate(users)])
    return list(Staff.objects.filter(user__in=users).order_by("name"))
