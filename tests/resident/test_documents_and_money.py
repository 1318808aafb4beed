"""R-R1 attendance, R-R4 documents due, R-M3 allowance and R-M4 fines (drafts and the month's statements)."""
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from bonuses.resident_rules import resident_awards
from dispatch.resident import services
from dispatch.resident.choices import DayMark
from dispatch.resident.models import AttendanceDay, AttendanceSheet, DocumentsDue
from servicedesk.errors import ConflictError, DomainError
from servicedesk.models import RuleParameter

from .conftest import NOV, at
from .helpers import documents_in, stamped_report, token_of

pytestmark = pytest.mark.django_db


def test_r_r4_documents_are_due_on_the_5th_working_day_of_the_next_month(site):
    # December 2026: Tue 1, Wed 2, Thu 3, Fri 4, Mon 7
    assert services.ensure_documents_due(site=site, month=NOV).due_on == date(2026, 12, 7)
    RuleParameter.objects.filter(name="resident.documents_due_working_day").update(value=3)
    assert services.documents_due_on(month=date(2026, 10, 1))[0] == date(2026, 11, 4)  # Mon 2, Tue 3, Wed 4


def test_r_r4_overdue_documents_are_listed_and_reminded_once_a_day(site, post, lead, resident, admin_staff, client):
    with time_machine.travel(at(12, 1, 8), tick=False):
        services.open_documents_due(now=at(12, 1, 8))
        services.open_documents_due(now=at(12, 1, 8))  # idempotent
    assert DocumentsDue.objects.filter(site=site, month=NOV).count() == 1
    assert services.remind_overdue_documents(now=at(12, 7, 9)) == 0  # due today, not overdue yet
    assert services.remind_overdue_documents(now=at(12, 8, 9)) == 1
    assert services.remind_overdue_documents(now=at(12, 8, 15)) == 0  # once a day
    assert lead.notifications.count() == 1 and admin_staff.notifications.count() == 1
    assert "2026-11" in lead.notifications.get().text
    assert services.remind_overdue_documents(now=at(12, 9, 9)) == 1
    with time_machine.travel(at(12, 9, 9), tick=False):
        client.force_login(admin_staff.user)
        page = client.get("/dispatch/resident/documents/")
        assert page.status_code == 200
        html = page.content.decode()
    assert "国税局驻点" in html and "考勤表" in html and "驻点技术员甲 的月报" in html


def test_r_r4_documents_complete_stop_the_reminders(site, post, lead, resident):
    now = at(12, 3, 9)
    report = services.start_report(technician=resident, month=NOV, by=resident, now=now)
    report = services.update_report(report=report, by=resident, work_done="维护", now=now)
    services.submit_report(report=report, by=resident, now=now)
    lead_report = services.update_report(report=services.start_report(technician=lead, month=NOV, by=lead, now=now), by=lead, work_done="带队", now=now)
    services.submit_report(report=lead_report, by=lead, now=now)
    documents_in(site, by=lead, now=now)
    row = DocumentsDue.objects.get(site=site, month=NOV)
    assert row.completed_at == now
    assert services.remind_overdue_documents(now=at(12, 10, 9)) == 0


def test_r_r1_the_lead_marks_attendance_all_or_nothing(site, post, lead, resident, resident2, technician, admin_staff):
    sheet = services.attendance_sheet(site=site, month=NOV, by=lead)
    services.mark_attendance(sheet=sheet, by=lead, now=at(11, 5), marks=[
        {"technician": resident.pk, "day": date(2026, 11, 5), "mark": DayMark.LEAVE},
        {"technician": resident2.pk, "day": date(2026, 11, 5), "mark": DayMark.PRESENT},
    ])
    assert AttendanceDay.objects.count() == 2
    with pytest.raises(DomainError, match="第 2 行"):
        services.mark_attendance(sheet=sheet, by=lead, now=at(11, 6), marks=[
            {"technician": resident.pk, "day": date(2026, 11, 6), "mark": DayMark.PRESENT},
            {"technician": resident.pk, "day": date(2026, 12, 1), "mark": DayMark.PRESENT},
        ])
    with pytest.raises(DomainError, match="不是本驻点"):
        services.mark_attendance(sheet=sheet, by=lead, now=at(11, 6), marks=[{"technician": technician.pk, "day": date(2026, 11, 6), "mark": "present"}])
    assert AttendanceDay.objects.count() == 2  # nothing half-saved
    with pytest.raises(PermissionDenied):
        services.mark_attendance(sheet=sheet, by=resident, now=at(11, 6), marks=[])
    services.submit_attendance(sheet=sheet, by=lead, now=at(12, 1))
    assert admin_staff.notifications.filter(text__contains="考勤表已提交").count() == 1
    with pytest.raises(ConflictError):
        services.mark_attendance(sheet=sheet, by=lead, now=at(12, 2), marks=[])


