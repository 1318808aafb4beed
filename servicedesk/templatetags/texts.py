"""`{{ value|say }}`: a stored message (servicedesk/texts.py) in the reader's language."""
from django import template

from servicedesk.texts import render

register = template.Library()


@register.filter
def say(value) -> str:
    return render(value)
