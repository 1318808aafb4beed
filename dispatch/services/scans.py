"""The every-minute beat scan of dispatch deadlines (R-W7, R-W13), in bulk: it runs every minute over every open
deadline, so its cost must not grow with the rows due.

Each tick reads only the rows that can still breach, through the partial index
`deadline_breach_scan`, and handles all due rows with a number of queries that does
not grow with them: one locked read, one UPDATE, bulk proposals, bulk notifications.
Idempotent: rows are claimed by setting `breached_at`/`warned_at`/`escalated_at` under
a row lock, proposals are unique per (source, rule, person), notifications per (key, recipient).
"""
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop as N_

from servicedesk.choices import Role
from servicedesk.models import Staff
from servicedesk.texts import Date, message

from ..choices import DeadlineKind
from ..models import Deadline


def _claim(qs, **stamp) -> list[Deadline]:
    """Lock the candidate rows, stamp them, return them (with their work order) — 2 queries."""
    rows = list(qs.select_for_update(of=("self",)).select_related("work_order").order_by("due_at", "pk"))
    if rows:
        Deadline.objects.filter(pk__in=[r.pk for r in rows]).update(**stamp)
        for r in rows:
            for name, value in stamp.items():
                setattr(r, name, value)
    return rows


def mark_breaches(*, now: datetime) -> list[Deadline]:
    """R-W7: every SLA deadline past due and not met in time is a late response → one P7 proposal each."""
    from penalties.services import Proposal, propose_many

    with transaction.atomic():
        rows = _claim(Deadline.objects.breach_candidates(now=now), breached_at=now)
        proposals = [
            Proposal(
                person_id=row.technician_id,
                rule="P7",
                source=row,
                # stored as a message: the reason reads in its reader's language (rule 7)
                reason=message(N_("R-W7:响应不及时,%(kind)s(%(rule)s)截止 %(due)s,工单 %(number)s"),
                               kind=DeadlineKind(row.kind).label, rule=row.rule, due=Date(row.due_at),
                               number=row.work_order.number),
                on=timezone.localtime(row.due_at).date(),
            )
            for row in rows
            if row.technician_id
        ]
        propose_many(proposals=proposals, now=now)
    return rows


def scan_return_deadlines(*, now: datetime) -> dict:
    """R-W13: warn the coordinators before a finished device's return deadline, escalate to the managers after."""
    from servicedesk.notifications import department_heads, notify_many

    base = Deadline.objects.open().filter(kind=DeadlineKind.CARRY_IN_RETURN)
    with transaction.atomic():
        escalated = _claim(base.filter(escalated_at__isnull=True, due_at__lt=now), escalated_at=now, breached_at=now)
        warned = _claim(
            base.filter(warned_at__isnull=True, escalated_at__isnull=True, warn_at__lte=now, due_at__gte=now), warned_at=now
        )
        if escalated or warned:
            heads = department_heads()  # once per tick, not per row
            managers = [s for s in heads if s.has_role(Role.MANAGER)] or heads
            coordinators = [s for s in heads if s.has_role(Role.COORDINATOR)]
            alerts = [
                (
                    managers,
                    f"dispatch.return-overdue.{row.pk}",
                    message(N_("R-W13 超期:送修设备(工单 %(number)s)已修好超过期限 %(due)s 仍未返还客户。"),
                            number=row.work_order.number, due=Date(row.due_at)),
                    "",
                )
                for row in escalated
            ] + [
                (
                    coordinators,
                    f"dispatch.return-warning.{row.pk}",
                    message(N_("R-W13 提醒:送修设备(工单 %(number)s)须在 %(due)s 前返还客户。"),
                            number=row.work_order.number, due=Date(row.due_at)),
                    "",
                )
                for row in warned
            ]
            notify_many(alerts=alerts, now=now)
    return {"warned": len(warned), "escalated": len(escalated)}


def warn_before_breach(*, now: datetime) -> list[Deadline]:
    """An SLA deadline about to be missed (within settings.SLA_WARNING_MINUTES): its technician is told once, in-app
    and on their chosen channel (claimed by `warned_at`, so a later tick never tells again)."""
    from datetime import timedelta

    from django.conf import settings

    from servicedesk.notifications import notify_many

    from ..choices import SLA_KINDS

    minutes = settings.SLA_WARNING_MINUTES
    if not minutes:
        return []
    with transaction.atomic():
        rows = _claim(
            Deadline.objects.open().filter(kind__in=SLA_KINDS, warned_at__isnull=True, technician__isnull=False,
                                           due_at__gte=now, due_at__lte=now + timedelta(minutes=minutes)),
            warned_at=now,
        )
        if rows:
            people = {s.pk: s for s in Staff.objects.filter(pk__in={r.technician_id for r in rows})}
            notify_many(alerts=[
                ([people[r.technician_id]], f"dispatch.sla-warning.{r.pk}",
                 message(N_("工单 %(number)s 的%(kind)s将于 %(due)s 到期"), number=r.work_order.number,
                         kind=DeadlineKind(r.kind).label, due=Date(r.due_at)),
                 f"/core/work-orders/{r.work_order_id}/")
                for r in rows
            ], now=now)
    return rows


def scan_deadlines(*, now: datetime) -> dict:
    breached = mark_breaches(now=now)
    out = scan_return_deadlines(now=now)
    out["breached"] = len(breached)
    return out
