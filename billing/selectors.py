"""Reads of billing, already joined for their pages (constant query counts)."""
from datetime import date

from django.db.models import Prefetch

from servicedesk.choices import Role
from servicedesk.explain import param_label, param_value_text
from servicedesk.selectors import parameter_overview

from .choices import ChargeStatus, RepairPlanStatus
from .models import ChargeDecision, ChargeLine, RepairPlan, VisitCharge


def billing_parameters(*, today: date) -> list[dict]:
    """The manager's price page: billing.* parameters, current and scheduled versions. Each parameter's name and
    value read from the catalogue in the reader's language (rule 2), never the seeded Chinese description or unit."""
    rows = [p for p in parameter_overview(today=today) if p["name"].startswith("billing.")]
    for p in rows:
        p["label"] = param_label(p["name"])
        p["current_text"] = param_value_text(p["name"], p["current"].typed_value) if p["current"] else ""
        p["scheduled_texts"] = [(s, param_value_text(p["name"], s.typed_value)) for s in p["scheduled"]]
    return rows


def visit_charge_for(work_order) -> VisitCharge | None:
    live = ChargeLine.objects.filter(superseded=False).select_related("repair_plan", "repair_plan__decided_by").order_by("position")
    return (
        VisitCharge.objects.filter(work_order=work_order)
        .select_related("client", "recorded_by", "work_order")
        .prefetch_related(
            Prefetch("lines", queryset=live, to_attr="live_lines"),
            Prefetch("decisions", queryset=ChargeDecision.objects.select_related("by", "line").order_by("at", "id")),
        )
        .first()
    )


def sees_all_charges(staff) -> bool:
    return staff.user.is_superuser or staff.has_role(Role.MANAGER)


def _own(qs, staff, client_path: str):
    if sees_all_charges(staff):
        return qs
    return qs.filter(**{f"{client_path}salesperson": staff})


def disputed_lines(*, viewer):
    qs = ChargeLine.objects.filter(status=ChargeStatus.DISPUTED, superseded=False).select_related(
        "visit_charge", "visit_charge__work_order", "visit_charge__client", "visit_charge__client__salesperson"
    )
    return _own(qs, viewer, "visit_charge__client__").order_by("visit_charge__recorded_at", "position")


def disputed_visit_charges(*, viewer):
    qs = VisitCharge.objects.filter(status=ChargeStatus.DISPUTED).select_related("work_order", "client", "client__salesperson")
    return _own(qs, viewer, "client__").order_by("recorded_at")


def awaiting_repair_plans(*, viewer):
    qs = RepairPlan.objects.filter(status=RepairPlanStatus.AWAITING_CLIENT).select_related(
        "work_order", "client", "client__salesperson", "equipment", "line"
    )
    return _own(qs, viewer, "client__").order_by("created_at")


def disputes_count(*, viewer) -> int:
    """What the 收费争议 list shows: disputed lines and disputed on-site fees (R-B9). The home to-do and the queue
    page both count with this, so the tile never says 0 while the page lists a dispute."""
    return disputed_lines(viewer=viewer).count() + disputed_visit_charges(viewer=viewer).count()


def salesperson_queue(*, viewer) -> dict:
    """R-B9 disputes and R-B6/R-B7 repair plans awaiting a decision, oldest first, as querysets the page shows one
    page of each (docs/developers.md rule 8): own clients for a salesperson, all for a manager."""
    return {
        "charges": disputed_visit_charges(viewer=viewer),
        "lines": disputed_lines(viewer=viewer),
        "plans": awaiting_repair_plans(viewer=viewer),
    }


def work_order_panel(work_order, request) -> dict:
    """The work-order page panel: the persisted quote with its explanations, disputes and decisions."""
    from servicedesk.permissions import staff_of

    from .services import can_decide, can_mark_disputed

    charge = visit_charge_for(work_order)
    if charge is None:
        return {"charge": None}
    staff = staff_of(request.user)
    return {
        "charge": charge,
        "lines": charge.live_lines,
        "decisions": list(charge.decisions.all()),
        "billed_total": charge.billed_total(charge.live_lines),
        "can_dispute": can_mark_disputed(staff=staff, work_order=work_order),
        "can_decide": can_decide(staff=staff, client=charge.client),
    }
