"""Bonuses' pages in the menu (read by the workspace; servicedesk/declarations.py)."""
from django.utils.translation import gettext_lazy as _

from servicedesk.choices import Role
from servicedesk.declarations import MenuEntry

MENU = [
    MenuEntry("bonuses:month", _("月度奖罚"), {Role.MANAGER, Role.FINANCE, Role.ADMIN}),
    MenuEntry("bonuses:archive", _("结算单归档"), {Role.ADMIN}),
    MenuEntry("bonuses:mine", _("我的月度奖罚")),
]
