"""The small hand-computed November 2026: every figure of the report equals the value worked out by hand.

王技术: 3 mobile visits (repair 3rd, repair 4th, install 5th); on the 5th he called the client after 20 min and
set off after 21 min, so R-W4 and R-W6 are both missed once → SLA 4 met of 6 due = 66.67 %.
Callbacks: very satisfied, satisfied, unreachable (after going overdue) → 1 ÷ 2 answered = 50.00 %.
赵技术: 1 maintenance visit in November (+1 in October), both SLAs met → 100.00 %; dissatisfied with a complaint
→ 0 ÷ 1 = 0.00 %, 1 complaint, the P8 proposal confirmed → 10 points.
钱空闲: nothing → every rate undefined (null, "—").
Department: 4 clients served, 3 called back → 75.00 % (target 30 %); 1 overdue callback; SLA 6 ÷ 8 = 75.00 %.
Receivable: ¥1,000.00 sold 2026-09-01, ¥200.00 paid 2026-11-10 → ¥800.00 outstanding at 2026-11-30.
"""
import json
from datetime import date
from decimal import Decimal

import pytest

from reports import services
from reports.compiler import build_body
from reports.models import MonthlyReport

from .conftest import NOV, at, set_param

pytestmark = pytest.mark.django_db


def rows(body):
    return {t["name"]: t for t in body["technicians"]}


def test_every_figure_equals_the_hand_computed_value(month_data, manager):
    report = services.compile_month(month=NOV, by=manager, now=at(23, 12))
    body = json.loads(report.body)
    assert body["month"] == "2026-11"
    t = rows(body)
    assert sorted(t) == ["王技术", "赵技术", "钱空闲"]

    wang = t["王技术"]
    assert wang["resolved_visits"] == 3
    assert wang["by_mode"] == {"mobile": 3, "resident": 0, "team": 0}
    assert wang["by_kind"]["repair"] == 2 and wang["by_kind"]["install"] == 1 and wang["by_kind"]["maintenance"] == 0
    assert wang["visits"] == 3
    assert wang["workload_score"] == "3.00"
    assert (wang["sla_due"], wang["sla_met"], wang["sla_compliance"]) == (6, 4, "66.67")
    assert wang["sla_by_rule"] == {
        "R-W4": {"due": 3, "met": 2, "compliance": "66.67"},
        "R-W6": {"due": 3, "met": 2, "compliance": "66.67"},
    }
    assert (wang["callbacks"], wang["very_satisfied"], wang["very_satisfied_rate"]) == (2, 1, "50.00")
    assert wang["unreachable"] == 1
    assert wang["complaints"] == 0
    assert wang["penalty_points"] == 0
    assert (wang["target_resolutions"], wang["resolutions_met"]) == (45, False)
    assert (wang["target_visits"], wang["visits_met"]) == (15, False)

    zhao = t["赵技术"]
    assert zhao["resolved_visits"] == 1  # the October visit belongs to October
    assert zhao["by_kind"]["maintenance"] == 1
    assert (zhao["sla_due"], zhao["sla_met"], zhao["sla_compliance"]) == (2, 2, "100.00")
    assert (zhao["callbacks"], zhao["very_satisfied_rate"]) == (1, "0.00")
    assert zhao["complaints"] == 1
    assert zhao["penalty_points"] == 10
    assert zhao["penalty_amount"] == "0.00"  # penalty.yuan_per_point = 0: points reported, no money

    idle = t["钱空闲"]
    assert idle["resolved_visits"] == 0 and idle["callbacks"] == 0
    assert idle["very_satisfied_rate"] is None  # R-K9: undefined, never 0 % or 100 %
    assert idle["sla_compliance"] is None
    assert idle["sla_by_rule"] == {}

    # Rewards and fines come from the month's statements; no month close yet → undefined, not 0.
    assert body["sources"]["statements"] is False
    assert wang["rewards"] is None and wang["fines"] is None

    d = body["department"]
    assert (d["resolved_visits"], d["visits"]) == (4, 4)
    assert (d["clients_served"], d["clients_called_back"], d["callback_coverage"]) == (4, 3, "75.00")
    assert d["coverage_target"] == "30.00" and d["below_coverage_target"] is False
    assert d["overdue_callbacks"] == 1
    assert (d["sla_due"], d["sla_met"], d["sla_compliance"]) == (8, 6, "75.00")
    assert d["very_satisfied_rate"] == "33.33"
    assert d["complaints"] == 1
    assert sum(c["count"] for c in d["complaints_by_cause"]) == 1
    assert d["penalty_points"] == 10
    assert d["rewards"] is None

    # Sales and collections of November: 赵技术 sold ¥300.00; ¥200.00 was collected on 王技术's September sale.
    assert (wang["sales"], wang["collected"]) == ("0.00", "200.00")
    assert (zhao["sales"], zhao["collected"]) == ("300.00", "0.00")
    assert (d["sales"], d["collections"]) == ("300.00", "200.00")

    # Ageing at the month's last day: ¥800.00 and ¥300.00 outstanding, each in the bucket of its days overdue.
    def bucket(conf):
        days = (date(2026, 11, 30) - conf.due_date).days
        return next(k for k, lo, hi in (("not_due", -10**6, 0), ("1_30", 1, 30), ("31_60", 31, 60), ("61_90", 61, 90), ("over_90", 91, 10**6)) if lo <= days <= hi)

    old, new = bucket(month_data["receivable"]), bucket(month_data["sale"])
    assert old != new and old in ("61_90", "over_90") and new in ("not_due", "1_30")
    assert d["receivables_as_of"] == "2026-11-30"
    assert d["receivables_by_bucket"][old] == "800.00"
    assert d["receivables_by_bucket"][new] == "300.00"
    assert d["receivables_outstanding"] == "1100.00"
    assert [b["key"] for b in d["receivables_buckets"]] == ["not_due", "1_30", "31_60", "61_90", "over_90"]

    trend = {m["month"]: m for m in body["trends"]}
    assert len(body["trends"]) == 12 and body["trends"][-1]["month"] == "2026-11" and body["trends"][0]["month"] == "2025-12"
    assert trend["2026-11"]["visits"] == 4 and trend["2026-10"]["visits"] == 1
    assert trend["2026-11"]["sla_compliance"] == "75.00" and trend["2026-10"]["sla_compliance"] == "100.00"
    assert trend["2026-11"]["very_satisfied_rate"] == "33.33"
    assert trend["2026-10"]["very_satisfied_rate"] is None  # October's callback was never answered
    assert trend["2026-06"] == {"month": "2026-06", "visits": 0, "very_satisfied_rate": None, "sla_compliance": None,
                                "approved": False}


