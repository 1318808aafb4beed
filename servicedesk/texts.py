"""Text the system writes, stored as a message id and its parameters, read in the reader's language (rule 7).

A sentence the product composes (a pricing explanation, a penalty's reason, a statement line, a notification, a
history entry) is not stored finished: it is stored as

    {"id": "R-B1:%(what)s 免收上门费", "params": {"what": {"$t": "软件故障"}, "fee": {"$money": "80.00"}}}

where `id` is the Chinese source string (the gettext msgid, so `makemessages` finds it where the code writes it with
`gettext_noop`) and the parameters keep their kind. `render()` translates the id in the language active when the text
is READ (the reader's page, the recipient's e-mail, the requester's export) and formats each parameter for it.

    from django.utils.translation import gettext_noop as N_
    line.explanation = message(N_("配件:成本 %(cost)s × %(rate)s"), cost=Money(cost), rate=rate)
    ...
    {% load texts %}{{ line.explanation|say }}

Rows written before a text was stored this way keep their finished sentence: a plain string (or {"legacy": "…"})
renders as it was written, in the language it was written in.

A text column that holds either what a person typed or what the product wrote (a payment's note, a sales line's
description, a penalty's source, a job's result) keeps the product's sentence as `as_text(message(…))`: the
message as compact JSON in the column, which `render()` / `|say` read back in the reader's language. Typed text
is left as typed.
"""
from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_noop, override

from .templatetags.money import format_yuan

__all__ = ["Money", "Date", "message", "render", "render_html", "is_message", "rendered", "joined", "as_text", "is_text_message"]


class Money(Decimal):
    """A parameter shown as money: ¥1,234.50."""


class Date:
    """A parameter shown as a day (2027-02-15) or a local time (2027-02-15 09:30, Asia/Shanghai)."""

    def __init__(self, value: date | datetime):
        self.value = value


def _source_of(promise: Promise) -> str:
    """The msgid behind a gettext_lazy label (a TextChoices label, a verbose name): stored untranslated so the
    reader's language decides."""
    args = getattr(promise, "_args", None)
    if not args or not isinstance(args[0], str):
        raise TypeError(f"not a gettext_lazy string: {promise!r}")
    return args[0]


def _encode(value: Any) -> Any:
    if isinstance(value, dict) and "id" in value and "params" in value:
        return {"$m": value}  # a message inside a message (a clause name inside a reason)
    if isinstance(value, Promise):
        return {"$t": _source_of(value)}
    if isinstance(value, Money):
        return {"$money": str(value)}
    if isinstance(value, Date):
        v = value.value
        if isinstance(v, datetime):
            return {"$datetime": timezone.localtime(v).isoformat()}
        return {"$date": v.isoformat()}
    if isinstance(value, Decimal):
        return {"$dec": str(value)}
    if isinstance(value, (list, tuple)):
        return {"$list": [_encode(v) for v in value]}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cannot store {type(value).__name__} in a message; wrap it (Money, Date) or pass text")


def message(msgid: str, /, **params) -> dict:
    """The stored form of a sentence: its msgid (a `gettext_noop` string) and its parameters (JSON-safe)."""
    if isinstance(msgid, Promise):
        msgid = _source_of(msgid)
    return {"id": str(msgid), "params": {k: _encode(v) for k, v in params.items()}}


def is_message(value) -> bool:
    return isinstance(value, dict) and "id" in value


_TEXT_MARK = '{"id":'


def as_text(stored: dict, *, max_length: int | None = None) -> str:
    """A message kept in a text column: compact JSON that `render()` reads back in the reader's language.
    Refused (ValueError) when it would not fit the column, so a message is never cut into unreadable JSON."""
    text = json.dumps({"id": stored["id"], "params": stored.get("params") or {}}, ensure_ascii=False, separators=(",", ":"))
    if max_length is not None and len(text) > max_length:
        raise ValueError(f"message longer than the column ({len(text)} > {max_length}): {stored['id']!r}")
    return text


def is_text_message(value) -> bool:
    """Whether a text column's value is a message the product wrote (as_text), not text a person typed."""
    return isinstance(value, str) and _from_text(value) is not None


def _from_text(value: str):
    """The message a text column holds (see `as_text`), or None for text a person typed."""
    if not value.startswith(_TEXT_MARK):
        return None
    try:
        stored = json.loads(value)
    except ValueError:
        return None
    return stored if _is_stored_message(stored) else None


