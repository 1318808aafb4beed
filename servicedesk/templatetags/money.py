"""`{% load money %}` then `{{ amount|yuan }}` → ¥12,800.00, `{{ rate|percent }}` → 95.00 % or "—" (rule 7).

On a page an amount is one unbreakable unit (rule 9: money never wraps): `yuan` and `amount` put it in a
`<span class="money">` (white-space: nowrap), and `keep_money` does the same for the amounts inside a text
written by a rule engine ("奖金池 ¥400.00 × 权重 2 …")."""
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()

CENT = Decimal("0.01")


def format_yuan(value, *, sign: bool = True) -> str:
    """¥12,800.00 — thousands separators, 2 places ROUND_HALF_UP; "—" for None/blank."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return str(value)
    text = f"{abs(amount):,.2f}"
    prefix = "-" if amount < 0 else ""
    return f"{prefix}¥{text}" if sign else f"{prefix}{text}"


MONEY_IN_TEXT = re.compile(r"-?¥\s?[\d,]+(?:\.\d+)?")


def money_html(text: str) -> str:
    return format_html('<span class="money">{}</span>', text)


@register.filter
def yuan(value) -> str:
    return money_html(format_yuan(value))


@register.filter
def amount(value) -> str:
    """12,800.00 without the currency sign (table cells under a ¥ header)."""
    return money_html(format_yuan(value, sign=False))


@register.filter
def keep_money(text) -> str:
    """A text with every "¥1,234.50" in it kept on one line (the rest escaped as usual)."""
    if text is None:
        return ""
    return mark_safe(MONEY_IN_TEXT.sub(lambda m: str(money_html(m.group(0))), str(conditional_escape(text))))


@register.filter
def percent(value) -> str:
    """A rate in percent (Decimal) → "95.00 %"; undefined (None) → "—" (R-K9)."""
    if value is None or value == "":
        return "—"
    try:
        return f"{Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)} %"
    except (InvalidOperation, ValueError):
        return str(value)
