"""Callbacks' and complaints' pages in the menu (read by the workspace; servicedesk/declarations.py)."""
from django.utils.translation import gettext_lazy as _

from servicedesk.choices import Role
from servicedesk.declarations import MenuEntry

MENU = [
    MenuEntry("callbacks:queue", _("回访"), {Role.COORDINATOR, Role.MANAGER}),
    MenuEntry("callbacks:figures", _("回访统计"), {Role.COORDINATOR, Role.MANAGER}),
    MenuEntry("callbacks:complaints", _("客户投诉"), {Role.MANAGER}),
    MenuEntry("callbacks:complaint_new", _("登记投诉"), {Role.COORDINATOR, Role.MANAGER}),  # R-K10: from any channel
]
