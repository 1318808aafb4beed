"""Recording the visit's charges (snapshot, idempotent) and disputes R-B9 / repair plans R-B6."""
from datetime import date
from decimal import Decimal

import pytest

from billing.choices import ChargeStatus, DecisionAction, RepairPlanStatus
from billing.models import ChargeDecision, ChargeLine, RepairPlan, VisitCharge
from billing.services import record_visit_charges
from servicedesk.choices import Role
from servicedesk.errors import ConflictError
from servicedesk.params import schedule_param
from servicedesk.texts import render
from tests.factories import staff_with

from .factories import DAY, DAY_AT, Department, WorkOrderFactory, company_warranty_only, line, retail

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(technician, salesperson):
    client = retail(salesperson=salesperson)
    wo = WorkOrderFactory(client=client, technician=technician)
    return record_visit_charges(work_order=wo, lines=[line("part", "200"), line("repair", "80.50")], by=technician, on=DAY)


def test_persisted_quote_unchanged_after_a_later_price_change(recorded, technician):
    schedule_param(name="billing.part_markup", value="2.00", effective_from=date(2026, 11, 25), today=date(2026, 11, 20))
    schedule_param(name="billing.onsite_fee", value="80.00", effective_from=date(2026, 11, 25), today=date(2026, 11, 20))
    charge = VisitCharge.objects.get(pk=recorded.pk)
    assert charge.total == Decimal("409.48")  # 250 + 109.48 + 50
    part = charge.lines.get(position=1)
    assert (part.amount, part.rule, part.params[0]["value"]) == (Decimal("250.00"), "R-P1", "1.25")
    assert "¥250.00" in render(part.explanation)
    # re-recording the same lines is idempotent: same record, nothing repriced, no duplicate
    again = record_visit_charges(
        work_order=charge.work_order, lines=[line("part", "200"), line("repair", "80.50")], by=technician, on=DAY
    )
    assert again.pk == charge.pk and again.total == Decimal("409.48") and again.revision == 1
    assert VisitCharge.objects.count() == 1 and ChargeLine.objects.count() == 2


def test_rerecording_different_lines_supersedes_old_ones_without_deleting(recorded, technician):
    charge = record_visit_charges(work_order=recorded.work_order, lines=[line("part", "100")], by=technician, on=DAY)
    assert charge.pk == recorded.pk and charge.revision == 2
    assert charge.total == Decimal("175.00")
    assert ChargeLine.objects.filter(visit_charge=charge).count() == 3
    assert ChargeLine.objects.filter(visit_charge=charge, superseded=False).count() == 1


def test_rerecording_a_disputed_charge_is_refused(recorded, technician, coordinator):
    from billing.services import mark_disputed

    mark_disputed(visit_charge=recorded, by=coordinator, reason="客户认为太贵", now=DAY_AT)
    with pytest.raises(ConflictError):
        record_visit_charges(work_order=recorded.work_order, lines=[line("part", "1")], by=technician, on=DAY)
    assert VisitCharge.objects.get().total == Decimal("409.48")


