"""The home page's to-do tiles: every app's own declarations (`<app>/todos.py`, servicedesk/declarations.py),
placed in the workspace's order.

`todos_for(viewer)` counts the viewer's to-dos with one query each, so the home page costs a fixed number of queries
whatever the data. `register_todo` adds one more at run time (an extension, or a test).
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

import billing.todos
import bonuses.todos
import callbacks.todos
import dispatch.todos
import penalties.todos
import portal.todos
import receivables.todos
import reports.todos
import servicedesk.todos
from servicedesk.declarations import Todo, todo
from servicedesk.errors import DomainError

# Where each tile sits among a viewer's tiles (those with something to do come first, then the zeros; each group in
# this order). A declared to-do this list does not name comes after the named ones, in the order of INSTALLED_APPS.
ORDER = [
    "unassigned", "portal_intake", "overdue_callbacks", "due_callbacks", "unregistered_copies", "my_visits", "callbacks_about_me",
    "my_sales", "my_penalties", "pending_penalties", "statements_to_review", "extensions_manager", "open_complaints",
    "dismissal_flags", "overdue_receivables", "statements_to_check", "penalties_about_managers", "extensions_gm",
    "sales_disputes", "awaiting_plans", "missing_calendar", "complaints_reply_overdue", "complaints_to_decide",
    "resident-supervisor", "resident-client", "resident-manager", "resident-stamp", "resident-archive",
    "resident-documents", "resident-returned", "draft_statements_last_month", "statements_to_archive",
    "last_month_report",
]

DECLARED: list[Todo] = [
    *servicedesk.todos.TODOS, *penalties.todos.TODOS, *billing.todos.TODOS, *callbacks.todos.TODOS,
    *dispatch.todos.TODOS, *receivables.todos.TODOS, *bonuses.todos.TODOS, *reports.todos.TODOS, *portal.todos.TODOS,
]


def _arranged(declared: list[Todo]) -> list[Todo]:
    keys = [t.key for t in declared]
    duplicates = {k for k in keys if keys.count(k) > 1}
    if duplicates:
        raise ValueError(f"to-do keys declared twice: {sorted(duplicates)}")
    place = {key: n for n, key in enumerate(ORDER)}
    return sorted(declared, key=lambda t: place.get(t.key, len(ORDER)))  # stable: the rest keep their app order


TODOS: list[Todo] = _arranged(DECLARED)


def register_todo(roles, label, url_name: str, count_fn: Callable, *, key: str | None = None, tone: str = "warn", query: str = "") -> None:
    """Add a to-do for `roles` (iterable of Role) after the declared ones. Idempotent on `key` (default: url_name + label)."""
    key = key or f"{url_name}|{label}"
    if any(t.key == key for t in TODOS):
        return
    TODOS.append(todo(roles, label, url_name, count_fn, key=key, tone=tone, query=query))


def todos_for(viewer, *, now: datetime | None = None) -> list[dict]:
    """The viewer's to-dos with their counts: [{key, label, count, url, tone, error}], one query per to-do."""
    if viewer is None:
        return []
    now = now or timezone.now()
    everything = viewer.user.is_superuser and not viewer.roles  # a superuser with roles sees those roles' to-dos
    out = []
    for item in TODOS:
        if not (everything or viewer.has_role(*item.roles)):
            continue
        try:
            url = reverse(item.url_name) + item.query
        except NoReverseMatch:
            continue  # the page is not installed
        try:
            count = item.count_fn(viewer, now)
            error = ""
        except DomainError as exc:  # e.g. CalendarMissingError: say so, keep the page
            count, error = None, str(exc.message)
        out.append({"key": item.key, "label": item.label, "count": count, "url": url, "tone": item.tone, "error": error})
    out.sort(key=lambda t: 0 if t["count"] else 1)  # things to do first, the zeros after (stable: the order above)
    return out
