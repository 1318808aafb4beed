"""Role home to-dos of the month close, the monthly report and complaint replies (fixed query count)."""
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from bonuses.models import Statement
from callbacks.models import Complaint
from reports.models import MonthlyReport
from servicedesk.choices import Role

from ..factories import ClientFactory, staff_with

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 5, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _todo(html, key):
    m = re.search(r'data-todo="%s">.*?<span class="n">([^<]*)</span>' % re.escape(key), html, re.S)
    assert m, f"to-do {key} missing"
    return m.group(1).strip()


def _data(n, by):
    people = [staff_with(Role.TECHNICIAN, name=f"技{i}") for i in range(n)]
    for p in people:
        Statement.objects.create(person=p, month=date(2026, 11, 1), status="draft", compiled_at=NOW)
        Statement.objects.create(person=p, month=date(2026, 10, 1), status="approved", compiled_at=NOW)
    client = ClientFactory()
    for i in range(n):
        Complaint.objects.create(client=client, words="慢", created_at=NOW - timedelta(days=3), created_by=by,
                                 reply_due_at=NOW - timedelta(hours=1 + i))
    Complaint.objects.create(client=client, words="ok", created_at=NOW, created_by=by, reply_due_at=NOW + timedelta(hours=5))


@pytest.mark.parametrize("n", [1, 6])
@time_machine.travel(NOW, tick=False)
def test_manager_and_admin_home_show_month_close_report_and_complaint_todos(client, manager, admin_staff, n,
                                                                           django_assert_max_num_queries):
    _data(n, manager)
    client.force_login(manager.user)
    with django_assert_max_num_queries(40):
        html = client.get(reverse("home")).content.decode()
    assert _todo(html, "draft_statements_last_month") == str(n)
    assert _todo(html, "last_month_report") == "1"
    assert _todo(html, "complaints_reply_overdue") == str(n)
    assert 'data-todo="statements_to_archive"' not in html

    MonthlyReport.objects.create(month=date(2026, 11, 1), status="approved", body="{}", digest="x", compiled_at=NOW)
    assert _todo(client.get(reverse("home")).content.decode(), "last_month_report") == "0"

    client.force_login(admin_staff.user)
    html = client.get(reverse("home")).content.decode()
    assert _todo(html, "statements_to_archive") == str(n)


def test_home_query_count_does_not_grow_with_data(client, manager, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for n in (1, 8):
        with time_machine.travel(NOW, tick=False):
            _data(n, manager)
            client.force_login(manager.user)
            with CaptureQueriesContext(connection) as ctx:
                client.get(reverse("home"))
            counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
