"""Serializer fields for text the product writes (rule 7): stored as messages (servicedesk.texts), answered as the
sentence in the request's language, never as a message id."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .texts import render, rendered


class SaidField(serializers.CharField):
    """A stored message (or typed text) as the sentence in the request's language; a string in the schema."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return render(value)


@extend_schema_field({"type": "object", "additionalProperties": True})
class ExplainedField(serializers.JSONField):
    """A stored explanation (rule, inputs, parameter versions, text) with every message in it rendered."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return rendered(value)


class FreeTextField(serializers.CharField):
    """Text a person types, held to the one limit of free text (servicedesk.validators.FREE_TEXT_MAX_LENGTH, the
    model's and the pages' limit); a longer text is refused naming the field, in the request's language."""

    def __init__(self, **kwargs):
        from .validators import FREE_TEXT_MAX_LENGTH

        kwargs.setdefault("max_length", FREE_TEXT_MAX_LENGTH)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        from django.utils.translation import gettext as _

        value = super().to_internal_value(data)
        if self.max_length is not None and len(value) > self.max_length:
            raise serializers.ValidationError(
                _("%(field)s:最多 %(limit)s 个字符(现为 %(count)s 个)。")
                % {"field": self.field_name, "limit": self.max_length, "count": len(value)},
                code="max_length",
            )
        return value
