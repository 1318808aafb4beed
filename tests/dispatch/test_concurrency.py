"""No double dispatch: two coordinators at once, each with their own connection → exactly one wins."""
import threading

import pytest
from django.db import connection

from dispatch import services
from dispatch.models import Assignment
from servicedesk.choices import Role
from servicedesk.errors import ConflictError

from ..factories import staff_with


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_double_dispatch_exactly_one_wins(order, coordinator, technician, other_technician, t0):
    second = staff_with(Role.COORDINATOR, name="陈协调")
    barrier = threading.Barrier(2)
    outcomes = {}

    def run(name, by, tech):
        try:
            barrier.wait(timeout=10)
            services.dispatch_work_order(work_order=order, technician=tech, by=by, now=t0, version=0)
            outcomes[name] = "won"
        except ConflictError as exc:
            outcomes[name] = str(exc.message)
        except Exception as exc:  # surfaced in the assertion message
            outcomes[name] = f"unexpected: {exc!r}"
        finally:
            connection.close()  # each thread had its own connection

    threads = [
        threading.Thread(target=run, args=("a", coordinator, technician)),
        threading.Thread(target=run, args=("b", second, other_technician)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(v == "won" for v in outcomes.values()) == [False, True], outcomes
    loser = next(v for v in outcomes.values() if v != "won")
    winner_name = coordinator.name if outcomes["a"] == "won" else second.name
    assert winner_name in loser
    assert Assignment.objects.filter(work_order=order).count() == 1
    order.refresh_from_db()
    assert order.version == 1
