"""Price list R-P1…R-P6 and the worked examples of SPEC §6."""
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from billing.services import quote_visit
from servicedesk.errors import DomainError
from servicedesk.params import schedule_param
from servicedesk.texts import render

from .factories import DAY, key_account, line, retail

pytestmark = pytest.mark.django_db


def test_r_p1_retail_part_200_costs_300():
    q = quote_visit(client=retail(), on=DAY, lines=[line("part", "200.00")])
    assert q.lines[0].amount == Decimal("250.00")
    assert q.lines[0].rule == "R-P1"
    assert q.onsite_fee == Decimal("50.00")
    assert q.total == Decimal("300.00")
    assert "零散客户配件:成本 ¥200.00 × 1.25 = ¥250.00" in render(q.lines[0].explanation)
    assert q.lines[0].params[0]["name"] == "billing.part_markup"
    assert q.lines[0].params[0]["version"]
    assert q.lines[0].inputs["cost"] == "200.00"


def test_r_p2_key_account_consumable_100_installed_costs_196():
    q = quote_visit(client=key_account(), on=DAY, lines=[line("consumable", "100", installed=True)])
    assert q.lines[0].amount == Decimal("196.00")
    assert q.lines[0].rule == "R-P2"
    assert q.onsite_fee == Decimal("0.00")
    assert q.total == Decimal("196.00")
    assert {p["name"] for p in q.lines[0].params} == {"billing.consumable_markup", "billing.installation_fee"}


def test_r_p2_consumable_not_installed_has_no_installation_fee():
    q = quote_visit(client=key_account(), on=DAY, lines=[line("consumable", "100")])
    assert q.total == Decimal("136.00")


def test_r_p4_retail_other_repair_80_50_costs_159_48():
    q = quote_visit(client=retail(), on=DAY, lines=[line("repair", "80.50")])
    assert q.lines[0].amount == Decimal("109.48")
    assert q.lines[0].rule == "R-P4"
    assert q.total == Decimal("159.48")


@pytest.mark.parametrize(
    "item, price", [("lcd_monitor", "150.00"), ("crt_monitor", "80.00"), ("motherboard", "80.00")]
)
def test_r_p3_fixed_repair_prices_same_for_every_client(item, price):
    for client in (retail(), key_account()):
        q = quote_visit(client=client, on=DAY, lines=[line("repair", item=item)])
        assert q.lines[0].rule == "R-P3"
        assert q.total == Decimal(price)  # no on-site fee on the R-P3 row


@pytest.mark.parametrize("item, price", [("os_install", "100.00"), ("office_tools", "40.00")])
def test_r_p5_software_per_time(item, price):
    client = retail(department="key_account")  # R-B5: always charged
    q = quote_visit(client=client, on=DAY, lines=[line("software", item=item, quantity=2)])
    assert q.lines[0].rule == "R-P5"
    assert q.total == Decimal(price)


def test_r_p6_retail_visit_with_three_part_lines_pays_onsite_fee_once():
    q = quote_visit(client=retail(), on=DAY, lines=[line("part", "200"), line("part", "100"), line("part", "40")])
    assert q.onsite_fee == Decimal("50.00")
    assert q.total == Decimal("250.00") + Decimal("125.00") + Decimal("50.00") + Decimal("50.00")


def test_money_never_passes_through_float_awkward_costs_sum_exactly():
    costs = ["0.01", "33.333", "0.005", "19.99", "33.333", "0.01", "7.777", "1234.5678", "0.03", "99.995"]
    q = quote_visit(client=retail(), on=DAY, lines=[line("part", c) for c in costs])
    expected = [(Decimal(c) * Decimal("1.25")).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP") for c in costs]
    assert [ln.amount for ln in q.lines] == expected
    assert q.total == sum(expected) + Decimal("50.00")
    assert all(isinstance(ln.amount, Decimal) for ln in q.lines)


def test_no_float_in_billing_source():
    root = Path(__file__).resolve().parents[2] / "billing"
    offenders = [str(p) for p in root.rglob("*.py") if re.search(r"\bfloat\(", p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_scheduled_price_change_applies_from_its_effective_date_only():
    client = retail()
    schedule_param(name="billing.part_markup", value="1.30", effective_from=date(2026, 12, 1), today=date(2026, 11, 1))
    before = quote_visit(client=client, on=DAY, lines=[line("part", "200")])
    after = quote_visit(client=client, on=date(2026, 12, 5), lines=[line("part", "200")])
    assert before.total == Decimal("300.00")
    assert after.total == Decimal("310.00")
    assert after.lines[0].params[0]["value"] == "1.30"
    assert after.lines[0].params[0]["version"] != before.lines[0].params[0]["version"]


@pytest.mark.parametrize(
    "bad, fragment",
    [
        (line("part", "-1"), "负数"),
        (line("part", "abc"), "有效的金额"),
        (line("part", None), "成本"),
        (line("gadget", "1"), "类别"),
        (line("repair", item="toaster"), "项目"),
        (line("software", item="other"), "项目"),
        (line("part", "1", quantity=0), "数量"),
        ({"kind": "part", "cost": 1.5}, "成本"),
    ],
)
def test_bad_lines_are_refused_naming_the_field(bad, fragment):
    with pytest.raises(DomainError) as exc:
        quote_visit(client=retail(), on=DAY, lines=[bad])
    assert exc.value.field == "lines"
    assert fragment in str(exc.value.message)
