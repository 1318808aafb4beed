"""Every parameter the team, resident and contract rules read changes their result (R-M4, R-M5, R-M6, R-R6)."""
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from bonuses.project_rules import project_shares
from dispatch.projects.rules import project_pool
from bonuses.resident_rules import team_awards
from dispatch.projects import services
from servicedesk.models import RuleParameter

from .conftest import DONE, DUE

pytestmark = pytest.mark.django_db
ON = date(2026, 11, 20)


def _set(name, value):
    RuleParameter.objects.filter(name=name).update(value=value)


def test_maintenance_pool_table_is_a_parameter():
    table = RuleParameter.objects.get(name="bonus.maintenance_pool").value
    table[0].update(pool="260", manager="60", department="200")
    _set("bonus.maintenance_pool", table)
    p = project_pool(kind="maintenance", contract_amount=Decimal("15000"), on=ON)
    assert (p.pool, p.manager, p.department) == (Decimal("260.00"), Decimal("60.00"), Decimal("200.00"))


def test_construction_weights_are_a_parameter():
    _set("bonus.construction_weights", {"manager": "2.0", "member": "1.0"})
    pool = project_pool(kind="construction", contract_amount=Decimal("60000"), on=ON)
    shares = project_shares(kind="construction", pool=pool, manager_id=1, member_ids=[2, 3, 4], participant_ids=[], responsible_id=1,
                            documents_due=DUE, documents_complete_on=DUE, on=ON)
    assert {s["person"]: s["amount"] for s in shares} == {1: Decimal("240.00"), 2: Decimal("120.00"), 3: Decimal("120.00"), 4: Decimal("120.00")}


def test_team_rewards_are_parameters(make_project, manager, lead, members):
    _set("bonus.team_lead_reward", "150.00")
    _set("bonus.team_member_reward", "60.00")
    # R-M5 pays team service only (SPEC decision: a construction contract pays R-M6 instead).
    project = make_project(kind="team", contract_amount=None, person_days=12)
    services.complete_project(project=project, by=manager, now=DONE, contract_fulfilled=None, documents_complete_on=DUE, client_satisfied=True)
    got = {(d.person_id, d.amount) for d in team_awards(month=date(2026, 11, 1))}
    assert got == {(lead.pk, Decimal("150.00"))} | {(m.pk, Decimal("60.00")) for m in members}


def test_resident_fines_are_parameters():
    from bonuses.resident_rules import resident_awards
    from dispatch.resident.models import ResidentPost, ResidentReport

    from ..factories import SiteFactory, staff_with

    _set("bonus.resident_fine_lead", "150.00")
    _set("bonus.resident_fine_member", "250.00")
    site = SiteFactory(resident=True)
    lead = staff_with("team_lead", resident_site=site)
    tech = staff_with("technician", resident_site=site)
    ResidentPost.objects.create(site=site, lead=lead)
    rated = datetime(2026, 12, 3, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    ResidentReport.objects.create(site=site, technician=tech, month=date(2026, 11, 1), status="client_rated", client_rating="bad", rated_at=rated)
    got = {(d.person_id, d.amount) for d in resident_awards(month=date(2026, 12, 1))}
    assert got == {(lead.pk, Decimal("150.00")), (tech.pk, Decimal("250.00"))}


def test_renewal_reminder_days_is_a_parameter(manager):
    from dispatch.contracts.services import create_contract, remind_renewals

    from ..factories import SiteFactory

    site = SiteFactory()
    create_contract(by=manager, now=DONE, number="WB-1", client=site.client, site=site, starts_on=date(2026, 1, 1),
                    ends_on=date(2026, 12, 31), frequency="12")
    now = datetime(2026, 11, 20, 8, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert remind_renewals(now=now) == 0  # 41 days before the end, default 30
    _set("contract.renewal_reminder_days", 45)
    assert remind_renewals(now=now) == 1


def test_a_maintenance_project_linked_to_a_contract_is_fulfilled_only_when_every_inspection_was_done(make_project, manager):
    from dispatch.contracts.services import create_contract, generate_inspections
    from servicedesk.models import WorkOrder

    from ..factories import SiteFactory

    site = SiteFactory()
    contract = create_contract(by=manager, now=DONE, number="WB-2", client=site.client, site=site, starts_on=date(2026, 11, 1),
                               ends_on=date(2026, 11, 30), frequency="1")
    generate_inspections(now=datetime(2026, 10, 28, 8, tzinfo=ZoneInfo("Asia/Shanghai")))
    project = make_project(kind="maintenance", contract_amount="30000", contract=contract.pk)
    done = services.complete_project(project=project, by=manager, now=DONE, contract_fulfilled=None, documents_complete_on=DUE, client_satisfied=True)
    assert done.contract_fulfilled is False and done.pool == Decimal("0.00")
    WorkOrder.objects.update(status="resolved")
    project2 = make_project(kind="maintenance", contract_amount="30000", contract=contract.pk)
    done2 = services.complete_project(project=project2, by=manager, now=DONE + timedelta(minutes=1), contract_fulfilled=None,
                                      documents_complete_on=DUE, client_satisfied=True)
    assert done2.contract_fulfilled is True and done2.pool == Decimal("500.00")
