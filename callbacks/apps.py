from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallbacksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "callbacks"
    verbose_name = _("回访")

    def ready(self):
        from servicedesk.choices import Role
        from servicedesk.context_processors import register_nav
        from servicedesk.views import WORK_ORDER_PANELS

        from .selectors import work_order_panel

        register_nav("callbacks:queue", _("回访"), {Role.COORDINATOR, Role.MANAGER})
        register_nav("callbacks:figures", _("回访统计"), {Role.COORDINATOR, Role.MANAGER})
        register_nav("callbacks:complaints", _("客户投诉"), {Role.MANAGER})
        entry = ("callbacks/panel.html", work_order_panel)
        if entry not in WORK_ORDER_PANELS:
            WORK_ORDER_PANELS.append(entry)
