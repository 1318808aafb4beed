"""R-S1..R-S4: confirmations, due dates, extensions, statements, payments."""
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from receivables import services
from receivables.choices import ConfirmationStatus, ExtensionStatus, PaymentTerms, StatementStatus
from receivables.models import DueDateChange, PaymentAllocation, SalesConfirmation
from servicedesk.errors import CalendarMissingError, ConflictError, DomainError
from servicedesk.models import Notification
from servicedesk.texts import render

from .factories import at, confirmation, key_account, retail_client

pytestmark = pytest.mark.django_db


def test_r_s1_number_is_human_readable_and_unique(technician):
    a = confirmation(technician=technician, sold_on=date(2026, 11, 2))
    b = confirmation(technician=technician, sold_on=date(2026, 11, 3))
    assert a.number == "XS-2026-11-0001" and b.number == "XS-2026-11-0002"
    assert a.amount == Decimal("300.00") and a.lines.count() == 1


def test_r_s1_lines_sum_and_round_once(technician):
    conf = services.create_confirmation(
        client=retail_client(), technician=technician, sold_on=date(2026, 11, 2), now=at(2026, 11, 2), by=technician,
        lines=[{"description": "网线", "quantity": "2.5", "unit_price": "1.13"}, {"description": "上门", "quantity": "1", "unit_price": "50"}],
    )
    assert [line.amount for line in conf.lines.all()] == [Decimal("2.83"), Decimal("50.00")]  # 2.825 → 2.83 once
    assert conf.amount == Decimal("52.83")


@pytest.mark.parametrize("price", ["1.115", "-0", "1E+2", "1e10", "١٢", "12,000.00", "NaN", "1000000000000"])
def test_money_input_is_plain_decimal_with_two_places_within_the_column(technician, price):
    with pytest.raises(DomainError) as exc:
        services.create_confirmation(
            client=retail_client(), technician=technician, sold_on=date(2026, 11, 2), now=at(2026, 11, 2), by=technician,
            lines=[{"description": "网线", "quantity": "1", "unit_price": price}],
        )
    assert exc.value.field == "lines" and "第 1 行" in str(exc.value.message)
    assert not SalesConfirmation.objects.exists()


def test_a_total_of_10_to_the_12_is_a_clean_error_not_an_overflow(technician, api):
    lines = [{"description": "服务器", "quantity": "2", "unit_price": "600000000000.00"}]
    with pytest.raises(DomainError) as exc:
        services.create_confirmation(client=retail_client(), technician=technician, sold_on=date(2026, 11, 2),
                                     now=at(2026, 11, 2), by=technician, lines=lines)
    assert exc.value.field == "lines" and "1 万亿" in str(exc.value.message)
    client = retail_client()
    res = api(technician).post("/api/receivables/confirmations/", {"client": client.pk, "sold_on": "2026-11-02", "lines": lines}, format="json")
    assert res.status_code == 400 and "lines" in res.json()
    assert not SalesConfirmation.objects.exists()


def test_r_s1_signature_flow_and_register(technician, coordinator):
    conf = confirmation(technician=technician)
    conf = services.sign_by_technician(confirmation=conf, by=technician, now=at(2026, 11, 2, 10))
    with pytest.raises(ConflictError):
        services.sign_by_technician(confirmation=conf, by=technician, now=at(2026, 11, 2, 10))
    conf = services.sign_by_client(confirmation=conf, signatory="王经理", by=technician, now=at(2026, 11, 2, 11))
    assert conf.status == ConfirmationStatus.CLIENT_SIGNED
    conf = services.register_delivery_copy(number=f" {conf.number.lower()} ", by=coordinator, now=at(2026, 11, 3))
    assert conf.status == ConfirmationStatus.REGISTERED and conf.registered_by == coordinator


def test_r_s1_register_unknown_or_twice_refused(technician, coordinator):
    conf = confirmation(technician=technician, register_by=coordinator)
    with pytest.raises(DomainError) as unknown:
        services.register_delivery_copy(number="XS-2026-11-9999", by=coordinator, now=at(2026, 11, 3))
    assert unknown.value.field == "number" and "XS-2026-11-9999" in str(unknown.value.message)
    with pytest.raises(ConflictError) as twice:
        services.register_delivery_copy(number=conf.number, by=coordinator, now=at(2026, 11, 4))
    assert twice.value.field == "number" and "重复登记" in str(twice.value.message)


