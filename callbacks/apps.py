from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallbacksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "callbacks"
    verbose_name = _("回访")
    # servicedesk/hooks.py: callbacks' panel on the work-order page; its to-dos and menu entries: todos.py, menu.py
    # (read by the workspace)
    work_order_panels = [("callbacks/panel.html", "callbacks.selectors.work_order_panel")]
