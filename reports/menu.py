"""Reports' pages in the menu (read by the workspace; servicedesk/declarations.py)."""
from django.utils.translation import gettext_lazy as _

from servicedesk.choices import Role
from servicedesk.declarations import MenuEntry

MENU = [
    MenuEntry("reports:monthly", _("月度报表"), {Role.MANAGER, Role.GM_OFFICE}),
    MenuEntry("reports:archive", _("报表归档"), {Role.MANAGER, Role.ADMIN, Role.GM_OFFICE}),
    MenuEntry("reports:my", _("我的月报"), {Role.TECHNICIAN}),
]
