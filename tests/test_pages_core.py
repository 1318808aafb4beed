"""Login, role-aware navigation and the core pages."""
import pytest
from django.test import Client as Browser

from servicedesk.models import CalendarYear

pytestmark = pytest.mark.django_db


def login(staff):
    b = Browser()
    b.force_login(staff.user)
    return b


def test_login_page_in_chinese_and_redirect_for_anonymous():
    b = Browser()
    resp = b.get("/")
    assert resp.status_code == 302 and "/accounts/login/" in resp["Location"]
    page = b.get("/accounts/login/").content.decode()
    assert "登录" in page and 'lang="zh-hans"' in page


def test_login_with_password_then_logout(technician):
    technician.user.set_password("pass-12345")
    technician.user.save()
    b = Browser()
    resp = b.post("/accounts/login/", {"username": technician.user.username, "password": "pass-12345"})
    assert resp.status_code == 302
    assert b.get("/").status_code == 200
    b.post("/accounts/logout/")
    assert b.get("/").status_code == 302


def test_navigation_depends_on_role(manager, technician):
    mgr = login(manager).get("/").content.decode()
    tech = login(technician).get("/").content.decode()
    assert "规则参数" in mgr and "规则参数" not in tech
    assert "工单" in tech


def test_english_is_available(technician):
    b = login(technician)
    b.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = b.get("/").content.decode()
    assert 'lang="en"' in page and "Work orders" in page


def test_parameter_page_manager_only_and_schedules_a_change(manager, technician):
    assert login(technician).get("/core/parameters/").status_code == 403
    b = login(manager)
    assert "billing.onsite_fee" in b.get("/core/parameters/").content.decode()
    resp = b.post(
        "/core/parameters/", {"name": "billing.onsite_fee", "value": "60.00", "effective_from": "2099-01-01", "note": "调价"}
    )
    assert resp.status_code == 302
    page = b.get("/core/parameters/").content.decode()
    assert "2099-01-01" in page
    bad = b.post("/core/parameters/", {"name": "billing.onsite_fee", "value": "abc", "effective_from": "2099-02-01", "note": "x"})
    assert bad.status_code == 200 and "请输入数字" in bad.content.decode()


def test_calendar_page_shows_loaded_years_and_accepts_2027_upload(admin_staff, technician):
    assert login(technician).get("/core/calendar/").status_code == 403
    b = login(admin_staff)
    page = b.get("/core/calendar/").content.decode()
    assert "2026" in page
    from .calendars import OFFICIAL_2027, make_provisional

    make_provisional(2027, 2028)
    short = b.post("/core/calendar/", {"year": 2027, "dates_text": "2027-01-01,休,元旦\n2027-02-06,班,春节调休"})
    assert short.status_code == 200 and "缺少法定节假日" in short.content.decode() and "2027-02-05(春节)" in short.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()
    resp = b.post("/core/calendar/", {"year": 2027, "dates_text": OFFICIAL_2027})
    assert resp.status_code == 302
    assert CalendarYear.objects.get(year=2027).source == "manual"
    bad = b.post("/core/calendar/", {"year": 2028, "dates_text": "2028-02-30,休,x"})
    assert "第 1 行" in bad.content.decode() and not CalendarYear.objects.filter(year=2028).exists()


def test_admin_site_lists_calendar_years(admin_staff):
    admin_staff.user.is_staff = True
    admin_staff.user.is_superuser = True
    admin_staff.user.save()
    page = login(admin_staff).get("/admin/servicedesk/calendaryear/").content.decode()
    assert "2026" in page and "2004" in page
