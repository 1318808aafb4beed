"""Asia/Shanghai times and ¥12,800.00 everywhere — texts built in Python and the pages (docs/developers.md
rules 1 and 7)."""
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.urls import reverse

from dispatch.models import Deadline
from servicedesk.localtime import local_dt
from servicedesk.models import WorkOrderEvent

from ..factories import WorkOrderFactory

pytestmark = pytest.mark.django_db
UTC = ZoneInfo("UTC")


def test_deadline_text_is_local_time_with_the_work_order_number():
    wo = WorkOrderFactory()
    due = datetime(2026, 11, 23, 9, 40, tzinfo=UTC)  # 17:40 in Shanghai
    d = Deadline(work_order=wo, kind="mobile_depart", rule="R-W4", starts_at=due - timedelta(minutes=10), due_at=due)
    text = str(d)
    assert "17:40" in text and "09:40" not in text and wo.number in text


def test_local_dt_and_event_text_use_shanghai():
    at = datetime(2026, 12, 31, 20, 5, tzinfo=UTC)
    assert local_dt(at) == "2027-01-01 04:05"
    assert "2027-01-01 04:05" in str(WorkOrderEvent(work_order_id=1, action="created", at=at))


def test_money_filters_put_thousands_separators():
    html = Template("{% load money %}{{ a|yuan }} {{ a|amount }}").render(Context({"a": Decimal("12800")}))
    # each amount is one unbreakable unit on the page (rule 9)
    assert html == '<span class="money">¥12,800.00</span> <span class="money">12,800.00</span>'


def test_work_order_log_shows_action_names_and_local_times(client, manager):
    wo = WorkOrderFactory()
    WorkOrderEvent.objects.create(work_order=wo, action="created", to_status="new", at=datetime(2026, 11, 23, 9, 40, tzinfo=UTC))
    client.force_login(manager.user)
    html = client.get(reverse("servicedesk:work_order_detail", args=[wo.pk])).content.decode()
    assert "2026-11-23 17:40" in html and "created → new" not in html and "新建" in html
