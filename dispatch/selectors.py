"""Reads of dispatch, each shaped for its page (a fixed number of queries whatever the number of rows)."""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Case, Count, F, Max, OuterRef, Prefetch, Q, Subquery, Value, When
from django.utils import timezone

from servicedesk.choices import OPEN_STATUSES, Channel, Role, WorkOrderStatus
from servicedesk.models import Equipment, Staff, WorkOrder, WorkOrderEvent

from .choices import AssignmentEnd, TechnicianState
from .models import Assignment, CloseOut, Deadline, Refusal

TAKEN_BACK = (AssignmentEnd.REFUSED, AssignmentEnd.REASSIGNED, AssignmentEnd.CANCELLED)


def day_bounds(on: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(on, time.min), tz)
    return start, start + timedelta(days=1)


def visit_day(*, required_at: datetime | None, dispatched_at: datetime) -> date:
    """R-W8 decision: a visit happens on its required time's day; "as soon as possible" (no required time, or one
    already past when dispatched) happens on the day of dispatch."""
    when = required_at if required_at is not None and required_at > dispatched_at else dispatched_at
    return timezone.localtime(when).date()


def _with_visit_at(qs):
    """Assignments annotated with the moment their visit happens (R-W8 decision, see `visit_day`)."""
    return qs.annotate(
        visit_at=Case(When(work_order__required_at__gt=F("at"), then=F("work_order__required_at")), default=F("at"))
    )


def _counted_assignments():
    """R-W8: client visits = assignments not taken back (refused, reassigned, cancelled); carry-in repairs are not visits."""
    return Assignment.objects.exclude(end_reason__in=TAKEN_BACK).exclude(work_order__channel=Channel.CARRY_IN)


def visits_by_technician(*, on: date, technician_ids=None) -> dict[int, int]:
    """R-W8: client visits per technician happening on a day — counted on the day of the visit (the required
    time, or the dispatch day for "as soon as possible"), not the day they were dispatched. One query."""
    start, end = day_bounds(on)
    qs = _with_visit_at(_counted_assignments()).filter(visit_at__gte=start, visit_at__lt=end)
    if technician_ids is not None:
        qs = qs.filter(technician_id__in=list(technician_ids))
    return {row["technician_id"]: row["n"] for row in qs.values("technician_id").annotate(n=Count("id"))}


def visits_by_technician_and_day(*, days) -> dict[date, dict[int, int]]:
    """`visits_by_technician` for several days at once (the board's suggestions): {day: {technician: n}}. One query."""
    days = sorted(set(days))
    out: dict[date, dict[int, int]] = {d: {} for d in days}
    if not days:
        return out
    start, end = day_bounds(days[0])[0], day_bounds(days[-1])[1]
    rows = _with_visit_at(_counted_assignments()).filter(visit_at__gte=start, visit_at__lt=end).values_list("technician_id", "visit_at")
    for tech_id, at in rows:
        day = timezone.localtime(at).date()
        if day in out:
            out[day][tech_id] = out[day].get(tech_id, 0) + 1
    return out


def usual_technician_id(*, client_id: int) -> int | None:
    """R-W8: the client's usual technician = the one with most resolved visits for that client."""
    row = (
        CloseOut.objects.filter(work_order__client_id=client_id)
        .values("technician_id")
        .annotate(n=Count("id"))
        .order_by("-n", "technician_id")
        .first()
    )
    return row["technician_id"] if row else None


def technicians():
    return Staff.objects.active().filter(user__groups__name__in=[Role.TECHNICIAN, Role.TEAM_LEAD]).distinct().select_related(
        "resident_site"
    )


@dataclass
class Suggestion:
    staff: Staff
    visits_today: int
    same_area: bool
    usual: bool
    over_limit: bool

    def as_dict(self) -> dict:
        return {
            "id": self.staff.pk,
            "name": self.staff.name,
            "area": self.staff.area,
            "visits_today": self.visits_today,
            "same_area": self.same_area,
            "usual": self.usual,
            "over_limit": self.over_limit,
        }


