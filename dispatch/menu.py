"""Dispatch's pages in the menu, with the resident service, team projects and maintenance contracts
(read by the workspace; servicedesk/declarations.py)."""
from django.utils.translation import gettext_lazy as _

from servicedesk.choices import Role
from servicedesk.declarations import MenuEntry

MENU = [
    MenuEntry("dispatch:board", _("派单看板"), {Role.COORDINATOR, Role.MANAGER}),
    MenuEntry("dispatch:intake", _("受理报修"), {Role.COORDINATOR, Role.MANAGER}),
    MenuEntry("dispatch:my_work", _("我的工作"), {Role.TECHNICIAN, Role.TEAM_LEAD}),
    # R-R2: the resident report's approval chain reads the reports list; the resident technician writes their own
    MenuEntry("dispatch:resident:reports", _("驻场月报"), {Role.SUPERVISOR, Role.MANAGER, Role.GM_OFFICE, Role.ADMIN}),
    MenuEntry("dispatch:resident:my", _("驻场月报"), {Role.TECHNICIAN}),
    MenuEntry("dispatch:resident:attendance", _("驻点考勤"), {Role.MANAGER, Role.ADMIN}),  # site leads: from their resident page
    MenuEntry("dispatch:projects:list", _("团队项目")),
    MenuEntry("dispatch:contracts:list", _("维保合同"), {Role.MANAGER, Role.COORDINATOR, Role.SALES}),
]
