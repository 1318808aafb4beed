"""Bounded screens (docs/developers.md rule 8): the callback queue is one page of the most urgent rows plus
counts, whatever the backlog."""
from datetime import timedelta

import pytest

from callbacks.choices import CallbackStatus
from callbacks.models import Callback
from servicedesk.paging import PER_PAGE
from tests.factories import ClientFactory, SiteFactory, StaffFactory, WorkOrderFactory

pytestmark = pytest.mark.django_db


def _callbacks(n, technician, *, status, due):
    client = ClientFactory()
    site = SiteFactory(client=client)
    rows = []
    for i in range(n):
        wo = WorkOrderFactory(client=client, site=site)
        rows.append(Callback(
            work_order=wo, client=client, technician=technician, completed_at=due - timedelta(hours=48),
            window_opens_at=due - timedelta(hours=24), due_at=due + timedelta(minutes=i), window_rule="first_service", status=status,
        ))
    Callback.objects.bulk_create(rows)


def test_queue_pages_overdue_first_with_counts(client, django_assert_max_num_queries, fixed_now):
    manager = StaffFactory(roles=["manager"])
    tech = StaffFactory(roles=["technician"])
    now = fixed_now  # due and overdue around the test clock, which the queue reads
    _callbacks(60, tech, status=CallbackStatus.DUE, due=now + timedelta(hours=5))
    _callbacks(3, tech, status=CallbackStatus.OVERDUE, due=now - timedelta(hours=5))
    client.force_login(manager.user)
    with django_assert_max_num_queries(20):
        page1 = client.get("/callbacks/")
    body = page1.content.decode()
    assert page1.status_code == 200
    assert body.count("开始回访") == PER_PAGE      # one page, not 63 cards
    assert body.index("已逾期</span>") < body.index("待回访</span>")  # overdue first
    assert "已逾期 3 · 待回访 60" in body and "共 63 条" in body
    page2 = client.get("/callbacks/?page=2").content.decode()
    assert page2.count("开始回访") == min(PER_PAGE, 63 - PER_PAGE)
