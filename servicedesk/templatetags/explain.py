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


@register.filter
def param_note(note) -> str:
    """A parameter version's note: a seeded one in the catalogue's words (never a file name), one a manager typed
    shown as typed and marked as their text (rule 7)."""
    from django.utils.html import format_html
    from django.utils.translation import gettext as _

    from servicedesk.param_specs import seeded_note

    if not note:
        return ""
    seeded = seeded_note(note)
    if seeded is not None:
        return format_html('<span class="param-note">{}</span>', seeded)
    return format_html('<span class="user-text" title="{}">“{}”</span>', _("经理填写的变更原因"), note)
