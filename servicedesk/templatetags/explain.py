"""`{% load explain %}`: `{{ explanation|param_sentences }}` — the parameters behind a number as sentences in the
reader's language (servicedesk.explain; rule 2: never a dict, a repr or a parameter key)."""
from django import template

from .. import explain

register = template.Library()


@register.filter
def param_sentences(value, inputs=None) -> list[str]:
    """An explanation dict, or a list of stored parameter records → a list of sentences."""
    return explain.param_sentences(value, inputs=inputs if isinstance(inputs, dict) else None)


@register.filter
def param_text(value, inputs=None) -> str:
    """The same, joined for one line of text."""
    from django.utils.translation import gettext as _

    return _(";").join(explain.param_sentences(value, inputs=inputs if isinstance(inputs, dict) else None))
