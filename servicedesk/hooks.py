"""What the core's pages let the apps above it add. An app DECLARES its additions on its own AppConfig; the core
collects them from every installed app (INSTALLED_APPS order) and never imports an app by name:

- `role_permissions = {Role: ["app_label.codename", …]}`: the Django permissions each role's group gets
  (collected by `roles.ensure_role_groups` after every migrate);
- `work_order_panels = [(template, "dotted.path.to.fn")]`: a panel on the work-order page, where
  `fn(work_order, request)` returns the panel's context;
- `work_order_actions = "dotted.path.to.mapping"`: the names of the work-order event actions the app stamps
  (`{% load labels %}` … `|action_label`).

The panels and action names are collected once every app is loaded (`ServicedeskConfig.ready`): a wrong path fails
at start-up, not on a page.
"""
from collections.abc import Callable

from django.apps import apps
from django.utils.module_loading import import_string

# (template, fn(work_order, request) -> the panel's context), in INSTALLED_APPS order
WORK_ORDER_PANELS: list[tuple[str, Callable]] = []
# event action code -> its name; the core's own actions are named in templatetags/labels.py
WORK_ORDER_ACTIONS: dict[str, object] = {}


def declared(attribute: str) -> list[tuple[str, object]]:
    """(app label, value) of every installed app that declares `attribute` on its AppConfig."""
    return [(config.label, getattr(config, attribute)) for config in apps.get_app_configs() if hasattr(config, attribute)]


def collect() -> None:
    """Fill the work-order page's panels and action names from the apps' declarations (idempotent)."""
    WORK_ORDER_PANELS[:] = [
        (template, import_string(path)) for _label, panels in declared("work_order_panels") for template, path in panels
    ]
    WORK_ORDER_ACTIONS.clear()
    for _label, path in declared("work_order_actions"):
        WORK_ORDER_ACTIONS.update(import_string(path))
