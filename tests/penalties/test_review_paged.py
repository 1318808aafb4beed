"""Bounded screens (docs/developers.md rule 8): the review queue and a person's history show one page at a time."""
import re
from datetime import date, timedelta

import pytest

from servicedesk.paging import PER_PAGE

from .factories import pending

pytestmark = pytest.mark.django_db


def test_review_queue_shows_page_one_of_two_and_the_next_link_works(client, manager, technician):
    start = date(2026, 10, 1)
    made = [pending(technician, "P7", on=start + timedelta(days=i)) for i in range(30)]
    client.force_login(manager.user)
    first = client.get("/penalties/", {"status": "pending"}).content.decode()
    assert first.count('name="selected"') == PER_PAGE == 25
    assert "第 1 / 2 页,共 30 条" in first
    box = 'name="selected" value="{}"'.format
    assert box(made[0].pk) in first and box(made[24].pk) in first and box(made[25].pk) not in first  # oldest first
    nxt = re.search(r'rel="next" href="\?([^"]+)">下一页</a>', first)
    assert nxt is not None
    second = client.get("/penalties/?" + nxt.group(1).replace("&amp;", "&")).content.decode()
    assert second.count('name="selected"') == 5 and "第 2 / 2 页,共 30 条" in second
    assert box(made[29].pk) in second and box(made[0].pk) not in second


def test_my_penalties_history_is_paged(client, technician):
    for i in range(26):
        pending(technician, "P7", on=date(2026, 10, 1) + timedelta(days=i))
    client.force_login(technician.user)
    html = client.get("/penalties/mine/").content.decode()
    assert "第 1 / 2 页,共 26 条" in html and 'rel="next" href="?page=2"' in html
    assert "第 2 / 2 页,共 26 条" in client.get("/penalties/mine/?page=2").content.decode()
