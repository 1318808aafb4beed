"""R-W4…R-W7 SLA deadlines (rows written with the dispatch), the beat scan, R-W13 return deadline."""
from datetime import timedelta

import pytest
import time_machine

from dispatch import services
from dispatch.services import dispatching
from dispatch.models import Deadline
from dispatch.tasks import scan_deadlines_task
from servicedesk.choices import ServiceMode
from servicedesk.models import Notification
from servicedesk.params import schedule_param
from servicedesk.texts import render

from ..factories import staff_with
from .helpers import drive

pytestmark = pytest.mark.django_db


def _due(wo):
    return {d.kind: (d.due_at - d.starts_at) for d in Deadline.objects.filter(work_order=wo, cancelled_at=None)}


def test_r_w4_r_w6_mobile_dispatch_writes_10_and_15_minute_deadlines(order, coordinator, technician, t0):
    result = services.dispatch_work_order(work_order=order, technician=technician, by=coordinator, now=t0)
    assert _due(order) == {"mobile_depart": timedelta(minutes=10), "contact_client": timedelta(minutes=15)}
    assert {d.rule for d in result.deadlines} == {"R-W4", "R-W6"}
    d = Deadline.objects.get(work_order=order, kind="mobile_depart")
    assert d.technician == technician and d.due_at == t0 + timedelta(minutes=10)
    assert d.explanation["parameters"][0]["name"] == "sla.mobile_depart_minutes"


def test_r_w5_resident_dispatch_writes_5_minute_arrival(make_order, coordinator, technician, t0):
    wo = make_order(service_mode=ServiceMode.RESIDENT)
    services.dispatch_work_order(work_order=wo, technician=technician, by=coordinator, now=t0)
    assert _due(wo) == {"resident_arrive": timedelta(minutes=5)}


def test_r_w5_busy_resident_must_answer_by_phone_in_1_minute(make_order, coordinator, technician, t0):
    busy = make_order(service_mode=ServiceMode.RESIDENT)
    services.dispatch_work_order(work_order=busy, technician=technician, by=coordinator, now=t0)
    services.accept(work_order=busy, by=technician, now=t0 + timedelta(minutes=1))
    services.arrive(work_order=busy, by=technician, now=t0 + timedelta(minutes=3))
    wo = make_order(service_mode=ServiceMode.RESIDENT)
    services.dispatch_work_order(work_order=wo, technician=technician, by=coordinator, now=t0 + timedelta(minutes=20))
    assert _due(wo) == {"resident_answer": timedelta(minutes=1)}
    services.accept(work_order=wo, by=technician, now=t0 + timedelta(minutes=20, seconds=40))
    assert Deadline.objects.get(work_order=wo).met_at is not None


def test_deadlines_use_the_parameter_in_force_on_the_dispatch_day(order, coordinator, technician, manager, t0):
    schedule_param(name="sla.mobile_depart_minutes", value="20", effective_from=t0.date(), today=t0.date(), by=manager)
    services.dispatch_work_order(work_order=order, technician=technician, by=coordinator, now=t0)
    assert _due(order)["mobile_depart"] == timedelta(minutes=20)


def test_steps_meet_their_deadlines(order, coordinator, technician, t0):
    drive(order, to="en_route", coordinator=coordinator, technician=technician, now=t0)
    assert all(d.met_at is not None for d in Deadline.objects.filter(work_order=order))


def test_dispatch_and_deadlines_in_one_transaction(order, coordinator, technician, t0, monkeypatch):
    def boom(*a, **k):
        raise RuntimeError("db down")

    monkeypatch.setattr(dispatching, "_open_sla_deadlines", boom)
    with pytest.raises(RuntimeError):
        services.dispatch_work_order(work_order=order, technician=technician, by=coordinator, now=t0)
    order.refresh_from_db()
    assert order.technician is None and order.status == "new" and order.version == 0


@pytest.mark.parametrize("mode, kinds", [(ServiceMode.MOBILE, {"mobile_depart", "contact_client"}), (ServiceMode.RESIDENT, {"resident_arrive"})])
def test_r_w7_scan_past_deadline_proposes_p7_once_even_run_twice(make_order, coordinator, technician, t0, penalties_ready, mode, kinds):
    Penalty = penalties_ready
    wo = make_order(service_mode=mode)
    with time_machine.travel(t0, tick=False):
        services.dispatch_work_order(work_order=wo, technician=technician, by=coordinator, now=t0)
    with time_machine.travel(t0 + timedelta(minutes=16), tick=False):
        scan_deadlines_task.delay()
        scan_deadlines_task.delay()
    rows = Deadline.objects.filter(work_order=wo)
    assert {d.kind for d in rows if d.breached_at} == kinds
    assert Penalty.objects.filter(person=technician, rule="P7").count() == len(kinds)


