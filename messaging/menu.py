"""Messaging's pages in the menu (read by the workspace; servicedesk/declarations.py)."""
from django.utils.translation import gettext_lazy as _

from servicedesk.choices import Role
from servicedesk.declarations import MenuEntry

MENU = [
    MenuEntry("messaging:outbox", _("消息发送记录"), {Role.MANAGER}),
    MenuEntry("messaging:templates", _("消息模板"), {Role.MANAGER}),
    MenuEntry("messaging:contacts", _("客户消息渠道"), {Role.COORDINATOR, Role.MANAGER}),
    MenuEntry("messaging:my_channel", _("我的提醒渠道"), None),
]
