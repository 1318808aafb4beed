"""R-M9 month close: compile (idempotent), approve, never rewrite an approved month, adjustments, R-N3, the beat job."""
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from bonuses import selectors, services
from bonuses.choices import StatementStatus
from bonuses.models import Award, MonthClose, Statement
from penalties import services as penalty_services
from servicedesk.choices import Role
from servicedesk.errors import CalendarMissingError, ConflictError, DomainError
from servicedesk.models import Notification, RuleParameter
from tests.factories import WorkOrderFactory, staff_with

from .conftest import NOV, OCT, SH

DEC_2 = datetime(2026, 12, 2, 9, 0, tzinfo=SH)
NOV_5 = datetime(2026, 11, 5, 9, 0, tzinfo=SH)


def snapshot(month):
    return sorted(
        (a.pk, a.person_id, a.rule, a.kind, a.amount, a.explanation, a.source, a.superseded_at)
        for a in Award.objects.filter(month=month)
    )


@pytest.fixture
def october(facts):
    """A ranks first (¥100), B second (¥70), C is fined for a complaint."""
    a, b, c = (staff_with(Role.TECHNICIAN, name=f"技术{x}") for x in "ABC")
    facts.visits(a, 5)
    facts.callbacks(a, answered=20, very=20)
    facts.visits(b, 4)
    facts.callbacks(b, answered=20, very=20)
    facts.visits(c, 1)
    facts.complaint(c)
    return a, b, c


def test_compile_writes_awards_and_statements(october, manager):
    a, b, c = october
    result = services.compile_month(month=OCT, by=manager, now=NOV_5)
    assert result.status == StatementStatus.DRAFT
    totals = selectors.statement_totals(OCT)
    assert totals[a.pk]["rewards"] == Decimal("100.00") and totals[a.pk]["net"] == Decimal("100.00")
    assert totals[b.pk]["rewards"] == Decimal("70.00")
    assert totals[c.pk]["fines"] == Decimal("100.00") and totals[c.pk]["net"] == Decimal("-100.00")
    assert Statement.objects.filter(month=OCT).count() == 3
    award = Award.objects.get(person=a, month=OCT, rule="R-M1")
    assert award.explanation["inputs"]["rank"] == 1 and award.explanation["params"]


def test_compile_twice_gives_identical_awards(october, manager):
    services.compile_month(month=OCT, by=manager, now=NOV_5)
    first = snapshot(OCT)
    result = services.compile_month(month=OCT, by=manager, now=NOV_5 + timedelta(hours=3))
    assert snapshot(OCT) == first
    assert (result.created, result.updated, result.superseded) == (0, 0, 0)
    assert MonthClose.objects.get(month=OCT).runs == 2


def test_recompiling_a_draft_follows_the_data_and_keeps_stale_lines_as_superseded(october, manager, facts):
    a, b, c = october
    services.compile_month(month=OCT, by=manager, now=NOV_5)
    facts.visits(c, 10)  # C now ranks first, but its complaint keeps the fine
    facts.callbacks(c, answered=10, very=10)
    services.compile_month(month=OCT, by=manager, now=NOV_5 + timedelta(hours=1))
    totals = selectors.statement_totals(OCT)
    assert totals[c.pk]["rewards"] == Decimal("100.00")
    assert totals[a.pk]["rewards"] == Decimal("70.00")
    assert b.pk in totals and totals[b.pk]["rewards"] == Decimal("0.00")
    stale = Award.objects.get(person=b, month=OCT, rule="R-M1")
    assert stale.superseded_at is not None  # never deleted


def test_approve_then_late_visit_compile_409_unchanged_and_adjustment_next_month(october, manager, facts):
    a, b, c = october
    services.compile_month(month=OCT, by=manager, now=NOV_5)
    services.approve_month(month=OCT, by=manager, now=NOV_5)
    before = snapshot(OCT)
    statuses = list(Statement.objects.filter(month=OCT).values_list("status", flat=True))
    assert set(statuses) == {StatementStatus.APPROVED}
    # a late visit of October is recorded after the approval: B would now rank first
    facts.visits(b, 3)
    with pytest.raises(ConflictError):
        services.compile_month(month=OCT, by=manager, now=NOV_5 + timedelta(days=1))
    assert snapshot(OCT) == before
    assert set(Statement.objects.filter(month=OCT).values_list("status", flat=True)) == {StatementStatus.APPROVED}
    # the correction lands in November and cites the original October award
    services.compile_month(month=NOV, by=manager, now=DEC_2)
    adj = {x.person_id: x for x in Award.objects.filter(month=NOV, adjusts_month=OCT)}
    assert adj[b.pk].amount == Decimal("30.00") and adj[b.pk].adjusts == Award.objects.get(person=b, month=OCT, rule="R-M1")
    assert adj[a.pk].amount == Decimal("-30.00") and adj[a.pk].rule == "R-M1"
    assert "2026-10" in adj[b.pk].text
    assert selectors.statement_totals(NOV)[b.pk]["rewards"] == Decimal("30.00")
    # re-running November books nothing twice
    first = snapshot(NOV)
    services.compile_month(month=NOV, by=manager, now=DEC_2 + timedelta(hours=1))
    assert snapshot(NOV) == first
    # once November is approved, December does not book the October correction again
    services.approve_month(month=NOV, by=manager, now=DEC_2)
    services.compile_month(month=date(2026, 12, 1), by=manager, now=datetime(2027, 1, 5, 9, tzinfo=SH))
    assert not Award.objects.filter(month=date(2026, 12, 1), adjusts_month=OCT).exists()


