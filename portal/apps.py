from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from servicedesk.choices import Role

_VIEW = ["portal.view_clientlink", "portal.view_intakerequest"]


class PortalConfig(AppConfig):
    """The client's own page (a signed, revocable link per site contact, no account) and the desk pages that send
    the links and confirm what clients report. Sits above reports and below the workspace: it may use every app."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "portal"
    verbose_name = _("客户自助页面")
    # servicedesk/hooks.py: the back office's read-only view of links and requests; menu and to-dos: menu.py, todos.py
    role_permissions = {role: _VIEW for role in (Role.COORDINATOR, Role.MANAGER)}

    def ready(self):
        # the outbox's client messages link into the recipient's own page (messaging.links; links.py)
        from .links import register_all

        register_all()
