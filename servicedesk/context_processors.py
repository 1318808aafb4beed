"""Role-aware navigation for every page (issue 2 §6, issue 13 defect 12).

Each role sees a compact row of the pages it uses most (`PRIMARY`), the rest of its pages
under "更多"; exactly one item is active (the longest URL that prefixes the path). On the phone
the whole navigation folds into one menu button.
"""
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
    # the API reference is for the people who wire other systems in, not a desk task of coordinators or finance
    ("swagger-ui", _("API 文档"), {Role.MANAGER, Role.ADMIN}),
    ("admin:index", _("后台管理"), {Role.MANAGER, Role.ADMIN}),
]

# The row each role sees first (in this order); a role's other pages go under "更多".
PRIMARY = {
    Role.COORDINATOR: ["home", "dispatch:board", "dispatch:intake", "callbacks:queue", "receivables:register", "servicedesk:work_order_list"],
    Role.TECHNICIAN: ["home", "dispatch:my_work", "receivables:my_ledger", "penalties:mine"],
    Role.TEAM_LEAD: ["home", "dispatch:my_work", "receivables:my_ledger", "penalties:mine"],
    Role.MANAGER: ["home", "dispatch:board", "penalties:review", "callbacks:figures", "receivables:ledger", "servicedesk:work_order_list"],
    Role.FINANCE: ["home", "receivables:ledger", "receivables:statements", "receivables:import"],
    Role.SALES: ["home", "billing:queue", "servicedesk:work_order_list"],
    Role.ADMIN: ["home", "servicedesk:calendar", "servicedesk:parameters", "admin:index"],
    Role.GM_OFFICE: ["home", "servicedesk:work_order_list"],
    Role.SUPERVISOR: ["home", "servicedesk:work_order_list", "penalties:mine"],
}
MAX_ROW = 7


def register_nav(url_name: str, label, roles=None, *, before: str | None = None, primary_for=()) -> None:
    """Apps call this from AppConfig.ready() to add their pages to the navigation.
    `primary_for`: roles whose main row should show the page (otherwise it goes under "更多")."""
    for role in primary_for:
        row = PRIMARY.setdefault(role, ["home"])
        if url_name not in row:
            row.append(url_name)
    if any(item[0] == url_name for item in NAV_ITEMS):
        return
    entry = (url_name, label, roles)
    names = [item[0] for item in NAV_ITEMS]
    NAV_ITEMS.insert(names.index(before) if before in names else len(NAV_ITEMS) - 2, entry)


def _primary_names(user, staff) -> list[str]:
    if user.is_superuser and staff is None:
        return PRIMARY[Role.MANAGER]
    names: list[str] = []
    for role in staff.roles if staff else []:
        for name in PRIMARY.get(role, []):
            if name not in names:
                names.append(name)
    return names or ["home", "servicedesk:work_order_list"]


def nav_for(request) -> dict:
    user = getattr(request, "user", None)
    staff = staff_of(user)
    items = []
    for url_name, label, roles in NAV_ITEMS:
        if roles is not None and not (user.is_superuser or (staff and staff.has_role(*roles))):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"name": url_name, "url": url, "label": label, "active": False})
    # exactly one active item: the longest URL that is the path or a prefix of it ("/" only for the home page)
    path = request.path
    matches = [i for i in items if path == i["url"] or (i["url"] != "/" and path.startswith(i["url"]))]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    primary = _primary_names(user, staff)
    row = sorted((i for i in items if i["name"] in primary), key=lambda i: primary.index(i["name"]))[:MAX_ROW]
    more = [i for i in items if i not in row]
    return {"nav_items": items, "nav_row": row, "nav_more": more, "nav_more_active": any(i["active"] for i in more)}


def navigation(request):
    user = getattr(request, "user", None)
    staff = staff_of(user)
    if staff is None and not getattr(user, "is_superuser", False):
        return {"nav_items": [], "nav_row": [], "nav_more": [], "current_staff": None, "current_roles": []}
    roles = [Role(r).label for r in staff.roles] if staff else []
    unread = staff.notifications.filter(read_at__isnull=True).count() if staff else 0
    return {**nav_for(request), "current_staff": staff, "current_roles": roles, "unread_notifications": unread}
