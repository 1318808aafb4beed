"""R-W3: each legal transition works and is stamped; each illegal one is refused with a clear message."""
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dispatch import lifecycle, services
from dispatch.models import Assignment, HandOver, Refusal
from servicedesk.choices import ServiceMode, WorkOrderStatus as S
from servicedesk.errors import ConflictError, DomainError
from servicedesk.models import WorkOrderEvent

from .helpers import close_out_fields, drive

pytestmark = pytest.mark.django_db


def test_r_w3_visit_walks_new_to_on_site_and_history_records_who_and_when(order, coordinator, technician, t0):
    last = drive(order, to="on_site", coordinator=coordinator, technician=technician, now=t0)
    assert order.status == S.ON_SITE
    assert order.version == 5
    events = list(WorkOrderEvent.objects.filter(work_order=order).exclude(action="created").order_by("at"))
    assert [(e.action, e.from_status, e.to_status) for e in events] == [
        ("dispatch", "new", "dispatched"),
        ("accept", "dispatched", "accepted"),
        ("contact", "accepted", "contacted"),
        ("depart", "contacted", "en_route"),
        ("arrive", "en_route", "on_site"),
    ]
    assert [e.by for e in events] == [coordinator] + [technician] * 4
    assert events[-1].at == last
    assert all(e.holder == technician for e in events)


@pytest.mark.parametrize(
    "status, action",
    [
        ("new", "accept"),
        ("new", "depart"),
        ("dispatched", "contact"),
        ("dispatched", "arrive"),
        ("accepted", "depart"),
        ("contacted", "arrive"),
        ("en_route", "resolve"),
        ("on_site", "accept"),
    ],
)
def test_r_w3_illegal_transition_refused_with_clear_message(order, coordinator, technician, t0, status, action):
    if status != "new":
        drive(order, to=status, coordinator=coordinator, technician=technician, now=t0)
    else:
        order.technician = technician  # even the holder cannot skip a step
        order.save()
    calls = {
        "accept": lambda: services.accept(work_order=order, by=technician, now=t0 + timedelta(hours=1)),
        "depart": lambda: services.depart(work_order=order, by=technician, now=t0 + timedelta(hours=1)),
        "contact": lambda: services.contact(
            work_order=order, by=technician, promised_at=t0 + timedelta(hours=2), now=t0 + timedelta(hours=1)
        ),
        "arrive": lambda: services.arrive(work_order=order, by=technician, now=t0 + timedelta(hours=1)),
        "resolve": lambda: services.resolve(work_order=order, by=technician, now=t0 + timedelta(hours=1)),
    }
    before = WorkOrderEvent.objects.filter(work_order=order).count()
    if action == "resolve":
        pytest.importorskip("billing.services")
    with pytest.raises(ConflictError) as exc:
        calls[action]()
    assert "不能" in str(exc.value.message)
    assert order.get_status_display() in str(exc.value.message)
    assert WorkOrderEvent.objects.filter(work_order=order).count() == before


def test_r_w3_transition_table_is_data_with_can_helpers(order):
    assert lifecycle.can_dispatch(order)
    assert not lifecycle.can_accept(order)
    order.status = S.EN_ROUTE
    assert lifecycle.next_actions(order, actor=lifecycle.HOLDER) == ["arrive", "handover"]
    order.status = S.RESOLVED
    assert lifecycle.next_actions(order) == ["close"]


def test_r_w5_resident_may_arrive_without_travelling(make_order, coordinator, technician, t0):
    wo = make_order(service_mode=ServiceMode.RESIDENT)
    services.dispatch_work_order(work_order=wo, technician=technician, by=coordinator, now=t0)
    services.accept(work_order=wo, by=technician, now=t0 + timedelta(minutes=1))
    services.arrive(work_order=wo, by=technician, now=t0 + timedelta(minutes=3))
    wo.refresh_from_db()
    assert wo.status == S.ON_SITE


