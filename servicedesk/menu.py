"""The core's pages in the menu (read by the workspace; servicedesk/declarations.py)."""
from django.utils.translation import gettext_lazy as _

from .choices import Role
from .declarations import MenuEntry

MENU = [
    MenuEntry("servicedesk:work_order_list", _("工单")),
    MenuEntry("servicedesk:parameters", _("规则参数"), {Role.MANAGER, Role.ADMIN}),
    MenuEntry("servicedesk:calendar", _("工作日历"), {Role.MANAGER, Role.ADMIN}),
    MenuEntry("servicedesk:masterdata", _("基础资料导入"), {Role.ADMIN}),
]
