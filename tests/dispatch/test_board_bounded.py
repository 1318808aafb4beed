"""Bounded screens (docs/developers.md rule 8): the board is bounded (most urgent rows + counts), lists
technicians once, and its 5-second poll answers 204 when nothing it shows has changed."""
import pytest
from django.urls import reverse

from dispatch import services
from dispatch.selectors import BOARD_ROWS
from servicedesk.choices import Role

from ..factories import ClientFactory, SiteFactory, staff_with
from .test_pages import _bulk_orders

pytestmark = pytest.mark.django_db


def _poll(client, version=""):
    return client.get(reverse("dispatch:board_partial") + (f"?v={version}" if version else ""))


def _version(html: str) -> str:
    return html.split("?v=", 1)[1].split('"', 1)[0]


@pytest.mark.parametrize("n", [10, 2000])
def test_board_shows_the_most_urgent_rows_and_counts(client, coordinator, technician, n, django_assert_max_num_queries, fixed_now):
    c = ClientFactory()
    site = SiteFactory(client=c)
    _bulk_orders(n, client=c, site=site, now=fixed_now)
    for i in range(12):
        staff_with(Role.TECHNICIAN, name=f"技术员{i:02d}", area="南山区")
    client.force_login(coordinator.user)
    with django_assert_max_num_queries(22):
        html = client.get(reverse("dispatch:board")).content.decode()
    rows = min(n, BOARD_ROWS)
    assert html.count("WO-BULK-n") == rows
    assert f'<span class="badge">{n}</span>' in html
    # each row offers its 3 suggestions; the full list of 13 technicians is rendered once for the page
    assert html.count("<option") <= rows * 5 + 13 + 5
    assert len(html) < 120_000


def test_poll_answers_204_until_something_changes(client, coordinator, technician, fixed_now):
    c = ClientFactory()
    site = SiteFactory(client=c)
    _bulk_orders(3, client=c, site=site, now=fixed_now)
    client.force_login(coordinator.user)
    first = _poll(client)
    assert first.status_code == 200
    version = _version(first.content.decode())
    assert _poll(client, version).status_code == 204
    # a dispatch changes the board: the next poll redraws it with a new version
    from servicedesk.models import WorkOrder

    wo = WorkOrder.objects.filter(status="new").first()
    services.dispatch_work_order(work_order=wo, technician=technician, by=coordinator, now=fixed_now)
    again = _poll(client, version)
    assert again.status_code == 200 and _version(again.content.decode()) != version
    assert wo.number in again.content.decode()
