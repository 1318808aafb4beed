"""Error pages 403/404/500 in the product's look on a phone viewport, and work-order cards for technicians
(docs/developers.md rules 6–8)."""
from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import reverse

from servicedesk.models import WorkOrder
from servicedesk.paging import PER_PAGE

from ..clock import fixed_now
from ..factories import ClientFactory, SiteFactory

pytestmark = pytest.mark.django_db
VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">'


def test_403_is_the_products_page_even_with_debug_on(client, technician, settings):
    settings.DEBUG = True
    client.force_login(technician.user)
    r = client.get(reverse("servicedesk:parameters"))
    html = r.content.decode()
    assert r.status_code == 403
    assert VIEWPORT in html and "无权访问此页面" in html and "返回首页" in html and "app.css" in html


def test_403_in_english(client, technician):
    client.force_login(technician.user)
    client.cookies.load({"django_language": "en"})
    r = client.get(reverse("servicedesk:parameters"), HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 403 and '<html lang="en">' in r.content.decode()


@override_settings(DEBUG=False)
def test_404_is_the_products_page(client, technician):
    client.force_login(technician.user)
    r = client.get("/core/work-orders/999999/")
    html = r.content.decode()
    assert r.status_code == 404 and VIEWPORT in html and "找不到这个页面" in html


def test_500_template_renders_without_a_request():
    html = render_to_string("500.html")
    assert VIEWPORT in html and "系统出错了" in html


def _orders(n, technician):
    c = ClientFactory()
    site = SiteFactory(client=c)
    now = fixed_now()  # created in the minutes before the test clock
    WorkOrder.objects.bulk_create(
        [WorkOrder(number=f"WO-L{i:05d}", client=c, site=site, contact_name="王", contact_phone="13900000000", content="repair",
                   status="dispatched", technician=technician, created_at=now - timedelta(minutes=i)) for i in range(n)]
    )


@pytest.mark.parametrize("n", [3, 120])
def test_technician_gets_a_paged_card_list(client, technician, n, django_assert_max_num_queries):
    _orders(n, technician)
    client.force_login(technician.user)
    with django_assert_max_num_queries(12):
        html = client.get(reverse("servicedesk:work_order_list")).content.decode()
    assert html.count('class="wo-card"') == min(n, PER_PAGE)
    assert "<table" not in html
    if n > PER_PAGE:
        assert "?page=2" in html


def test_coordinator_gets_table_on_desktop_and_cards_on_the_phone(client, coordinator, technician):
    _orders(2, technician)
    client.force_login(coordinator.user)
    html = client.get(reverse("servicedesk:work_order_list"), {"status": "dispatched"}).content.decode()
    assert "<table" in html and 'class="cards only-phone"' in html
    assert client.get(reverse("servicedesk:work_order_list"), {"status": "bogus"}).status_code == 200