def suggest_technicians(*, work_order: WorkOrder, on: date, limit: int, exclude_ids=(), candidates=None, visits=None, usual_id=None,
                        on_leave=None):
    """R-W8: same area/district and the client's usual technician first, then the least loaded.

    Technicians already at the day's limit go last. Pass `candidates`/`visits`/`usual_id`/`on_leave` to reuse
    what a page already loaded (constant queries). R-W8 Decision: a technician on leave that day (attendance
    sheet, R-R1) is never proposed, nor a resident technician for a mobile job."""
    from servicedesk.choices import ServiceMode

    from .resident.services import on_leave_ids

    area = work_order.site.area if work_order.site_id else ""
    candidates = list(candidates if candidates is not None else technicians())
    visits = visits if visits is not None else visits_by_technician(on=on, technician_ids=[s.pk for s in candidates])
    if usual_id is None:
        usual_id = usual_technician_id(client_id=work_order.client_id)
    if on_leave is None:
        on_leave = on_leave_ids(on=on)
    mobile = work_order.service_mode == ServiceMode.MOBILE
    # R-W5 decision: a resident-site request goes to the site's resident technicians first
    resident_request = bool(work_order.site_id and work_order.site.resident) and (
        work_order.channel == Channel.RESIDENT_SITE or work_order.service_mode == ServiceMode.RESIDENT
    )
    out = []
    for s in candidates:
        if s.pk in exclude_ids or s.pk in on_leave or (mobile and s.resident_site_id):
            continue
        n = visits.get(s.pk, 0)
        out.append(Suggestion(s, n, bool(area) and s.area == area, s.pk == usual_id, n >= limit))
    here = work_order.site_id if resident_request else None
    out.sort(key=lambda g: (g.over_limit, g.staff.resident_site_id != here if here else False, not g.usual, not g.same_area,
                            g.visits_today, g.staff.name))
    return out


def least_loaded_first(suggestions) -> list:
    """R-W8 decision, with the load warning: the least-loaded technician of the same area first; the client's usual
    technician only breaks ties; technicians at the limit (and, upstream, on leave) are not proposed."""
    eligible = [s for s in suggestions if s.same_area and not s.over_limit]
    return sorted(eligible, key=lambda g: (g.visits_today, not g.usual, g.staff.name))


# ---------------------------------------------------------------- board
@dataclass
class TechnicianRow:
    staff: Staff
    state: str
    state_label: str
    visits_today: int
    current_job: WorkOrder | None
    over_limit: bool = False


@dataclass
class Board:
    unassigned: list
    assigned: list  # dispatched, not yet set off: reassignable, with their running SLA deadlines
    technicians: list
    limit: int
    now: datetime
    unassigned_total: int = 0
    suggestions: dict = field(default_factory=dict)  # work order id → list[Suggestion] (top 3)
    refusals: list = field(default_factory=list)  # R-W9 refusals waiting for the coordinator's judgement
    assigned_total: int = 0


STATE_ORDER = {WorkOrderStatus.ON_SITE: 3, WorkOrderStatus.EN_ROUTE: 2, WorkOrderStatus.CONTACTED: 1, WorkOrderStatus.ACCEPTED: 1, WorkOrderStatus.DISPATCHED: 0}


BOARD_ROWS = 25  # bounded screen (docs/developers.md rule 8): the most urgent rows of each list, with the counts of the rest


def board_version(*, now: datetime) -> str:
    """A cheap fingerprint of everything the board shows (3 index-only reads): the last work-order event
    (every dispatch and transition writes one), the refusals, and the minute (countdowns move with it).
    The 5-second poll answers "nothing changed" (204) while it is the same."""
    last_event = WorkOrderEvent.objects.aggregate(m=Max("pk"))["m"] or 0
    refusals = Refusal.objects.aggregate(m=Max("pk"), open=Count("pk", filter=Q(judged_at__isnull=True)))
    return f"{last_event}.{refusals['m'] or 0}.{refusals['open']}.{timezone.localtime(now):%H%M}"