def test_adjustment_look_back_is_a_parameter(october, manager, facts):
    a, b, c = october
    services.compile_month(month=OCT, by=manager, now=NOV_5)
    services.approve_month(month=OCT, by=manager, now=NOV_5)
    facts.visits(b, 3)
    RuleParameter.objects.create(name="bonus.adjustment_lookback_months", effective_from=NOV, kind="integer", value=0,
                                 unit="月", rule="R-M9", description="x")
    services.compile_month(month=NOV, by=manager, now=DEC_2)
    assert not Award.objects.filter(month=NOV, adjusts_month=OCT).exists()


@pytest.mark.parametrize("month,now,code", [
    (date(2026, 12, 1), NOV_5, "future_month"),
    (NOV, NOV_5, "month_not_ended"),
])
def test_compile_refuses_future_and_running_month(manager, month, now, code):
    with pytest.raises(DomainError) as exc:
        services.compile_month(month=month, by=manager, now=now)
    assert exc.value.field == "month" and exc.value.code == code
    assert not Statement.objects.exists() and not MonthClose.objects.exists()


def test_compile_refuses_a_month_whose_calendar_year_is_not_loaded(manager):
    with pytest.raises(CalendarMissingError) as exc:
        services.compile_month(month=date(1999, 5, 1), by=manager, now=NOV_5)
    assert "1999" in str(exc.value.message) and exc.value.field == "month"
    assert not MonthClose.objects.exists()


def test_only_a_manager_compiles_and_approves(october, technician, manager):
    with pytest.raises(PermissionDenied):
        services.compile_month(month=OCT, by=technician, now=NOV_5)
    services.compile_month(month=OCT, by=manager, now=NOV_5)
    st = Statement.objects.filter(month=OCT).first()
    with pytest.raises(PermissionDenied):
        services.approve_statement(statement=st, by=technician, now=NOV_5)
    st.refresh_from_db()
    assert st.status == StatementStatus.DRAFT


def test_a_manager_does_not_approve_their_own_statement(facts, manager, other_manager_fixture):
    facts.visits(manager, 1)  # a manager who did a mobile visit is on the ranking and gets a statement
    services.compile_month(month=OCT, by=manager, now=NOV_5)
    st = Statement.objects.get(person=manager, month=OCT)
    with pytest.raises(PermissionDenied):
        services.approve_statement(statement=st, by=manager, now=NOV_5)
    services.approve_statement(statement=st, by=other_manager_fixture, now=NOV_5)
    st.refresh_from_db()
    assert st.status == StatementStatus.APPROVED and st.approved_by == other_manager_fixture


@pytest.fixture
def other_manager_fixture(db):
    return staff_with(Role.MANAGER, name="陈经理")


def test_approval_notifies_the_person_and_archive_is_admins(october, manager, admin_staff):
    a, _b, _c = october
    services.compile_month(month=OCT, by=manager, now=NOV_5)
    st = Statement.objects.get(person=a, month=OCT)
    with pytest.raises(ConflictError):
        services.archive_statement(statement=st, by=admin_staff, now=NOV_5)  # a draft is not archived
    services.approve_statement(statement=st, by=manager, now=NOV_5)
    assert Notification.objects.filter(recipient=a, link=f"/bonuses/statements/{st.pk}/").exists()
    with pytest.raises(PermissionDenied):
        services.archive_statement(statement=st, by=manager, now=NOV_5)
    services.archive_statement(statement=st, by=admin_staff, now=NOV_5)
    st.refresh_from_db()
    assert st.status == StatementStatus.ARCHIVED and st.archived_by == admin_staff


