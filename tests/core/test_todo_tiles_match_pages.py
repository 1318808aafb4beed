"""A home to-do tile says how many things wait; the page it opens lists exactly those things (one selector counts
both). Checked on the seeded demo department: for each tile below, the number on the tile equals the rows in the
page's list (or the list's total where it pages)."""
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.test import Client as Browser

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 16, 30, tzinfo=SH)

# tile key → the list on its page that shows the tile's rows (data-list="…")
TILES = {
    "sales": {"sales_disputes": "disputes", "awaiting_plans": "plans"},
    "coord1": {"overdue_callbacks": "callbacks", "due_callbacks": "callbacks"},
    "technician": {"callbacks_about_me": "callbacks"},
    "manager": {"pending_penalties": "penalties", "statements_to_review": "statements", "open_complaints": "complaints",
                "complaints_reply_overdue": "complaints"},
    "finance": {"statements_to_check": "statements"},
}
TILE = re.compile(r'<a class="todo[^"]*" href="([^"]+)" data-todo="([^"]+)">.*?<span class="n">([^<]*)</span>', re.S)
TOTAL = re.compile(r"共 (\d+) 条")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    from demo.department import build

    with django_db_blocker.unblock(), time_machine.travel(NOW, tick=False):
        with transaction.atomic():
            build(now=NOW)
            yield _technician_with_callbacks()
            transaction.set_rollback(True)


def _technician_with_callbacks() -> str:
    """The demo technician with the most callbacks answered about them in the last 7 days (a tile that is not 0)."""
    from django.db.models import Count

    from callbacks import selectors
    from servicedesk.models import Staff

    techs = Staff.objects.filter(user__groups__name="technician", resident_site__isnull=True).annotate(n=Count("pk"))
    best = max(techs, key=lambda s: selectors.about_me(technician=s, now=NOW).count())
    return best.user.username


def tiles_of(html: str) -> dict[str, tuple[str, int]]:
    return {key: (url.replace("&amp;", "&"), int(n)) for url, key, n in TILE.findall(html) if n.strip().isdigit()}


def rows_in_list(html: str, name: str) -> int:
    """The rows (data-row) inside the element marked data-list="name" — or the list's total where the page pages."""
    opening = re.search(r'<(\w+)\b[^>]*data-list="%s"' % re.escape(name), html)
    assert opening, f'the page has no data-list="{name}"'
    tag, block = opening.group(1), html[opening.start():]
    depth, end = 0, len(block)
    for m in re.finditer(r"<%s\b|</%s>" % (tag, tag), block):  # the list's own element, nested ones included
        depth += -1 if m.group(0).startswith("</") else 1
        if depth == 0:
            end = m.end()
            break
    # a paged list's total is on its own pager, between the list and the next list of the page
    following = re.search(r'data-list="', block[end:])
    total = TOTAL.search(block[: end + following.start()] if following else block)
    return int(total.group(1)) if total else block[:end].count("data-row=")


@pytest.mark.django_db
@pytest.mark.parametrize("who,key", [(who, key) for who, keys in TILES.items() for key in keys])
def test_the_tile_counts_the_rows_its_page_lists(demo, who, key):
    username = demo if who == "technician" else who
    from django.contrib.auth import get_user_model

    browser = Browser()
    browser.force_login(get_user_model().objects.get(username=username))
    with time_machine.travel(NOW, tick=False):
        tiles = tiles_of(browser.get("/").content.decode())
        assert key in tiles, f"{username} has no tile {key}: {sorted(tiles)}"
        url, count = tiles[key]
        page = browser.get(url)
    assert page.status_code == 200, url
    assert rows_in_list(page.content.decode(), TILES[who][key]) == count, f"{key}: tile {count}, page {url}"


@pytest.mark.django_db
def test_the_demo_gives_the_checked_tiles_something_to_count(demo):
    """Not all zeros: the comparison above means something (a dispute, a plan, callbacks about a technician)."""
    from django.contrib.auth import get_user_model

    counts = {}
    for who, keys in TILES.items():
        browser = Browser()
        browser.force_login(get_user_model().objects.get(username=demo if who == "technician" else who))
        with time_machine.travel(NOW, tick=False):
            tiles = tiles_of(browser.get("/").content.decode())
        counts.update({k: tiles[k][1] for k in keys})
    assert counts["sales_disputes"] >= 1 and counts["callbacks_about_me"] >= 1, counts
