"""R-K1, R-K2, R-K7: the callback row, its window, and the overdue scan catching up after downtime."""
from datetime import datetime, timedelta

import pytest
import time_machine

from callbacks import services
from callbacks.choices import CallbackStatus, WindowRule
from callbacks.models import Callback
from callbacks.tasks import scan_callbacks_task
from servicedesk.models import Notification
from servicedesk.params import schedule_param

from .conftest import MONDAY_10, SH

pytestmark = pytest.mark.django_db


def test_r_k2_first_service_monday_10_opens_tuesday_10_due_thursday_10(resolved_visit):
    cb = services.schedule_callback(work_order=resolved_visit(), completed_at=MONDAY_10, part_replaced=False)
    assert cb.window_opens_at == datetime(2026, 11, 24, 10, 0, tzinfo=SH)
    assert cb.due_at == datetime(2026, 11, 26, 10, 0, tzinfo=SH)
    assert cb.window_rule == WindowRule.FIRST_SERVICE and cb.status == CallbackStatus.PENDING
    assert cb.explanation["rule"] == "R-K2" and cb.explanation["parameters"][1]["value"] == "72"


@pytest.mark.parametrize(
    "second, part, rule",
    [(True, False, WindowRule.SECOND_SERVICE), (False, True, WindowRule.PART_REPLACED), (True, True, WindowRule.PART_REPLACED)],
)
def test_r_k2_second_service_and_part_replacement_due_within_24h(resolved_visit, second, part, rule):
    cb = services.schedule_callback(work_order=resolved_visit(second_service=second), completed_at=MONDAY_10, part_replaced=part)
    assert cb.due_at == MONDAY_10 + timedelta(hours=24)
    assert cb.window_opens_at == MONDAY_10 and cb.status == CallbackStatus.DUE
    assert cb.window_rule == rule


def test_r_k2_earliest_deadline_wins_when_several_apply(resolved_visit):
    # a manager shortens the part-replacement window to 12 h: with a second service (24 h) too, 12 h wins
    schedule_param(name="callback.part_replaced_due_hours", value=12, effective_from=MONDAY_10.date(), today=MONDAY_10.date())
    cb = services.schedule_callback(work_order=resolved_visit(second_service=True), completed_at=MONDAY_10, part_replaced=True)
    assert cb.due_at == MONDAY_10 + timedelta(hours=12) and cb.window_rule == WindowRule.PART_REPLACED
    assert set(cb.explanation["considered"]) == {"first_service", "second_service", "part_replaced"}


def test_r_k1_scheduling_twice_creates_one_row(resolved_visit):
    wo = resolved_visit()
    a = services.schedule_callback(work_order=wo, completed_at=MONDAY_10, part_replaced=False)
    b = services.schedule_callback(work_order=wo, completed_at=MONDAY_10, part_replaced=True)
    assert a.pk == b.pk and Callback.objects.count() == 1


def test_scan_opens_the_window_then_marks_overdue_once(resolved_visit, coordinator, manager):
    cb = services.schedule_callback(work_order=resolved_visit(), completed_at=MONDAY_10, part_replaced=False)
    assert services.scan_callbacks(now=MONDAY_10 + timedelta(hours=23))["opened"] == 0
    assert services.scan_callbacks(now=MONDAY_10 + timedelta(hours=25))["opened"] == 1
    cb.refresh_from_db()
    assert cb.status == CallbackStatus.DUE
    late = MONDAY_10 + timedelta(hours=73)
    assert services.scan_callbacks(now=late) == {"opened": 0, "overdue": 1}
    assert services.scan_callbacks(now=late + timedelta(minutes=5)) == {"opened": 0, "overdue": 0}
    cb.refresh_from_db()
    assert cb.status == CallbackStatus.OVERDUE and cb.overdue_at == late
    # coordinator and manager alerted, once each
    assert sorted(Notification.objects.values_list("recipient__name", flat=True)) == sorted([coordinator.name, manager.name])


def test_worker_down_two_days_next_run_catches_every_missed_callback(resolved_visit, coordinator):
    rows = [
        services.schedule_callback(work_order=resolved_visit(), completed_at=MONDAY_10 + timedelta(hours=h), part_replaced=bool(h % 2))
        for h in range(6)
    ]
    # nothing ran from Monday until Friday (Redis/worker down); the beat task then runs once, late
    with time_machine.travel(MONDAY_10 + timedelta(days=4), tick=False):
        result = scan_callbacks_task.delay().get()
    assert result["overdue"] == 6
    assert set(Callback.objects.values_list("status", flat=True)) == {CallbackStatus.OVERDUE}
    assert Notification.objects.filter(recipient=coordinator).count() == len(rows)


def test_r_k1_resolving_a_visit_through_dispatch_creates_its_callback_in_the_same_transaction(coordinator, technician, monkeypatch):
    """R-K1 through the real path: dispatch.services.resolve writes the callback; a failure after it rolls both back."""
    from dispatch import services as dispatch_services
    from dispatch.models import CloseOut
    from tests.dispatch.helpers import close_out_fields, drive
    from tests.factories import EquipmentFactory, WorkOrderFactory

    eq = EquipmentFactory()
    wo = WorkOrderFactory(client=eq.client, site=eq.site, equipment=eq)
    arrived = drive(wo, to="on_site", coordinator=coordinator, technician=technician, now=MONDAY_10)
    fields = close_out_fields(arrived, lines=[])
    close_out = dispatch_services.resolve(work_order=wo, by=technician, now=fields["completed_at"], **fields)
    cb = Callback.objects.get(work_order=wo)
    assert cb.technician == technician and cb.client == wo.client
    assert cb.window_rule == WindowRule.FIRST_SERVICE
    assert cb.window_opens_at == close_out.completed_at + timedelta(hours=24)

    # same transaction: when the callback cannot be written, the resolution is not saved either
    other = WorkOrderFactory(client=eq.client, site=eq.site, equipment=eq, content=wo.content)
    arrived = drive(other, to="on_site", coordinator=coordinator, technician=technician, now=MONDAY_10 + timedelta(hours=3))

    def boom(**kwargs):
        raise RuntimeError("callback store down")

    monkeypatch.setattr("callbacks.services.schedule_callback", boom)
    fields = close_out_fields(arrived, lines=[])
    with pytest.raises(RuntimeError):
        dispatch_services.resolve(work_order=other, by=technician, now=fields["completed_at"], **fields)
    other.refresh_from_db()
    assert other.status == "on_site" and not CloseOut.objects.filter(work_order=other).exists()
    assert not Callback.objects.filter(work_order=other).exists()
