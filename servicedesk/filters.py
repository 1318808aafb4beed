"""The API's query parameters, one way for every app: django-filter FilterSets through `SafeFilterBackend`.

Every list filter of the API is a FilterSet (one per resource, in the app's `filters.py`) built from the filters
below, so a bad value answers the same way everywhere: 400 with a translated message naming the parameter
(docs/developers.md rules 4 and 7), in the error shape of `servicedesk.api_errors` (`{"status": ["…"]}`):

- `IdFilter`: a record's id (integer); an id nobody has simply matches nothing.
- `ChoiceFilter`: one of the documented values; anything else is named ("未知的取值:…").
- `BoolFilter`: `true`/`false` (or `1`/`0`); anything else is refused instead of silently ignored.
- `DateFilter`, `DateTimeFilter`: ISO 8601; a date-time the database cannot hold is refused (below).
- `MonthFilter`: "YYYY-MM" (a full date names its month).

A parameter that is an action's input rather than a list filter (a report's month, the ledger's "as of" date)
is read with a small declared serializer of `MonthInput` / `IdInput` fields: the same messages, the same shape.

Date-times: `2026-11-01T00:00:00+20:00` parses (Python allows offsets up to ±23:59) but PostgreSQL refuses
offsets beyond ±15:59, and values near year 1 or 9999 overflow when converted to UTC. Every date-time field of
every filterset is checked here, once, for all apps: an offset beyond ±15:59 or an overflowing value is a 400
naming the parameter; a valid value is converted to the project's time zone before it reaches the database.
"""
from datetime import date, datetime, timedelta

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import fields as filter_fields
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.rest_framework import FilterSet as _RestFilterSet
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .errors import DomainError
from .months import parse_month

MAX_OFFSET = timedelta(hours=15, minutes=59)
MAX_ID = 2**63 - 1  # a bigint: larger is no id (and would overflow the column)

ID_MESSAGE = gettext_lazy("应为编号(整数)。")
MONTH_MESSAGE = gettext_lazy("月份格式应为 YYYY-MM。")
MONTH_REQUIRED = gettext_lazy("请指定月份(YYYY-MM)。")
DATE_MESSAGE = gettext_lazy("日期格式应为 YYYY-MM-DD。")
DATETIME_MESSAGE = gettext_lazy("日期时间格式应为 ISO 8601,例如 2026-11-01T09:00:00+08:00。")
BOOL_MESSAGE = gettext_lazy("应为 true 或 false。")
CHOICE_MESSAGE = gettext_lazy("未知的取值:%(value)s")
STATUS_MESSAGE = gettext_lazy("未知的状态:%(s)s")
CLIENT_KIND_MESSAGE = gettext_lazy("未知的客户类型:%(k)s")

def month_of(text) -> date | None:
    """ "2026-11" (or "2026-11-20", or a date) → date(2026, 11, 1); None when it names no month (the parsing is
    servicedesk/months.py's, the one home of month arithmetic)."""
    try:
        return parse_month(text, default=None)
    except DomainError:
        return None


def _month_or_refuse(text, invalid_message, error_class):
    """The month `text` names, or `error_class` with the months.py range message (a year before FIRST_YEAR or
    after LAST_YEAR) or else `invalid_message`."""
    try:
        month = parse_month(text, default=None)
    except DomainError as exc:
        if exc.code == "month_range":
            raise error_class(str(exc.message), code="month_range") from None
        raise error_class(invalid_message, code="invalid") from None
    if month is None:
        raise error_class(invalid_message, code="invalid")
    return month


# --------------------------------------------------------------------------- date-times the database can hold


def safe_datetime(value: datetime) -> datetime:
    """`value` in the current time zone, or forms.ValidationError (translated) when the database can't hold it."""
    if value is None or not isinstance(value, datetime) or timezone.is_naive(value):
        return value
    offset = value.utcoffset()
    if offset is not None and abs(offset) > MAX_OFFSET:
        raise forms.ValidationError(_("时区偏移须在 -15:59 到 +15:59 之间。"), code="offset_range")
    try:
        return timezone.localtime(value)
    except (OverflowError, ValueError):
        raise forms.ValidationError(_("日期时间超出范围。"), code="overflow")


def _guard(field: forms.Field) -> None:
    original = field.clean

    def clean(value):
        return safe_datetime(original(value))

    field.clean = clean


class SafeFilterBackend(DjangoFilterBackend):
    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            for field in filterset.form.fields.values():
                if isinstance(field, forms.DateTimeField):
                    _guard(field)
        return filterset


# --------------------------------------------------------------------------- form fields of the filters