def test_r_n3_points_become_money_at_the_department_rate(facts, manager, technician):
    RuleParameter.objects.create(name="penalty.yuan_per_point", effective_from=OCT, kind="decimal", value="2.50",
                                 unit="元/分", rule="R-N3", description="x")
    other = staff_with(Role.MANAGER, name="陈经理")
    pen = penalty_services.propose(person=technician, rule="P7", source=WorkOrderFactory(), reason="迟到", on=date(2026, 10, 9),
                                   now=NOV_5)
    penalty_services.confirm(penalty=pen, by=other, now=NOV_5)
    services.compile_month(month=OCT, by=manager, now=NOV_5)
    t = selectors.statement_totals(OCT)[technician.pk]
    assert (t["penalty_points"], t["penalty_amount"], t["fines"], t["net"]) == (5, Decimal("12.50"), Decimal("0.00"), Decimal("-12.50"))
    award = Award.objects.get(person=technician, month=OCT, rule="R-N3")
    assert award.kind == "fine" and award.explanation["inputs"]["points"] == 5


def test_r_n3_default_rate_zero_reports_points_only(facts, manager, technician):
    other = staff_with(Role.MANAGER, name="陈经理")
    pen = penalty_services.propose(person=technician, rule="P7", source=WorkOrderFactory(), reason="迟到", on=date(2026, 10, 9),
                                   now=NOV_5)
    penalty_services.confirm(penalty=pen, by=other, now=NOV_5)
    services.compile_month(month=OCT, by=manager, now=NOV_5)
    t = selectors.statement_totals(OCT)[technician.pk]
    assert (t["penalty_points"], t["penalty_amount"]) == (5, Decimal("0.00"))
    assert not Award.objects.filter(rule="R-N3").exists()


def test_projects_helpers_drafts_land_in_the_same_statement(october, manager, monkeypatch):
    from bonuses import project_rules, resident_rules
    from bonuses.drafts import AwardDraft

    a, _b, _c = october
    monkeypatch.setattr(resident_rules, "resident_awards", lambda *, month: [
        AwardDraft(person_id=a.pk, rule="R-M3", kind="allowance", amount=Decimal("300.00"), source="resident-report:1",
                   explanation={"text": "驻点补贴"})])
    monkeypatch.setattr(project_rules, "project_awards", lambda *, month: [
        AwardDraft(person_id=a.pk, rule="R-M7", kind="project_bonus", amount=Decimal("171.43"), source="project:1",
                   explanation={"text": "项目奖金"})])
    services.compile_month(month=OCT, by=manager, now=NOV_5)
    t = selectors.statement_totals(OCT)[a.pk]
    assert (t["allowances"], t["project_bonus"], t["net"]) == (Decimal("300.00"), Decimal("171.43"), Decimal("571.43"))


# --------------------------------------------------------------------------- the beat job
def _first_working_day(month):
    return services.first_working_day(month)


def test_beat_compiles_last_month_on_the_first_working_day_only_once(october):
    first = _first_working_day(NOV)
    assert first == date(2026, 11, 2)  # Sunday 1 November is not a working day
    assert services.compile_last_month(now=datetime(2026, 11, 1, 6, 15, tzinfo=SH)) is None
    assert not MonthClose.objects.exists()
    result = services.compile_last_month(now=datetime(2026, 11, 2, 6, 15, tzinfo=SH))
    assert result is not None and result.month == OCT
    assert Statement.objects.filter(month=OCT).count() == 3
    assert services.compile_last_month(now=datetime(2026, 11, 2, 7, 15, tzinfo=SH)) is None
    assert MonthClose.objects.get(month=OCT).compiled_by is None


def test_beat_catches_up_a_missed_first_working_day(october):
    result = services.compile_last_month(now=datetime(2026, 11, 4, 6, 15, tzinfo=SH))
    assert result.month == OCT and MonthClose.objects.get(month=OCT).runs == 1


def test_beat_waits_for_the_first_working_day_after_the_national_day_holiday(facts):
    first = _first_working_day(OCT)
    assert first > OCT  # 2026-10-01 is a public holiday
    assert services.compile_last_month(now=datetime(2026, 10, 1, 6, 15, tzinfo=SH)) is None
    assert not MonthClose.objects.exists()
    result = services.compile_last_month(now=datetime(first.year, first.month, first.day, 6, 15, tzinfo=SH))
    assert result.month == date(2026, 9, 1)


def test_beat_task_compiles_on_a_provisional_calendar_year(db):
    """SPEC §11: a year without its official calendar is computed provisionally — the month close still runs."""
    from bonuses.tasks import compile_last_month_task
    from tests.calendars import make_provisional

    make_provisional(2026)
    import time_machine

    with time_machine.travel(datetime(2026, 11, 1, 6, 15, tzinfo=SH)):  # Sunday: not yet
        assert compile_last_month_task() is None
    assert not MonthClose.objects.exists()
    with time_machine.travel(datetime(2026, 11, 2, 6, 15, tzinfo=SH)):  # Monday, the first working day
        assert compile_last_month_task()["month"] == "2026-10"
    assert MonthClose.objects.filter(month=date(2026, 10, 1)).exists()
