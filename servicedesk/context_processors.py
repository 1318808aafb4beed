"""Role-aware navigation for every page (issue 2 §6)."""
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .choices import Role
from .permissions import staff_of

# (url name, label, roles that see it; None = every staff member). Apps add their pages here.
NAV_ITEMS = [
    ("home", _("首页"), None),
    ("servicedesk:work_order_list", _("工单"), None),
    ("servicedesk:parameters", _("规则参数"), {Role.MANAGER, Role.ADMIN}),
    ("servicedesk:calendar", _("工作日历"), {Role.MANAGER, Role.ADMIN}),
    ("swagger-ui", _("API 文档"), {Role.MANAGER, Role.ADMIN, Role.COORDINATOR, Role.FINANCE}),
    ("admin:index", _("后台管理"), {Role.MANAGER, Role.ADMIN}),
]


def register_nav(url_name: str, label, roles=None, *, before: str | None = None) -> None:
    """Apps call this from AppConfig.ready() to add their pages to the navigation."""
    if any(item[0] == url_name for item in NAV_ITEMS):
        return
    entry = (url_name, label, roles)
    names = [item[0] for item in NAV_ITEMS]
    NAV_ITEMS.insert(names.index(before) if before in names else len(NAV_ITEMS) - 2, entry)


def navigation(request):
    user = getattr(request, "user", None)
    staff = staff_of(user)
    if staff is None and not getattr(user, "is_superuser", False):
        return {"nav_items": [], "current_staff": None, "current_roles": []}
    items = []
    for url_name, label, roles in NAV_ITEMS:
        if roles is not None and not (user.is_superuser or (staff and staff.has_role(*roles))):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label, "active": request.path == url or (url != "/" and request.path.startswith(url))})
    roles = [Role(r).label for r in staff.roles] if staff else []
    unread = staff.notifications.filter(read_at__isnull=True).count() if staff else 0
    return {"nav_items": items, "current_staff": staff, "current_roles": roles, "unread_notifications": unread}
