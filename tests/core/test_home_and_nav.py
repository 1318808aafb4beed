"""The home page (workspace/, docs/developers.md): to-dos per role (fixed queries), a compact nav with exactly one active tab."""
import re
from datetime import timedelta

import pytest
from django.urls import reverse

from servicedesk.choices import Role
from servicedesk.models import WorkOrder
from workspace.context_processors import MAX_ROW
from workspace.todos import TODOS, register_todo

from ..clock import fixed_now
from ..factories import ClientFactory, SiteFactory, staff_with

pytestmark = pytest.mark.django_db


def _orders(n, *, status="new", technician=None):
    c = ClientFactory()
    site = SiteFactory(client=c)
    now = fixed_now()  # created in the minutes before the test clock
    WorkOrder.objects.bulk_create(
        [
            WorkOrder(number=f"WO-H{status[:2]}{i:05d}{technician.pk if technician else 0}", client=c, site=site, contact_name="王",
                      contact_phone="13900000000", content="repair", status=status, technician=technician,
                      created_at=now - timedelta(minutes=i))
            for i in range(n)
        ]
    )


def _todo(html, key):
    m = re.search(r'data-todo="%s">.*?<span class="n">([^<]*)</span>' % re.escape(key), html, re.S)
    assert m, f"to-do {key} missing"
    return m.group(1).strip()


def test_coordinator_home_lists_unassigned_overdue_callbacks_and_unregistered_copies(client, coordinator):
    _orders(3)
    client.force_login(coordinator.user)
    html = client.get(reverse("home")).content.decode()
    assert _todo(html, "unassigned") == "3"
    assert _todo(html, "overdue_callbacks") == "0"
    assert _todo(html, "unregistered_copies") == "0"
    assert 'data-todo="pending_penalties"' not in html  # a manager's to-do


def test_technician_home_lists_own_visits_only(client, technician, other_technician):
    _orders(2, status="dispatched", technician=technician)
    _orders(5, status="dispatched", technician=other_technician)
    client.force_login(technician.user)
    html = client.get(reverse("home")).content.decode()
    assert _todo(html, "my_visits") == "2"
    assert _todo(html, "my_sales") == "0" and 'data-todo="callbacks_about_me"' in html
    assert 'data-todo="unassigned"' not in html


@pytest.mark.parametrize("role,keys", [
    (Role.MANAGER, ["pending_penalties", "statements_to_review", "unassigned"]),
    (Role.FINANCE, ["overdue_receivables", "statements_to_check"]),
    (Role.SALES, ["sales_disputes"]),
    (Role.GM_OFFICE, ["extensions_gm"]),
    (Role.ADMIN, ["missing_calendar"]),
    (Role.SUPERVISOR, ["resident-supervisor"]),  # deciding dismissal flags is the manager's (penalties review)
])
def test_each_role_sees_its_to_dos(client, role, keys):
    client.force_login(staff_with(role).user)
    html = client.get(reverse("home")).content.decode()
    for key in keys:
        assert f'data-todo="{key}"' in html


@pytest.mark.parametrize("n", [2, 60])
def test_home_has_a_fixed_number_of_queries(client, manager, n, django_assert_max_num_queries):
    _orders(n)
    client.force_login(manager.user)
    with django_assert_max_num_queries(25):
        html = client.get(reverse("home")).content.decode()
    assert _todo(html, "unassigned") == str(n)


def test_registered_to_do_from_another_app_appears(client, finance):
    register_todo({Role.FINANCE}, "测试待办", "servicedesk:work_order_list", lambda viewer, now: 7, key="test_extra")
    try:
        client.force_login(finance.user)
        assert _todo(client.get(reverse("home")).content.decode(), "test_extra") == "7"
    finally:
        TODOS[:] = [t for t in TODOS if t.key != "test_extra"]


@pytest.mark.parametrize("path", ["/", "/core/work-orders/", "/core/parameters/", "/core/calendar/", "/core/notifications/"])
def test_exactly_one_active_tab_and_a_short_row(client, manager, path):
    client.force_login(manager.user)
    html = client.get(path).content.decode()
    nav = html[html.index('<nav class="main desk"'):html.index("</nav>", html.index('<nav class="main desk"'))]
    row = nav.split('<details class="more">')[0]
    assert row.count("<a ") <= MAX_ROW
    if path != "/core/notifications/":
        assert nav.count('aria-current="page"') == 1
    else:
        assert nav.count('aria-current="page"') <= 1
    assert html.count('class="active"') <= 1


def test_work_order_detail_activates_only_the_work_order_tab(client, manager):
    _orders(1)
    wo = WorkOrder.objects.first()
    client.force_login(manager.user)
    html = client.get(reverse("servicedesk:work_order_detail", args=[wo.pk])).content.decode()
    active = re.findall(r'<a href="([^"]+)" class="active" aria-current="page">', html)
    assert active == [reverse("servicedesk:work_order_list")]
