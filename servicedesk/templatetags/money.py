"""`{% load money %}` then `{{ amount|yuan }}` → ¥12,800.00, `{{ rate|percent }}` → 95.00 % or "—" (rule 7)."""
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

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


@register.filter
def yuan(value) -> str:
    return format_yuan(value)


@register.filter
def amount(value) -> str:
    """12,800.00 without the currency sign (table cells under a ¥ header)."""
    return format_yuan(value, sign=False)


@register.filter
def percent(value) -> str:
    """A rate in percent (Decimal) → "95.00 %"; undefined (None) → "—" (R-K9)."""
    if value is None or value == "":
        return "—"
    try:
        return f"{Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)} %"
    except (InvalidOperation, ValueError):
        return str(value)
