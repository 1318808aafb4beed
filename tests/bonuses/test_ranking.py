"""R-M1 mobile ranking and R-M2 mobile fines, as the handbook's table of cases."""
from datetime import date
from decimal import Decimal

import pytest

from bonuses import selectors
from servicedesk.choices import Role, ServiceMode
from servicedesk.models import RuleParameter
from tests.factories import SiteFactory, staff_with

from .conftest import OCT

SEP = date(2026, 9, 1)

# name: (resolved mobile visits, answered callbacks, very satisfied, complaints)
# expected: name → (rank, reward, fine)
CASES = {
    "rank_1_and_2_rewarded": (
        {"A": (5, 20, 20, 0), "B": (3, 20, 19, 0), "C": (1, 10, 10, 0)},
        {"A": (1, "100.00", "0.00"), "B": (2, "70.00", "0.00"), "C": (3, "0.00", "0.00")},
    ),
    "rank_2_at_94_9_unrewarded_and_rank_3_not_promoted": (
        {"A": (5, 20, 20, 0), "B": (4, 1000, 949, 0), "C": (3, 10, 10, 0)},
        {"A": (1, "100.00", "0.00"), "B": (2, "0.00", "0.00"), "C": (3, "0.00", "0.00")},
    ),
    "tie_on_score_broken_by_rate": (
        {"A": (4, 25, 24, 0), "B": (4, 10, 10, 0)},
        {"B": (1, "100.00", "0.00"), "A": (2, "70.00", "0.00")},
    ),
    "tie_on_score_and_rate_broken_by_complaints": (
        {"A": (4, 10, 10, 1), "B": (4, 10, 10, 0)},
        {"B": (1, "100.00", "0.00"), "A": (2, "70.00", "100.00")},
    ),
    "rate_exactly_95_rewarded": (
        {"A": (5, 20, 19, 0)},
        {"A": (1, "100.00", "0.00")},
    ),
    "rate_exactly_80_fined": (
        {"A": (5, 20, 20, 0), "B": (2, 10, 8, 0)},
        {"A": (1, "100.00", "0.00"), "B": (2, "0.00", "100.00")},
    ),
    "rate_just_above_80_not_fined": (
        {"B": (2, 1000, 801, 0)},
        {"B": (1, "0.00", "0.00")},
    ),
    "one_complaint_fined_at_100_percent": (
        {"A": (1, 10, 10, 1)},
        {"A": (1, "100.00", "100.00")},
    ),
    "low_rate_and_complaint_fined_once": (
        {"A": (3, 10, 5, 2)},
        {"A": (1, "0.00", "100.00")},
    ),
    "nobody_answered_no_fine_no_reward": (
        {"A": (5, 0, 0, 0), "B": (3, 10, 10, 0)},
        {"A": (1, "0.00", "0.00"), "B": (2, "70.00", "0.00")},
    ),
    "undefined_rate_ranks_below_any_defined_rate_on_equal_score": (
        {"A": (3, 0, 0, 0), "B": (3, 10, 5, 0)},
        {"B": (1, "0.00", "100.00"), "A": (2, "0.00", "0.00")},
    ),
}


def build(facts, table):
    people = {}
    for name, (visits, answered, very, complaints) in table.items():
        tech = staff_with(Role.TECHNICIAN, name=f"技术{name}")
        people[name] = tech
        facts.visits(tech, visits)
        facts.callbacks(tech, answered=answered, very=very)
        for _i in range(complaints):
            facts.complaint(tech)
    return people


@pytest.mark.parametrize("table,expected", CASES.values(), ids=CASES.keys())
def test_r_m1_r_m2_ranking_table(facts, table, expected):
    people = build(facts, table)
    rows = {r["person_id"]: r for r in selectors.ranking(OCT)}
    for name, (rank, reward, fine) in expected.items():
        row = rows[people[name].pk]
        assert (row["rank"], row["reward"], row["fine"]) == (rank, Decimal(reward), Decimal(fine)), (name, row)
        assert row["reward_reason"]  # every row says why it got (or did not get) a reward


def test_ranking_is_best_first_and_reasons_name_the_rate(facts):
    people = build(facts, CASES["rank_2_at_94_9_unrewarded_and_rank_3_not_promoted"][0])
    rows = selectors.ranking(OCT)
    assert [r["person_id"] for r in rows] == [people["A"].pk, people["B"].pk, people["C"].pk]
    assert "94.90 %" in rows[1]["reward_reason"] and "不顺延" in rows[1]["reward_reason"]
    assert rows[1]["very_satisfied_rate"] == Decimal("94.90")


