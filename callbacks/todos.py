"""Callbacks' and complaints' home-page to-dos (read by the workspace; servicedesk/declarations.py). One query each.
The `show=` filters are the complaints page's own views (`selectors.complaints`), the tile links to the same one."""
from django.utils.translation import gettext_lazy as _

from servicedesk.choices import Role
from servicedesk.declarations import todo

from . import selectors
from .choices import CallbackStatus


def _callbacks_in(status):
    def count(viewer, now):
        return selectors.queue(statuses=[status]).count()

    return count


def _callbacks_about_me(viewer, now):
    """Callbacks answered about my visits in the last 7 days (what the clients said)."""
    return selectors.about_me(technician=viewer, now=now).count()


def _complaints(show):
    def count(viewer, now):
        return selectors.complaints(show=show, now=now).count()

    return count


def _complaints_to_decide(viewer, now):
    """R-K10: complaints the manager has not decided yet (whose, if anyone's, they are) — never one naming the
    viewer, which they may not decide."""
    return selectors.complaints(show="to_decide", now=now, viewer=viewer).count()


C, T, TL, M = Role.COORDINATOR, Role.TECHNICIAN, Role.TEAM_LEAD, Role.MANAGER
OVERDUE, DUE = CallbackStatus.OVERDUE, CallbackStatus.DUE

TODOS = [
    # R-K7: a callback not done by its deadline is overdue
    todo({C}, _("逾期未回访"), "callbacks:queue", _callbacks_in(OVERDUE), key="overdue_callbacks", tone="bad",
         query=f"?status={OVERDUE.value}"),
    todo({C}, _("今日待回访"), "callbacks:queue", _callbacks_in(DUE), key="due_callbacks", query=f"?status={DUE.value}"),
    todo({T, TL}, _("近 7 天对我的回访"), "callbacks:mine", _callbacks_about_me, key="callbacks_about_me"),
    todo({M}, _("待处理的投诉"), "callbacks:complaints", _complaints("open"), key="open_complaints", tone="bad", query="?show=open"),
    # R-K10: the 24 h reply deadline, then the manager's decision
    todo({M}, _("答复已逾期的投诉"), "callbacks:complaints", _complaints("reply_overdue"), key="complaints_reply_overdue", tone="bad",
         query="?show=reply_overdue"),
    todo({M}, _("待判定的投诉"), "callbacks:complaints", _complaints_to_decide, key="complaints_to_decide", tone="bad",
         query="?show=to_decide"),
]
