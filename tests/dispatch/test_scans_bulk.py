"""R-W7 and docs/developers.md rule 3: the every-minute deadline scan handles many due rows in a number of
queries that does not grow."""
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dispatch import services
from dispatch.models import Deadline
from servicedesk.choices import ServiceMode

pytestmark = pytest.mark.django_db


def test_breach_scan_queries_do_not_grow_with_due_rows(make_order, coordinator, technician, t0, penalties_ready):
    Penalty = penalties_ready
    from django.contrib.contenttypes.models import ContentType

    from django.apps import apps

    ContentType.objects.get_for_models(*apps.get_models())  # the content-type cache is warm in a running worker

    def scan_after(n, start):
        for _ in range(n):
            wo = make_order(service_mode=ServiceMode.MOBILE)
            services.dispatch_work_order(work_order=wo, technician=technician, by=coordinator, now=start, force=True)
        with CaptureQueriesContext(connection) as ctx:
            result = services.scan_deadlines(now=start + timedelta(minutes=20))
        return result["breached"], len(ctx.captured_queries)

    few, q_few = scan_after(2, t0)
    many, q_many = scan_after(12, t0 + timedelta(days=1))
    # every dispatch opens a set-off and a contact deadline (R-W4, R-W6): both past due 20 minutes later
    assert (few, many) == (4, 24)
    # (SQLite splits a bulk insert past 999 parameters; PostgreSQL never does — 24 rows fit either way)
    assert q_many == q_few, (q_few, q_many)
    assert Penalty.objects.filter(rule="P7", person=technician).count() == 28
    # the next tick finds nothing and proposes nothing twice
    assert services.scan_deadlines(now=t0 + timedelta(days=1, minutes=21))["breached"] == 0
    assert Penalty.objects.filter(rule="P7").count() == 28
    assert Deadline.objects.filter(breached_at__isnull=False).count() == 28
