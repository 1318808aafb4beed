"""Page sessions (servicedesk/auth/sessions.py): a technician's phone stays signed in for a working week after its
last use (the expiry pushed forward at most hourly), other roles keep Django's two weeks; "sign out everywhere"
ends every session of a person; a manager may do it for a technician, nobody else for anybody else."""
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from rest_framework.authtoken.models import Token

from servicedesk.choices import Role
from tests.factories import staff_with

pytestmark = pytest.mark.django_db

WEEK = 7 * 24 * 3600


def _signed_in(staff) -> Client:
    c = Client()
    c.force_login(staff.user)
    return c


def _home_ok(c: Client) -> bool:
    res = c.get("/")
    return res.status_code == 200


def test_a_technicians_session_slides_for_a_week_and_is_refreshed_at_most_hourly(fixed_now):
    tech = staff_with(Role.TECHNICIAN, name="王技术")
    c = _signed_in(tech)
    assert c.session.get_expiry_age() == WEEK
    with time_machine.travel(fixed_now + timedelta(minutes=30), tick=False):
        res = c.get("/")
        assert res.status_code == 200 and "sessionid" not in res.cookies  # not saved again within the hour
    with time_machine.travel(fixed_now + timedelta(days=6, hours=23), tick=False):
        res = c.get("/")
        assert res.status_code == 200 and res.cookies["sessionid"]["max-age"] == WEEK  # pushed a week on
    # six more days without the phone: still inside the week since its last use
    with time_machine.travel(fixed_now + timedelta(days=13, hours=22), tick=False):
        assert _home_ok(c)
    # and eight days after that last use it has expired
    with time_machine.travel(fixed_now + timedelta(days=21, hours=23), tick=False):
        assert c.get("/").status_code == 302


def test_a_desk_role_keeps_djangos_default_session(manager, settings):
    c = _signed_in(manager)
    assert c.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 14 * 24 * 3600
    assert not c.session.get("servicedesk_sliding")
    both = staff_with(Role.TECHNICIAN, Role.FINANCE, name="兼财务")  # a desk role too: no week-long phone session
    assert not _signed_in(both).session.get("servicedesk_sliding")


def test_sign_out_everywhere_ends_every_session_and_the_api_token(fixed_now):
    tech = staff_with(Role.TECHNICIAN, name="王技术")
    phone, laptop = _signed_in(tech), _signed_in(tech)
    Token.objects.create(user=tech.user)
    page = phone.get("/core/sessions/").content.decode()
    assert "在所有设备上退出" in page and "7 天内无需重新登录" in page
    assert phone.post("/core/sessions/", {}).status_code == 400  # no explicit action: nothing is ended
    assert _home_ok(laptop)
    res = phone.post("/core/sessions/", {"action": "mine"})
    assert res.status_code == 302 and res["Location"].startswith("/accounts/login/")
    assert laptop.get("/").status_code == 302  # the other device is signed out on its next request
    assert phone.get("/").status_code == 302
    assert not Token.objects.filter(user=tech.user).exists()
    tech.refresh_from_db()
    assert timedelta(0) <= tech.sessions_revoked_at - fixed_now < timedelta(seconds=30)  # the clock ticks
    # logging in again works: a session signed in after the stamp lives
    with time_machine.travel(fixed_now + timedelta(minutes=2), tick=False):
        again = _signed_in(tech)
        assert _home_ok(again)


@pytest.mark.parametrize("role", [Role.TECHNICIAN, Role.COORDINATOR, Role.FINANCE, Role.SALES, Role.GM_OFFICE,
                                  Role.SUPERVISOR, Role.ADMIN, Role.TEAM_LEAD])
def test_only_a_manager_signs_a_technician_out(role):
    tech = staff_with(Role.TECHNICIAN, name="王技术")
    other = staff_with(role, name="别人")
    phone = _signed_in(tech)
    res = _signed_in(other).post("/core/sessions/", {"action": "technician", "staff": tech.pk})
    assert res.status_code == 403
    tech.refresh_from_db()
    assert tech.sessions_revoked_at is None and _home_ok(phone)


def test_a_manager_signs_a_technician_out_everywhere_but_not_a_colleague(manager, finance, fixed_now):
    tech = staff_with(Role.TECHNICIAN, name="王技术")
    phone, desk = _signed_in(tech), _signed_in(manager)
    page = desk.get("/core/sessions/").content.decode()
    assert "让技术员在所有设备上退出" in page and f'<option value="{tech.pk}" data-user-text>王技术</option>' in page
    res = desk.post("/core/sessions/", {"action": "technician", "staff": tech.pk})
    assert res.status_code == 302 and res["Location"] == "/core/sessions/"
    assert "王技术 已在所有设备上退出。" in desk.get("/core/sessions/").content.decode()
    assert phone.get("/").status_code == 302
    assert _home_ok(desk)  # the manager's own session is untouched
    # finance is not a technician: refused, finance stays signed in
    books = _signed_in(finance)
    assert desk.post("/core/sessions/", {"action": "technician", "staff": finance.pk}).status_code == 403
    assert _home_ok(books)


def test_a_technician_sees_no_colleague_list():
    tech = staff_with(Role.TECHNICIAN, name="王技术")
    staff_with(Role.TECHNICIAN, name="李技术")
    page = _signed_in(tech).get("/core/sessions/").content.decode()
    assert "让技术员在所有设备上退出" not in page and "李技术" not in page
