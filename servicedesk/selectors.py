"""Reads of the core, each shaped for its page or endpoint (fixed number of queries)."""
from datetime import date

from django.db.models import Count, Prefetch, Q

from .choices import OPEN_STATUSES
from .models import CalendarYear, Client, Equipment, RuleParameter, Site, Staff, WorkOrder


def staff_list():
    return Staff.objects.select_related("user", "team_lead", "resident_site").prefetch_related("user__groups")


def client_list():
    return Client.objects.select_related("salesperson")


def site_list():
    return Site.objects.select_related("client")


def equipment_list():
    return Equipment.objects.select_related("client", "site")


def work_order_list(*, viewer: Staff):
    return (
        WorkOrder.objects.visible_to(viewer)
        .select_related("client", "site", "equipment", "technician", "created_by")
        .order_by("-created_at")
    )


def clients_visible_to(viewer: Staff):
    """Technicians see the clients of their own work orders (and of their resident site)."""
    from .permissions import sees_all_work_orders

    qs = client_list()
    if sees_all_work_orders(viewer):
        return qs
    cond = Q(pk__in=WorkOrder.objects.visible_to(viewer).values("client_id"))
    if viewer.resident_site_id:
        cond |= Q(sites=viewer.resident_site_id)
    return qs.filter(pk__in=Client.objects.filter(cond).values("pk"))


def parameter_overview(*, today: date):
    """For the manager's parameter page: per name the version in force today and any scheduled ones."""
    rows = list(RuleParameter.objects.select_related("created_by").order_by("name", "effective_from"))
    by_name: dict[str, dict] = {}
    for row in rows:
        entry = by_name.setdefault(row.name, {"name": row.name, "current": None, "scheduled": [], "past": []})
        if row.effective_from <= today:
            if entry["current"]:
                entry["past"].append(entry["current"])
            entry["current"] = row
        else:
            entry["scheduled"].append(row)
    for entry in by_name.values():
        entry["info"] = entry["current"] or entry["scheduled"][0]  # rule, description, unit
    return sorted(by_name.values(), key=lambda e: (e["info"].rule, e["name"]))


def calendar_years():
    return CalendarYear.objects.select_related("loaded_by").order_by("-year")


def dashboard_counts(*, viewer: Staff) -> dict:
    qs = WorkOrder.objects.visible_to(viewer)
    return qs.aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        unassigned=Count("pk", filter=Q(status="new")),
        total=Count("pk"),
    )


# ---------------------------------------------------------------- photos and documents on a work order
def attachments_of(work_order, *, with_removed: bool = False) -> list:
    """The order's attachments, oldest first (one query; at most ATTACHMENT_MAX_PER_ORDER current ones, the removed
    ones only where asked: the desk's page lists them with who removed them and when)."""
    from .models import WorkOrderAttachment

    qs = WorkOrderAttachment.objects.filter(work_order=work_order).select_related("uploaded_by", "removed_by")
    if not with_removed:
        qs = qs.current()
    return list(qs.order_by("uploaded_at", "id")[:500])


def photos_of_orders(order_ids, *, viewer, limit: int = 24) -> list:
    """The newest `limit` current photos of these orders that `viewer` may see (one query), for a report's page."""
    from .models import AttachmentKind, WorkOrderAttachment

    return list(
        WorkOrderAttachment.objects.current().visible_to(viewer)
        .filter(work_order_id__in=list(order_ids), kind=AttachmentKind.PHOTO)
        .select_related("work_order").order_by("-uploaded_at", "-id")[:limit]
    )
