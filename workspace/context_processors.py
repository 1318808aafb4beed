"""Role-aware navigation for every page: every app's own menu entries (`<app>/menu.py`,
servicedesk/declarations.py), placed in the workspace's order.

Each role sees a compact row of the pages it uses most (`PRIMARY`), the rest of its pages
under "更多"; exactly one item is active (the longest URL that prefixes the path). On the phone
the whole navigation folds into one menu button.
"""
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

import billing.menu
import bonuses.menu
import callbacks.menu
import dispatch.menu
import messaging.menu
import penalties.menu
import portal.menu
import receivables.menu
import reports.menu
import servicedesk.menu
from servicedesk.choices import Role
from servicedesk.declarations import MenuEntry
from servicedesk.permissions import staff_of

HOME = [MenuEntry("home", _("首页"))]
SITE = [  # the site's own pages, last
    # the API reference is for the people who wire other systems in, not a desk task of coordinators or finance
    MenuEntry("swagger-ui", _("API 文档"), {Role.MANAGER, Role.ADMIN}),
    MenuEntry("admin:index", _("后台管理"), {Role.MANAGER, Role.ADMIN}),
]
DECLARED = [
    *servicedesk.menu.MENU, *penalties.menu.MENU, *billing.menu.MENU, *callbacks.menu.MENU, *dispatch.menu.MENU,
    *receivables.menu.MENU, *bonuses.menu.MENU, *reports.menu.MENU, *portal.menu.MENU, *messaging.menu.MENU,
]
# The order of the menu (under "更多" and the home page's shortcuts). A declared entry this list does not name
# comes after the named ones, in the order of INSTALLED_APPS.
ORDER = [
    "servicedesk:work_order_list", "servicedesk:parameters", "servicedesk:calendar", "servicedesk:masterdata",
    "penalties:review", "penalties:mine",
    "billing:queue", "billing:parameters",
    "callbacks:queue", "callbacks:figures", "callbacks:complaints",
    "dispatch:board", "dispatch:intake", "portal:intake", "portal:links", "dispatch:my_work", "dispatch:resident:reports", "dispatch:resident:my",
    "dispatch:resident:attendance", "dispatch:projects:list", "dispatch:contracts:list",
    "receivables:ledger", "receivables:payment_new", "receivables:payments_import", "receivables:import",
    "receivables:statements", "receivables:register", "receivables:reconciliation", "receivables:my_ledger",
    "receivables:overdue_review", "receivables:extensions",
    "bonuses:month", "bonuses:archive", "bonuses:mine",
    "penalties:offence_new", "callbacks:complaint_new",
    "reports:monthly", "reports:archive", "reports:my",
    "messaging:outbox", "messaging:templates", "messaging:contacts", "messaging:my_channel",
]


def _arranged(declared: list[MenuEntry]) -> list[tuple]:
    names = [e.url_name for e in declared]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise ValueError(f"menu entries declared twice: {sorted(duplicates)}")
    place = {name: n for n, name in enumerate(ORDER)}
    entries = HOME + sorted(declared, key=lambda e: place.get(e.url_name, len(ORDER))) + SITE
    return [(e.url_name, e.label, e.roles) for e in entries]


# (url name, label, roles that see it; None = every staff member)
NAV_ITEMS = _arranged(DECLARED)

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
    """The menu of the signed-in staff member (nothing for a visitor without a staff profile)."""
    user = getattr(request, "user", None)
    if staff_of(user) is None and not getattr(user, "is_superuser", False):
        return {"nav_items": [], "nav_row": [], "nav_more": []}
    return nav_for(request)
