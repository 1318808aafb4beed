"""R-T1/R-T2: the snapshot is byte-identical on re-runs, frozen once approved, compiled once by the beat job."""
from datetime import date, timedelta

import pytest
import time_machine

from reports import services, tasks
from reports.models import MonthlyReport, ReportStatus
from servicedesk.errors import ConflictError, DomainError

from .conftest import NOV, at

pytestmark = pytest.mark.django_db


def test_compiling_twice_gives_a_byte_identical_body(month_data, manager):
    first = services.compile_month(month=NOV, by=manager, now=at(23, 12))
    body, digest = first.body, first.digest
    second = services.compile_month(month=NOV, by=manager, now=at(24, 12))
    assert second.pk == first.pk and second.compile_count == 2
    assert second.body.encode() == body.encode() and second.digest == digest
    assert MonthlyReport.objects.count() == 1


def test_compiling_under_another_language_stores_the_same_bytes(month_data, manager):
    from django.utils import translation

    first = services.compile_month(month=NOV, by=manager, now=at(23, 12)).body
    with translation.override("en"):
        assert services.compile_month(month=NOV, by=manager, now=at(23, 13)).body == first


def test_new_data_changes_a_draft(month_data, manager, visit, technician):
    first = services.compile_month(month=NOV, by=manager, now=at(23, 12)).digest
    visit(technician, 16)
    again = services.compile_month(month=NOV, by=manager, now=at(23, 13))
    assert again.digest != first and again.data["department"]["resolved_visits"] == 5


def test_approved_month_is_never_changed_by_a_rerun(month_data, manager, visit, technician, api):
    report = services.compile_month(month=NOV, by=manager, now=at(23, 12))
    body = report.body
    approved = services.approve(month=NOV, by=manager, now=at(23, 13), digest=report.digest)
    assert approved.status == ReportStatus.APPROVED and approved.approved_by == manager
    visit(technician, 17)  # a visit added to the approved month afterwards
    with pytest.raises(ConflictError):
        services.compile_month(month=NOV, by=manager, now=at(23, 14))
    response = api(manager).post("/api/reports/monthly/2026-11/compile/")
    assert response.status_code == 409 and response.json()["code"] == "report_approved"
    response = api(manager).post("/api/reports/monthly/2026-11/approve/")
    assert response.status_code == 409
    stored = MonthlyReport.objects.get(month=NOV)
    assert stored.body == body and stored.data["department"]["resolved_visits"] == 4
    # the beat job leaves it alone too
    assert services.scheduled_compile(on=date(2026, 12, 1), now=at(1, 6, month=12)) is None
    assert MonthlyReport.objects.get(month=NOV).body == body


def test_approving_needs_a_compiled_current_body(month_data, manager, technician, visit):
    with pytest.raises(DomainError) as exc:
        services.approve(month=NOV, by=manager, now=at(23, 12))
    assert exc.value.field == "month"
    report = services.compile_month(month=NOV, by=manager, now=at(23, 12))
    visit(technician, 18)
    services.compile_month(month=NOV, by=manager, now=at(23, 13))
    with pytest.raises(ConflictError):  # the manager reviewed the older body
        services.approve(month=NOV, by=manager, now=at(23, 14), digest=report.digest)
    assert MonthlyReport.objects.get(month=NOV).status == ReportStatus.DRAFT


def test_only_a_manager_compiles_or_approves(month_data, technician, coordinator):
    from django.core.exceptions import PermissionDenied

    for who in (technician, coordinator):
        with pytest.raises(PermissionDenied):
            services.compile_month(month=NOV, by=who, now=at(23, 12))
    assert not MonthlyReport.objects.exists()


def test_a_future_month_cannot_be_compiled(manager):
    with pytest.raises(DomainError) as exc:
        services.compile_month(month=date(2026, 12, 1), by=manager, now=at(23, 12))
    assert exc.value.field == "month"


def test_beat_compiles_september_once_on_the_first_working_day_after_the_october_holidays(db):
    """2026-10-01…07 are the National Day holidays; 2026-10-08 is October's first working day."""
    compiled_on = []
    day = date(2026, 10, 1)
    while day <= date(2026, 10, 14):
        with time_machine.travel(at(day.day, 6, month=day.month), tick=False):
            result = tasks.compile_last_month_task.delay(on=day.isoformat()).get()
        if "month" in result:
            compiled_on.append((day, result["month"]))
        day += timedelta(days=1)
    assert compiled_on == [(date(2026, 10, 8), "2026-09")]
    report = MonthlyReport.objects.get(month=date(2026, 9, 1))
    assert report.compile_count == 1 and report.compiled_by is None and report.auto_compiled_at is not None


def test_beat_catches_up_a_missed_first_working_day(db):
    assert services.scheduled_compile(on=date(2026, 10, 7), now=at(7, 6, month=10)) is None
    assert services.scheduled_compile(on=date(2026, 10, 9), now=at(9, 6, month=10)).month == date(2026, 9, 1)
    assert services.scheduled_compile(on=date(2026, 10, 12), now=at(12, 6, month=10)) is None
