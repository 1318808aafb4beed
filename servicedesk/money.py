"""Strict money input (docs/developers.md rule 1: money is a `Decimal` with 2 places, never a guess).

Accept only plain decimals: ASCII digits, an optional single dot, at most two places
(or the column's `decimal_places`), an optional leading minus when negatives are allowed,
and a magnitude the column can hold. Everything else — `0.001`, `-0`, `1E+2`, `"1e10"`,
Arabic-Indic or full-width digits, NaN/Infinity, thousands separators, booleans — is refused
with a translated message naming the field, never coerced.

    parse_money("1280.5", field="cost")            -> Decimal("1280.50")
    MoneyField(allow_zero=True)                    # DRF serializer field
    MoneyFormField(label=_("维修费用"))              # Django form field
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .errors import DomainError

# [0-9] and not \d: \d matches Arabic-Indic, full-width and every other Unicode digit.
_PLAIN = re.compile(r"(-?)([0-9]+)(?:\.([0-9]+))?")


class MoneyError(DomainError):
    """Refused money input; `field` names the input."""


def _fail(message, *, field, label, **params):
    params["field"] = label or field
    raise MoneyError(message % params, field=field, code="invalid_money")


def parse_money(
    value,
    *,
    field: str,
    max_digits: int = 12,
    decimal_places: int = 2,
    allow_zero: bool = False,
    allow_negative: bool = False,
    label=None,
) -> Decimal:
    """Parse `value` (str, int or finite Decimal; a float only through its shortest repr) into a
    Decimal with exactly `decimal_places` places, or raise DomainError naming `field`."""
    if isinstance(value, bool) or value is None:
        _fail(_("%(field)s:请输入金额。"), field=field, label=label)
    if isinstance(value, int):
        text = str(value)
    elif isinstance(value, Decimal):
        if not value.is_finite():
            _fail(_("%(field)s:金额必须是有限的数字。"), field=field, label=label)
        text = format(value, "f")
    elif isinstance(value, float):
        text = repr(value)  # 1e+16 stays in exponent form and is refused below
    elif isinstance(value, str):
        text = value.strip(" \t")
    else:
        _fail(_("%(field)s:请输入金额。"), field=field, label=label)

    if text == "":
        _fail(_("%(field)s:请输入金额。"), field=field, label=label)
    match = _PLAIN.fullmatch(text)
    if match is None:
        _fail(
            _("%(field)s:不是有效的金额,只能使用半角数字和一个小数点,例如 1280.50(不接受科学计数法、千位分隔符或全角数字)。"),
            field=field,
            label=label,
        )
    sign, whole, frac = match.groups()
    frac = frac or ""
    if isinstance(value, (Decimal, float)):
        frac = frac.rstrip("0")  # Decimal("1.500") and 1.0 carry no extra precision
    if len(frac) > decimal_places:
        _fail(_("%(field)s:金额最多保留 %(places)s 位小数。"), field=field, label=label, places=decimal_places)
    if sign and not allow_negative:
        _fail(_("%(field)s:金额不能为负数。"), field=field, label=label)
    whole = whole.lstrip("0")
    max_whole = max_digits - decimal_places
    if len(whole) > max_whole:
        _fail(
            _("%(field)s:金额超出范围,整数部分最多 %(digits)s 位。"), field=field, label=label, digits=max_whole
        )
    try:
        amount = Decimal(f"{sign}{whole or '0'}.{frac or '0'}").quantize(Decimal(1).scaleb(-decimal_places))
    except InvalidOperation:  # pragma: no cover - the pattern leaves nothing Decimal refuses
        _fail(_("%(field)s:请输入金额。"), field=field, label=label)
    if amount == 0:
        if not allow_zero:
            _fail(_("%(field)s:金额必须大于 0。"), field=field, label=label)
        amount = abs(amount)  # "-0.00" with negatives allowed is plain zero
    return amount


class MoneyField(serializers.DecimalField):
    """DRF field on top of parse_money; documented as a decimal string like the model column."""

    default_error_messages = {"invalid_money": _("金额格式不正确。")}

    def __init__(self, *, max_digits=12, decimal_places=2, allow_zero=False, allow_negative=False, **kwargs):
        self.allow_zero = allow_zero
        self.allow_negative = allow_negative
        super().__init__(max_digits=max_digits, decimal_places=decimal_places, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str) and data.strip() == "" and self.allow_null:
            return None
        try:
            return parse_money(
                data,
                field=self.field_name or "amount",
                max_digits=self.max_digits,
                decimal_places=self.decimal_places,
                allow_zero=self.allow_zero,
                allow_negative=self.allow_negative,
                label=self.label,
            )
        except DomainError as exc:
            raise serializers.ValidationError(str(exc.message), code="invalid_money") from exc


class MoneyFormField(forms.DecimalField):
    """Django form field on top of parse_money (empty input allowed when required=False)."""

    def __init__(self, *, max_digits=12, decimal_places=2, allow_zero=False, allow_negative=False, **kwargs):
        self.allow_zero = allow_zero
        self.allow_negative = allow_negative
        kwargs.setdefault("min_value", None if allow_negative else Decimal(0))
        super().__init__(max_digits=max_digits, decimal_places=decimal_places, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_money(
                value,
                field=getattr(self, "_field_name", None) or "amount",
                max_digits=self.max_digits,
                decimal_places=self.decimal_places,
                allow_zero=self.allow_zero,
                allow_negative=self.allow_negative,
                label=self.label,
            )
        except DomainError as exc:
            raise forms.ValidationError(str(exc.message), code="invalid_money") from exc

    def validate(self, value):
        forms.Field.validate(self, value)

    def get_bound_field(self, form, field_name):
        self._field_name = field_name
        return super().get_bound_field(form, field_name)
