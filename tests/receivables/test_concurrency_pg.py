"""Concurrent payments against one confirmation never overpay (row lock + check constraint), on PostgreSQL."""
import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from receivables import services
from receivables.models import Payment, SalesConfirmation
from servicedesk.errors import DomainError

from .factories import at, confirmation

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_twenty_concurrent_payments_never_overpay(technician, finance):
    conf = confirmation(technician=technician, amount="300.00")  # 20 × 40.00 = 800 offered, 300 owed
    barrier = threading.Barrier(20)
    outcomes = []

    def pay(i):
        try:
            barrier.wait()
            services.record_payment(confirmation=conf, amount="40.00", received_on=date(2026, 11, 5), reference=f"PG-{i}",
                                    by=finance, now=at(2026, 11, 5))
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(exc.field)
        finally:
            connection.close()

    threads = [threading.Thread(target=pay, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    conf.refresh_from_db()
    assert outcomes.count("ok") == 7 and outcomes.count("amount") == 13  # 7 × 40 = 280; the 8th would be 320
    assert conf.received_amount == Decimal("280.00") == sum(p.amount for p in Payment.objects.all())
    assert conf.is_open and SalesConfirmation.objects.get().outstanding == Decimal("20.00")


def test_the_same_reference_posted_twice_at_once_is_kept_once(technician, finance):
    a = confirmation(technician=technician)
    b = confirmation(technician=technician)
    barrier = threading.Barrier(2)
    outcomes = []

    def pay(conf):
        try:
            barrier.wait()
            services.record_payment(confirmation=conf, amount="10.00", received_on=date(2026, 11, 5), reference="SAME",
                                    by=finance, now=at(2026, 11, 5))
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(exc.field)
        finally:
            connection.close()

    threads = [threading.Thread(target=pay, args=(c,)) for c in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "reference"] and Payment.objects.filter(reference="SAME").count() == 1
