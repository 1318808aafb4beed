"""Two senders at once (two workers, or the beat's tick while the on-commit task runs), each with its own
connection, on PostgreSQL: SKIP LOCKED shares the rows, the state is checked under the lock, so every message
reaches the provider exactly once."""
import threading
import time

import pytest
from django.db import connection

from messaging import services
from messaging.models import OutboxMessage


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_send_each_message_once(provider, fixed_now, monkeypatch):
    monkeypatch.setattr(services, "_kick", lambda: None)  # no on-commit send: both senders find all rows due
    for i in range(12):
        services.enqueue(channel=("wecom", "dingtalk", "sms")[i % 3], address=f"138000000{i:02d}", template_key="done",
                         idempotency_key=f"c{i}", params={"number": f"WO-{i}", "technician": "王技术"}, now=fixed_now)
    slow = provider.wecom

    def slow_wecom(query, body):  # a slow provider keeps each row locked a while
        time.sleep(0.05)
        return slow(query, body)

    provider.wecom = slow_wecom
    barrier = threading.Barrier(2)
    results = []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(services.send_due(now=fixed_now))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sum(r["sent"] for r in results) == 12, results
    assert len(provider.received) == 12
    numbers = sorted(p.get("text", {}).get("content", "") or p.get("TemplateParam", "") for _k, p in provider.received)
    assert len(set(numbers)) == 12, "no message reached the provider twice"
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {"sent"}
