"""R-R6 on PostgreSQL: two beat runs at once still create one inspection work order per slot."""
import threading
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from dispatch.contracts import services
from dispatch.contracts.models import Inspection
from servicedesk.models import WorkOrder

from ..factories import SiteFactory

TZ = ZoneInfo("Asia/Shanghai")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_inspection_runs_create_each_slot_once(manager):
    site = SiteFactory()
    for n in range(3):
        services.create_contract(by=manager, now=datetime(2026, 1, 1, tzinfo=TZ), number=f"WB-{n}", client=site.client, site=site,
                                 starts_on=date(2026, 1, 10), ends_on=date(2026, 12, 31), frequency="1")
    now = datetime(2026, 1, 5, 6, tzinfo=TZ)
    barrier = threading.Barrier(3)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(services.generate_inspections(now=now))
        except Exception as exc:  # surfaced in the assertion below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert sum(results) == 3
    assert Inspection.objects.count() == 3 and WorkOrder.objects.count() == 3