def test_r_w5_busy_resident_phone_answer_breach_proposes_p7(make_order, coordinator, technician, t0, penalties_ready):
    Penalty = penalties_ready
    busy = make_order(service_mode=ServiceMode.RESIDENT)
    services.dispatch_work_order(work_order=busy, technician=technician, by=coordinator, now=t0)
    services.accept(work_order=busy, by=technician, now=t0 + timedelta(minutes=1))
    services.arrive(work_order=busy, by=technician, now=t0 + timedelta(minutes=3))
    wo = make_order(service_mode=ServiceMode.RESIDENT)
    services.dispatch_work_order(work_order=wo, technician=technician, by=coordinator, now=t0 + timedelta(minutes=10))
    services.mark_breaches(now=t0 + timedelta(minutes=11, seconds=30))
    services.mark_breaches(now=t0 + timedelta(minutes=12))
    assert Penalty.objects.filter(person=technician, rule="P7").count() == 1


def test_r_w7_met_in_time_is_no_breach_met_late_is(order, coordinator, technician, t0, penalties_ready):
    Penalty = penalties_ready
    services.dispatch_work_order(work_order=order, technician=technician, by=coordinator, now=t0)
    services.accept(work_order=order, by=technician, now=t0 + timedelta(minutes=2))
    services.contact(work_order=order, by=technician, promised_at=t0 + timedelta(hours=1), now=t0 + timedelta(minutes=5))
    services.depart(work_order=order, by=technician, now=t0 + timedelta(minutes=12))  # 2 minutes late
    assert services.mark_breaches(now=t0 + timedelta(minutes=30))[0].kind == "mobile_depart"
    assert services.mark_breaches(now=t0 + timedelta(minutes=31)) == []
    assert Penalty.objects.filter(rule="P7").count() == 1


def test_r_w7_reassigned_before_due_opens_new_deadlines_for_new_technician(order, coordinator, technician, other_technician, t0):
    services.dispatch_work_order(work_order=order, technician=technician, by=coordinator, now=t0)
    order.refresh_from_db()
    services.dispatch_work_order(
        work_order=order, technician=other_technician, by=coordinator, now=t0 + timedelta(minutes=3), version=order.version
    )
    open_rows = Deadline.objects.open().filter(work_order=order)
    assert {d.technician for d in open_rows} == {other_technician}
    assert Deadline.objects.filter(work_order=order, technician=technician, cancelled_at__isnull=False).count() == 2


# ---------------------------------------------------------------- carry-in (R-W12, R-W13)
def _finish_carry_in(wo, coordinator, technician, t0):
    services.dispatch_work_order(work_order=wo, technician=technician, by=coordinator, now=t0)
    services.diagnose(work_order=wo, by=technician, now=t0 + timedelta(minutes=30))
    services.ask_consent(
        work_order=wo, by=technician, diagnosis="电源板损坏", expected_ready_on=t0.date() + timedelta(days=3), now=t0 + timedelta(hours=1)
    )
    services.record_client_answer(work_order=wo, by=technician, continue_repair=True, note="客户同意", now=t0 + timedelta(hours=2))
    services.start_testing(work_order=wo, by=technician, now=t0 + timedelta(days=1))
    done = t0 + timedelta(days=3)
    rec = services.finish_testing(work_order=wo, by=technician, test_days=2, now=done)
    return rec, done


def test_r_w12_r_w13_carry_in_flow_and_remark(carry_in_order, coordinator, technician, t0):
    rec, done = _finish_carry_in(carry_in_order, coordinator, technician, t0)
    carry_in_order.refresh_from_db()
    assert carry_in_order.status == "ready_for_return"
    assert rec.completion_remark == "设备测试2天,已无故障,可以返回"
    assert rec.client_continue is True and rec.client_told_at is not None
    d = Deadline.objects.get(work_order=carry_in_order, kind="carry_in_return")
    assert d.due_at == done + timedelta(days=2) and d.warn_at == d.due_at - timedelta(hours=24)
    assert not Deadline.objects.filter(work_order=carry_in_order).exclude(kind="carry_in_return").exists()
    services.return_device(work_order=carry_in_order, by=coordinator, now=done + timedelta(days=1))
    carry_in_order.refresh_from_db()
    assert carry_in_order.status == "returned"
    d.refresh_from_db()
    assert d.met_at is not None


