from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceivablesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "receivables"
    verbose_name = _("销售回款")

    def ready(self):
        from servicedesk.choices import Role
        from servicedesk.events import calendar_year_loaded

        from .services.calendar import on_calendar_year_loaded

        calendar_year_loaded.connect(on_calendar_year_loaded, dispatch_uid="receivables.calendar_year_loaded")
        from servicedesk.context_processors import register_nav

        register_nav("receivables:ledger", _("应收台账"), {Role.FINANCE, Role.MANAGER})
        register_nav("receivables:payment_new", _("登记收款"), {Role.FINANCE})
        register_nav("receivables:payments_import", _("收款导入"), {Role.FINANCE})
        register_nav("receivables:import", _("期初应收导入"), {Role.FINANCE})
        register_nav("receivables:statements", _("月结对账单"), {Role.FINANCE, Role.MANAGER, Role.COORDINATOR})
        register_nav("receivables:register", _("送货联登记"), {Role.COORDINATOR})
        register_nav("receivables:reconciliation", _("销售台账对账"), {Role.COORDINATOR})
        register_nav("receivables:my_ledger", _("我的销售台账"), {Role.TECHNICIAN})
        register_nav("receivables:overdue_review", _("逾期回款周审"), {Role.MANAGER})
        register_nav("receivables:extensions", _("延期审批"), {Role.MANAGER, Role.GM_OFFICE})

        # R-S1: a charge decided in billing (R-B9, R-B6/R-B7) moves the visit's sales confirmation, in billing's transaction.
        from billing.signals import charge_decided

        from .services.visits import on_charge_decided

        charge_decided.connect(on_charge_decided, dispatch_uid="receivables.charge_decided")