def test_r_r1_the_attendance_page_works_on_the_phone_and_in_the_browser(client, site, post, lead, resident):
    client.force_login(lead.user)
    with time_machine.travel(at(11, 5), tick=False):
        page = client.get(f"/dispatch/resident/attendance/?site={site.pk}&month=2026-11&day=2026-11-05")
        assert page.status_code == 200 and "驻点技术员甲" in page.content.decode()
        res = client.post("/dispatch/resident/attendance/", {"site": site.pk, "month": "2026-11", "day": "2026-11-05",
                                                            f"m-{resident.pk}-2026-11-05": "trip"})
        assert res.status_code == 302
    assert AttendanceDay.objects.get(technician=resident, day=date(2026, 11, 5)).mark == "trip"
    client.force_login(resident.user)
    assert client.get(f"/dispatch/resident/attendance/?site={site.pk}").status_code == 403


def test_reading_the_attendance_page_writes_nothing(client, site, post, lead, resident):
    """A GET never writes (rule 4): browsing months shows blank sheets; the first saved mark stores the sheet."""
    client.force_login(lead.user)
    with time_machine.travel(at(11, 5), tick=False):
        for month in ("2026-09", "2026-10", "2027-03"):
            page = client.get(f"/dispatch/resident/attendance/?site={site.pk}&month={month}")
            assert page.status_code == 200 and "驻点技术员甲" in page.content.decode()
        assert not AttendanceSheet.objects.exists()
        client.post("/dispatch/resident/attendance/", {"site": site.pk, "month": "2026-10", "day": "2026-10-09",
                                                       f"m-{resident.pk}-2026-10-09": "leave"})
    assert list(AttendanceSheet.objects.values_list("month", flat=True)) == [date(2026, 10, 1)]
    assert AttendanceDay.objects.get(technician=resident, day=date(2026, 10, 9)).mark == "leave"


def test_dispatch_stops_proposing_a_technician_on_leave_and_residents_for_mobile_jobs(site, post, lead, resident, technician, other_technician):
    from dispatch.selectors import suggest_technicians
    from servicedesk.choices import ServiceMode

    from ..factories import SiteFactory, WorkOrderFactory

    sheet = services.attendance_sheet(site=site, month=NOV, by=lead)
    services.mark_attendance(sheet=sheet, by=lead, now=at(11, 5), marks=[{"technician": resident.pk, "day": date(2026, 11, 16), "mark": "leave"}])
    mobile_job = WorkOrderFactory(service_mode=ServiceMode.MOBILE, site=SiteFactory())
    resident_job = WorkOrderFactory(service_mode=ServiceMode.RESIDENT, client=site.client, site=site)
    mobile_ids = {s.staff.pk for s in suggest_technicians(work_order=mobile_job, on=date(2026, 11, 16), limit=3)}
    assert mobile_ids == {technician.pk, other_technician.pk}  # no resident technician for a mobile job
    on_leave_day = {s.staff.pk for s in suggest_technicians(work_order=resident_job, on=date(2026, 11, 16), limit=3)}
    assert resident.pk not in on_leave_day and lead.pk in on_leave_day
    next_day = {s.staff.pk for s in suggest_technicians(work_order=resident_job, on=date(2026, 11, 17), limit=3)}
    assert resident.pk in next_day


# ---------------------------------------------------------------- money (R-M3, R-M4)
RATED = at(12, 5, 10)


def _rated(resident, *, rating, supervisor, manager, gm, client, lead=None, docs_on_time=True):
    with time_machine.travel(at(12, 2, 9), tick=False):
        report = stamped_report(resident, supervisor=supervisor, manager=manager, gm=gm, now=at(12, 2, 9))
    if lead is not None:
        documents_in(report.site, by=lead, now=at(12, 3) if docs_on_time else at(12, 9))
    with time_machine.travel(RATED, tick=False):
        assert client.post(f"/r/{token_of(report)}/", {"rating": rating}).status_code == 200
    return report


