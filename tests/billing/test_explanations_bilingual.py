"""Pricing explanations are stored as messages and read in the reader's language (rule 7): a charge recorded
while the technician used Chinese reads in English when the reader switches, and back."""
import re

import pytest
from django.test import Client as BrowserClient
from django.utils import translation

from billing.models import VisitCharge
from billing.services import quote_visit, record_visit_charges
from servicedesk.texts import render
from tests.factories import EquipmentFactory

from .factories import DAY, WorkOrderFactory, line, retail

pytestmark = pytest.mark.django_db

PART_ZH = "零散客户配件:成本 ¥200.00 × 1.25 = ¥250.00"
PART_EN = "Retail client part: cost ¥200.00 × 1.25 = ¥250.00"
FEE_ZH = "零散客户上门费 ¥50.00(每次上门最多收一次)"
FEE_EN = "Retail client on-site fee ¥50.00 (charged at most once per visit)"


@pytest.fixture(autouse=True)
def _language_restored():
    """A page or API call in English leaves English active in the thread (LocaleMiddleware): not for the next test."""
    with translation.override(translation.get_language()):
        yield


@pytest.fixture
def charge(technician, salesperson):
    client = retail(salesperson=salesperson)
    wo = WorkOrderFactory(client=client, technician=technician)
    with translation.override("zh-hans"):
        return record_visit_charges(work_order=wo, lines=[line("part", "200")], by=technician, on=DAY)


def test_a_stored_explanation_is_a_message_not_a_sentence(charge):
    part = VisitCharge.objects.get(pk=charge.pk).lines.get()
    assert part.explanation["id"] == "%(who)s配件:成本 ¥%(cost)s%(qty)s × %(rate)s = ¥%(amount)s"
    assert part.explanation["params"]["who"] == {"$t": "零散客户"}
    assert render(part.explanation, language="zh-hans") == PART_ZH
    assert render(part.explanation, language="en") == PART_EN
    assert render(charge.onsite_fee_explanation, language="en") == FEE_EN
    assert render(charge.onsite_fee_explanation, language="zh-hans") == FEE_ZH


def test_the_api_returns_the_explanation_in_the_requests_language_and_back(charge, api, technician):
    en = api(technician, language="en").get(f"/api/billing/charges/{charge.pk}/").json()
    assert en["lines"][0]["explanation"] == PART_EN
    assert en["onsite_fee_explanation"] == FEE_EN
    zh = api(technician, language="zh-hans").get(f"/api/billing/charges/{charge.pk}/").json()
    assert zh["lines"][0]["explanation"] == PART_ZH
    assert zh["onsite_fee_explanation"] == FEE_ZH


def test_the_work_order_page_follows_the_picker(charge, technician, monkeypatch):
    from servicedesk import views

    monkeypatch.setattr(views, "WORK_ORDER_PANELS", [p for p in views.WORK_ORDER_PANELS if p[0].startswith("billing/")])
    c = BrowserClient()
    c.force_login(technician.user)

    def seen(language):
        c.cookies["django_language"] = language
        html = c.get(f"/core/work-orders/{charge.work_order_id}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        return re.sub(r"<[^>]+>", "", html)

    with translation.override(translation.get_language()):  # the page's English must not outlive this test
        english = seen("en")
        chinese = seen("zh-hans")
    assert PART_EN in english and FEE_EN in english and PART_ZH not in english
    assert PART_ZH in chinese and FEE_ZH in chinese


def test_a_free_line_nests_the_entitlement_and_the_price_list_sentence():
    client = retail()
    eq = EquipmentFactory(client=client)  # manufacturer warranty until 2027-01-09
    with translation.override("zh-hans"):
        q = quote_visit(client=client, equipment=eq, on=DAY, lines=[line("part", "200")])
    free = q.lines[0].explanation
    assert render(free, language="zh-hans") == (
        "R-B1:设备在厂商保修期内(至 2027-01-09),硬件更换免费。 免收(按价目表应为:" + PART_ZH + ")"
    )
    assert render(free, language="en") == (
        "R-B1: The equipment is under manufacturer warranty (until 2027-01-09); hardware replacement is free. "
        "Waived (price list: " + PART_EN + ")"
    )
    assert render(q.onsite_fee_explanation, language="en") == (
        "This visit is free under entitlements (R-B1); no on-site fee is charged (R-P6)."
    )