def test_r_s3_seven_working_days_over_national_day(technician):
    conf = confirmation(technician=technician, sold_on=date(2026, 9, 30))
    assert conf.payment_terms == PaymentTerms.WORKING_DAYS
    assert conf.due_date == date(2026, 10, 15) == conf.original_due_date
    assert conf.due_rule["rule"] == "R-S3" and conf.due_rule["params"][0]["name"] == "receivables.retail_due_working_days"


def test_r_s3_on_the_spot_is_due_the_same_day(technician):
    conf = confirmation(technician=technician, sold_on=date(2026, 11, 6), payment_terms=PaymentTerms.ON_THE_SPOT)
    assert conf.due_date == date(2026, 11, 6)


def test_r_s3_a_sale_in_a_year_the_calendar_cannot_hold_is_an_error_naming_the_field(technician):
    with pytest.raises(CalendarMissingError) as exc:
        confirmation(technician=technician, sold_on=date(2003, 12, 1))
    assert exc.value.field == "sold_on" and exc.value.year == 2003
    assert not SalesConfirmation.objects.exists()


def test_r_s2_key_account_due_with_the_monthly_statement(technician):
    conf = confirmation(technician=technician, client=key_account(), sold_on=date(2026, 10, 12))
    assert conf.payment_terms == PaymentTerms.MONTHLY_STATEMENT and conf.due_date == date(2026, 11, 30)
    with pytest.raises(DomainError) as exc:
        confirmation(technician=technician, client=key_account(), payment_terms=PaymentTerms.ON_THE_SPOT)
    assert exc.value.field == "payment_terms"


def test_r_s4_extension_approved_by_manager_then_gm_moves_due_date_and_keeps_history(technician, manager, gm_office):
    conf = confirmation(technician=technician, sold_on=date(2026, 9, 30))
    ext = services.request_extension(
        confirmation=conf, requested_due_date=date(2026, 11, 15), reason="客户财务月底才付款,有书面申请", by=technician, now=at(2026, 10, 14)
    )
    with pytest.raises(PermissionDenied):  # the GM office cannot approve before the manager
        services.approve_extension(extension=ext, by=gm_office, now=at(2026, 10, 14))
    ext = services.approve_extension(extension=ext, by=manager, now=at(2026, 10, 14, 11))
    assert ext.status == ExtensionStatus.PENDING_GM
    conf.refresh_from_db()
    assert conf.due_date == date(2026, 10, 15)  # not moved until the GM office approves
    ext = services.approve_extension(extension=ext, by=gm_office, now=at(2026, 10, 15))
    assert ext.status == ExtensionStatus.APPROVED
    conf.refresh_from_db()
    assert conf.due_date == date(2026, 11, 15) and conf.original_due_date == date(2026, 10, 15)
    change = DueDateChange.objects.get(confirmation=conf)
    assert (change.from_date, change.to_date, change.extension, change.by) == (date(2026, 10, 15), date(2026, 11, 15), ext, gm_office)
    with pytest.raises(ConflictError):
        services.approve_extension(extension=ext, by=gm_office, now=at(2026, 10, 15))


def test_r_s4_the_managers_alert_reads_in_each_readers_language(technician, manager):
    """Rule 7: the alert is stored as a message; the manager reads it in the language of the page, not the writer's."""
    conf = confirmation(technician=technician, sold_on=date(2026, 9, 30))
    with translation.override("zh-hans"):
        services.request_extension(confirmation=conf, requested_due_date=date(2026, 11, 15), reason="客户书面申请",
                                   by=technician, now=at(2026, 10, 14))
    alert = Notification.objects.get(recipient=manager)
    assert render(alert.message, language="en") == (
        f"Extension request awaiting department manager approval: {conf.number} requested until 2026-11-15")
    assert render(alert.message, language="zh-hans") == f"延期申请待部门经理审批:{conf.number} 申请延至 2026-11-15"


def test_partial_payments_sum_to_the_cent(technician, finance):
    conf = confirmation(technician=technician, amount="300.00")
    for amount in ("100.10", "99.95", "0.01"):
        services.record_payment(confirmation=conf, amount=amount, received_on=date(2026, 11, 5), by=finance, now=at(2026, 11, 5))
    conf.refresh_from_db()
    assert conf.received_amount == Decimal("200.06")
    assert conf.outstanding == Decimal("99.94") == conf.amount - sum(a.amount for a in PaymentAllocation.objects.filter(confirmation=conf))