def board(*, now: datetime, unassigned_limit: int = BOARD_ROWS) -> Board:
    """The coordinator's board in a fixed number of queries whatever the number of work orders; each list
    shows the most urgent `unassigned_limit` rows (required time first, then waiting longest) plus counts."""
    from servicedesk.params import param

    on = timezone.localtime(now).date()
    limit = param("dispatch.max_visits_per_day", on=on)
    unassigned = list(
        WorkOrder.objects.filter(status=WorkOrderStatus.NEW)
        .select_related("client", "site", "equipment")
        .order_by(F("required_at").asc(nulls_last=True), "created_at", "id")[:unassigned_limit]
    )
    unassigned_total = WorkOrder.objects.filter(status=WorkOrderStatus.NEW).count()
    assigned = list(
        WorkOrder.objects.filter(status__in=[WorkOrderStatus.DISPATCHED, WorkOrderStatus.ACCEPTED, WorkOrderStatus.CONTACTED])
        .select_related("client", "site", "technician")
        .prefetch_related(Prefetch("deadlines", queryset=Deadline.objects.open().order_by("due_at")))
        .order_by("created_at", "id")[:unassigned_limit]
    )
    refusals = list(
        Refusal.objects.filter(judged_at__isnull=True).select_related("work_order", "technician").order_by("-at")[:50]
    )
    assigned_total = WorkOrder.objects.filter(
        status__in=[WorkOrderStatus.DISPATCHED, WorkOrderStatus.ACCEPTED, WorkOrderStatus.CONTACTED]
    ).count()
    # each technician's current job chosen in SQL (the most advanced open one), then those jobs in one query
    state_rank = Case(*[When(status=st, then=Value(rank)) for st, rank in STATE_ORDER.items()], default=Value(-1))
    current = (
        WorkOrder.objects.filter(technician=OuterRef("pk"), status__in=list(STATE_ORDER))
        .annotate(rank=state_rank)
        .order_by("-rank", "created_at")
        .values("pk")[:1]
    )
    techs = list(technicians().annotate(current_job_id=Subquery(current)).order_by("area", "name"))
    # R-W8 decision: each unassigned order is suggested with the load of the day its visit happens
    visit_days = {wo.pk: visit_day(required_at=wo.required_at, dispatched_at=now) for wo in unassigned}
    by_day = visits_by_technician_and_day(days={on, *visit_days.values()})
    visits = by_day[on]
    jobs = WorkOrder.objects.select_related("client").in_bulk([t.current_job_id for t in techs if t.current_job_id])
    active = {t.pk: jobs[t.current_job_id] for t in techs if t.current_job_id in jobs}
    rows = []
    for t in techs:
        job = active.get(t.pk)
        if job is not None and job.status == WorkOrderStatus.ON_SITE:
            state = TechnicianState.ON_SITE
        elif job is not None and job.status == WorkOrderStatus.EN_ROUTE:
            state = TechnicianState.TRAVELLING
        elif t.resident_site_id:
            state = TechnicianState.RESIDENT
        else:
            state = TechnicianState.FREE
        n = visits.get(t.pk, 0)
        rows.append(TechnicianRow(t, state, TechnicianState(state).label, n, job, n >= limit))
    # suggestions for the unassigned: usual technicians of their clients in one query
    client_ids = {wo.client_id for wo in unassigned}
    usual = {}
    for row in (
        CloseOut.objects.filter(work_order__client_id__in=client_ids)
        .values("work_order__client_id", "technician_id")
        .annotate(n=Count("id"))
        .order_by("work_order__client_id", "-n", "technician_id")
    ):
        usual.setdefault(row["work_order__client_id"], row["technician_id"])
    from .resident.services import on_leave_by_day

    on_leave = on_leave_by_day(days=set(by_day))  # one query for the whole board: leave on each visit day
    suggestions = {
        wo.pk: suggest_technicians(
            work_order=wo, on=visit_days[wo.pk], limit=limit, candidates=techs, visits=by_day[visit_days[wo.pk]],
            usual_id=usual.get(wo.client_id, 0), on_leave=on_leave.get(visit_days[wo.pk], set()),
        )[:3]
        for wo in unassigned
    }
    for wo in unassigned:
        wo.suggested = suggestions[wo.pk]
    return Board(unassigned, assigned, rows, limit, now, unassigned_total, suggestions, refusals, assigned_total)


# ---------------------------------------------------------------- technician's phone
def my_work(*, technician: Staff, now: datetime):
    """"我的工作": the technician's open work orders plus those resolved today, the most urgent first.
    A queryset: the page shows one bounded page of it (docs/developers.md rule 8)."""
    start, end = day_bounds(timezone.localtime(now).date())
    resolved_today = CloseOut.objects.filter(completed_at__gte=start, completed_at__lt=end)
    return (
        WorkOrder.objects.filter(technician=technician)
        .filter(Q(status__in=OPEN_STATUSES) | Q(pk__in=resolved_today.values("work_order_id")))  # no join: index order
        .select_related("client", "site", "equipment")
        .prefetch_related(Prefetch("deadlines", queryset=Deadline.objects.open().order_by("due_at")))
        .order_by(F("required_at").asc(nulls_last=True), "created_at", "pk")
    )