def _list_sep() -> str:
    return gettext("、")


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if "$m" in value:
            return _render(value["$m"])
        if "$t" in value:
            return gettext(value["$t"])
        if "$money" in value:
            return format_yuan(value["$money"])
        if "$date" in value:
            return value["$date"]
        if "$datetime" in value:
            return timezone.localtime(datetime.fromisoformat(value["$datetime"])).strftime("%Y-%m-%d %H:%M")
        if "$dec" in value:
            return value["$dec"]
        if "$list" in value:
            return _list_sep().join(str(_decode(v)) for v in value["$list"])
    return value


def _render(stored) -> str:
    if stored is None or stored == "" or stored == {}:
        return ""
    if isinstance(stored, str):
        kept = _from_text(stored)
        if kept is not None:
            return _render(kept)
        return stored  # typed text, or a finished sentence written before texts were stored as messages
    if isinstance(stored, dict) and "legacy" in stored and "id" not in stored:
        return str(stored["legacy"])
    text = gettext(stored["id"])
    params = {k: _decode(v) for k, v in (stored.get("params") or {}).items()}
    if not params:
        return text
    try:
        return text % params
    except (KeyError, ValueError, TypeError):
        # a catalogue entry that lost a placeholder must not cost the reader the sentence: the source reads right
        return stored["id"] % params


def render(stored, *, language: str | None = None) -> str:
    """The sentence in `language` (default: the active one, i.e. the reader's)."""
    if language is None:
        return _render(stored)
    with override(language):
        return _render(stored)


def _is_stored_message(value) -> bool:
    return isinstance(value, dict) and isinstance(value.get("id"), str) and isinstance(value.get("params"), dict)


def rendered(value, *, language: str | None = None):
    """A copy of a stored JSON structure (an explanation, its inputs) with every message in it rendered to its
    sentence: what an API answers, so a client reads text in the request's language, never a message id."""
    def walk(v):
        if _is_stored_message(v):
            return _render(v)
        if isinstance(v, str) and v.startswith(_TEXT_MARK):
            return _render(v)
        if isinstance(v, dict):
            return {k: walk(x) for k, x in v.items()}
        if isinstance(v, list):
            return [walk(x) for x in v]
        return v

    if language is None:
        return walk(value)
    with override(language):
        return walk(value)


def joined(parts: list) -> dict | str:
    """Several stored messages read as one, separated by the reader's semicolon ("a;b" / "a; b"); "" for none."""
    parts = [p for p in parts if p]
    if not parts:
        return ""
    out = parts[0]
    for p in parts[1:]:
        out = message(gettext_noop("%(first)s;%(second)s"), first=out, second=p)
    return out


def _decode_html(value: Any):
    """A parameter for a page: a plain string is what a person typed (a client, a name, a note: the product's own
    words are stored as "$t" or "$m"), so it is marked `data-user-text`; the rest escaped as usual."""
    from django.utils.html import conditional_escape, format_html, format_html_join

    if isinstance(value, str):
        return format_html("<span data-user-text>{}</span>", value)
    if isinstance(value, dict):
        if "$m" in value:
            return _render_html(value["$m"])
        if "$list" in value:
            return conditional_escape(_list_sep()).join(_decode_html(v) for v in value["$list"]) if value["$list"] else ""
    return conditional_escape(str(_decode(value)))


def _render_html(stored):
    from django.utils.html import conditional_escape
    from django.utils.safestring import mark_safe

    if isinstance(stored, str):
        stored = _from_text(stored) or stored  # a message kept in a text column (as_text)
    if not _is_stored_message(stored):
        return conditional_escape(_render(stored))
    params = {k: _decode_html(v) for k, v in stored["params"].items()}
    text = gettext(stored["id"])
    if not params:
        return conditional_escape(text)
    for source in (text, stored["id"]):
        try:
            return mark_safe(str(conditional_escape(source)) % params)
        except (KeyError, ValueError, TypeError):
            continue
    return conditional_escape(_render(stored))


def render_html(stored, *, language: str | None = None):
    """`render` for a page (`{{ value|say }}`): the sentence escaped, each parameter a person typed wrapped in an
    element marked `data-user-text` (the English page scan reads the rest, tests/test_english_pages.py)."""
    if language is None:
        return _render_html(stored)
    with override(language):
        return _render_html(stored)

