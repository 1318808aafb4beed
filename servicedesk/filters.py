"""The API's filter backend (issue 14, item 6): date/time filters never answer 500.

A datetime filter value such as `2026-11-01T00:00:00+20:00` parses (Python allows offsets up to ±23:59)
but PostgreSQL refuses offsets beyond ±15:59, and values near year 1 or 9999 overflow when converted to
UTC. Every datetime field of every filterset is checked here, once, for all apps: an offset beyond
±15:59 or an overflowing value is a 400 naming the parameter; a valid value is converted to the
project's time zone before it reaches the database.
"""
from datetime import datetime, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend

MAX_OFFSET = timedelta(hours=15, minutes=59)


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
