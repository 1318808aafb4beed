"""Rule 7: each person has a preferred language. Picking a language while signed in saves it; a browser that has
picked none shows the signed-in person's preferred language; anonymous visitors keep Accept-Language; e-mails are
written in the recipient's preferred language."""
from datetime import datetime
from zoneinfo import ZoneInfo

from django.core import mail
from django.test import Client
from django.utils.translation import gettext_noop as N_
from django.utils.translation import override

from servicedesk.choices import Role
from servicedesk.notifications import notify
from servicedesk.texts import message
from tests.factories import staff_with
from tests.html import shown

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_a_new_person_reads_chinese_by_default(db):
    assert staff_with(Role.TECHNICIAN, name="新人").language == "zh-hans"


def test_picking_english_while_signed_in_saves_the_preference(db):
    person = staff_with(Role.COORDINATOR, name="钱协调")
    browser = Client()
    browser.force_login(person.user)
    r = browser.post("/i18n/setlang/", {"language": "en", "next": "/core/notifications/"})
    assert r.status_code == 302 and r.cookies["django_language"].value == "en"
    person.refresh_from_db()
    assert person.language == "en"
    # back to Chinese, and the preference follows
    browser.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    person.refresh_from_db()
    assert person.language == "zh-hans"


def test_picking_a_language_anonymously_saves_nothing_and_still_works(db):
    r = Client().post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert r.status_code == 302 and r.cookies["django_language"].value == "en"


def test_a_browser_with_no_picked_language_shows_the_preferred_one_on_sign_in(db):
    person = staff_with(Role.COORDINATOR, name="钱协调", language="en")
    browser = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    r = browser.post("/accounts/login/", {"username": person.user.username, "password": "pass-12345"})
    assert r.status_code == 302
    page = browser.get("/core/notifications/")
    assert page.status_code == 200 and page["Content-Language"] == "en"
    assert "Mark all as read" in page.content.decode()


def test_the_picker_cookie_wins_over_the_preference(db):
    person = staff_with(Role.COORDINATOR, name="钱协调", language="en")
    browser = Client()
    browser.force_login(person.user)
    browser.cookies.load({"django_language": "zh-hans"})
    page = browser.get("/core/notifications/")
    assert page["Content-Language"] == "zh-hans" and "通知" in page.content.decode()


def test_anonymous_visitors_keep_accept_language(db):
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get("/accounts/login/")
    assert page["Content-Language"] == "en"


def test_an_alert_reads_in_the_reader_s_language_and_its_e_mail_in_the_recipient_s(db, django_capture_on_commit_callbacks):
    english = staff_with(Role.MANAGER, name="Li Manager", language="en")
    english.user.email = "li@example.com"
    english.user.save()
    chinese = staff_with(Role.COORDINATOR, name="钱协调")
    chinese.user.email = "qian@example.com"
    chinese.user.save()
    with override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[english, chinese], key="test-overdue-1", now=NOW, link="/callbacks/1/",
               message=message(N_("投诉答复逾期:%(client)s,期限 %(due)s"), client="ACME", due="2026-11-21 10:00"))
    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address["li@example.com"].subject == "Complaint reply overdue: ACME, deadline 2026-11-21 10:00"
    assert by_address["qian@example.com"].subject == "投诉答复逾期:ACME,期限 2026-11-21 10:00"
    note = english.notifications.get()
    with override("en"):
        assert note.body == "Complaint reply overdue: ACME, deadline 2026-11-21 10:00"
    with override("zh-hans"):
        assert note.body == "投诉答复逾期:ACME,期限 2026-11-21 10:00"
    # the notifications page shows it in the language of the page
    browser = Client()
    browser.force_login(chinese.user)
    browser.cookies.load({"django_language": "en"})
    assert "Complaint reply overdue: ACME, deadline 2026-11-21 10:00" in shown(browser.get("/core/notifications/").content.decode())


def test_the_staff_api_shows_and_changes_the_language(api, admin_staff):
    person = staff_with(Role.TECHNICIAN, name="王技术")
    r = api(admin_staff).get(f"/api/staff/{person.pk}/")
    assert r.status_code == 200 and r.json()["language"] == "zh-hans"
    r = api(admin_staff).patch(f"/api/staff/{person.pk}/", {"language": "en"}, format="json")
    assert r.status_code == 200, r.content
    person.refresh_from_db()
    assert person.language == "en"
