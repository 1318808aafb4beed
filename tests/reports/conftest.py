"""Fixtures of the monthly-report tests: a small hand-computed November 2026 built through the services."""
import importlib
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from servicedesk.choices import Channel, Role, ServiceContent, ServiceMode
from servicedesk.models import RuleParameter

from ..factories import EquipmentFactory, WorkOrderFactory, staff_with

TZ = ZoneInfo("Asia/Shanghai")
NOV = date(2026, 11, 1)


def at(day, hour=9, minute=0, month=11, year=2026):
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


@pytest.fixture(autouse=True)
def _report_params(db):
    """Transactional tests elsewhere flush the database; the shared reseed does not know this app's parameters."""
    importlib.import_module("reports.migrations.0002_seed_report_targets").seed(__import__("django.apps").apps.apps, None)


def set_param(name, value, *, kind="integer", effective_from=NOV):
    RuleParameter.objects.update_or_create(
        name=name, effective_from=effective_from,
        defaults=dict(kind=kind, value=value, description=name, rule="test"),
    )


@pytest.fixture
def visit(db, coordinator):
    """visit(technician, day, content=…, late_contact=False, channel=…) → CloseOut, driven through dispatch.services."""
    from dispatch import services

    def make(technician, day, *, content=ServiceContent.REPAIR, late_contact=False, channel=Channel.PHONE, hour=9, month=11):
        eq = EquipmentFactory()
        wo = WorkOrderFactory(
            client=eq.client, site=eq.site, equipment=eq, equipment_model=eq.model, equipment_serial=eq.serial,
            content=content, channel=channel, service_mode=ServiceMode.MOBILE, created_at=at(day, hour - 1, month=month),
        )
        t = at(day, hour, month=month)
        services.dispatch_work_order(work_order=wo, technician=technician, by=coordinator, now=t, force=True)
        services.accept(work_order=wo, by=technician, now=t + timedelta(minutes=1))
        # R-W6 contact within 15 min and R-W4 set-off within 10 min: on time, or both late (20 / 21 min).
        contact_at = t + timedelta(minutes=20 if late_contact else 2)
        services.contact(work_order=wo, by=technician, promised_at=contact_at + timedelta(minutes=40), now=contact_at)
        services.depart(work_order=wo, by=technician, now=contact_at + timedelta(minutes=1))
        arrived = contact_at + timedelta(minutes=30)
        services.arrive(work_order=wo, by=technician, now=arrived)
        done = arrived + timedelta(minutes=55)
        return services.resolve(
            work_order=wo, by=technician, now=done,
            work_done="更换硒鼓并清洁进纸器", fault_cause="硒鼓老化", advice="使用原装耗材", lines=[],
            started_at=arrived + timedelta(minutes=2), ended_at=arrived + timedelta(minutes=50),
            signature_name="王经理", completed_at=done,
        )

    return make


@pytest.fixture
def month_data(db, manager, coordinator, technician, other_technician, visit):
    """The hand-computed November 2026 (see test_figures.py for every expected value)."""
    from callbacks import services as cb_services
    from callbacks.choices import Satisfaction
    from callbacks.models import Callback
    from penalties import services as pen_services
    from penalties.models import Penalty
    from receivables import services as rec_services
    from tests.receivables.factories import confirmation

    idle = staff_with(Role.TECHNICIAN, name="钱空闲")  # no work at all: every rate undefined
    finance = staff_with(Role.FINANCE, name="孙财务")
    # 王技术 (technician): 3 mobile visits — repair, repair, install; the third contacts the client 20 min late.
    v1 = visit(technician, 3)
    v2 = visit(technician, 4)
    v3 = visit(technician, 5, content=ServiceContent.INSTALL, late_contact=True)
    # 赵技术 (other_technician): 1 mobile maintenance visit.
    v4 = visit(other_technician, 6, content=ServiceContent.MAINTENANCE)
    # A visit of October must not count in November (it does count in the 12-month trend).
    visit(other_technician, 20, month=10)

    cb = {v.work_order_id: Callback.objects.get(work_order_id=v.work_order_id) for v in (v1, v2, v3, v4)}
    answers = dict(badge=True, explained=True, cleaned=True, signed=True)
    cb_services.record_call(callback=cb[v1.work_order_id], by=coordinator, now=at(5, 10), satisfaction=Satisfaction.VERY_SATISFIED, **answers)
    cb_services.record_call(callback=cb[v2.work_order_id], by=coordinator, now=at(6, 10), satisfaction=Satisfaction.SATISFIED, **answers)
    # v4: dissatisfied with a complaint → Complaint, decided own work → P8 proposal, confirmed by the manager.
    cb_services.record_call(
        callback=cb[v4.work_order_id], by=coordinator, now=at(8, 10), satisfaction=Satisfaction.DISSATISFIED,
        complaint="上门迟到,态度不好", **answers,
    )
    # v3: overdue first (R-K7), then three unanswered calls → unreachable (R-K6).
    cb_services.scan_callbacks(now=at(12, 10))
    for i in range(3):
        cb_services.record_no_answer(callback=cb[v3.work_order_id], by=coordinator, now=at(12, 11 + i))
    # R-K10: the manager decides the complaint was 赵技术's own work → the P8 proposal (and it counts for R-M2)
    from callbacks.complaints import decide
    from callbacks.models import Complaint

    decide(complaint=Complaint.objects.get(callback=cb[v4.work_order_id]), by=manager, now=at(8, 15), outcome="own_work",
           responsible=other_technician, reason="上门迟到且未提前告知")
    p8 = Penalty.objects.get(person=other_technician, rule="P8", joint_role="")
    pen_services.confirm(penalty=p8, by=manager, now=at(9, 10))
    # One overdue receivable of 王技术: ¥1,000.00 sold 2026-09-01, ¥200.00 paid in November.
    conf = confirmation(technician=technician, sold_on=date(2026, 9, 1), amount="1000.00", register_by=coordinator)
    rec_services.record_payment(amount=Decimal("200.00"), received_on=date(2026, 11, 10), by=finance, now=at(10, 15), confirmation=conf)
    conf.refresh_from_db()
    # A November sale of 赵技术: ¥300.00, not paid.
    sale = confirmation(technician=other_technician, sold_on=date(2026, 11, 10), amount="300.00", register_by=coordinator)
    return {"idle": idle, "visits": (v1, v2, v3, v4), "receivable": conf, "sale": sale, "p8": p8}