def test_technician_acts_only_on_own_work_orders(order, coordinator, technician, other_technician, t0):
    drive(order, to="dispatched", coordinator=coordinator, technician=technician, now=t0)
    with pytest.raises(PermissionDenied):
        services.accept(work_order=order, by=other_technician, now=t0 + timedelta(minutes=5))
    order.refresh_from_db()
    assert order.status == S.DISPATCHED


def test_technician_may_not_dispatch(order, technician, other_technician, t0):
    with pytest.raises(PermissionDenied):
        services.dispatch_work_order(work_order=order, technician=other_technician, by=technician, now=t0)


def test_r_w9_refuse_needs_reason_and_returns_order_to_board(order, coordinator, technician, t0):
    drive(order, to="dispatched", coordinator=coordinator, technician=technician, now=t0)
    with pytest.raises(DomainError) as exc:
        services.refuse(work_order=order, by=technician, reason="  ", now=t0 + timedelta(minutes=3))
    assert exc.value.field == "reason"
    refusal = services.refuse(work_order=order, by=technician, reason="车坏了", now=t0 + timedelta(minutes=3))
    order.refresh_from_db()
    assert order.status == S.NEW and order.technician is None
    assert refusal.technician == technician
    assert Assignment.objects.get(work_order=order).end_reason == "refused"
    assert order.deadlines.open().count() == 0  # the not-yet-due deadlines are void


def test_r_w9_unjustified_refusal_proposes_p1(order, coordinator, technician, t0, penalties_ready):
    Penalty = penalties_ready
    drive(order, to="dispatched", coordinator=coordinator, technician=technician, now=t0)
    refusal = services.refuse(work_order=order, by=technician, reason="不想去", now=t0 + timedelta(minutes=3))
    services.judge_refusal(refusal=refusal, unjustified=True, note="无正当理由", by=coordinator, now=t0 + timedelta(hours=1))
    assert Penalty.objects.filter(person=technician, rule="P1").count() == 1
    with pytest.raises(ConflictError):
        services.judge_refusal(refusal=refusal, unjustified=True, note="再判", by=coordinator, now=t0 + timedelta(hours=2))


def test_r_w9_justified_refusal_proposes_nothing(order, coordinator, technician, t0):
    drive(order, to="dispatched", coordinator=coordinator, technician=technician, now=t0)
    refusal = services.refuse(work_order=order, by=technician, reason="发烧", now=t0 + timedelta(minutes=3))
    row = services.judge_refusal(refusal=refusal, unjustified=False, by=coordinator, now=t0 + timedelta(hours=1))
    assert row.unjustified is False and row.judged_by == coordinator


def test_r_w11_handover_to_team_lead_one_holder_and_history_shows_every_holder(order, coordinator, technician, team_lead, t0):
    drive(order, to="on_site", coordinator=coordinator, technician=technician, now=t0)
    services.handover(work_order=order, by=technician, to=team_lead, notes="主板故障,需要组长处理", now=t0 + timedelta(hours=1))
    order.refresh_from_db()
    assert order.technician == team_lead
    assert order.status == S.ACCEPTED  # decision: the team lead calls the client and sets off again
    assert Assignment.objects.filter(work_order=order, ended_at__isnull=True).get().technician == team_lead
    holders = list(WorkOrderEvent.objects.filter(work_order=order).exclude(holder=None).values_list("holder__name", flat=True))
    assert holders[0] == technician.name and holders[-1] == team_lead.name
    assert HandOver.objects.get(work_order=order).notes == "主板故障,需要组长处理"
    # the old holder can no longer act
    with pytest.raises(PermissionDenied):
        services.contact(work_order=order, by=technician, promised_at=t0 + timedelta(hours=3), now=t0 + timedelta(hours=2))
    services.contact(work_order=order, by=team_lead, promised_at=t0 + timedelta(hours=3), now=t0 + timedelta(hours=2))