def test_fine_explanation_lists_every_reason(facts):
    build(facts, CASES["low_rate_and_complaint_fined_once"][0])
    [draft] = [d for d in selectors.collect_drafts(OCT) if d.rule == "R-M2"]
    assert draft.amount == Decimal("100.00")
    assert len(draft.explanation["inputs"]["reasons"]) == 2
    assert {p["name"] for p in draft.explanation["params"]} >= {"bonus.mobile_fine_rate", "bonus.mobile_fine_amount"}


def test_resident_technicians_are_not_ranked(facts):
    mobile = staff_with(Role.TECHNICIAN, name="流动")
    resident = staff_with(Role.TECHNICIAN, name="驻点", resident_site=SiteFactory())
    facts.visits(mobile, 1)
    facts.visits(resident, 9)
    facts.callbacks(resident, answered=10, very=10)
    ids = [r["person_id"] for r in selectors.ranking(OCT)]
    assert mobile.pk in ids and resident.pk not in ids


def test_only_mobile_visits_score(facts):
    a = staff_with(Role.TECHNICIAN, name="技术A")
    facts.visits(a, 2)
    facts.visits(a, 5, mode=ServiceMode.TEAM)
    [row] = [r for r in selectors.ranking(OCT) if r["person_id"] == a.pk]
    assert row["score"] == 2


def _new_version(name, value, effective_from):
    current = RuleParameter.objects.filter(name=name).order_by("-effective_from").first()
    return RuleParameter.objects.create(
        name=name, effective_from=effective_from, kind=current.kind, value=value, unit=current.unit, rule=current.rule,
        description=current.description, note="test",
    )


def test_rank_reward_changed_from_october_applies_from_october_only(facts):
    a = staff_with(Role.TECHNICIAN, name="技术A")
    for month in (SEP, OCT):
        facts.visits(a, 3, month=month)
        facts.callbacks(a, answered=10, very=10, month=month)
    new = _new_version("bonus.mobile_rank_rewards", ["150.00", "80.00"], OCT)
    sep = {d.rule: d for d in selectors.collect_drafts(SEP) if d.person_id == a.pk}
    oct_ = {d.rule: d for d in selectors.collect_drafts(OCT) if d.person_id == a.pk}
    assert sep["R-M1"].amount == Decimal("100.00")
    assert oct_["R-M1"].amount == Decimal("150.00")
    versions = {p["name"]: p["version"] for p in oct_["R-M1"].explanation["params"]}
    assert versions["bonus.mobile_rank_rewards"] == new.pk


def test_workload_scores_and_thresholds_are_parameters(facts):
    a, b = staff_with(Role.TECHNICIAN, name="技术A"), staff_with(Role.TECHNICIAN, name="技术B")
    facts.visits(a, 3, kind="repair")
    facts.visits(b, 2, kind="install")
    facts.callbacks(a, answered=10, very=9)  # 90 %
    facts.callbacks(b, answered=10, very=9)
    assert [r["person_id"] for r in selectors.ranking(OCT)][:2] == [a.pk, b.pk]
    _new_version("bonus.workload_scores", {"install": "2", "commissioning": "1", "repair": "1", "maintenance": "1",
                                           "software": "1"}, OCT)
    _new_version("bonus.mobile_rank_min_rate", "90", OCT)
    _new_version("bonus.mobile_fine_rate", "90", OCT)
    _new_version("bonus.mobile_fine_amount", "50.00", OCT)
    rows = selectors.ranking(OCT)
    assert [(r["person_id"], r["score"], r["reward"], r["fine"]) for r in rows[:2]] == [
        (b.pk, 4, Decimal("100.00"), Decimal("50.00")), (a.pk, 3, Decimal("70.00"), Decimal("50.00"))
    ]


def test_fine_complaint_threshold_is_a_parameter(facts):
    a = staff_with(Role.TECHNICIAN, name="技术A")
    facts.visits(a, 1)
    facts.complaint(a)
    _new_version("bonus.mobile_fine_complaints", 2, OCT)
    [row] = selectors.ranking(OCT)
    assert row["fine"] == 0
