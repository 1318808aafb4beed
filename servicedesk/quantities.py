"""Strict quantity input, the way servicedesk/money.py reads money: a count is typed as plain ASCII digits (and,
for a quantity with places, one dot), never guessed.

Accept ASCII digits, at most `decimal_places` places and a value within [min_value, max_value]. Everything else —
`+5`, `-1`, `1E+2`, `1_000`, `1,000`, Arabic-Indic (`١٠٠`) or full-width (`１００`) digits, NaN, booleans — is
refused with a translated message naming the field, never coerced (Python's int()/Decimal() accept them all).

    parse_quantity("3", field="quantity")                     -> 3
    parse_quantity("2.5", field="quantity", decimal_places=2)  -> Decimal("2.50")
    QuantityField(max_value=999)                              # DRF serializer field (integer)
    QuantityField(decimal_places=2, max_digits=10)            # DRF serializer field (decimal string)
    QuantityFormField(label=_("数量"))                          # Django form field
"""
from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .errors import DomainError

# [0-9] and not \d: \d matches Arabic-Indic, full-width and every other Unicode digit (as money.py)
_PLAIN = re.compile(r"([0-9]+)(?:\.([0-9]+))?")
MAX_INTEGER = 2_147_483_647  # a PositiveIntegerField


class QuantityError(DomainError):
    """Refused quantity input; `field` names the input."""


def _fail(message, *, field, label, **params):
    params["field"] = label or field
    raise QuantityError(message % params, field=field, code="invalid_quantity")


def parse_quantity(
    value,
    *,
    field: str = "quantity",
    label=None,
    decimal_places: int = 0,
    min_value=1,
    max_value=MAX_INTEGER,
) -> int | Decimal:
    """`value` (str, int, or a finite Decimal / float with no more places) as an int (`decimal_places=0`) or a
    Decimal with `decimal_places` places, or QuantityError naming `field`."""
    if isinstance(value, bool) or value is None:
        _fail(_("%(field)s:请输入数量。"), field=field, label=label)
    if isinstance(value, int):
        text = str(value)
    elif isinstance(value, Decimal):
        text = format(value, "f") if value.is_finite() else "x"
    elif isinstance(value, float):
        text = repr(value)  # 1e+16 stays in exponent form and is refused below
    elif isinstance(value, str):
        text = value.strip(" \t")
    else:
        text = "x"
    if text == "":
        _fail(_("%(field)s:请输入数量。"), field=field, label=label)
    match = _PLAIN.fullmatch(text)
    if match is None:
        if decimal_places:
            message = _("%(field)s:不是有效的数量,只能使用半角数字和一个小数点,例如 2.5(不接受正负号、科学计数法、千位分隔符或全角数字)。")
        else:
            message = _("%(field)s:不是有效的数量,只能使用半角数字,例如 3(不接受正负号、小数、科学计数法、千位分隔符或全角数字)。")
        _fail(message, field=field, label=label)
    whole, frac = match.groups()
    frac = frac or ""
    if isinstance(value, (Decimal, float)) or (not decimal_places and set(frac) <= {"0"}):
        frac = frac.rstrip("0")  # Decimal("2.00"), 2.0 and "2.0" carry no extra precision
    if len(frac) > decimal_places:
        if decimal_places:
            _fail(_("%(field)s:数量最多保留 %(places)s 位小数。"), field=field, label=label, places=decimal_places)
        _fail(_("%(field)s:数量应为整数。"), field=field, label=label)
    whole = whole.lstrip("0") or "0"
    if len(whole) > 18:  # far beyond any column; keeps the comparison below cheap
        _fail(_("%(field)s:数量应在 %(min)s 到 %(max)s 之间。"), field=field, label=label, min=min_value, max=max_value)
    amount = int(whole) if not decimal_places else Decimal(f"{whole}.{frac or '0'}").quantize(Decimal(1).scaleb(-decimal_places))
    if (min_value is not None and amount < min_value) or (max_value is not None and amount > max_value):
        _fail(_("%(field)s:数量应在 %(min)s 到 %(max)s 之间。"), field=field, label=label, min=min_value, max=max_value)
    return amount


class QuantityField(serializers.Field):
    """DRF field on top of parse_quantity. Integer by default (documented as an integer); with `decimal_places`
    a decimal string like the model column (documented as DecimalField is)."""

    def __init__(self, *, decimal_places: int = 0, max_digits: int | None = None, min_value=1, max_value=None, **kwargs):
        self.decimal_places = decimal_places
        self.min_value = min_value
        if max_value is None:
            max_value = Decimal(10) ** (max_digits - decimal_places) - Decimal(1).scaleb(-decimal_places) if max_digits else MAX_INTEGER
        self.max_value = max_value
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        try:
            return parse_quantity(
                data, field=self.field_name or "quantity", label=self.label, decimal_places=self.decimal_places,
                min_value=self.min_value, max_value=self.max_value,
            )
        except QuantityError as exc:
            raise serializers.ValidationError(str(exc.message), code="invalid_quantity") from None

    def to_representation(self, value):
        if self.decimal_places:
            return format(Decimal(value).quantize(Decimal(1).scaleb(-self.decimal_places)), "f")
        return int(value)


def _schema(field: QuantityField) -> dict:
    if field.decimal_places:
        return {"type": "string", "format": "decimal", "pattern": rf"^[0-9]+(\.[0-9]{{1,{field.decimal_places}}})?$"}
    schema = {"type": "integer"}
    if field.min_value is not None:
        schema["minimum"] = field.min_value
    if field.max_value is not None:
        schema["maximum"] = field.max_value
    return schema


try:  # the published schema says what the field takes (drf-spectacular)
    from drf_spectacular.extensions import OpenApiSerializerFieldExtension

    class QuantityFieldSchema(OpenApiSerializerFieldExtension):
        target_class = QuantityField

        def map_serializer_field(self, auto_schema, direction):
            return _schema(self.target)
except ImportError:  # pragma: no cover - drf-spectacular is a dependency
    pass


class QuantityFormField(forms.IntegerField):
    """Django form field on top of parse_quantity (an integer count)."""

    def __init__(self, *, min_value=1, max_value=MAX_INTEGER, **kwargs):
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_quantity(value, field=self.label or "quantity", label=self.label, min_value=self.min_value,
                                  max_value=self.max_value)
        except QuantityError as exc:
            raise forms.ValidationError(str(exc.message), code="invalid_quantity") from None
