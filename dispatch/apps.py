from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DispatchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "dispatch"
    verbose_name = _("派单")

    def ready(self):
        from servicedesk.choices import Role
        from servicedesk.context_processors import register_nav
        from servicedesk.roles import ROLE_PERMISSIONS
        from servicedesk.views import WORK_ORDER_PANELS

        from .views import work_order_panel

        register_nav("dispatch:board", _("派单看板"), {Role.COORDINATOR, Role.MANAGER})
        register_nav("dispatch:intake", _("受理报修"), {Role.COORDINATOR, Role.MANAGER})
        register_nav("dispatch:my_work", _("我的工作"), {Role.TECHNICIAN, Role.TEAM_LEAD})
        entry = ("dispatch/panel.html", work_order_panel)
        if entry not in WORK_ORDER_PANELS:
            WORK_ORDER_PANELS.append(entry)
        view = [f"dispatch.view_{m}" for m in ("assignment", "deadline", "refusal", "handover", "closeout", "carryinrepair", "clientchase")]
        for role in (Role.COORDINATOR, Role.MANAGER, Role.SUPERVISOR, Role.GM_OFFICE):
            for perm in view:
                if perm not in ROLE_PERMISSIONS.setdefault(role, []):
                    ROLE_PERMISSIONS[role].append(perm)
