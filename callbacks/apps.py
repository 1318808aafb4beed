from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _complaints_reply_overdue(viewer, now):
    """R-K10: complaints not replied to by their deadline (one query)."""
    from .selectors import complaints

    return complaints(show="reply_overdue", now=now).count()


def _complaints_to_decide(viewer, now):
    """R-K10: complaints the manager has not decided yet (whose, if anyone's, they are) — never one naming the
    viewer, which they may not decide (one query)."""
    from .selectors import complaints

    return complaints(show="to_decide", now=now, viewer=viewer).count()


class CallbacksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "callbacks"
    verbose_name = _("回访")

    def ready(self):
        from servicedesk.choices import Role
        from servicedesk.context_processors import register_nav
        from servicedesk.todos import register_todo
        from servicedesk.views import WORK_ORDER_PANELS

        from .selectors import work_order_panel

        register_nav("callbacks:queue", _("回访"), {Role.COORDINATOR, Role.MANAGER})
        register_nav("callbacks:figures", _("回访统计"), {Role.COORDINATOR, Role.MANAGER})
        register_nav("callbacks:complaints", _("客户投诉"), {Role.MANAGER})
        register_todo({Role.MANAGER}, _("答复已逾期的投诉"), "callbacks:complaints", _complaints_reply_overdue,
                      key="complaints_reply_overdue", tone="bad", query="?show=reply_overdue")
        register_todo({Role.MANAGER}, _("待判定的投诉"), "callbacks:complaints", _complaints_to_decide,
                      key="complaints_to_decide", tone="bad", query="?show=to_decide")
        entry = ("callbacks/panel.html", work_order_panel)
        if entry not in WORK_ORDER_PANELS:
            WORK_ORDER_PANELS.append(entry)
