"""R-W4 decision: a job booked for later sets off by the required time minus the travel allowance,
and arriving after the required time is also a late response (R-W7 → one P7)."""
from datetime import timedelta

import pytest

from dispatch import services
from dispatch.models import Deadline
from penalties.models import Penalty
from servicedesk.choices import ServiceMode
from servicedesk.params import schedule_param

from .conftest import at

pytestmark = pytest.mark.django_db

TODAY_1730 = at(16, 17, 30)
TOMORROW_10 = at(17, 10, 0)


def _booked(make_order):
    return make_order(service_mode=ServiceMode.MOBILE, required_at=TOMORROW_10)


def _open(wo):
    return {d.kind: d for d in Deadline.objects.filter(work_order=wo, cancelled_at=None)}


def test_r_w4_job_for_tomorrow_10_dispatched_today_1730_sets_off_by_0930(make_order, coordinator, technician):
    wo = _booked(make_order)
    services.dispatch_work_order(work_order=wo, technician=technician, by=coordinator, now=TODAY_1730)
    rows = _open(wo)
    assert rows["mobile_depart"].due_at == at(17, 9, 30)
    assert rows["mobile_arrive"].due_at == TOMORROW_10
    assert rows["mobile_depart"].explanation["parameters"][1]["name"] == "sla.travel_allowance_minutes"
    # nothing is late at 17:40 today
    services.accept(work_order=wo, by=technician, now=at(16, 17, 35))
    services.contact(work_order=wo, by=technician, promised_at=TOMORROW_10, now=at(16, 17, 38))
    assert services.mark_breaches(now=at(16, 17, 40)) == []
    assert not Penalty.objects.filter(rule="P7").exists()


def test_r_w4_travel_allowance_parameter_moves_the_set_off_deadline(make_order, coordinator, technician, manager):
    schedule_param(name="sla.travel_allowance_minutes", value=45, effective_from=TODAY_1730.date(), today=TODAY_1730.date(), by=manager)
    wo = _booked(make_order)
    services.dispatch_work_order(work_order=wo, technician=technician, by=coordinator, now=TODAY_1730)
    assert _open(wo)["mobile_depart"].due_at == at(17, 9, 15)


def test_r_w4_arriving_after_the_required_time_is_one_p7(make_order, coordinator, technician):
    wo = _booked(make_order)
    services.dispatch_work_order(work_order=wo, technician=technician, by=coordinator, now=TODAY_1730)
    services.accept(work_order=wo, by=technician, now=at(16, 17, 35))
    services.contact(work_order=wo, by=technician, promised_at=TOMORROW_10, now=at(16, 17, 38))
    services.depart(work_order=wo, by=technician, now=at(17, 9, 25))  # set off in time
    services.arrive(work_order=wo, by=technician, now=at(17, 10, 20))  # 20 minutes late
    breached = services.mark_breaches(now=at(17, 10, 21))
    assert [d.kind for d in breached] == ["mobile_arrive"]
    assert services.mark_breaches(now=at(17, 10, 30)) == []
    assert Penalty.objects.filter(person=technician, rule="P7").count() == 1


def test_r_w4_arrival_in_time_is_no_breach(make_order, coordinator, technician):
    wo = _booked(make_order)
    services.dispatch_work_order(work_order=wo, technician=technician, by=coordinator, now=TODAY_1730)
    services.accept(work_order=wo, by=technician, now=at(16, 17, 35))
    services.contact(work_order=wo, by=technician, promised_at=TOMORROW_10, now=at(16, 17, 38))
    services.depart(work_order=wo, by=technician, now=at(17, 9, 20))
    services.arrive(work_order=wo, by=technician, now=at(17, 9, 55))
    assert services.mark_breaches(now=at(17, 12, 0)) == []


def test_r_w4_required_time_soon_keeps_the_10_minute_rule(make_order, coordinator, technician):
    # 17:30 + 10 min + 30 min allowance = 18:10: a job wanted at 18:00 is not "booked for later"
    wo = make_order(service_mode=ServiceMode.MOBILE, required_at=at(16, 18, 0))
    services.dispatch_work_order(work_order=wo, technician=technician, by=coordinator, now=TODAY_1730)
    rows = _open(wo)
    assert rows["mobile_depart"].due_at == at(16, 17, 40) and "mobile_arrive" not in rows
