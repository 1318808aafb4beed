"""R-K3–R-K6: recording the call and its consequences (P6 per "no", complaints and P8, unreachable)."""
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from callbacks import services
from callbacks.choices import CallbackStatus
from callbacks.models import Complaint
from penalties.models import Penalty
from servicedesk.choices import Role, WorkOrderStatus
from servicedesk.errors import ConflictError, DomainError
from tests.factories import staff_with

from .conftest import MONDAY_10

pytestmark = pytest.mark.django_db

GOOD = dict(badge=True, explained=True, cleaned=True, signed=True, satisfaction="very_satisfied")


@pytest.fixture
def callback(resolved_visit):
    return services.schedule_callback(work_order=resolved_visit(), completed_at=MONDAY_10, part_replaced=False)


def in_window():
    return MONDAY_10 + timedelta(hours=30)


def test_r_k4_two_no_answers_yield_exactly_two_p6_even_on_double_submit(callback, coordinator, technician):
    answers = dict(GOOD, cleaned=False, signed=False, satisfaction="satisfied")
    services.record_call(callback=callback, by=coordinator, now=in_window(), **answers)
    with pytest.raises(ConflictError):
        services.record_call(callback=callback, by=coordinator, now=in_window() + timedelta(seconds=2), **answers)
    p6 = Penalty.objects.filter(rule="P6", person=technician)
    assert p6.count() == 2
    assert all(p.status == "pending" for p in p6)


def test_all_yes_and_very_satisfied_proposes_nothing(callback, coordinator):
    cb = services.record_call(callback=callback, by=coordinator, now=in_window(), **GOOD)
    assert cb.status == CallbackStatus.DONE and not cb.late
    assert not Penalty.objects.exists() and not Complaint.objects.exists()


def test_r_k5_dissatisfied_opens_a_complaint_for_the_manager_to_decide(callback, coordinator, manager, technician):
    services.record_call(callback=callback, by=coordinator, now=in_window(), **dict(GOOD, satisfaction="dissatisfied"), complaint="等了三天才来人")
    complaint = Complaint.objects.get()
    assert complaint.words == "等了三天才来人" and complaint.technician == technician
    # R-K10 Decision: the visit's technician is named, but P8 waits for the manager's "own work" decision
    assert complaint.outcome == "" and not Penalty.objects.filter(rule="P8").exists()
    assert manager.notifications.filter(key=f"complaint-{callback.pk}").exists()


def test_r_k6_three_unanswered_attempts_make_it_unreachable(callback, coordinator):
    for n in range(1, 4):
        cb = services.record_call(callback=callback, by=coordinator, now=in_window() + timedelta(hours=n), answered=False)
    assert cb.attempts == 3 and cb.status == CallbackStatus.UNREACHABLE
    with pytest.raises(ConflictError):
        services.record_no_answer(callback=callback, by=coordinator, now=in_window() + timedelta(hours=5))


def test_recording_outside_the_window_is_allowed_but_late(callback, coordinator):
    cb = services.record_call(callback=callback, by=coordinator, now=MONDAY_10 + timedelta(hours=2), **GOOD)
    assert cb.late and cb.status == CallbackStatus.DONE


def test_unknown_satisfaction_is_refused_naming_the_field(callback, coordinator):
    with pytest.raises(DomainError) as exc:
        services.record_call(callback=callback, by=coordinator, now=in_window(), **dict(GOOD, satisfaction="ecstatic"))
    assert exc.value.field == "satisfaction"
    callback.refresh_from_db()
    assert callback.status != CallbackStatus.DONE


def test_visit_not_resolved_is_refused(callback, coordinator):
    callback.work_order.status = WorkOrderStatus.ON_SITE
    callback.work_order.save()
    with pytest.raises(DomainError):
        services.record_call(callback=callback, by=coordinator, now=in_window(), **GOOD)


def test_technician_cannot_call_back_their_own_visit(resolved_visit):
    both = staff_with(Role.COORDINATOR, Role.TECHNICIAN)
    cb = services.schedule_callback(work_order=resolved_visit(technician=both), completed_at=MONDAY_10, part_replaced=False)
    with pytest.raises(PermissionDenied):
        services.record_call(callback=cb, by=both, now=in_window(), **GOOD)
