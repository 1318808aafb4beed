"""The client portal's home-page to-do (read by the workspace): the clients' reports waiting to be confirmed."""
from django.utils.translation import gettext_lazy as _

from servicedesk.choices import Role
from servicedesk.declarations import todo

from .models import IntakeRequest, IntakeStatus


def _pending(viewer, now):
    return IntakeRequest.objects.filter(status=IntakeStatus.PENDING).count()


TODOS = [
    todo({Role.COORDINATOR, Role.MANAGER}, _("客户自助报修待确认"), "portal:intake", _pending, key="portal_intake"),
]
