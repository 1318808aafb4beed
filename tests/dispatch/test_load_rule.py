"""R-W8: a 4th visit of the day warns and offers the least-loaded technician of the same area."""
from datetime import timedelta

import pytest

from dispatch import selectors, services
from dispatch.models import Assignment
from servicedesk.choices import Role

from ..factories import SiteFactory, staff_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_day(make_order, coordinator, technician, t0):
    for i in range(3):
        services.dispatch_work_order(work_order=make_order(), technician=technician, by=coordinator, now=t0 + timedelta(minutes=i))


def test_r_w8_fourth_visit_warns_and_offers_least_loaded_same_area(busy_day, make_order, coordinator, technician, t0):
    near_idle = staff_with(Role.TECHNICIAN, name="近闲", area="福田区")
    near_busy = staff_with(Role.TECHNICIAN, name="近忙", area="福田区")
    staff_with(Role.TECHNICIAN, name="远闲", area="南山区")
    services.dispatch_work_order(work_order=make_order(), technician=near_busy, by=coordinator, now=t0)
    wo = make_order()
    with pytest.raises(services.LoadLimitExceeded) as exc:
        services.dispatch_work_order(work_order=wo, technician=technician, by=coordinator, now=t0 + timedelta(hours=1))
    assert "第 4 次" in str(exc.value.message) and "近闲" in str(exc.value.message)
    assert [s.staff.name for s in exc.value.suggestions][:2] == ["近闲", "近忙"]
    assert "远闲" not in [s.staff.name for s in exc.value.suggestions]
    wo.refresh_from_db()
    assert wo.technician is None and not Assignment.objects.filter(work_order=wo).exists()
    # confirmed: dispatched, with the override recorded
    result = services.dispatch_work_order(work_order=wo, technician=technician, by=coordinator, now=t0 + timedelta(hours=1), force=True)
    assert result.warnings and result.assignment.load_warning_overridden


def test_r_w8_refused_visits_do_not_count(busy_day, make_order, coordinator, technician, t0):
    on = t0.date()
    assert selectors.visits_by_technician(on=on, technician_ids=[technician.pk])[technician.pk] == 3
    wo = Assignment.objects.filter(technician=technician).first().work_order
    services.refuse(work_order=wo, by=technician, reason="设备缺件", now=t0 + timedelta(minutes=30))
    assert selectors.visits_by_technician(on=on, technician_ids=[technician.pk])[technician.pk] == 2
    # the 4th dispatch of the day is now only the 3rd visit: no warning, no confirmation needed
    result = services.dispatch_work_order(work_order=make_order(), technician=technician, by=coordinator, now=t0 + timedelta(hours=1))
    assert result.warnings == [] and not result.assignment.load_warning_overridden
    assert selectors.visits_by_technician(on=on, technician_ids=[technician.pk])[technician.pk] == 3


def test_r_w8_next_day_counts_afresh(busy_day, make_order, coordinator, technician, t0):
    with pytest.raises(services.LoadLimitExceeded):
        services.dispatch_work_order(work_order=make_order(), technician=technician, by=coordinator, now=t0 + timedelta(hours=2))
    result = services.dispatch_work_order(work_order=make_order(), technician=technician, by=coordinator, now=t0 + timedelta(days=1))
    assert result.warnings == [] and result.work_order.technician == technician
    assert selectors.visits_by_technician(on=(t0 + timedelta(days=1)).date(), technician_ids=[technician.pk])[technician.pk] == 1


def test_r_w8_suggestions_prefer_usual_technician_then_same_area(make_order, coordinator, t0):
    usual = staff_with(Role.TECHNICIAN, name="老搭档", area="南山区")
    same_area = staff_with(Role.TECHNICIAN, name="同区", area="福田区")
    wo = make_order()
    from dispatch.models import CloseOut

    old = make_order(client=wo.client)
    CloseOut.objects.create(
        work_order=old, technician=usual, work_done="x", fault_cause="x", advice="x", started_at=t0, ended_at=t0,
        signature_name="x", completed_at=t0 - timedelta(days=40), recorded_at=t0,
    )
    wo = type(wo).objects.select_related("site").get(pk=wo.pk)
    names = [s.staff.name for s in selectors.suggest_technicians(work_order=wo, on=t0.date(), limit=3)]
    assert names.index("老搭档") < names.index("同区")


