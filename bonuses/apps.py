from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BonusesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "bonuses"
    verbose_name = _("奖金与罚款")
    # its to-dos and menu entries: todos.py, menu.py (read by the workspace)

    def ready(self):
        # R-M6..R-M8: a completed project's pool becomes its people's shares, in the completion's transaction.
        from dispatch.projects.signals import project_completed

        from .services import on_project_completed

        project_completed.connect(on_project_completed, dispatch_uid="bonuses.project_completed")
