"""Penalties' pages in the menu (read by the workspace; servicedesk/declarations.py)."""
from django.utils.translation import gettext_lazy as _

from servicedesk.choices import Role
from servicedesk.declarations import MenuEntry

MENU = [
    MenuEntry("penalties:review", _("处罚审核"), {Role.MANAGER}),
    MenuEntry("penalties:mine", _("我的扣分")),
    # R-N5: the offences no event reveals are recorded by these roles
    MenuEntry("penalties:offence_new", _("记录违规"), {Role.MANAGER, Role.SUPERVISOR, Role.TEAM_LEAD, Role.COORDINATOR}),
]
