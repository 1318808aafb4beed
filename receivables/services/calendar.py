"""SPEC §11: open due dates computed on a provisional calendar year move when the official year is loaded."""
from collections import defaultdict
from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_noop as N_

from servicedesk.models import Staff
from servicedesk.notifications import notify_many
from servicedesk.texts import Date, message

from ..models import DueDateChange, SalesConfirmation
from .common import compute_due_date


def recompute_provisional_due_dates(*, year: int, user=None, now: datetime) -> list[DueDateChange]:
    """Every open confirmation whose due date was computed provisionally is computed again from its sale date.

    A due date that moves gets a `DueDateChange` (old date, new date, why, who) and its technician is told once,
    in one message listing the moves. A confirmation with an approved extension keeps the date a person chose;
    paid or void ones are never touched. Runs inside the transaction that loads the year."""
    by = Staff.objects.filter(user=user).first() if user is not None else None
    reason = message(N_("%(year)s 年官方工作日历已录入,到期日按官方日历重算(SPEC §11)"), year=year)
    changes, moved_by_person = [], defaultdict(list)
    with transaction.atomic():
        rows = list(
            SalesConfirmation.objects.select_for_update(of=("self",))
            .filter(is_open=True, due_provisional=True)
            .select_related("technician")
            .order_by("due_date", "pk")
        )
        computed: dict[tuple, tuple] = {}  # sales of one day and terms share their due date: a few queries per day, not per row
        for conf in rows:
            key = (conf.client_kind, conf.payment_terms, conf.sold_on)
            if key not in computed:
                computed[key] = compute_due_date(client_kind=conf.client_kind, payment_terms=conf.payment_terms, sold_on=conf.sold_on)
            due, rule = computed[key]
            rule = dict(rule)
            old = conf.due_date
            conf.due_provisional = bool(rule.get("provisional"))
            if due != old:
                changes.append(DueDateChange(confirmation=conf, from_date=old, to_date=due, reason=reason, by=by, at=now))
                moved_by_person[conf.technician].append((conf.number, old, due))
                conf.due_date = conf.original_due_date = due
                conf.due_rule = rule
            conf.due_rule = {**conf.due_rule, "provisional": conf.due_provisional}
        SalesConfirmation.objects.bulk_update(rows, ["due_date", "original_due_date", "due_rule", "due_provisional"])
        DueDateChange.objects.bulk_create(changes)
        link = reverse("receivables:my_ledger")
        alerts = []
        for person, moves in moved_by_person.items():
            listed = [message(N_("%(n)s:%(old)s → %(new)s"), n=n, old=Date(old), new=Date(new)) for n, old, new in moves[:5]]
            more = message(N_(" 等 %(n)s 笔"), n=len(moves)) if len(moves) > 5 else ""
            text = message(N_("%(year)s 年官方工作日历已录入,您的销售回款到期日已调整:%(list)s%(more)s。"),
                           year=year, list=listed, more=more)
            alerts.append(([person], f"calendar-{year}-{now:%Y%m%d%H%M%S}-due-dates", text, link))
        notify_many(alerts=alerts, now=now)
    return changes


def on_calendar_year_loaded(sender, *, year: int, user=None, now: datetime, **kwargs) -> None:
    recompute_provisional_due_dates(year=year, user=user, now=now)
