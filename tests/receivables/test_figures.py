"""The monthly report's sales and collections figures (R-T1): Decimal sums, fixed queries, corrections counted."""
from datetime import date
from decimal import Decimal

import pytest

from receivables import figures, services
from tests.factories import staff_with
from servicedesk.choices import Role

from .factories import at, confirmation

pytestmark = pytest.mark.django_db


def test_technician_month_sales_and_collections(technician, other_technician, finance, django_assert_max_num_queries):
    a = confirmation(technician=technician, sold_on=date(2026, 11, 2), amount="300.00")
    confirmation(technician=technician, sold_on=date(2026, 11, 20), amount="120.50")
    october = confirmation(technician=other_technician, sold_on=date(2026, 10, 20), amount="99.99")
    void = confirmation(technician=other_technician, sold_on=date(2026, 11, 3), amount="1000.00")
    services.void_confirmation(confirmation=void, reason="开错", by=finance, now=at(2026, 11, 4))
    services.record_payment(confirmation=a, amount="100.00", received_on=date(2026, 11, 10), by=finance, now=at(2026, 11, 10))
    services.record_payment(confirmation=october, amount="99.99", received_on=date(2026, 11, 5), by=finance, now=at(2026, 11, 5))
    services.record_payment(confirmation=a, amount="50.00", received_on=date(2026, 12, 1), by=finance, now=at(2026, 12, 1))
    with django_assert_max_num_queries(2):
        got = figures.technician_month_sales(date(2026, 11, 1))
    assert got == {
        technician.pk: {"sales": Decimal("420.50"), "collected": Decimal("100.00")},
        other_technician.pk: {"sales": Decimal("0.00"), "collected": Decimal("99.99")},
    }
    assert figures.month_collections(date(2026, 11, 15)) == Decimal("199.99")
    assert figures.month_collections(date(2026, 9, 1)) == Decimal("0.00")
    assert staff_with(Role.TECHNICIAN).pk not in got