@pytest.mark.parametrize(
    "who, status",
    [("own_salesperson", 200), ("other_salesperson", 403), ("technician", 403), ("manager", 200), ("finance", 403)],
)
def test_r_b9_dispute_decision_permissions_per_role(recorded, api, who, status, salesperson, technician, manager, coordinator, finance):
    staff = {
        "own_salesperson": salesperson,
        "other_salesperson": staff_with(Role.SALES, name="别的业务员"),
        "technician": technician,
        "manager": manager,
        "finance": finance,
    }[who]
    line_id = recorded.lines.get(position=1).pk
    r = api(coordinator).post(f"/api/billing/charges/{recorded.pk}/dispute/", {"line": line_id, "reason": "客户说配件自带"}, format="json")
    assert r.status_code == 200, r.content
    r = api(staff).post(
        f"/api/billing/charges/{recorded.pk}/decide/", {"line": line_id, "decision": "waive", "reason": "老客户,免收"}, format="json"
    )
    assert r.status_code == status, r.content
    ln = ChargeLine.objects.get(pk=line_id)
    if status == 200:
        assert ln.status == ChargeStatus.WAIVED
        decision = ChargeDecision.objects.get(action=DecisionAction.WAIVE)
        assert (decision.by, decision.line_id, decision.reason) == (staff, line_id, "老客户,免收")
        assert r.json()["billed_total"] == "159.48"
        assert r.json()["total"] == "409.48"
    else:
        assert "decided_by" in r.json()
        assert ln.status == ChargeStatus.DISPUTED
        assert not ChargeDecision.objects.filter(action__in=["charge", "waive"]).exists()
    assert ChargeDecision.objects.filter(action=DecisionAction.DISPUTED).count() == 1


def test_r_b9_whole_visit_dispute_and_bad_decisions(recorded, api, salesperson, technician):
    # the engineer of the work order may record the client's dispute
    r = api(technician).post(f"/api/billing/charges/{recorded.pk}/dispute/", {"reason": "客户不同意上门费"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "disputed"
    r = api(salesperson).post(f"/api/billing/charges/{recorded.pk}/decide/", {"decision": "charge"}, format="json")
    assert r.status_code == 400 and "reason" in r.json()
    r = api(salesperson).post(f"/api/billing/charges/{recorded.pk}/decide/", {"decision": "maybe", "reason": "x"}, format="json")
    assert r.status_code == 400 and "decision" in r.json()
    r = api(salesperson).post(f"/api/billing/charges/{recorded.pk}/decide/", {"decision": "charge", "reason": "按价目表"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "charged"
    r = api(salesperson).post(f"/api/billing/charges/{recorded.pk}/decide/", {"decision": "waive", "reason": "改主意"}, format="json")
    assert r.status_code == 409
    assert [d.action for d in ChargeDecision.objects.all()] == ["disputed", "charge"]


def test_dispute_by_an_unrelated_technician_is_refused(recorded, api, other_technician):
    r = api(other_technician).post(f"/api/billing/charges/{recorded.pk}/dispute/", {"reason": "x"}, format="json")
    assert r.status_code in (403, 404)
    assert VisitCharge.objects.get().status == ChargeStatus.RECORDED


def test_r_b6_repair_plan_decision_by_salesperson(api, salesperson, technician, manager):
    client = retail(department=Department.KEY_ACCOUNT, salesperson=salesperson)
    eq = company_warranty_only(client)
    wo = WorkOrderFactory(client=client, site=eq.site, equipment=eq, technician=technician)
    charge = record_visit_charges(work_order=wo, lines=[line("part", "200")], by=technician, on=DAY)
    plan = RepairPlan.objects.get()
    other = staff_with(Role.SALES)
    r = api(other).post(f"/api/billing/repair-plans/{plan.pk}/decide/", {"decision": "charge", "reason": "x"}, format="json")
    assert r.status_code == 403 and "decided_by" in r.json()
    r = api(technician).post(f"/api/billing/repair-plans/{plan.pk}/decide/", {"decision": "charge", "reason": "x"}, format="json")
    assert r.status_code == 403
    r = api(salesperson).post(f"/api/billing/repair-plans/{plan.pk}/decide/", {"decision": "charge", "reason": "客户同意付费"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == RepairPlanStatus.CHARGE
    plan.refresh_from_db()
    assert (plan.decided_by, plan.reason) == (salesperson, "客户同意付费")
    line_ = charge.lines.get()
    assert line_.billed_amount == Decimal("250.00")
    assert ChargeDecision.objects.get().action == DecisionAction.CHARGE
    r = api(manager).post(f"/api/billing/repair-plans/{plan.pk}/decide/", {"decision": "waive", "reason": "x"}, format="json")
    assert r.status_code == 409