def test_overpayment_refused_naming_amount(technician, finance):
    conf = confirmation(technician=technician, amount="300.00")
    services.record_payment(confirmation=conf, amount="250", received_on=date(2026, 11, 5), by=finance, now=at(2026, 11, 5))
    with pytest.raises(DomainError) as exc:
        services.record_payment(confirmation=conf, amount="50.01", received_on=date(2026, 11, 6), by=finance, now=at(2026, 11, 6))
    assert exc.value.field == "amount" and "50.00" in str(exc.value.message)
    conf.refresh_from_db()
    assert conf.received_amount == Decimal("250.00") and conf.payments.count() == 1


def _statement_for(technician, coordinator, client):
    confirmation(technician=technician, client=client, sold_on=date(2026, 10, 9), amount="100.00", register_by=coordinator)
    confirmation(technician=technician, client=client, sold_on=date(2026, 10, 20), amount="250.50", register_by=coordinator)
    confirmation(technician=technician, client=client, sold_on=date(2026, 10, 21), amount="80.00")  # not registered: not billed
    return services.compile_month(month=date(2026, 10, 1), now=at(2026, 10, 31, 18))


def test_r_s2_statement_compiled_once_per_client_month_and_idempotent(technician, coordinator):
    client = key_account()
    first = _statement_for(technician, coordinator, client)
    again = services.compile_month(month=date(2026, 10, 1), now=at(2026, 10, 31, 19))
    assert first["compiled"] == again["compiled"] and len(first["compiled"]) == 1
    stmt = client.statements.get()
    assert stmt.amount == Decimal("350.50") and stmt.confirmations.count() == 2 and stmt.due_date == date(2026, 11, 30)


def test_r_s2_recompiling_a_checked_statement_refused(technician, coordinator, manager, finance):
    client = key_account()
    _statement_for(technician, coordinator, client)
    stmt = client.statements.get()
    stmt = services.review_statement(statement=stmt, by=manager, now=at(2026, 11, 2))
    stmt = services.check_statement(statement=stmt, by=finance, now=at(2026, 11, 3))
    with pytest.raises(ConflictError) as exc:
        services.compile_statement(client=client, month=date(2026, 10, 1), now=at(2026, 11, 4))
    assert exc.value.field == "month"
    assert services.compile_month(month=date(2026, 10, 1), now=at(2026, 11, 4))["refused"] == [client.pk]
    stmt.refresh_from_db()
    assert stmt.status == StatementStatus.CHECKED


def test_r_s2_statement_flow_and_partial_then_full_payment(technician, coordinator, manager, finance):
    client = key_account()
    _statement_for(technician, coordinator, client)
    stmt = client.statements.get()
    with pytest.raises(ConflictError):
        services.check_statement(statement=stmt, by=finance, now=at(2026, 11, 2))  # manager reviews first
    stmt = services.review_statement(statement=stmt, by=manager, now=at(2026, 11, 2))
    stmt = services.check_statement(statement=stmt, by=finance, now=at(2026, 11, 3))
    stmt = services.send_statement(statement=stmt, by=finance, now=at(2026, 11, 3))
    services.record_payment(statement=stmt, amount="150.00", received_on=date(2026, 11, 10), by=finance, now=at(2026, 11, 10))
    stmt.refresh_from_db()
    assert stmt.status == StatementStatus.PARTIALLY_PAID and stmt.outstanding == Decimal("200.50")
    amounts = sorted((c.number, c.received_amount) for c in stmt.confirmations.all())
    assert [a for _, a in amounts] == [Decimal("100.00"), Decimal("50.00")]  # oldest first
    with pytest.raises(DomainError):
        services.record_payment(statement=stmt, amount="200.51", received_on=date(2026, 11, 20), by=finance, now=at(2026, 11, 20))
    services.record_payment(statement=stmt, amount="200.50", received_on=date(2026, 11, 20), by=finance, now=at(2026, 11, 20))
    stmt.refresh_from_db()
    assert stmt.status == StatementStatus.PAID and stmt.outstanding == Decimal("0.00")
