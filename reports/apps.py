from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("月度报表")
    # its to-dos and menu entries: todos.py, menu.py (read by the workspace)

    def ready(self):
        from bonuses.signals import statements_changed

        from .services import on_statements_changed

        # R-T1: the draft report follows the month's statements (compiled again, approved, archived)
        statements_changed.connect(on_statements_changed, dispatch_uid="reports-recompile-draft")
