"""Billing's pages in the menu (read by the workspace; servicedesk/declarations.py)."""
from django.utils.translation import gettext_lazy as _

from servicedesk.choices import Role
from servicedesk.declarations import MenuEntry

MENU = [
    MenuEntry("billing:queue", _("收费争议"), {Role.SALES, Role.MANAGER}),
    MenuEntry("billing:parameters", _("收费标准"), {Role.MANAGER}),
]
