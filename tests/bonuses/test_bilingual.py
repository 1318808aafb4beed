"""Rule 7: a statement line is stored as a message and read in the reader's language — the statement page, the
technician's own statement, the awards API and the payroll export (in the requester's language)."""
import io
from datetime import datetime

import openpyxl
import pytest
from django.utils import translation
from django.utils.translation import override

from bonuses import services
from bonuses.models import Award, Statement

from .conftest import OCT, SH
from .test_api_and_pages import october  # noqa: F401  (fixture)

NOV_5 = datetime(2026, 11, 5, 9, 0, tzinfo=SH)



@pytest.fixture(autouse=True)
def _back_to_chinese():
    """A page read in English leaves English active in the thread (LocaleMiddleware): the next test starts in the
    default language again."""
    yield
    translation.activate("zh-hans")


A_ZH = "第 1 名,很满意率 100.00 % ≥ 95 %:奖励 ¥100.00。"
A_EN = "Rank 1, very-satisfied rate 100.00 % ≥ 95 %: reward ¥100.00."
C_ZH = "流动服务罚款 ¥100.00:当月客户投诉 1 次(≥ 1 次)。"
C_EN = "Mobile service fine ¥100.00: 1 client complaints this month (≥ 1)."


@pytest.fixture
def compiled_in_chinese(october, manager):  # noqa: F811
    with override("zh-hans"):
        services.compile_month(month=OCT, by=manager, now=NOV_5)
    return october


def test_a_line_written_in_chinese_reads_in_english_and_back(compiled_in_chinese):
    a, _b, c = compiled_in_chinese
    reward = Award.objects.get(person=a, rule="R-M1")
    fine = Award.objects.get(person=c, rule="R-M2")
    assert isinstance(reward.explanation["text"], dict)  # stored as a message, not a sentence
    with override("en"):
        assert reward.text == A_EN and fine.text == C_EN
    with override("zh-hans"):
        assert reward.text == A_ZH and fine.text == C_ZH


def test_a_line_written_in_english_reads_in_chinese(october, manager):  # noqa: F811
    a, _b, _c = october
    with override("en"):
        services.compile_month(month=OCT, by=manager, now=NOV_5)
    with override("zh-hans"):
        assert Award.objects.get(person=a, rule="R-M1").text == A_ZH


def test_statement_pages_follow_the_reader(compiled_in_chinese, manager, client):
    a, _b, c = compiled_in_chinese
    st = Statement.objects.get(person=c, month=OCT)
    client.force_login(manager.user)
    client.cookies["django_language"] = "en"
    body = client.get(f"/bonuses/statements/{st.pk}/").content.decode()
    assert "Mobile service fine" in body and "1 client complaints this month (≥ 1)." in body
    assert "流动服务罚款" not in body
    # the technician's own statement on the phone, in Chinese
    client.force_login(c.user)
    client.cookies["django_language"] = "zh-hans"
    body = client.get(f"/bonuses/statements/{st.pk}/").content.decode()
    assert "流动服务罚款" in body and "Mobile service fine" not in body


def test_awards_api_answers_the_sentence_in_the_request_language(compiled_in_chinese, manager, api):
    a, _b, _c = compiled_in_chinese
    r = api(manager, language="en").get(f"/api/bonuses/awards/?month=2026-10&person={a.pk}")
    assert r.status_code == 200
    assert [x["explanation"]["text"] for x in r.json()["results"]] == [A_EN]
    r = api(manager).get(f"/api/bonuses/awards/?month=2026-10&person={a.pk}")
    assert [x["explanation"]["text"] for x in r.json()["results"]] == [A_ZH]


def test_payroll_export_is_in_the_requester_language(compiled_in_chinese, manager, client):
    client.force_login(manager.user)
    client.cookies["django_language"] = "en"
    r = client.get("/bonuses/2026-10/export.xlsx")
    assert r.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(r.streaming_content) if r.streaming else r.content))
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[1]]
    assert headers[:2] == ["Month", "Name"] and headers[-2:] == ["Total", "Details"]
    assert ws.title == "2026-10"
    assert any("R-M2 Fine" in str(c.value) for c in ws["L"])
