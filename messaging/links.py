"""Links in messages, provided by higher apps: the client portal registers "rating", "service_form", "statement" and
"portal" (portal/links.py); a message whose link has no provider simply omits it. A client message's links carry
the recipient's `contact_id` (receivers.on_client_event), so each contact gets a link to their own page.

    from messaging import links
    links.register("rating", lambda *, work_order_id, contact_id=None: f"https://…/c/{token}/#visit-{work_order_id}")
    links.url("rating", work_order_id=12, contact_id=3)  # → the URL, or None when nothing is registered
"""
import logging
from collections.abc import Callable

log = logging.getLogger(__name__)

_providers: dict[str, Callable[..., str | None]] = {}


def register(kind: str, fn: Callable[..., str | None]) -> None:
    """`fn(**kw)` returns an absolute URL (or None: no link for this one). Registering again replaces."""
    _providers[kind] = fn


def unregister(kind: str) -> None:
    _providers.pop(kind, None)


def registered() -> set[str]:
    return set(_providers)


def url(kind: str, **kw) -> str | None:
    fn = _providers.get(kind)
    if fn is None:
        return None
    try:
        return fn(**kw) or None
    except Exception:  # a provider's trouble costs the message its link, never the message
        log.exception("link provider %s failed", kind)
        return None