def test_r_w11_handover_only_to_a_team_lead_with_notes(order, coordinator, technician, other_technician, team_lead, t0):
    drive(order, to="accepted", coordinator=coordinator, technician=technician, now=t0)
    with pytest.raises(DomainError) as exc:
        services.handover(work_order=order, by=technician, to=other_technician, notes="x", now=t0 + timedelta(hours=1))
    assert exc.value.field == "to"
    with pytest.raises(DomainError) as exc:
        services.handover(work_order=order, by=technician, to=team_lead, notes="", now=t0 + timedelta(hours=1))
    assert exc.value.field == "notes"
    order.refresh_from_db()
    assert order.technician == technician


def test_r_w3_cancel_from_any_open_state_by_the_desk(order, coordinator, technician, t0):
    drive(order, to="contacted", coordinator=coordinator, technician=technician, now=t0)
    with pytest.raises(PermissionDenied):
        services.cancel(work_order=order, by=technician, reason="客户取消", now=t0 + timedelta(hours=1))
    services.cancel(work_order=order, by=coordinator, reason="客户取消", now=t0 + timedelta(hours=1))
    order.refresh_from_db()
    assert order.status == S.CANCELLED
    with pytest.raises(ConflictError):
        services.cancel(work_order=order, by=coordinator, reason="again", now=t0 + timedelta(hours=2))


def test_stale_submission_after_reassignment_refused(order, coordinator, technician, other_technician, t0):
    drive(order, to="dispatched", coordinator=coordinator, technician=technician, now=t0)
    seen = order.version
    services.dispatch_work_order(
        work_order=order, technician=other_technician, by=coordinator, now=t0 + timedelta(minutes=3), version=seen
    )
    with pytest.raises(ConflictError) as exc:
        services.accept(work_order=order, by=technician, now=t0 + timedelta(minutes=4), version=seen)
    assert "请刷新" in str(exc.value.message) and other_technician.name in str(exc.value.message)
    order.refresh_from_db()
    assert order.status == S.DISPATCHED and order.technician == other_technician


def test_double_dispatch_second_told_who_dispatched(order, coordinator, technician, other_technician, t0):
    from ..factories import staff_with
    from servicedesk.choices import Role

    second = staff_with(Role.COORDINATOR, name="陈协调")
    services.dispatch_work_order(work_order=order, technician=technician, by=coordinator, now=t0, version=0)
    with pytest.raises(ConflictError) as exc:
        services.dispatch_work_order(work_order=order, technician=other_technician, by=second, now=t0, version=0)
    assert coordinator.name in str(exc.value.message) and technician.name in str(exc.value.message)
    with pytest.raises(ConflictError):  # without a version, an assigned order is not silently reassigned
        services.dispatch_work_order(work_order=order, technician=other_technician, by=second, now=t0)
    order.refresh_from_db()
    assert order.technician == technician and Assignment.objects.filter(work_order=order).count() == 1


def test_reassign_with_current_version(order, coordinator, technician, other_technician, t0):
    drive(order, to="accepted", coordinator=coordinator, technician=technician, now=t0)
    services.dispatch_work_order(
        work_order=order, technician=other_technician, by=coordinator, now=t0 + timedelta(minutes=5), version=order.version
    )
    order.refresh_from_db()
    assert order.status == S.DISPATCHED and order.technician == other_technician
    ends = list(Assignment.objects.filter(work_order=order).values_list("end_reason", flat=True))
    assert ends == ["reassigned", ""]


def test_reassign_refused_once_technician_set_off(order, coordinator, technician, other_technician, t0):
    drive(order, to="en_route", coordinator=coordinator, technician=technician, now=t0)
    with pytest.raises(ConflictError):
        services.dispatch_work_order(
            work_order=order, technician=other_technician, by=coordinator, now=t0 + timedelta(minutes=9), version=order.version
        )


def test_contact_needs_a_future_promised_time(order, coordinator, technician, t0):
    drive(order, to="accepted", coordinator=coordinator, technician=technician, now=t0)
    with pytest.raises(DomainError) as exc:
        services.contact(work_order=order, by=technician, promised_at=t0 - timedelta(hours=1), now=t0 + timedelta(minutes=5))
    assert exc.value.field == "promised_at"
