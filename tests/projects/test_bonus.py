"""R-M6 pools (table boundaries), R-M7 split, R-M8 late documents, R-M5 team rewards."""
from datetime import date, timedelta
from decimal import Decimal

import pytest

from bonuses.project_rules import project_awards
from dispatch.projects.rules import project_pool
from bonuses.resident_rules import team_awards
from dispatch.projects import services
from dispatch.projects.models import ProjectShare
from servicedesk.models import RuleParameter
from servicedesk.texts import render

from .conftest import DONE, DUE

pytestmark = pytest.mark.django_db
ON = date(2026, 11, 20)


@pytest.mark.parametrize("amount, pool", [
    ("0.01", "150.00"), ("20000.00", "150.00"), ("20000.01", "400.00"), ("50000.00", "400.00"), ("50000.01", "600.00"),
    ("100000.00", "600.00"), ("299999.99", "1000.00"), ("300000.00", "1500.00"), ("5000000.00", "1500.00"),
])
def test_r_m6_construction_table_boundaries(amount, pool):
    assert project_pool(kind="construction", contract_amount=Decimal(amount), on=ON).pool == Decimal(pool)


@pytest.mark.parametrize("amount, pool, manager, department", [
    ("20000.00", "200.00", "0.00", "200.00"), ("20000.01", "500.00", "100.00", "400.00"), ("50000.00", "500.00", "100.00", "400.00"),
    ("100000.00", "800.00", "150.00", "650.00"), ("100000.01", "1200.00", "200.00", "1000.00"), ("299999.99", "1200.00", "200.00", "1000.00"),
])
def test_r_m6_maintenance_table_boundaries(amount, pool, manager, department):
    p = project_pool(kind="maintenance", contract_amount=Decimal(amount), on=ON)
    assert (p.pool, p.manager, p.department) == (Decimal(pool), Decimal(manager), Decimal(department))
    assert p.explanation["rule"] == "R-M6" and p.explanation["params"][0]["name"] == "bonus.maintenance_pool"


def test_r_m6_maintenance_from_300000_is_set_by_the_manager():
    p = project_pool(kind="maintenance", contract_amount=Decimal("300000.00"), on=ON)
    assert p.pool is None and p.manual
    p = project_pool(kind="maintenance", contract_amount=Decimal("300000.00"), on=ON, manual_pool=Decimal("2000"))
    assert (p.pool, p.manager, p.department) == (Decimal("2000.00"), Decimal("200.00"), Decimal("1800.00"))


def test_r_m6_the_pool_tables_are_parameters():
    table = RuleParameter.objects.get(name="bonus.construction_pool").value
    table[2]["pool"] = "700"
    RuleParameter.objects.create(name="bonus.construction_pool", effective_from=date(2026, 11, 1), kind="table", value=table,
                                 unit="元", rule="R-M6", description="x")
    assert project_pool(kind="construction", contract_amount=Decimal("60000"), on=ON).pool == Decimal("700.00")
    assert project_pool(kind="construction", contract_amount=Decimal("60000"), on=date(2026, 10, 31)).pool == Decimal("600.00")


def _complete(project, manager, *, late_days=0, fulfilled=True, satisfied=True, documents=True):
    complete_on = DUE + timedelta(days=late_days)
    now = max(DONE, DONE.replace(month=complete_on.month, day=complete_on.day))  # documents are never dated in the future
    return services.complete_project(
        project=project, by=manager, now=now, contract_fulfilled=fulfilled, client_satisfied=satisfied,
        documents_complete_on=complete_on if documents else None,
    )


def _shares(project):
    return {(s.person.name, s.role): (s.gross, s.deduction, s.amount) for s in ProjectShare.objects.filter(project=project).select_related("person")}


@pytest.mark.parametrize("days, deduction", [(0, "0.00"), (1, "8.57"), (3, "25.71"), (25, "171.43")])
def test_r_m8_late_documents_take_5_percent_a_day_of_the_managers_share(make_project, manager, days, deduction):
    project = _complete(make_project(), manager, late_days=days)
    shares = _shares(project)
    manager_share = shares[("项目组长", "manager")]
    assert manager_share == (Decimal("171.43"), Decimal(deduction), Decimal("171.43") - Decimal(deduction))
    assert [shares[(f"组员{i}", "member")][2] for i in (1, 2, 3)] == [Decimal("142.86"), Decimal("142.86"), Decimal("142.85")]
    assert sum(a for _g, _d, a in shares.values()) == Decimal("600.00") - Decimal(deduction)  # not redistributed
    if days:
        late = ProjectShare.objects.get(project=project, role="manager").explanation["late"]
        assert late["rule"] == "R-M8" and late["days"] == days


def test_r_m8_the_daily_percent_is_a_parameter_and_the_responsible_person_can_be_named(make_project, manager, members):
    RuleParameter.objects.filter(name="bonus.late_documents_daily_percent").update(value="10")
    project = _complete(make_project(documents_responsible=members[0].pk), manager, late_days=2)
    shares = _shares(project)
    assert shares[("项目组长", "manager")][1] == Decimal("0.00")
    assert shares[("组员1", "member")][1:] == (Decimal("28.57"), Decimal("114.29"))  # 142.86 × 20 %


