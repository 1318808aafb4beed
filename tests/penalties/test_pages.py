"""Pages: the manager's review queue and 我的扣分 (R-N1, R-N3, R-N4)."""
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from penalties.choices import PenaltyStatus
from penalties.models import Penalty
from tests.factories import staff_with

from .factories import confirmed, pending

pytestmark = pytest.mark.django_db


def test_review_queue_is_for_managers_only(page, manager, technician):
    pending(technician)
    assert page(technician).get(reverse("penalties:review")).status_code == 403
    res = page(manager).get(reverse("penalties:review"))
    assert res.status_code == 200 and technician.name in res.content.decode()


def _queue_queries(client, n):
    with CaptureQueriesContext(connection) as ctx:
        res = client.get(reverse("penalties:review"), {"status": "pending"})
    assert res.status_code == 200 and res.content.decode().count('name="selected"') == n
    return len(ctx)


def _add(people, start, stop):
    for i in range(start, stop):
        pending(people[i % 5], ["P7", "P1", "P8", "P2", "P11"][i % 5])


def test_review_queue_renders_in_constant_queries_5_vs_50(page, manager, now, django_assert_max_num_queries):
    people = [staff_with("technician") for _ in range(5)]
    client = page(manager)
    _add(people, 0, 5)
    client.get(reverse("penalties:review"))  # warm caches (content types, session)
    few = _queue_queries(client, 5)
    _add(people, 5, 50)
    confirmed(people[0], "P10", by=manager, now=now)  # a flag on the page too
    many = _queue_queries(client, 25)  # 50 pending: one page of 25 (bounded screen, rule 8)
    assert many == few
    with django_assert_max_num_queries(few):
        client.get(reverse("penalties:review"), {"status": "pending"})


def test_review_queue_filters(page, manager, technician, other_technician):
    pending(technician, "P7", on=date(2026, 11, 3))
    pending(other_technician, "P1", on=date(2026, 10, 3))
    c = page(manager)
    html = c.get(reverse("penalties:review"), {"rule": "P1", "status": "all"}).content.decode()
    assert other_technician.name in html and html.count('name="selected"') == 1
    html = c.get(reverse("penalties:review"), {"person": technician.pk}).content.decode()
    assert html.count('name="selected"') == 1
    html = c.get(reverse("penalties:review"), {"month": "2026-10"}).content.decode()
    assert html.count('name="selected"') == 1


def test_bulk_confirm_selected_from_the_queue(page, manager, technician):
    a, b, c = pending(technician), pending(technician, "P1", points=9), pending(technician, "P5")
    res = page(manager).post(reverse("penalties:review"), {"action": "bulk_confirm", "selected": [a.pk, b.pk]})
    assert res.status_code == 302
    assert dict(Penalty.objects.values_list("pk", "status")) == {
        a.pk: PenaltyStatus.CONFIRMED, b.pk: PenaltyStatus.CONFIRMED, c.pk: PenaltyStatus.PENDING
    }
    assert Penalty.objects.get(pk=b.pk).points == 9


def test_row_confirm_change_reject_withdraw_from_the_queue(page, manager, technician):
    a, b = pending(technician, "P1"), pending(technician, "P7")
    c = page(manager)
    url = reverse("penalties:review")
    c.post(url, {"action": "confirm", "penalty": a.pk, "points": "25", "reason": "x"})  # out of range: refused
    assert Penalty.objects.get(pk=a.pk).status == PenaltyStatus.PENDING
    c.post(url, {"action": "confirm", "penalty": a.pk, "points": "14", "reason": "多次"})
    assert Penalty.objects.get(pk=a.pk).points == 14
    c.post(url, {"action": "reject", "penalty": b.pk, "reason": ""})  # reason required
    assert Penalty.objects.get(pk=b.pk).status == PenaltyStatus.PENDING
    c.post(url, {"action": "reject", "penalty": b.pk, "reason": "客户原因"})
    assert Penalty.objects.get(pk=b.pk).status == PenaltyStatus.REJECTED
    c.post(url, {"action": "withdraw", "penalty": a.pk, "reason": "复核撤销"})
    a = Penalty.objects.get(pk=a.pk)
    assert a.status == PenaltyStatus.WITHDRAWN and a.withdraw_reason == "复核撤销"
    html = c.get(url, {"status": "withdrawn"}).content.decode()
    assert "复核撤销" in html and "多次" in html  # the history shows on the page


def test_technician_posting_a_decision_is_forbidden(page, technician):
    pen = pending(technician)
    res = page(technician).post(reverse("penalties:review"), {"action": "confirm", "penalty": pen.pk})
    assert res.status_code == 403 and Penalty.objects.get().status == PenaltyStatus.PENDING


def test_my_penalties_lists_own_with_reason_source_status_and_monthly_totals(page, manager, technician, other_technician, now):
    pen = confirmed(technician, "P7", by=manager, now=now, on=date(2026, 11, 5))
    pending(other_technician, "P1", reason="别人的处罚")
    res = page(technician).get(reverse("penalties:mine"))
    html = res.content.decode()
    assert res.status_code == 200
    assert "响应超时" in html and pen.source_label in html and "已确认" in html and "别人的处罚" not in html
    assert "2026-11" in html


def test_person_history_managers_see_anyone_technicians_only_themselves(page, manager, technician, other_technician):
    pending(other_technician, "P1", reason="别人的处罚")
    assert page(technician).get(reverse("penalties:person", args=[other_technician.pk])).status_code == 404  # another person's history: not revealed
    res = page(manager).get(reverse("penalties:person", args=[other_technician.pk]))
    assert res.status_code == 200 and "别人的处罚" in res.content.decode()
    assert page(technician).get(reverse("penalties:person", args=[technician.pk])).status_code == 302


def test_nav_entries(page, manager, technician):
    assert reverse("penalties:review") in page(manager).get("/").content.decode()
    html = page(technician).get("/").content.decode()
    assert reverse("penalties:mine") in html and f'href="{reverse("penalties:review")}"' not in html


def test_my_penalties_page_constant_queries(page, manager, technician, now):
    client = page(technician)
    for _ in range(3):
        confirmed(technician, "P7", by=manager, now=now)
    client.get(reverse("penalties:mine"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("penalties:mine"))
    for _ in range(20):
        confirmed(technician, "P7", by=manager, now=now, on=date(2026, 10, 9))
    with CaptureQueriesContext(connection) as many:
        res = client.get(reverse("penalties:mine"))
    assert res.status_code == 200 and len(many) == len(few)
