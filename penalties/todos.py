"""Penalties' home-page to-dos (read by the workspace; servicedesk/declarations.py). One query each."""
from django.utils.translation import gettext_lazy as _

from servicedesk.choices import Role
from servicedesk.declarations import todo

from .choices import FlagStatus, PenaltyStatus
from .models import DismissalFlag, Penalty
from .selectors import pending_for


def _pending_penalties(viewer, now):
    """Only the proposals the viewer may decide (P8 Decision: never those about themselves — the GM office, or
    another manager, decides those), read by the same selector as the review queue."""
    return pending_for(viewer).count()


def _my_pending_penalties(viewer, now):
    """R-N5: the person sees the proposals about them."""
    return Penalty.objects.filter(status=PenaltyStatus.PENDING, person=viewer).count()


def _open_dismissal_flags(viewer, now):
    """R-N2: the dismissal flags waiting for the manager's decision."""
    return DismissalFlag.objects.filter(status=FlagStatus.OPEN).count()


TODOS = [
    todo({Role.TECHNICIAN, Role.TEAM_LEAD}, _("待审核的我的扣分"), "penalties:mine", _my_pending_penalties, key="my_penalties"),
    todo({Role.MANAGER}, _("待决定的处罚建议"), "penalties:review", _pending_penalties, key="pending_penalties", tone="bad"),
    # R-N2: deciding a dismissal flag is the manager's
    todo({Role.MANAGER}, _("待处理的辞退标记"), "penalties:review", _open_dismissal_flags, key="dismissal_flags"),
    todo({Role.GM_OFFICE}, _("待决定的针对经理的处罚建议"), "penalties:review", _pending_penalties, key="penalties_about_managers",
         tone="bad"),
]