@pytest.mark.parametrize("kw, reason", [({"satisfied": False}, "客户不满意"), ({"fulfilled": False}, "合同未履行"), ({"documents": False}, "资料不齐全")])
def test_r_m6_no_bonus_unless_fulfilled_documented_and_satisfied(make_project, manager, kw, reason):
    project = _complete(make_project(), manager, **kw)
    assert project.status == "completed" and project.pool == Decimal("0.00")
    assert reason in render(project.pool_explanation["text"], language="zh-hans")  # stored as a message (rule 7)
    assert not ProjectShare.objects.filter(project=project).exists()
    assert project_awards(month=date(2026, 11, 1)) == []


def test_r_m6_maintenance_manager_fixed_share_and_department_split_equally(make_project, manager):
    project = _complete(make_project(kind="maintenance", contract_amount="30000.00"), manager)
    shares = _shares(project)
    assert shares[("项目组长", "manager")][2] == Decimal("100.00")
    assert sorted(v[2] for k, v in shares.items() if k[1] == "department") == [Decimal("133.33"), Decimal("133.33"), Decimal("133.34")]
    assert project.pool == Decimal("500.00")


def test_r_m6_maintenance_without_listed_members_shares_among_the_departments_technicians(make_project, manager, lead, members):
    project = _complete(make_project(kind="maintenance", contract_amount="10000.00", members=[]), manager)
    dept = [s for s in ProjectShare.objects.filter(project=project)]
    assert {s.person_id for s in dept} == {lead.pk} | {m.pk for m in members}
    assert sum(s.amount for s in dept) == Decimal("200.00")


def test_project_awards_land_in_the_completion_month_and_a_contract_pays_no_team_reward(make_project, manager, lead, members):
    # R-M6 only (SPEC decision, never both): construction ¥60 000 → pool 600, unit 600 / 4.2; manager 171.43 less
    # 1 day late × 5 % = 8.57 → 162.86; members 142.86, 142.86, 142.85. No R-M5 team reward for a contract.
    project = _complete(make_project(), manager, late_days=1)
    drafts = project_awards(month=date(2026, 11, 1))
    assert {(d.person_id, d.rule, d.kind, d.amount, d.source) for d in drafts} == {
        (lead.pk, "R-M6", "project_bonus", Decimal("162.86"), f"project:{project.pk}:manager"),
        (members[0].pk, "R-M6", "project_bonus", Decimal("142.86"), f"project:{project.pk}:member"),
        (members[1].pk, "R-M6", "project_bonus", Decimal("142.86"), f"project:{project.pk}:member"),
        (members[2].pk, "R-M6", "project_bonus", Decimal("142.85"), f"project:{project.pk}:member"),
    }
    assert team_awards(month=date(2026, 11, 1)) == []
    assert project_awards(month=date(2026, 12, 1)) == []


def test_r_m5_team_service_without_contract_pays_team_rewards_only(make_project, manager, lead, members):
    # R-R5 + R-M5: 12 person-days, no contract amount; satisfied → lead ¥100, each of 3 members ¥50 = ¥250; no R-M6 pool.
    project = make_project(kind="team", contract_amount=None, person_days=12)
    assert project.contract_amount is None and project.pool is None
    done = services.complete_project(project=project, by=manager, now=DONE, contract_fulfilled=None,
                                     documents_complete_on=DUE, client_satisfied=True)
    assert done.status == "completed" and done.pool is None and not ProjectShare.objects.filter(project=project).exists()
    team = {(d.person_id, d.rule, d.kind, d.amount) for d in team_awards(month=date(2026, 11, 1))}
    assert team == {(lead.pk, "R-M5", "reward", Decimal("100.00"))} | {(m.pk, "R-M5", "reward", Decimal("50.00")) for m in members}
    assert sum(d.amount for d in team_awards(month=date(2026, 11, 1))) == Decimal("250.00")
    assert project_awards(month=date(2026, 11, 1)) == [] and team_awards(month=date(2026, 10, 1)) == []


def test_r_m5_not_satisfied_fines_the_lead(make_project, manager, lead):
    RuleParameter.objects.filter(name="bonus.team_lead_fine").update(value="120.00")
    project = make_project(kind="team", contract_amount=None, person_days=10)
    services.complete_project(project=project, by=manager, now=DONE, contract_fulfilled=None, documents_complete_on=DUE,
                              client_satisfied=False)
    assert [(d.person_id, d.rule, d.kind, d.amount) for d in team_awards(month=date(2026, 11, 1))] == [
        (lead.pk, "R-M5", "fine", Decimal("120.00"))]


def test_r_m5_team_service_is_refused_a_contract_amount_and_needs_10_person_days(make_project):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        make_project(kind="team", contract_amount="60000.00", person_days=9)
    assert set(exc.value.message_dict) == {"contract_amount", "person_days"}
    assert "R-M6" in exc.value.message_dict["contract_amount"][0]
    assert "10" in exc.value.message_dict["person_days"][0]


def test_r_m6_pool_is_known_when_the_project_is_created(make_project):
    # construction ¥60 000 → tier 3 → pool ¥600; maintenance ¥30 000 → tier 2 → pool ¥500 (manager 100, department 400).
    construction = make_project()
    assert construction.pool == Decimal("600.00") and construction.pool_explanation["rule"] == "R-M6"
    maintenance = make_project(kind="maintenance", contract_amount="30000.00")
    assert maintenance.pool == Decimal("500.00")
    manual = make_project(kind="maintenance", contract_amount="300000.00", pool="2500.00")
    assert manual.pool == Decimal("2500.00")
