"""R-S5..R-S7: weekly reconciliation, Monday overdue review, follow-up owner, P11 once per item; ageing in the DB."""
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

import penalties.services as penalty_services
from penalties.models import Penalty
from receivables import selectors, services, tasks
from receivables.choices import DifferenceKind, OverdueCause
from receivables.models import OverdueReviewItem, SalesConfirmation
from servicedesk.choices import Role
from servicedesk.errors import DomainError
from servicedesk.texts import render
from tests.factories import SiteFactory, staff_with

from .factories import at, confirmation, retail_client


pytestmark = pytest.mark.django_db


@pytest.fixture
def proposals(monkeypatch):
    """Records every call of the real penalties.services.propose (which still runs: the Penalty rows exist)."""
    calls = []
    real = penalty_services.propose

    def spy(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(penalty_services, "propose", spy)
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


def test_r_s5_unregistered_overdue_sale_proposes_p11_once_without_excuse(technician, manager):
    conf = confirmation(technician=technician, sold_on=date(2026, 10, 9))  # never registered
    services.prepare_overdue_review(on=date(2026, 11, 2), now=at(2026, 11, 2, 8))
    services.prepare_overdue_review(on=date(2026, 11, 2), now=at(2026, 11, 2, 9))
    services.prepare_overdue_review(on=date(2026, 11, 9), now=at(2026, 11, 9, 8))  # next Monday: still overdue
    penalty = Penalty.objects.get()  # exactly one real proposal (bulk path), pending the manager's decision
    assert penalty.person == technician and penalty.rule == "P11" and penalty.source == conf
    assert penalty.suggested_points == 2 and penalty.occurred_on == date(2026, 11, 2) and "R-S5" in render(penalty.reason)
    assert penalty.status == "pending" and [d.action for d in penalty.decisions.all()] == ["propose"]
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


def _param(name, value, kind="table"):
    from servicedesk.models import RuleParameter

    RuleParameter.objects.create(name=name, effective_from=date(2026, 1, 1), kind=kind, value=value, description="test")


def test_r_s5_penalty_rule_parameter_sets_the_suggested_points(technician):
    _param("receivables.overdue_penalty_rule", {"rule": "P9", "points": 5})  # a manager's choice of clause
    confirmation(technician=technician, sold_on=date(2026, 10, 9))
    services.prepare_overdue_review(on=date(2026, 11, 2), now=at(2026, 11, 2, 8))
    penalty = Penalty.objects.get()
    assert (penalty.rule, penalty.suggested_points) == ("P9", 5)


def test_r_s8_ageing_bucket_parameter_moves_the_bounds(technician):
    _param("receivables.ageing_buckets", [15, 45])
    confirmation(technician=technician, sold_on=date(2026, 10, 20), amount="20.00")  # due 10-29: 42 days on 12-10
    summary = selectors.ageing_summary(as_of=date(2026, 12, 10))
    assert [b.key for b in summary["buckets"]] == ["not_due", "1_15", "16_45", "over_45"]
    assert summary["bucket_totals"]["16_45"] == Decimal("20.00")


def test_r_s2_key_account_due_months_parameter(technician):
    from .factories import key_account

    _param("receivables.key_account_due_months", 2, kind="integer")
    conf = confirmation(technician=technician, client=key_account(), sold_on=date(2026, 10, 12))
    assert conf.due_date == date(2026, 12, 31)


def test_overdue_review_reflects_the_ledger_as_it_is_now(technician, coordinator, finance, manager):
    paid_later = confirmation(technician=technician, sold_on=date(2026, 10, 9), register_by=coordinator)
    noted = confirmation(technician=technician, sold_on=date(2026, 10, 9), register_by=coordinator)
    review = services.prepare_overdue_review(on=date(2026, 11, 2), now=at(2026, 11, 2, 8))
    assert review.items.count() == 2
    item = review.items.get(confirmation=noted)
    services.note_overdue_item(item=item, cause=OverdueCause.CLIENT, note="客户月底付", by=manager, now=at(2026, 11, 2, 9))
    services.record_payment(confirmation=paid_later, amount="300.00", received_on=date(2026, 11, 3), by=finance, now=at(2026, 11, 3))
    services.record_payment(confirmation=noted, amount="300.00", received_on=date(2026, 11, 3), by=finance, now=at(2026, 11, 3))
    late = confirmation(technician=technician, sold_on=date(2026, 10, 20), register_by=coordinator)  # overdue since 10-29
    review = services.prepare_overdue_review(on=date(2026, 11, 2), now=at(2026, 11, 4, 7))
    items = {i.confirmation_id: i for i in review.items.all()}
    assert set(items) == {noted.pk, late.pk}  # the paid, un-noted item dropped off; the new one appeared
    assert items[noted.pk].days_overdue == 0 and items[noted.pk].note == "客户月底付"  # the manager's note is kept


def test_overdue_scan_uses_the_open_flag_not_a_column_comparison():
    sql = str(SalesConfirmation.objects.overdue(on=date(2026, 11, 2)).query)
    assert '"is_open"' in sql and '"received_amount" <' not in sql


def test_r_s5_reason_written_in_chinese_reads_in_english_and_back(technician):
    """Rule 7: the reason is stored as a message, so its reader's language decides, not the writer's."""
    conf = confirmation(technician=technician, sold_on=date(2026, 10, 9))  # never registered
    with translation.override("zh-hans"):
        services.prepare_overdue_review(on=date(2026, 11, 2), now=at(2026, 11, 2, 8))
    reason = Penalty.objects.get().reason
    days = (date(2026, 11, 2) - conf.due_date).days
    assert render(reason, language="en") == (
        f"Sales confirmation {conf.number} is not in the ledger and is {days} days overdue (R-S5, no explanation accepted)")
    assert render(reason, language="zh-hans") == f"销售确认书 {conf.number} 未登记台账且已逾期 {days} 天(R-S5,不接受解释)"