class IdField(forms.IntegerField):
    default_error_messages = {"invalid": ID_MESSAGE, "max_value": ID_MESSAGE, "min_value": ID_MESSAGE}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_value", MAX_ID)
        kwargs.setdefault("min_value", -MAX_ID)
        super().__init__(**kwargs)


class NamedChoiceField(filter_fields.ChoiceField):
    """A choice field whose refusal names the value given (cut to 30 characters: never echo a long input)."""

    default_error_messages = {"invalid_choice": CHOICE_MESSAGE}

    def validate(self, value):
        try:
            super().validate(value)
        except forms.ValidationError as exc:
            if getattr(exc, "code", None) != "invalid_choice":
                raise
            shown = str(value)[:30]
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": shown, "s": shown, "k": shown}
            ) from None


class BoolField(forms.Field):
    """`true`/`false`/`1`/`0` (any case); blank is "not given". Anything else is an error, never ignored."""

    widget = forms.TextInput
    default_error_messages = {"invalid": BOOL_MESSAGE}
    TRUE, FALSE = {"true", "1"}, {"false", "0"}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class MonthField(forms.CharField):
    """ "YYYY-MM" → the month's first day."""

    default_error_messages = {"invalid": MONTH_MESSAGE}

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        return _month_or_refuse(text, self.error_messages["invalid"], forms.ValidationError)


# --------------------------------------------------------------------------- the filters


class IdFilter(django_filters.NumberFilter):
    """A record's id. Point `field_name` at `<relation>__id` so the schema says integer (the join is trimmed)."""

    field_class = IdField

    def get_max_validator(self):
        return None  # IdField bounds the value itself, with the translated message


class ChoiceFilter(django_filters.ChoiceFilter):
    """One of `choices`; `message` may name what kind of value it is ("未知的状态:%(s)s")."""

    field_class = NamedChoiceField

    def __init__(self, *args, message=None, **kwargs):
        if message is not None:
            kwargs.setdefault("error_messages", {"invalid_choice": message})
        super().__init__(*args, **kwargs)


def StatusFilter(choices, **kwargs) -> ChoiceFilter:
    """The `status` of a list: one of `choices`, else "未知的状态:…"."""
    return ChoiceFilter(choices=choices, message=STATUS_MESSAGE, **kwargs)


class BoolFilter(django_filters.BooleanFilter):
    field_class = BoolField


class DateFilter(django_filters.DateFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("error_messages", {"invalid": DATE_MESSAGE})
        super().__init__(*args, **kwargs)


class DateTimeFilter(django_filters.IsoDateTimeFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("error_messages", {"invalid": DATETIME_MESSAGE})
        super().__init__(*args, **kwargs)


class MonthFilter(django_filters.CharFilter):
    """ "YYYY-MM": by default the rows whose `month` (a first-of-month date) is that month."""

    field_class = MonthField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("help_text", "YYYY-MM")
        super().__init__(*args, **kwargs)


class FilterSet(_RestFilterSet):
    """Base of every API FilterSet: filters are declared with the classes above (their messages are the
    project's); `Meta.fields` lists only declared filters, never generated ones."""


# --------------------------------------------------------------------------- action inputs (declared serializers)


@extend_schema_field({"type": "string", "example": "2026-11", "description": "YYYY-MM"})
class MonthInput(serializers.Field):
    """An action's month, "YYYY-MM" → the month's first day (shown back as "YYYY-MM")."""

    default_error_messages = {"invalid": MONTH_MESSAGE, "required": MONTH_REQUIRED, "null": MONTH_REQUIRED}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return _month_or_refuse(data, self.error_messages["invalid"], serializers.ValidationError)

    def to_representation(self, value):
        return f"{value:%Y-%m}"

    def validate_empty_values(self, data):
        if data == "":  # `?month=` is "not given"
            data = serializers.empty
        return super().validate_empty_values(data)


def IdInput(**kwargs) -> serializers.IntegerField:
    """An action's record id (integer), refused with the same message as `IdFilter`."""
    kwargs.setdefault("error_messages", {"invalid": ID_MESSAGE, "max_string_length": ID_MESSAGE,
                                         "max_value": ID_MESSAGE, "min_value": ID_MESSAGE})
    return serializers.IntegerField(max_value=MAX_ID, min_value=-MAX_ID, **kwargs)


class MonthQuery(serializers.Serializer):
    """`month` (required): an action's month, from the path or the query."""

    month = MonthInput()


def month_input(value) -> date:
    """The month an action was given (path or query), or a 400 `{"month": [...]}`."""
    data = MonthQuery(data={"month": value} if value is not None else {})
    data.is_valid(raise_exception=True)
    return data.validated_data["month"]
