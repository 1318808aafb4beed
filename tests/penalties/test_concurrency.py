"""R-N1: two runs proposing the same penalty at once (each with its own connection) → one proposal."""
import threading

import pytest
from django.db import connection

from penalties import services
from penalties.models import Penalty, PenaltyDecision


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_r_n1_concurrent_proposals_from_one_source_create_one(technician, source, day):
    barrier = threading.Barrier(2)
    ids, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            ids.append(services.propose(person=technician, rule="P7", source=source, reason="超时", on=day).pk)
        except Exception as exc:  # surfaced in the assertion message
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors and len(ids) == 2 and ids[0] == ids[1], (ids, errors)
    assert Penalty.objects.count() == 1 and PenaltyDecision.objects.count() == 1
