"""`{{ value|say }}`: a stored message (servicedesk/texts.py) in the reader's language."""
from django import template
from django.utils.html import format_html

from servicedesk.texts import render_html

register = template.Library()


@register.filter
def say(value):
    """Escaped, with the parameters people typed marked `data-user-text` (servicedesk.texts.render_html)."""
    return render_html(value)


@register.filter
def user_text(value):
    """`{{ name|user_text }}`: text a person typed (a name, a client, an address), wrapped in an element marked
    `data-user-text`, for a sentence that names it (`{% blocktranslate with name=x|user_text %}`). The English page
    scan (tests/test_english_pages.py) reads everything else: a Chinese client name is data, not a missing
    translation (rule 7)."""
    return format_html("<span data-user-text>{}</span>", value)


@register.filter
def say_typed(value):
    """A field that holds either what a person typed (a plain string, kept as typed) or a message a service
    composed (a work order's history note): the message read in the reader's language, the typed text marked
    `data-user-text`."""
    from servicedesk.texts import is_message, is_text_message

    if is_message(value) or not isinstance(value, str) or is_text_message(value):
        return render_html(value)
    return user_text(value) if value else ""


@register.simple_tag(takes_context=True)
def admin_heading(context, title):
    """A Django admin heading that names a record ("Change history: 龙华民治星辰教育"): the record's name, which
    people typed, marked `data-user-text`; the rest of the heading is the admin's own words."""
    record = context.get("original") or context.get("object")
    title = str(title)
    name = str(record) if record not in (None, "") else ""
    if not name or name not in title:
        return title
    before, _sep, after = title.partition(name)
    return format_html("{}<span data-user-text>{}</span>{}", before, name, after)