def test_r_m3_allowance_when_rated_good_and_documents_on_time(client, site, post, lead, resident, supervisor, manager, gm):
    report = _rated(resident, rating="very_good", supervisor=supervisor, manager=manager, gm=gm, client=client, lead=lead)
    drafts = resident_awards(month=date(2026, 12, 1))
    assert [(d.person_id, d.rule, d.kind, d.amount, d.source) for d in drafts] == [
        (resident.pk, "R-M3", "allowance", Decimal("300.00"), f"resident-report:{report.pk}")
    ]
    assert drafts[0].explanation["params"][0]["name"] == "bonus.resident_allowance"
    assert drafts[0].explanation["inputs"]["report_month"] == "2026-11"
    assert resident_awards(month=NOV) == []  # the money lands in the month the client rated


def test_r_m3_the_allowance_amount_is_a_parameter(client, site, post, lead, resident, supervisor, manager, gm):
    RuleParameter.objects.create(name="bonus.resident_allowance", effective_from=date(2026, 12, 1), kind="decimal", value="350.00",
                                 unit="元", rule="R-M3", description="驻点补贴")
    _rated(resident, rating="good", supervisor=supervisor, manager=manager, gm=gm, client=client, lead=lead)
    assert [d.amount for d in resident_awards(month=date(2026, 12, 1))] == [Decimal("350.00")]


def test_r_m3_no_allowance_when_the_documents_were_late(client, site, post, lead, resident, supervisor, manager, gm):
    _rated(resident, rating="very_good", supervisor=supervisor, manager=manager, gm=gm, client=client, lead=lead, docs_on_time=False)
    assert resident_awards(month=date(2026, 12, 1)) == []


def test_r_m3_no_allowance_for_a_fair_rating(client, site, post, lead, resident, supervisor, manager, gm):
    _rated(resident, rating="fair", supervisor=supervisor, manager=manager, gm=gm, client=client, lead=lead)
    assert resident_awards(month=date(2026, 12, 1)) == []


def test_r_m4_poor_or_bad_fines_the_lead_once_and_each_technician(client, site, post, lead, resident, resident2, supervisor, manager, gm):
    a = _rated(resident, rating="poor", supervisor=supervisor, manager=manager, gm=gm, client=client)
    b = _rated(resident2, rating="bad", supervisor=supervisor, manager=manager, gm=gm, client=client)
    drafts = sorted(resident_awards(month=date(2026, 12, 1)), key=lambda d: (d.person_id, d.source))
    assert [(d.person_id, d.rule, d.kind, d.amount, d.source) for d in drafts] == sorted([
        (lead.pk, "R-M4", "fine", Decimal("100.00"), f"resident-lead:{site.pk}:2026-11"),
        (resident.pk, "R-M4", "fine", Decimal("200.00"), f"resident-report:{a.pk}"),
        (resident2.pk, "R-M4", "fine", Decimal("200.00"), f"resident-report:{b.pk}"),
    ], key=lambda t: (t[0], t[4]))


def test_r_m3_r_m4_land_in_the_months_statements(client, site, post, lead, resident, resident2, supervisor, manager, gm):
    from bonuses.models import Award
    from bonuses.services import compile_month

    _rated(resident, rating="good", supervisor=supervisor, manager=manager, gm=gm, client=client, lead=lead)
    _rated(resident2, rating="bad", supervisor=supervisor, manager=manager, gm=gm, client=client)
    with time_machine.travel(at(1, 4, 9, year=2027), tick=False):
        compile_month(month=date(2026, 12, 1), by=manager, now=at(1, 4, 9, year=2027))
    awards = {(a.person_id, a.rule, a.kind, a.amount) for a in Award.objects.filter(month=date(2026, 12, 1), rule__in=["R-M3", "R-M4"])}
    assert awards == {
        (resident.pk, "R-M3", "allowance", Decimal("300.00")),
        (lead.pk, "R-M4", "fine", Decimal("100.00")),
        (resident2.pk, "R-M4", "fine", Decimal("200.00")),
    }
