from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    """The top floor (docs/developers.md): the home page with each role's to-dos, the menus, and the site's URLs.
    It reads what every app declares (`<app>/todos.py`, `<app>/menu.py`); no app below knows it."""

    name = "workspace"
    verbose_name = _("工作台")
