from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from servicedesk.choices import Role

_VIEW = [f"billing.view_{m}" for m in ("visitcharge", "chargeline", "chargedecision", "repairplan", "softwarevisitslot")]


class BillingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "billing"
    verbose_name = _("服务收费")
    # servicedesk/hooks.py: billing's permissions and its panel on the work-order page; its to-dos and menu entries:
    # todos.py, menu.py (read by the workspace)
    role_permissions = {Role.MANAGER: _VIEW, Role.FINANCE: _VIEW, Role.SALES: _VIEW}
    work_order_panels = [("billing/panel.html", "billing.selectors.work_order_panel")]
