"""R-T1: the month close runs before the report; the draft follows the month's statements; which statements are
still drafts is shown; a wiring error in the compiler fails loudly; complaints grouped by their recorded root cause.

November 2026 (tests/reports/conftest.py, month_data): 王技术 answered 2 callbacks, 1 very satisfied → 50 % ≤ 80 % →
R-M2 fine ¥100; 赵技术 answered 1, 0 very satisfied (0 % ≤ 80 %) and 1 complaint decided his own work → one fine
¥100; 钱空闲 has no answered callback (rate undefined) → no fine. Nobody reaches 95 % → no R-M1 reward (¥0.00).
December 1st 2026 (a Tuesday) is December's first working day.
"""
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from bonuses import selectors as bonus_selectors
from bonuses import services as bonus_services
from bonuses.models import MonthClose, Statement
from reports import compiler, services, tasks
from reports.models import MonthlyReport
from servicedesk.beat import BEAT_SCHEDULE

from .conftest import NOV, at

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
DEC_1_0615 = datetime(2026, 12, 1, 6, 15, tzinfo=TZ)


def tech_row(body, person):
    return next(t for t in body["technicians"] if t["person"] == person.pk)


def test_r_t1_beat_has_one_job_that_closes_the_month_then_compiles_the_report():
    tasks_scheduled = [e["task"] for e in BEAT_SCHEDULE.values()]
    assert "reports.tasks.compile_last_month_task" in tasks_scheduled
    # the month close is no separate entry that could run after the report
    assert "bonuses.tasks.compile_last_month_task" not in tasks_scheduled


def test_r_t1_first_working_day_closes_the_month_before_the_report(month_data, technician, other_technician):
    idle = month_data["idle"]
    with time_machine.travel(DEC_1_0615, tick=False):
        result = tasks.compile_last_month_task.delay(on="2026-12-01").get()
    assert result["month"] == "2026-11"
    assert MonthClose.objects.filter(month=NOV).exists()
    report = MonthlyReport.objects.get(month=NOV)
    body = report.data
    assert body["sources"]["statements"] is True and report.auto_compiled_at == DEC_1_0615
    # the statements' money, never "—"
    assert (tech_row(body, technician)["fines"], tech_row(body, technician)["rewards"]) == ("100.00", "0.00")
    assert (tech_row(body, other_technician)["fines"], tech_row(body, other_technician)["complaints"]) == ("100.00", 1)
    assert tech_row(body, idle)["fines"] == "0.00"
    assert body["department"]["fines"] == "200.00"
    # every statement is still a draft, and the report says whose
    summary = body["department"]["statements"]
    assert summary["draft"] == summary["total"] == Statement.objects.filter(month=NOV).count() >= 3
    assert {p["name"] for p in summary["draft_people"]} >= {"王技术", "赵技术", "钱空闲"}
    assert tech_row(body, technician)["statement_status"] == "draft"
    # idempotent: the next morning neither closes nor compiles again
    with time_machine.travel(datetime(2026, 12, 2, 6, 15, tzinfo=TZ), tick=False):
        assert "skipped" in tasks.compile_last_month_task.delay(on="2026-12-02").get()
    assert MonthlyReport.objects.get(month=NOV).compile_count == 1


def test_r_t1_a_report_compiled_before_the_close_is_compiled_again_by_the_job(month_data, manager, technician):
    early = services.compile_month(month=NOV, by=manager, now=datetime(2026, 12, 1, 5, 0, tzinfo=TZ))
    assert early.data["sources"]["statements"] is False and tech_row(early.data, technician)["fines"] is None
    report = services.scheduled_compile(on=date(2026, 12, 1), now=DEC_1_0615)
    assert report.compile_count == 2 and report.auto_compiled_at == DEC_1_0615
    assert tech_row(report.data, technician)["fines"] == "100.00"


def test_r_t1_the_draft_report_is_compiled_again_when_a_statement_changes(month_data, manager, technician,
                                                                          django_capture_on_commit_callbacks):
    services.scheduled_compile(on=date(2026, 12, 1), now=DEC_1_0615)
    st = Statement.objects.get(month=NOV, person=technician)
    with django_capture_on_commit_callbacks(execute=True):
        bonus_services.approve_statement(statement=st, by=manager, now=datetime(2026, 12, 1, 9, 0, tzinfo=TZ))
    report = MonthlyReport.objects.get(month=NOV)
    assert report.compile_count == 2
    summary = report.data["department"]["statements"]
    assert summary["approved"] == 1 and summary["draft"] == summary["total"] - 1
    assert "王技术" not in {p["name"] for p in summary["draft_people"]}
    assert tech_row(report.data, technician)["statement_status"] == "approved"


def test_r_t1_an_approved_report_is_not_recompiled_when_statements_change(month_data, manager, technician,
                                                                          django_capture_on_commit_callbacks):
    services.scheduled_compile(on=date(2026, 12, 1), now=DEC_1_0615)
    approved = services.approve(month=NOV, by=manager, now=datetime(2026, 12, 1, 8, 0, tzinfo=TZ), drafts_confirmed=True)
    st = Statement.objects.get(month=NOV, person=technician)
    with django_capture_on_commit_callbacks(execute=True):
        bonus_services.approve_statement(statement=st, by=manager, now=datetime(2026, 12, 1, 9, 0, tzinfo=TZ))
    report = MonthlyReport.objects.get(month=NOV)
    assert report.digest == approved.digest and report.compile_count == 1


def test_r_t1_the_report_page_names_the_draft_statements(client, month_data, manager):
    services.scheduled_compile(on=date(2026, 12, 1), now=DEC_1_0615)
    client.force_login(manager.user)
    with time_machine.travel(datetime(2026, 12, 1, 10, 0, tzinfo=TZ), tick=False):
        html = client.get("/reports/?month=2026-11").content.decode()
    assert 'id="draft-statements"' in html and "王技术" in html


def test_r_t1_a_wiring_error_in_the_compiler_fails_loudly(month_data, monkeypatch):
    assert not hasattr(compiler, "_optional")
    bonus_services.compile_month(month=NOV, by=None, now=DEC_1_0615)
    monkeypatch.delattr(bonus_selectors, "statement_totals")
    with pytest.raises(AttributeError):
        compiler.build_body(NOV)


def test_complaints_by_cause_groups_by_the_recorded_root_cause(coordinator, manager, technician):
    """Five November complaints: 2 decided own work, 1 product, 1 unfounded, 1 not decided yet."""
    from callbacks import complaints
    from tests.factories import WorkOrderFactory

    def taken(day):
        wo = WorkOrderFactory(technician=technician, status="resolved")
        return complaints.register_complaint(channel="phone", client=wo.client, work_order=wo, words="投诉", by=coordinator,
                                             now=at(day))

    for day in (3, 4):
        complaints.decide(complaint=taken(day), by=manager, now=at(20), outcome="own_work", responsible=technician, reason="x")
    complaints.decide(complaint=taken(5), by=manager, now=at(20), outcome="not_person", cause="product", reason="硒鼓批次问题")
    complaints.decide(complaint=taken(6), by=manager, now=at(20), outcome="unfounded", reason="客户误会")
    taken(7)
    rows = compiler.build_body(NOV)["department"]["complaints_by_cause"]
    assert [(r["cause"], r["label"], r["count"]) for r in rows] == [
        ("own_work", "本人工作问题", 2), ("product", "产品质量", 1), ("unfounded", "投诉不成立", 1), ("", "未判定", 1),
    ]