def work_order_for_phone(*, pk: int, technician: Staff):
    """One work order of the holder, with its equipment history (other visits to the same equipment)."""
    wo = (
        WorkOrder.objects.filter(technician=technician)
        .select_related("client", "site", "equipment")
        .prefetch_related(
            Prefetch("events", queryset=WorkOrderEvent.objects.select_related("by", "holder")),
            Prefetch("deadlines", queryset=Deadline.objects.open().order_by("due_at")),
        )
        .get(pk=pk)
    )
    history = []
    if wo.equipment_id:
        history = list(
            WorkOrder.objects.filter(equipment_id=wo.equipment_id)
            .exclude(pk=wo.pk)
            .select_related("technician", "close_out")
            .order_by("-created_at")[:20]
        )
    return wo, history


def client_lookup(*, q: str, on: date, limit: int = 10):
    """Intake lookup by client name, phone or equipment serial (R-W1). Fixed 3 queries."""
    from servicedesk.models import Client

    q = (q or "").strip()
    if len(q) < 2:
        return []
    digits = "".join(ch for ch in q if ch.isdigit())
    cond = Q(name__icontains=q) | Q(sites__contact_name__icontains=q)
    if len(digits) >= 3:
        cond |= Q(phone__contains=digits) | Q(sites__phone__contains=digits) | Q(contacts__phone__contains=digits)
    cond |= Q(equipment__serial__icontains=q)
    ids = list(Client.objects.filter(cond).values_list("pk", flat=True).distinct()[:limit])
    clients = list(
        Client.objects.filter(pk__in=ids)
        .prefetch_related("sites", Prefetch("equipment", queryset=Equipment.objects.select_related("site")))
        .order_by("name")
    )
    for c in clients:
        c.matched_equipment = [e for e in c.equipment.all() if q.lower() in e.serial.lower()] or list(c.equipment.all())[:5]
        for e in c.matched_equipment:
            e.state_today = e.warranty_state(on)
    return clients


OPEN_ORDERS_SHOWN = 5  # the intake warning lists at most this many (a display bound, not a SPEC number)


def open_orders_for_device(*, client, equipment=None, serial: str = ""):
    """R-W1 intake: the client's open orders for the same device (by record, or by serial when the caller named no
    record) — the coordinator is warned before taking a second one. One query; none when no device is named."""
    if client is None or (equipment is None and not serial.strip()):
        return WorkOrder.objects.none()
    qs = WorkOrder.objects.filter(client=client, status__in=OPEN_STATUSES)
    qs = qs.filter(equipment=equipment) if equipment is not None else qs.filter(equipment_serial__iexact=serial.strip())
    return qs.select_related("technician").order_by("-created_at")[:OPEN_ORDERS_SHOWN]


def service_form(*, work_order_id: int, viewer: Staff | None, client=None) -> dict | None:
    """R-W10: the visit's service form as the page and its PDF show it — what was done, each priced line with
    its amount and the stored reason, the totals, the client's typed and drawn signature — or None when there is
    none or `viewer` may not see it (rule 6: whoever may see the work order, and the technician who filled it).
    A fixed number of queries (the close-out, the charge with its live lines and decisions). `client` instead of a
    viewer: the client's own page, which sees that client's visits only."""
    from billing.choices import LineItem, LineKind
    from billing.selectors import visit_charge_for

    from .services import clean_signature_drawing
    from servicedesk.errors import DomainError

    row = (
        CloseOut.objects.select_related(
            "work_order", "work_order__client", "work_order__site", "work_order__equipment", "technician"
        )
        .filter(work_order_id=work_order_id)
        .first()
    )
    if row is None:
        return None
    if client is not None:  # the client's own page (portal): only that client's visits
        if row.work_order.client_id != client.pk:
            return None
    elif viewer is None or not (row.work_order.can_view(viewer) or row.technician_id == viewer.pk):
        return None
    charge = visit_charge_for(row.work_order)  # what the client pays (never the internal cost)
    amounts = {line.position: line for line in (charge.live_lines if charge else [])}
    try:  # only a validated SVG data URL is ever shown, as an <img>
        drawing = clean_signature_drawing(row.signature_drawing)
    except DomainError:
        drawing = ""
    kinds, items = dict(LineKind.choices), dict(LineItem.choices)
    return {
        "co": row,
        "wo": row.work_order,
        "lines": [
            {**line, "kind_label": kinds.get(line.get("kind"), ""), "item_label": items.get(line.get("item"), ""), "charge": amounts.get(n)}
            for n, line in enumerate(row.lines, start=1)
        ],
        "charge": charge,
        "drawing": drawing,
    }
