from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PenaltiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "penalties"
    verbose_name = _("处罚")

    def ready(self):
        from servicedesk.choices import Role
        from servicedesk.context_processors import register_nav

        register_nav("penalties:review", _("处罚审核"), {Role.MANAGER})
        register_nav("penalties:mine", _("我的扣分"), None)
