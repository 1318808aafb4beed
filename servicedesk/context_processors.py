"""Who is signed in, for every page's header: the staff member, their roles and their unread notifications.
(The menu is the workspace's: workspace/context_processors.py.)"""
from .choices import Role
from .permissions import staff_of


def staff(request):
    user = getattr(request, "user", None)
    member = staff_of(user)
    if member is None and not getattr(user, "is_superuser", False):
        return {"current_staff": None, "current_roles": []}
    roles = [Role(r).label for r in member.roles] if member else []
    unread = member.notifications.filter(read_at__isnull=True).count() if member else 0
    return {"current_staff": member, "current_roles": roles, "unread_notifications": unread}