def _dispatch(make_order, tech, coordinator, now, **kw):
    return services.dispatch_work_order(work_order=make_order(**kw), technician=tech, by=coordinator, now=now)


def test_r_w8_visits_count_on_the_visit_day_not_the_dispatch_day(make_order, coordinator, technician, t0):
    # Monday 09:00: three jobs booked for Tuesday 10:00, 11:00, 14:00 are Tuesday's visits, not Monday's.
    tuesday = t0 + timedelta(days=1)
    for i, hour in enumerate((10, 11, 14)):
        result = _dispatch(make_order, technician, coordinator, t0 + timedelta(minutes=i), required_at=tuesday.replace(hour=hour))
        assert result.warnings == []
    assert selectors.visits_by_technician(on=t0.date(), technician_ids=[technician.pk]).get(technician.pk, 0) == 0
    assert selectors.visits_by_technician(on=tuesday.date(), technician_ids=[technician.pk])[technician.pk] == 3
    # Monday: an "as soon as possible" job is Monday's 1st visit — no warning.
    assert _dispatch(make_order, technician, coordinator, t0 + timedelta(minutes=10)).warnings == []
    # Monday, a 4th job for Tuesday 16:00: Tuesday already has 3 → warned today, not let through tomorrow.
    with pytest.raises(services.LoadLimitExceeded) as exc:
        _dispatch(make_order, technician, coordinator, t0 + timedelta(minutes=20), required_at=tuesday.replace(hour=16))
    assert "2026-11-17 已有 3 次上门" in str(exc.value.message) and "第 4 次" in str(exc.value.message)
    # Tuesday 08:00: an "as soon as possible" job is Tuesday's 4th visit → warned (not six visits in one day).
    with pytest.raises(services.LoadLimitExceeded):
        _dispatch(make_order, technician, coordinator, tuesday.replace(hour=8))


def test_r_w8_least_loaded_same_area_first_the_usual_technician_only_breaks_ties(busy_day, make_order, coordinator, technician, t0):
    from dispatch.models import CloseOut

    usual = staff_with(Role.TECHNICIAN, name="老搭档", area="福田区")
    idle = staff_with(Role.TECHNICIAN, name="空闲", area="福田区")
    wo = make_order()
    CloseOut.objects.create(
        work_order=make_order(client=wo.client), technician=usual, work_done="x", fault_cause="x", advice="x", started_at=t0,
        ended_at=t0, signature_name="x", completed_at=t0 - timedelta(days=40), recorded_at=t0,
    )
    _dispatch(make_order, usual, coordinator, t0 + timedelta(minutes=5))  # usual: 1 visit today, idle: 0
    with pytest.raises(services.LoadLimitExceeded) as exc:
        services.dispatch_work_order(work_order=wo, technician=technician, by=coordinator, now=t0 + timedelta(hours=1))
    assert [s.staff.name for s in exc.value.suggestions] == ["空闲", "老搭档"]  # 0 visits before 1, usual or not
    assert "建议改派同区域负荷最少的 空闲(当天 0 次)" in str(exc.value.message)
    _dispatch(make_order, idle, coordinator, t0 + timedelta(minutes=6))  # now 1 visit each: the usual one breaks the tie
    with pytest.raises(services.LoadLimitExceeded) as exc:
        services.dispatch_work_order(work_order=wo, technician=technician, by=coordinator, now=t0 + timedelta(hours=1))
    assert [s.staff.name for s in exc.value.suggestions] == ["老搭档", "空闲"]


def test_r_w8_technicians_on_leave_on_the_visit_day_are_never_suggested(busy_day, make_order, coordinator, technician, t0):
    from dispatch.resident.models import AttendanceDay, AttendanceSheet

    on_leave = staff_with(Role.TECHNICIAN, name="休假", area="福田区")
    working = staff_with(Role.TECHNICIAN, name="在岗", area="福田区")
    _dispatch(make_order, working, coordinator, t0 + timedelta(minutes=5))  # working: 1 visit, on leave: 0
    sheet = AttendanceSheet.objects.create(site=SiteFactory(), month=t0.date().replace(day=1), lead=working)
    AttendanceDay.objects.create(sheet=sheet, technician=on_leave, day=t0.date(), mark="leave")
    with pytest.raises(services.LoadLimitExceeded) as exc:
        _dispatch(make_order, technician, coordinator, t0 + timedelta(hours=1))
    assert [s.staff.name for s in exc.value.suggestions] == ["在岗"]
