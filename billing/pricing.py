"""The price list (SPEC §6, R-P1…R-P6): one rule, one small function, numbers from `servicedesk.params`.

Each function takes the parameters in force on the visit's date (`get_params(PARAM_NAMES, on=…)`)
and returns a `PricedLine` whose amount keeps full precision; the quote rounds once per line
(ROUND_HALF_UP, 2 places) at the very end. Money never passes through float.
"""
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_noop as N_

from servicedesk.params import ParamValue
from servicedesk.texts import message

from .choices import LineItem

CENT = Decimal("0.01")

PARAM_NAMES = [
    "billing.onsite_fee",
    "billing.installation_fee",
    "billing.part_markup",
    "billing.consumable_markup",
    "billing.repair_markup",
    "billing.repair_lcd_monitor",
    "billing.repair_crt_monitor",
    "billing.repair_motherboard",
    "billing.software_os_install",
    "billing.software_office_tools",
    "billing.free_software_visits",
    "billing.software_free_working_days",
]

FIXED_REPAIR_PARAM = {
    LineItem.LCD_MONITOR: "billing.repair_lcd_monitor",
    LineItem.CRT_MONITOR: "billing.repair_crt_monitor",
    LineItem.MOTHERBOARD: "billing.repair_motherboard",
}
SOFTWARE_PARAM = {
    LineItem.OS_INSTALL: "billing.software_os_install",
    LineItem.OFFICE_TOOLS: "billing.software_office_tools",
}

# Price-list rows whose retail column adds the on-site fee (R-P1, R-P2, R-P4); R-P3 and R-P5 are "same" for both.
RULES_WITH_ONSITE_FEE = frozenset({"R-P1", "R-P2", "R-P4"})


def price_rule_of(*, kind: str, item: str) -> str:
    """The price-list row (R-P1…R-P5) that prices a line of this kind and item."""
    if kind == "part":
        return "R-P1"
    if kind == "consumable":
        return "R-P2"
    if kind == "repair":
        return "R-P4" if item == LineItem.OTHER else "R-P3"
    return "R-P5"


def money(amount: Decimal) -> Decimal:
    """Round once, at the end: 2 places, ROUND_HALF_UP."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def yuan(amount: Decimal) -> str:
    """¥ display of an input: at least 2 places, more if the input had them (33.333 stays 33.333)."""
    amount = Decimal(amount)
    if amount == amount.quantize(CENT):
        return f"{amount.quantize(CENT)}"
    return f"{amount.normalize():f}"


@dataclass
class PricedLine:
    amount: Decimal  # full precision
    rule: str
    inputs: dict
    params: list[ParamValue] = field(default_factory=list)
    explanation: dict | str = ""  # a stored message (servicedesk.texts), rendered in the reader's language

    @property
    def rounded(self) -> Decimal:
        return money(self.amount)

    def params_explained(self) -> list[dict]:
        return [p.as_explanation() for p in self.params]


def _times(quantity: int) -> str:
    return f" × {quantity}" if quantity != 1 else ""


def client_label(client):
    """A lazy label: stored in an explanation as its msgid, so the reader's language decides (rule 7)."""
    return gettext_lazy("大客户") if client.is_key_account else gettext_lazy("零散客户")


def price_part(*, cost: Decimal, quantity: int, client, params: dict[str, ParamValue]) -> PricedLine:
    """R-P1: parts at cost × 1.25 (a retail visit also pays the on-site fee once, R-P6)."""
    rate = params["billing.part_markup"]
    amount = cost * quantity * rate.value
    return PricedLine(
        amount=amount,
        rule="R-P1",
        inputs={"cost": yuan(cost), "quantity": quantity},
        params=[rate],
        explanation=message(
            N_("%(who)s配件:成本 ¥%(cost)s%(qty)s × %(rate)s = ¥%(amount)s"),
            who=client_label(client), cost=yuan(cost), qty=_times(quantity), rate=rate.value, amount=money(amount),
        ),
    )


def price_consumable(*, cost: Decimal, quantity: int, installed: bool, client, params: dict[str, ParamValue]) -> PricedLine:
    """R-P2: consumables at cost × 1.36, plus the installation fee (¥60) when we install them."""
    rate = params["billing.consumable_markup"]
    fee = params["billing.installation_fee"]
    amount = cost * quantity * rate.value
    used = [rate]
    if installed:
        amount += fee.value
        used.append(fee)
        text = N_("%(who)s耗材:成本 ¥%(cost)s%(qty)s × %(rate)s + 安装费 ¥%(fee)s = ¥%(amount)s")
    else:
        text = N_("%(who)s耗材:成本 ¥%(cost)s%(qty)s × %(rate)s(未安装,不收安装费)= ¥%(amount)s")
    return PricedLine(
        amount=amount,
        rule="R-P2",
        inputs={"cost": yuan(cost), "quantity": quantity, "installed": installed},
        params=used,
        explanation=message(
            text, who=client_label(client), cost=yuan(cost), qty=_times(quantity), rate=rate.value,
            fee=yuan(fee.value), amount=money(amount),
        ),
    )


def price_fixed_repair(*, item: str, quantity: int, params: dict[str, ParamValue]) -> PricedLine:
    """R-P3: fixed repair prices (LCD monitor ¥150, CRT monitor ¥80, motherboard ¥80), same for every client."""
    price = params[FIXED_REPAIR_PARAM[item]]
    amount = price.value * quantity
    return PricedLine(
        amount=amount,
        rule="R-P3",
        inputs={"item": item, "quantity": quantity},
        params=[price],
        explanation=message(
            N_("%(item)s固定价 ¥%(price)s%(qty)s = ¥%(amount)s"),
            item=LineItem(item).label, price=yuan(price.value), qty=_times(quantity), amount=money(amount),
        ),
    )


def price_other_repair(*, cost: Decimal, quantity: int, client, params: dict[str, ParamValue]) -> PricedLine:
    """R-P4: other repairs at repair cost × 1.36 (a retail visit also pays the on-site fee once, R-P6)."""
    rate = params["billing.repair_markup"]
    amount = cost * quantity * rate.value
    return PricedLine(
        amount=amount,
        rule="R-P4",
        inputs={"cost": yuan(cost), "quantity": quantity},
        params=[rate],
        explanation=message(
            N_("%(who)s其他维修:维修成本 ¥%(cost)s%(qty)s × %(rate)s = ¥%(amount)s"),
            who=client_label(client), cost=yuan(cost), qty=_times(quantity), rate=rate.value, amount=money(amount),
        ),
    )


def price_software(*, item: str, quantity: int, params: dict[str, ParamValue]) -> PricedLine:
    """R-P5: software per time: OS installation ¥50, Office and common tools ¥20."""
    price = params[SOFTWARE_PARAM[item]]
    amount = price.value * quantity
    return PricedLine(
        amount=amount,
        rule="R-P5",
        inputs={"item": item, "quantity": quantity},
        params=[price],
        explanation=message(
            N_("%(item)s ¥%(price)s/次%(qty)s = ¥%(amount)s"),
            item=LineItem(item).label, price=yuan(price.value), qty=_times(quantity), amount=money(amount),
        ),
    )


def onsite_fee(*, params: dict[str, ParamValue]) -> PricedLine:
    """R-P6: the on-site fee (¥50), at most once per visit and never on a visit free by an entitlement."""
    fee = params["billing.onsite_fee"]
    return PricedLine(
        amount=fee.value,
        rule="R-P6",
        inputs={},
        params=[fee],
        explanation=message(N_("零散客户上门费 ¥%(fee)s(每次上门最多收一次)"), fee=yuan(fee.value)),
    )
