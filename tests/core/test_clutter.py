"""What a new user tripped over on every page: the calendar banner shown to technicians, the API reference on the
coordinator's and finance's pages, the language picker naming English in Chinese, no favicon, and a slow login
(the password hasher outside the production profile)."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.contrib.staticfiles import finders
from django.urls import reverse

from servicedesk.models import CalendarYear

pytestmark = pytest.mark.django_db
DECEMBER = datetime(2026, 12, 3, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _home(client, staff) -> str:
    client.force_login(staff.user)
    with time_machine.travel(DECEMBER, tick=False):
        return client.get(reverse("home")).content.decode()


def test_the_calendar_banner_is_for_the_office_not_for_technicians(client, technician, coordinator, manager):
    CalendarYear.objects.filter(year=2027).delete()  # December, next year's table missing: the office is warned
    assert 'id="calendar-banner"' not in _home(client, technician)
    assert 'id="calendar-banner"' in _home(client, coordinator)
    assert 'id="calendar-banner"' in _home(client, manager)


def test_the_api_reference_is_not_on_the_coordinators_and_finances_pages(client, coordinator, finance, manager):
    docs = reverse("swagger-ui")
    assert f'href="{docs}"' not in _home(client, coordinator)
    assert f'href="{docs}"' not in _home(client, finance)
    assert f'href="{docs}"' in _home(client, manager)


def test_the_language_picker_names_each_language_in_its_own_name(client, coordinator):
    for language in ("zh-hans", "en"):
        client.cookies["django_language"] = language
        page = _home(client, coordinator)
        assert '<option value="en" lang="en"' in page and ">English</option>" in page, language
        assert ">简体中文</option>" in page and "英语" not in page, language


def test_every_page_links_the_vendored_favicon_and_the_bare_address_finds_it(client, coordinator):
    assert finders.find("servicedesk/favicon.svg")
    page = _home(client, coordinator)
    assert 'rel="icon" href="/static/servicedesk/favicon.svg"' in page
    login = client.get(reverse("login")).content.decode()
    assert 'rel="icon"' in login
    r = client.get("/favicon.ico")
    assert r.status_code == 301 and r["Location"] == "/static/servicedesk/favicon.svg"


def test_outside_production_passwords_hash_fast_and_stay_pbkdf2():
    encoded = make_password("a-demo-password")
    hasher = identify_hasher(encoded)
    assert encoded.startswith("pbkdf2_sha256$20000$") and hasher.algorithm == "pbkdf2_sha256"
    assert check_password("a-demo-password", encoded)