def test_r_w12_client_declines_repair_device_goes_back(carry_in_order, coordinator, technician, t0):
    services.dispatch_work_order(work_order=carry_in_order, technician=technician, by=coordinator, now=t0)
    services.diagnose(work_order=carry_in_order, by=technician, now=t0 + timedelta(minutes=30))
    services.ask_consent(
        work_order=carry_in_order, by=technician, diagnosis="主板烧毁", expected_ready_on=t0.date() + timedelta(days=10), now=t0 + timedelta(hours=1)
    )
    services.record_client_answer(work_order=carry_in_order, by=technician, continue_repair=False, note="太贵不修", now=t0 + timedelta(hours=3))
    carry_in_order.refresh_from_db()
    assert carry_in_order.status == "ready_for_return"
    assert Deadline.objects.filter(work_order=carry_in_order, kind="carry_in_return").exists()


def test_r_w13_return_deadline_warns_before_and_escalates_after_once(carry_in_order, coordinator, technician, manager, t0):
    _rec, done = _finish_carry_in(carry_in_order, coordinator, technician, t0)
    d = Deadline.objects.get(work_order=carry_in_order, kind="carry_in_return")
    assert services.scan_deadlines(now=done + timedelta(hours=12)) == {"warned": 0, "escalated": 0, "breached": 0}
    assert services.scan_deadlines(now=done + timedelta(hours=25))["warned"] == 1
    assert services.scan_deadlines(now=done + timedelta(hours=26))["warned"] == 0
    assert Notification.objects.filter(recipient=coordinator, key=f"dispatch.return-warning.{d.pk}").count() == 1
    with time_machine.travel(done + timedelta(days=2, minutes=1), tick=False):
        assert scan_deadlines_task.delay().get()["escalated"] == 1
        assert scan_deadlines_task.delay().get()["escalated"] == 0
    assert Notification.objects.filter(recipient=manager, key=f"dispatch.return-overdue.{d.pk}").count() == 1
    d.refresh_from_db()
    assert d.escalated_at is not None and d.breached_at is not None


def test_r_w13_illegal_carry_in_steps_refused(carry_in_order, coordinator, technician, t0):
    from servicedesk.errors import ConflictError

    services.dispatch_work_order(work_order=carry_in_order, technician=technician, by=coordinator, now=t0)
    carry_in_order.refresh_from_db()
    assert carry_in_order.status == "received"
    with pytest.raises(ConflictError):
        services.start_testing(work_order=carry_in_order, by=technician, now=t0 + timedelta(minutes=5))
    with pytest.raises(ConflictError):
        services.depart(work_order=carry_in_order, by=technician, now=t0 + timedelta(minutes=5))


def test_r_w12_client_had_to_call_is_a_complaint_p8_when_decided_own_work(carry_in_order, coordinator, manager, technician,
                                                                         t0, penalties_ready):
    from callbacks.complaints import decide
    from callbacks.models import Complaint

    Penalty = penalties_ready
    services.dispatch_work_order(work_order=carry_in_order, technician=technician, by=coordinator, now=t0)
    called = t0 + timedelta(days=2)
    services.record_client_chase(work_order=carry_in_order, by=coordinator, note="客户来电问进度", now=called)
    # R-W12 is a complaint (R-K10) like any other: owner, a 24 h reply deadline (complaint.reply_hours), the holder named
    c = Complaint.objects.get(work_order=carry_in_order)
    assert (c.channel, c.technician, c.owner) == ("carry_in_chase", technician, manager)
    assert c.reply_due_at == called + timedelta(hours=24) and "客户来电问进度" in c.words
    assert not Penalty.objects.filter(rule="P8").exists()  # blames nobody until decided
    decide(complaint=c, by=manager, now=called + timedelta(hours=3), outcome="own_work", responsible=technician,
           reason="诊断后未告知客户预计修复时间")
    assert Penalty.objects.filter(person=technician, rule="P8").count() == 1


def test_r_w7_scan_proposes_p7_once_per_breach_with_the_deadline_as_source(make_order, coordinator, technician, t0, penalties_ready):
    Penalty = penalties_ready
    wo = make_order(service_mode=ServiceMode.MOBILE)
    services.dispatch_work_order(work_order=wo, technician=technician, by=coordinator, now=t0)
    services.mark_breaches(now=t0 + timedelta(minutes=9))
    assert not Penalty.objects.exists()
    services.mark_breaches(now=t0 + timedelta(minutes=11))
    services.mark_breaches(now=t0 + timedelta(minutes=16))
    services.mark_breaches(now=t0 + timedelta(minutes=17))
    rows = list(Penalty.objects.order_by("pk"))
    assert [(p.rule, p.person, p.source.kind, p.status) for p in rows] == [
        ("P7", technician, "mobile_depart", "pending"),
        ("P7", technician, "contact_client", "pending"),
    ]
    assert "R-W7" in render(rows[0].reason) and rows[0].occurred_on == t0.date()
    assert [d.action for d in rows[0].decisions.all()] == ["propose"]
