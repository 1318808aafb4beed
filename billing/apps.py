from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "billing"
    verbose_name = _("服务收费")

    def ready(self):
        from servicedesk.choices import Role
        from servicedesk.context_processors import register_nav
        from servicedesk.roles import ROLE_PERMISSIONS
        from servicedesk.views import WORK_ORDER_PANELS

        from .selectors import work_order_panel

        register_nav("billing:queue", _("收费争议"), {Role.SALES, Role.MANAGER})
        register_nav("billing:parameters", _("收费标准"), {Role.MANAGER})
        entry = ("billing/panel.html", work_order_panel)
        if entry not in WORK_ORDER_PANELS:
            WORK_ORDER_PANELS.append(entry)
        views = [f"billing.view_{m}" for m in ("visitcharge", "chargeline", "chargedecision", "repairplan", "softwarevisitslot")]
        for role in (Role.MANAGER, Role.FINANCE, Role.SALES):
            perms = ROLE_PERMISSIONS.setdefault(role, [])
            perms.extend(p for p in views if p not in perms)
