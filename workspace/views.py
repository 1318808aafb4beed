"""The home page: each role's to-dos and shortcuts. Thin: the apps count their own to-dos."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from servicedesk.choices import Role
from servicedesk.permissions import has_role, staff_of
from servicedesk.views import calendar_banner

from .todos import todos_for

FIELD_ROLES = {Role.TECHNICIAN, Role.TEAM_LEAD}


def sees_calendar_banner(user) -> bool:
    """Everyone with an office role; not people whose only roles are in the field (technician, team lead)."""
    if user.is_superuser:
        return True
    staff = staff_of(user)
    return bool(staff) and bool(set(staff.roles) - FIELD_ROLES)


@login_required
def home(request):
    """Each role's to-dos (workspace.todos) and its shortcuts; a fixed number of queries."""
    staff = staff_of(request.user)
    now = timezone.now()
    todos = todos_for(staff, now=now) if staff else []
    return render(
        request,
        "workspace/home.html",
        {
            "staff": staff,
            "todos": todos,
            # the working-day table is office work: a technician can neither load it nor act on the warning
            "calendar_banner": calendar_banner(timezone.localdate(now)) if sees_calendar_banner(request.user) else None,
            "can_fix_calendar": has_role(request.user, Role.MANAGER, Role.ADMIN),
        },
    )