def test_sales_and_collections_are_read_from_receivables(month_data, manager, monkeypatch):
    """The report reads receivables.figures as it is (sold in September → no November sale; ¥200 collected)."""
    from receivables import figures

    body = build_body(NOV)
    wang = rows(body)["王技术"]
    expected = figures.technician_month_sales(NOV).get(wang["person"], {})
    assert wang["sales"] == str(expected.get("sales", Decimal("0.00")).quantize(Decimal("0.01")))
    assert body["department"]["collections"] == str(figures.month_collections(NOV).quantize(Decimal("0.01")))
    monkeypatch.setattr(figures, "technician_month_sales", lambda month: {wang["person"]: {"sales": Decimal("300"), "collected": Decimal("200")}})
    monkeypatch.setattr(figures, "month_collections", lambda month: Decimal("200"))
    body = build_body(NOV)
    wang = rows(body)["王技术"]
    assert (wang["sales"], wang["collected"]) == ("300.00", "200.00")
    assert body["department"]["collections"] == "200.00" and body["department"]["sales"] == "300.00"


def test_statement_totals_fill_rewards_and_fines(month_data, monkeypatch):
    """Once the month is closed, rewards/fines/net are the statements' figures, and 0 for people without one."""
    from reports import compiler

    wang_id = month_data["visits"][0].technician_id
    monkeypatch.setattr(
        compiler, "_statements",
        lambda month: {wang_id: {"rewards": Decimal("100"), "fines": Decimal("0"), "allowances": Decimal("0"),
                                 "project_bonus": Decimal("0"), "penalty_points": 0, "penalty_amount": Decimal("0"), "net": Decimal("100")}},
    )
    body = build_body(NOV)
    t = rows(body)
    assert (t["王技术"]["rewards"], t["王技术"]["fines"], t["王技术"]["net"]) == ("100.00", "0.00", "100.00")
    assert t["赵技术"]["rewards"] == "0.00"
    assert body["department"]["rewards"] == "100.00"


def test_parameters_change_targets_scores_and_penalty_amounts(month_data):
    set_param("report.target_resolutions", 3)
    set_param("report.target_visits", 4)
    set_param("bonus.workload_scores", {"install": "2", "repair": "1", "maintenance": "1.5", "commissioning": "1", "software": "1"}, kind="table")
    set_param("penalty.yuan_per_point", "5.00", kind="decimal")
    body = build_body(NOV)
    t = rows(body)
    assert (t["王技术"]["target_resolutions"], t["王技术"]["resolutions_met"]) == (3, True)
    assert (t["王技术"]["target_visits"], t["王技术"]["visits_met"]) == (4, False)
    assert t["王技术"]["workload_score"] == "4.00"  # 2 repairs × 1 + 1 install × 2
    assert t["赵技术"]["workload_score"] == "1.50"
    assert t["赵技术"]["penalty_amount"] == "50.00"
    assert body["department"]["meeting_resolution_target"] == 1
    assert body["parameters"]["report.target_resolutions"]["value"] == "3"
    set_param("callback.coverage_target_percent", "80", kind="decimal")
    d = build_body(NOV)["department"]
    assert d["coverage_target"] == "80.00" and d["below_coverage_target"] is True


def test_an_approved_month_feeds_the_trend_with_its_stored_figures(month_data, manager, visit, technician):
    services.compile_month(month=date(2026, 10, 1), by=manager, now=at(23, 12))
    services.approve(month=date(2026, 10, 1), by=manager, now=at(23, 13))
    visit(technician, 21, month=10)  # a late October visit after approval: October's approved figures stand
    trend = {m["month"]: m for m in build_body(NOV)["trends"]}
    assert trend["2026-10"]["visits"] == 1 and trend["2026-10"]["approved"] is True
    assert MonthlyReport.objects.get(month=date(2026, 10, 1)).data["department"]["resolved_visits"] == 1
