"""Coordinators polling the board share one render of each version (dispatch.views.shared_board_html): the second
coordinator's poll runs only the version's reads, and the form it gets carries its own CSRF token, with which it
dispatches."""
import re

import pytest
from django.test import Client
from django.urls import reverse

from servicedesk.choices import Role

from ..factories import staff_with

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def desk(staff) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff.user)
    return client


def test_the_second_coordinator_gets_the_shared_render_with_its_own_token(coordinator, technician, make_order,
                                                                          django_assert_max_num_queries):
    orders = [make_order() for _ in range(3)]
    first, second = desk(coordinator), desk(staff_with(Role.COORDINATOR, name="陈协调"))
    first.get(reverse("dispatch:board"))
    second.get(reverse("dispatch:board"))  # both have their CSRF cookie, as from the page the poll runs on
    rendered = first.get(reverse("dispatch:board_partial"))
    assert rendered.status_code == 200 and all(wo.number in rendered.content.decode() for wo in orders)
    # session, user, staff, roles, then the version's three reads; the board itself is not queried again
    with django_assert_max_num_queries(7):
        shared = second.get(reverse("dispatch:board_partial"))
    page = shared.content.decode()
    assert all(wo.number in page for wo in orders)
    tokens = TOKEN.findall(page)
    assert tokens and set(tokens) != set(TOKEN.findall(rendered.content.decode()))  # each their own (masked) token
    assert "csrf-slot" not in page
    r = second.post(reverse("dispatch:assign", args=[orders[0].pk]),
                    {"technician": technician.pk, "version": orders[0].version, "csrfmiddlewaretoken": tokens[0]})
    assert r.status_code == 302  # a refused token would be 403
    orders[0].refresh_from_db()
    assert orders[0].technician == technician
    # the dispatch wrote an event: the next poll is a new version, rendered afresh
    version = re.compile(r"\?v=([^\"]+)\"")
    again = first.get(reverse("dispatch:board_partial")).content.decode()
    assert version.search(again).group(1) != version.search(page).group(1)
    assert orders[1].number in again
