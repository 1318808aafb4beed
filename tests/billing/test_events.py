"""`billing.signals.charge_decided`: sent inside the decision's transaction; receivables follows it (R-S1)."""
import pytest

from billing.choices import ChargeStatus
from billing.models import ChargeDecision, VisitCharge
from billing.services import decide_dispute, mark_disputed, record_visit_charges
from billing.signals import charge_decided

from .factories import DAY, DAY_AT, WorkOrderFactory, line, retail

pytestmark = pytest.mark.django_db


@pytest.fixture
def disputed(technician, salesperson, coordinator):
    wo = WorkOrderFactory(client=retail(salesperson=salesperson), technician=technician)
    charge = record_visit_charges(work_order=wo, lines=[line("part", "200")], by=technician, on=DAY)
    mark_disputed(visit_charge=charge, by=coordinator, reason="客户认为太贵", now=DAY_AT)
    return charge


def test_receivables_is_connected_to_charge_decided():
    assert "receivables.charge_decided" in {key[0] for key, *_rest in charge_decided.receivers}  # connected by its dispatch_uid


def test_charge_decided_carries_the_decision(disputed, salesperson):
    seen = []

    def spy(sender, **kwargs):
        seen.append(kwargs)

    charge_decided.connect(spy, dispatch_uid="test-spy")
    try:
        record = decide_dispute(visit_charge=disputed, decision="waive", reason="老客户", by=salesperson, now=DAY_AT)
    finally:
        charge_decided.disconnect(dispatch_uid="test-spy")
    [kw] = seen
    assert kw["decision"] == record and kw["rule"] == "R-B9" and kw["work_order"] == disputed.work_order
    assert kw["source"] == {"charge_decision": record.pk, "decision": "waive"}


def test_a_failing_receiver_rolls_the_decision_back(disputed, salesperson):
    def boom(sender, **kwargs):
        raise RuntimeError("receiver failed")

    charge_decided.connect(boom, dispatch_uid="test-boom")
    try:
        with pytest.raises(RuntimeError):
            decide_dispute(visit_charge=disputed, decision="charge", reason="按价目表", by=salesperson, now=DAY_AT)
    finally:
        charge_decided.disconnect(dispatch_uid="test-boom")
    assert VisitCharge.objects.get(pk=disputed.pk).status == ChargeStatus.DISPUTED
    assert not ChargeDecision.objects.filter(action__in=["charge", "waive"]).exists()
