"""R-S5..R-S7: weekly reconciliation, Monday overdue review, follow-up owner, P11 once per item; ageing in the DB."""
import importlib
import sys
import types
from datetime import date
from decimal import Decimal

import pytest

from receivables import selectors, services, tasks
from receivables.choices import DifferenceKind, OverdueCause
from receivables.models import OverdueReviewItem, SalesConfirmation
from servicedesk.choices import Role
from servicedesk.errors import DomainError
from tests.factories import SiteFactory, staff_with

from .factories import at, confirmation, retail_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposals(monkeypatch):
    """Records penalties.services.propose calls; wraps the real service when the penalties app has it."""
    calls = []
    try:
        module = importlib.import_module("penalties.services")
        real = getattr(module, "propose", None)
    except ModuleNotFoundError:
        module, real = None, None
    if real is None:
        fake = types.ModuleType("penalties.services")
        monkeypatch.setitem(sys.modules, "penalties.services", fake)
        module = fake

    def spy(**kwargs):
        calls.append(kwargs)
        return real(**kwargs) if real else None

    monkeypatch.setattr(module, "propose", spy, raising=False)
    return calls


def test_r_s6_weekly_reconciliation_finds_confirmation_missing_from_register(technician, coordinator):
    registered = confirmation(technician=technician, sold_on=date(2026, 11, 2), register_by=coordinator)
    missing = confirmation(technician=technician, sold_on=date(2026, 11, 3))  # delivery copy never came back
    rec = services.prepare_reconciliation(technician=technician, week_of=date(2026, 11, 6), now=at(2026, 11, 6, 8))
    diffs = {(d.confirmation_id, d.kind) for d in rec.differences.all()}
    assert diffs == {(missing.pk, DifferenceKind.NOT_REGISTERED)}
    assert (rec.ledger_count, rec.register_count) == (2, 1)
    assert registered.pk not in {d.confirmation_id for d in rec.differences.all()}
    # once registered the difference disappears on the next run (idempotent, same row)
    services.register_delivery_copy(number=missing.number, by=coordinator, now=at(2026, 11, 6, 9))
    again = services.prepare_reconciliation(technician=technician, week_of=date(2026, 11, 6), now=at(2026, 11, 6, 10))
    assert again.pk == rec.pk and not again.differences.exists()


def test_r_s6_reconciliation_finds_registered_sale_missing_from_technician_ledger(technician, coordinator):
    conf = services.create_confirmation(
        client=retail_client(), technician=technician, sold_on=date(2026, 11, 2), now=at(2026, 11, 2),
        by=coordinator, lines=[{"description": "墨盒", "quantity": 2, "unit_price": "45.00"}],
    )
    services.register_delivery_copy(number=conf.number, by=coordinator, now=at(2026, 11, 3))
    result = tasks.weekly_reconciliation_task(on="2026-11-07")
    assert result["technicians"] == 1
    rec = technician.sales_reconciliations.get()
    assert [(d.confirmation_id, d.kind) for d in rec.differences.all()] == [(conf.pk, DifferenceKind.NOT_IN_LEDGER)]


def test_r_s7_follow_up_owner_resident_technician_else_salesperson(technician, coordinator, salesperson):
    resident_site = SiteFactory(resident=True)
    resident = staff_with(Role.TECHNICIAN, name="驻点陈", resident_site=resident_site)
    client = retail_client(salesperson=salesperson)
    a = confirmation(technician=technician, client=resident_site.client, site=resident_site, sold_on=date(2026, 10, 9), register_by=coordinator)
    b = confirmation(technician=technician, client=client, sold_on=date(2026, 10, 9), register_by=coordinator)
    review = services.prepare_overdue_review(on=date(2026, 11, 9), now=at(2026, 11, 9, 8))
    owners = {i.confirmation_id: i.follow_up_owner for i in review.items.all()}
    assert owners == {a.pk: resident, b.pk: salesperson}
    assert review.items.get(confirmation=b).days_overdue == (date(2026, 11, 9) - b.due_date).days


