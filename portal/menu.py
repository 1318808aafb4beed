"""The client portal's desk pages in the menu (read by the workspace; servicedesk/declarations.py)."""
from django.utils.translation import gettext_lazy as _

from servicedesk.choices import Role
from servicedesk.declarations import MenuEntry

MENU = [
    MenuEntry("portal:intake", _("客户自助报修"), {Role.COORDINATOR, Role.MANAGER}),
    MenuEntry("portal:links", _("客户链接"), {Role.COORDINATOR, Role.MANAGER}),
]
