"""What an app declares for the workspace (the top app that draws the home page and the menus).

Each app lists its own home-page to-dos in `<app>/todos.py` (`TODOS`) and its own menu entries in
`<app>/menu.py` (`MENU`) with these two types; the workspace imports those modules and arranges them. An app
declares only its own pages and counts its own rows, with its own choices (no raw status strings).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Todo:
    """A tile of the home page: `count_fn(viewer, now)` returns an int with ONE query (the home page costs a fixed
    number of queries whatever the data); the tile links to `url_name` + `query` (e.g. "?status=overdue")."""

    key: str
    roles: frozenset
    label: object
    url_name: str
    count_fn: Callable
    tone: str = "warn"  # "bad" for overdue things
    query: str = ""

    def __post_init__(self):
        object.__setattr__(self, "roles", frozenset(self.roles))


def todo(roles: Iterable, label, url_name: str, count_fn: Callable, *, key: str, tone: str = "warn", query: str = "") -> Todo:
    """A to-do for `roles` (iterable of Role)."""
    return Todo(key=key, roles=frozenset(roles), label=label, url_name=url_name, count_fn=count_fn, tone=tone, query=query)


@dataclass(frozen=True)
class MenuEntry:
    """A page in the menu: shown to `roles` (None: every staff member)."""

    url_name: str
    label: object
    roles: frozenset | None = field(default=None)

    def __post_init__(self):
        if self.roles is not None:
            object.__setattr__(self, "roles", frozenset(self.roles))
