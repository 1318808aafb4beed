"""A page's text as a reader sees it, for tests that look for a whole sentence in the HTML.

A stored sentence names what people typed (a client, a person, a note) inside an element marked `data-user-text`
(`{{ x|say }}`, servicedesk.texts.render_html; the English page scan skips those elements): the sentence is one
line on screen but not one string in the HTML. `shown(html)` takes those marks out again."""
import re

USER_TEXT = re.compile(r"<span data-user-text>([^<]*)</span>")


def shown(html: str) -> str:
    return USER_TEXT.sub(r"\1", html)
