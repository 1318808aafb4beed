"""R-B2 free-visit ordinals under concurrent close-outs (PostgreSQL: real row locks)."""
import threading

import pytest
from django.db import connection

from billing.models import SoftwareVisitSlot
from billing.services import record_visit_charges
from servicedesk.choices import Role
from tests.factories import staff_with

from .factories import DAY, WorkOrderFactory, line, retail


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_r_b2_concurrent_software_visits_get_distinct_ordinals():
    tech = staff_with(Role.TECHNICIAN)
    client = retail()
    orders = [WorkOrderFactory(client=client) for _ in range(6)]
    errors = []
    barrier = threading.Barrier(len(orders))

    def close(wo):
        try:
            barrier.wait(timeout=10)
            record_visit_charges(work_order=wo, lines=[line("software", item="os_install")], by=tech, on=DAY)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=close, args=(wo,)) for wo in orders]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    ordinals = sorted(SoftwareVisitSlot.objects.filter(client=client).values_list("ordinal", flat=True))
    assert ordinals == [1, 2, 3, 4, 5, 6]
    assert SoftwareVisitSlot.objects.filter(client=client, free=True).count() == 3
