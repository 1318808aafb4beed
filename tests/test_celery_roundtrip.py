"""A real Celery worker consumes a task from the real Redis broker and its effect is seen in the database.

Runs under CI (REDIS_URL set, PostgreSQL); skipped with a reason on a laptop without Redis.
"""
import os
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from servicedesk.models import CalendarDay, CalendarYear


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_worker_consumes_calendar_sync_from_redis_and_writes_rows():
    broker = os.environ.get("REDIS_URL") or settings.REDIS_URL
    queue = f"roundtrip-{uuid.uuid4().hex[:8]}"  # never steal work from another worker on the same Redis
    from servicedesk.celery import app

    saved = {k: app.conf[k] for k in ("broker_url", "task_always_eager", "task_default_queue")}
    app.conf.update(broker_url=broker, task_always_eager=False, task_default_queue=queue, worker_hijack_root_logger=False)
    try:
        _roundtrip(app, queue)
    finally:
        app.conf.update(saved)
        app.pool.force_close_all()


def _roundtrip(app, queue):
    # given: the 2025 calendar is missing (an administrator deleted it)
    CalendarDay.objects.filter(date__year=2025).delete()
    CalendarYear.objects.filter(year=2025).delete()
    with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, queues=[queue], shutdown_timeout=10):
        # when: the beat job's task is sent through Redis
        result = app.send_task("servicedesk.tasks.sync_calendar_task", queue=queue)
        # then: the worker loaded it and the rows are in the database
        assert result.id
        import time

        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not CalendarYear.objects.filter(year=2025).exists():
            time.sleep(0.2)
    assert CalendarYear.objects.filter(year=2025, source="package").exists()
    assert CalendarDay.objects.filter(date__year=2025).count() == 365
