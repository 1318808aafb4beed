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
