"""A message's words in its recipient's language: the manager's template (or the default), its parameters formatted
for the language (servicedesk.texts), the links that a higher app provides."""
from django.utils import translation

from servicedesk.errors import DomainError
from servicedesk.texts import render

from . import links as link_registry
from .catalogue import LINK_LABELS, TEMPLATES
from .models import MessageTemplate


PREVIEW_ADDRESS = ("(发送时为收件人生成的专属链接)", "(the recipient's own link, made when the message is sent)")


def _lang(language: str) -> str:
    return "en" if (language or "").startswith("en") else "zh"


def template_text(key: str, language: str, *, overrides: dict | None = None) -> str:
    """The text in force for a template and language: the manager's, else the default from the code."""
    lang = _lang(language)
    if overrides is not None:
        row = overrides.get(key)
    else:
        row = MessageTemplate.objects.filter(key=key).first()
    text = getattr(row, f"text_{lang}", "") if row else ""
    return text or getattr(TEMPLATES[key], lang)


def link_lines(wanted: dict, language: str, *, preview: bool = False) -> str:
    """The message's links, a line each. `preview`: what the manager's preview shows instead of an address — a
    preview reads, it never makes a client's link (a live link shown on a staff page would open the client's page)."""
    lang = _lang(language)
    lines = []
    # in the catalogue's order, whatever order the stored JSON keeps (PostgreSQL's jsonb sorts its keys)
    order = list(LINK_LABELS)
    for kind, kw in sorted((wanted or {}).items(), key=lambda item: (order.index(item[0]) if item[0] in order else len(order), item[0])):
        address = PREVIEW_ADDRESS[lang == "en"] if preview else link_registry.url(kind, **(kw or {}))
        if address:
            zh, en = LINK_LABELS.get(kind, (kind, kind))
            label = en if lang == "en" else zh
            lines.append(f"{label}{': ' if lang == 'en' else ':'}{address}")
    return ("\n" + "\n".join(lines)) if lines else ""


def render_text(text: str, *, params: dict, links: dict, language: str, preview: bool = False) -> str:
    """Fill `text` with the parameters (stored as servicedesk.texts encodes them) in `language`. KeyError/ValueError
    for a text that names a parameter the message does not have."""
    # each parameter is formatted for the language; the text itself is the manager's own, never looked up in gettext
    with translation.override("en" if _lang(language) == "en" else "zh-hans"):
        values = {k: render({"id": "%(v)s", "params": {"v": v}}) for k, v in (params or {}).items()}
        values["links"] = link_lines(links, language, preview=preview)
        values.setdefault("link", "")
    return text % values


def render_message(*, key: str, params: dict, links: dict, language: str, overrides: dict | None = None) -> str:
    return render_text(template_text(key, language, overrides=overrides), params=params, links=links, language=language)


def check_text(key: str, text: str, *, field: str) -> None:
    """A manager's wording may use only the template's parameters (an error naming the field otherwise)."""
    if not text:
        return
    sample = {p: "x" for p in TEMPLATES[key].params}
    try:
        text % sample
    except KeyError as exc:
        raise DomainError(
            translation.gettext("“%(name)s”不是此模板的参数;可用的参数:%(params)s")
            % {"name": exc.args[0], "params": ", ".join(f"%({p})s" for p in TEMPLATES[key].params)},
            field=field,
        )
    except (ValueError, TypeError):
        raise DomainError(translation.gettext("模板格式有误:参数须写成 %(example)s。") % {"example": "%(number)s"},
                          field=field)