def test_r_s5_unregistered_overdue_sale_proposes_p11_once_without_excuse(technician, manager, proposals):
    conf = confirmation(technician=technician, sold_on=date(2026, 10, 9))  # never registered
    services.prepare_overdue_review(on=date(2026, 11, 2), now=at(2026, 11, 2, 8))
    services.prepare_overdue_review(on=date(2026, 11, 2), now=at(2026, 11, 2, 9))
    services.prepare_overdue_review(on=date(2026, 11, 9), now=at(2026, 11, 9, 8))  # next Monday: still overdue
    assert len(proposals) == 1
    call = proposals[0]
    assert call["person"] == technician and call["rule"] == "P11" and call["source"].pk == conf.pk
    assert call["suggested_points"] == 2 and call["on"] == date(2026, 11, 2) and "R-S5" in call["reason"]
    item = OverdueReviewItem.objects.get(review__week_of=date(2026, 11, 2))
    assert item.penalty_proposed and item.cause == OverdueCause.TECHNICIAN and not item.registered
    with pytest.raises(DomainError) as exc:  # no excuse accepted
        services.note_overdue_item(item=item, cause=OverdueCause.CLIENT, note="客户拖延", by=manager, now=at(2026, 11, 2, 10))
    assert exc.value.field == "cause"


def test_r_s5_technician_caused_overdue_noted_by_manager_proposes_once(technician, coordinator, manager, proposals):
    confirmation(technician=technician, sold_on=date(2026, 10, 9), register_by=coordinator)
    review = services.prepare_overdue_review(on=date(2026, 11, 2), now=at(2026, 11, 2, 8))
    assert proposals == []  # registered: the manager decides the cause
    item = review.items.get()
    for _ in range(2):
        services.note_overdue_item(item=item, cause=OverdueCause.TECHNICIAN, note="技术员忘记催收", by=manager, now=at(2026, 11, 2, 10))
    services.prepare_overdue_review(on=date(2026, 11, 2), now=at(2026, 11, 2, 11))
    assert len(proposals) == 1
    item.refresh_from_db()
    assert item.penalty_proposed and item.note == "技术员忘记催收" and item.noted_by == manager


def test_r_s5_client_caused_overdue_proposes_nothing(technician, coordinator, manager, proposals):
    confirmation(technician=technician, sold_on=date(2026, 10, 9), register_by=coordinator)
    item = services.prepare_overdue_review(on=date(2026, 11, 2), now=at(2026, 11, 2, 8)).items.get()
    services.note_overdue_item(item=item, cause=OverdueCause.CLIENT, note="请业务员催客户补延期申请", by=manager, now=at(2026, 11, 2, 9))
    assert proposals == []


def test_overdue_review_task_runs_on_a_date(technician, proposals):
    confirmation(technician=technician, sold_on=date(2026, 10, 9))
    out = tasks.overdue_review_task(on="2026-11-02")
    assert out == {"week_of": "2026-11-02", "items": 1}


def test_r_s8_ageing_per_client_and_bucket_in_the_database(technician, coordinator, finance, django_assert_num_queries):
    a = retail_client(name="甲")
    b = retail_client(name="乙")
    confirmation(technician=technician, client=a, sold_on=date(2026, 12, 1), amount="10.00")  # due 12-10: not due yet
    confirmation(technician=technician, client=a, sold_on=date(2026, 10, 20), amount="20.00")  # due 10-29: 42 days
    confirmation(technician=technician, client=b, sold_on=date(2026, 11, 16), amount="30.00")  # due 11-25: 15 days
    old = confirmation(technician=technician, client=b, sold_on=date(2026, 6, 1), amount="40.00")  # >90
    paid = confirmation(technician=technician, client=b, sold_on=date(2026, 6, 1), amount="50.00")
    services.record_payment(confirmation=paid, amount="50.00", received_on=date(2026, 6, 2), by=finance, now=at(2026, 6, 2))
    with django_assert_num_queries(2):
        summary = selectors.ageing_summary(as_of=date(2026, 12, 10))
    rows = {r["client"]: r["buckets"] for r in summary["rows"]}
    assert rows["甲"]["not_due"] == Decimal("10.00") and rows["甲"]["31_60"] == Decimal("20.00")
    assert rows["乙"]["1_30"] == Decimal("30.00") and rows["乙"]["over_90"] == Decimal("40.00")
    assert summary["outstanding"] == Decimal("100.00") and summary["bucket_totals"]["over_90"] == Decimal("40.00")
    assert SalesConfirmation.objects.overdue(on=date(2026, 12, 10)).count() == 3
    assert old.pk in set(SalesConfirmation.objects.overdue(on=date(2026, 12, 10)).values_list("pk", flat=True))
