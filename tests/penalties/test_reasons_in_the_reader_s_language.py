"""Rule 7: a penalty's reason, its dismissal flag and the alerts about it are stored as messages and read in the
reader's language — written while the writer used Chinese, read in English after switching, and back; clause
names come from the catalogue's marked labels."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core import mail
from django.utils.translation import override

from penalties import offences, services
from penalties.models import DismissalFlag
from servicedesk.choices import Role
from servicedesk.texts import render
from tests.factories import staff_with
from tests.html import shown

from .factories import pending

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=TZ)
SEEN = "form says toner replaced, it was not"


def _record(supervisor, person):
    with override("zh-hans"):
        return offences.record_offence(person=person, rule="P3", occurred_at=NOW - timedelta(hours=2), observed=SEEN,
                                       by=supervisor, now=NOW)


def test_a_reason_written_in_chinese_reads_in_english_after_switching_and_back(page, supervisor, manager):
    person = staff_with(Role.TECHNICIAN, name="王技术")
    pen = _record(supervisor, person)
    assert render(pen.reason, language="zh-hans") == f"吴监督 记录:{SEEN}"
    browser = page(manager)
    browser.cookies.load({"django_language": "en"})
    english = shown(browser.get("/penalties/").content.decode())
    assert f"Recorded by 吴监督: {SEEN}" in english and "记录:" not in english
    browser.cookies.load({"django_language": "zh-hans"})
    assert f"吴监督 记录:{SEEN}" in shown(browser.get("/penalties/").content.decode())


def test_the_api_returns_the_reason_in_the_request_s_language(api, supervisor, manager):
    person = staff_with(Role.TECHNICIAN, name="王技术")
    pen = _record(supervisor, person)
    row = api(manager, language="en").get(f"/api/penalties/{pen.pk}/").json()
    assert row["reason"] == f"Recorded by 吴监督: {SEEN}"
    assert row["decisions"][0]["reason"] == f"Recorded by 吴监督: {SEEN}"
    row = api(manager, language="zh-hans").get(f"/api/penalties/{pen.pk}/").json()
    assert row["reason"] == f"吴监督 记录:{SEEN}"


def test_a_typed_reason_reads_as_written(technician):
    pen = pending(technician, reason="客户临时改约")
    assert render(pen.reason, language="en") == "客户临时改约"


def test_the_dismissal_flag_reads_in_the_reader_s_language(technician, manager):
    with override("zh-hans"):
        pen = services.confirm(penalty=pending(technician, "P10"), by=manager, now=NOW)
    flag = DismissalFlag.objects.get(penalty=pen)
    assert render(flag.reason, language="en") == (
        "P10: serious breach of professional ethics; the regulations call for dismissal. Manager to decide."
    )
    assert render(flag.reason, language="zh-hans") == "P10:严重违反职业道德,按条例应辞退,请经理决定。"


def test_the_person_s_e_mail_is_in_their_preferred_language(supervisor, django_capture_on_commit_callbacks):
    person = staff_with(Role.TECHNICIAN, name="王技术", language="en")
    person.user.email = "wang@example.com"
    person.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        _record(supervisor, person)
    (sent,) = [m for m in mail.outbox if m.to == ["wang@example.com"]]
    assert sent.body.startswith(f"Proposed penalty for you: P3, 10 points — Recorded by 吴监督: {SEEN}")


def test_the_offence_form_names_each_clause_from_the_catalogue(page, manager):
    browser = page(manager)
    browser.cookies.load({"django_language": "en"})
    html = browser.get("/penalties/offences/new/").content.decode()
    assert "P1 Refusing the coordinator&#x27;s dispatch (5–20 pts)" in html
    assert "Blank = the clause&#x27;s minimum" in html and "Photo (optional)" in html
    assert "不服从协调员派单" not in html
    browser.cookies.load({"django_language": "zh-hans"})
    assert "P1 不服从协调员派单(5–20 分)" in browser.get("/penalties/offences/new/").content.decode()
