"""R-S5/R-S6/R-S7: the weekly reconciliation of each technician's ledger with the coordinator's register,
the Monday overdue review with its follow-up owner, and the P11 proposal for technician-caused delays."""
import logging
from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

import penalties.services as penalty_services
from servicedesk.choices import Role
from servicedesk.errors import DomainError
from servicedesk.params import param
from servicedesk.texts import as_text, message

from ..choices import DifferenceKind, OverdueCause
from ..models import OverdueReview, OverdueReviewItem, Reconciliation, ReconciliationDifference, SalesConfirmation
from .common import require as _require
from .confirmations import locked as _locked

log = logging.getLogger(__name__)


def propose_overdue_penalty(*, confirmation: SalesConfirmation, reason, on: date, now: datetime, by=None) -> bool:
    """R-S5: propose P11 (param receivables.overdue_penalty_rule) once per confirmation. True when proposed now."""
    with transaction.atomic():
        conf = _locked(confirmation)
        if conf.penalty_proposed_at is not None:
            return False
        rule = param("receivables.overdue_penalty_rule", on=on)
        penalty_services.propose(
            person=conf.technician, rule=rule.get("rule", "P11"), source=conf, reason=reason,
            suggested_points=rule.get("points"), on=on, by=by, now=now,
        )
        conf.penalty_proposed_at = now
        conf.save(update_fields=["penalty_proposed_at"])
    return True


# --------------------------------------------------------------------------- weekly lists (R-S6, R-S7)


def follow_up_owner(conf: SalesConfirmation, residents: dict | None = None):
    """R-S7: the resident technician for a resident site, else the client's salesperson."""
    from servicedesk.models import Staff

    if conf.site_id and conf.site.resident:
        if residents is not None:
            owner = residents.get(conf.site_id)
        else:
            owner = Staff.objects.filter(resident_site_id=conf.site_id, active=True).order_by("name").first()
        if owner is not None:
            return owner, as_text(message(N_("R-S7 驻点技术员")))  # read in the reader's language (rule 7)
    return conf.client.salesperson or conf.salesperson, as_text(message(N_("R-S7 业务员")))


def prepare_reconciliation(*, technician, week_of: date, now: datetime) -> Reconciliation:
    """R-S6: the differences between a technician's ledger and the coordinator's register, as of `week_of` (idempotent)."""
    base = SalesConfirmation.objects.live().filter(technician=technician, sold_on__lte=week_of)
    not_registered = set(base.filter(ledger_recorded_at__isnull=False, registered_at__isnull=True).values_list("pk", flat=True))
    not_in_ledger = set(base.filter(registered_at__isnull=False, ledger_recorded_at__isnull=True).values_list("pk", flat=True))
    wanted = {(pk, DifferenceKind.NOT_REGISTERED) for pk in not_registered} | {(pk, DifferenceKind.NOT_IN_LEDGER) for pk in not_in_ledger}
    with transaction.atomic():
        rec, _created = Reconciliation.objects.update_or_create(
            technician=technician, week_of=week_of,
            defaults=dict(
                prepared_at=now,
                ledger_count=base.filter(ledger_recorded_at__isnull=False).count(),
                register_count=base.filter(registered_at__isnull=False).count(),
            ),
        )
        have = {(d.confirmation_id, d.kind): d.pk for d in rec.differences.all()}
        stale = [pk for key, pk in have.items() if key not in wanted]
        # Derived list, rebuilt each run: resolved differences drop off.
        ReconciliationDifference.objects.filter(pk__in=stale).delete()
        ReconciliationDifference.objects.bulk_create(
            [ReconciliationDifference(reconciliation=rec, confirmation_id=pk, kind=kind) for pk, kind in wanted - set(have)]
        )
    return rec


def prepare_weekly_reconciliations(*, on: date, now: datetime) -> list[Reconciliation]:
    from servicedesk.models import Staff

    tech_ids = SalesConfirmation.objects.live().filter(sold_on__lte=on).values_list("technician_id", flat=True).distinct()
    return [prepare_reconciliation(technician=t, week_of=on, now=now) for t in Staff.objects.filter(pk__in=list(tech_ids))]


def prepare_overdue_review(*, on: date, now: datetime) -> OverdueReview:
    """R-S6: Monday morning's overdue list for the manager, with the follow-up owner (R-S7).

    Reads the open confirmations through the partial index `confirmation_open_due` (is_open, due_date),
    never a column-vs-column filter. Re-running it (the page's "refresh", the job's catch-up) makes the
    review reflect the ledger as it is now: new overdue items appear, figures are updated, and items that
    were paid or extended since drop off unless the manager already noted them (then they stay, marked).
    An overdue sale whose delivery copy was never registered proposes P11 at once, without an excuse (R-S5)."""
    from servicedesk.models import Staff

    overdue = list(SalesConfirmation.objects.overdue(on=on).select_related("client__salesperson", "site", "salesperson", "technician"))
    residents = {}
    for s in Staff.objects.filter(active=True, resident_site_id__in={c.site_id for c in overdue if c.site_id}).order_by("-name"):
        residents[s.resident_site_id] = s  # ordered so the first by name wins
    with transaction.atomic():
        review, created = OverdueReview.objects.get_or_create(week_of=on, defaults={"prepared_at": now})
        if not created:
            review.prepared_at = now
            review.save(update_fields=["prepared_at"])
        existing = {i.confirmation_id: i for i in review.items.all()}
        new_items, changed = [], []
        for conf in overdue:
            owner, rule = follow_up_owner(conf, residents)
            values = dict(
                follow_up_owner=owner, follow_up_rule=rule, days_overdue=(on - conf.due_date).days,
                outstanding=conf.outstanding, registered=conf.registered_at is not None,
            )
            item = existing.get(conf.pk)
            if item is None:
                new_items.append(OverdueReviewItem(review=review, confirmation=conf, **values))
            elif any(getattr(item, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(item, k, v)
                changed.append(item)
        OverdueReviewItem.objects.bulk_create(new_items)
        OverdueReviewItem.objects.bulk_update(
            changed, ["follow_up_owner", "follow_up_rule", "days_overdue", "outstanding", "registered"]
        )
        still = {c.pk for c in overdue}
        gone = [i for cid, i in existing.items() if cid not in still]
        # Settled or extended since: un-noted items drop off; noted ones stay with outstanding 0 as the record.
        OverdueReviewItem.objects.filter(pk__in=[i.pk for i in gone if not i.noted_at and not i.penalty_proposed]).delete()
        OverdueReviewItem.objects.filter(pk__in=[i.pk for i in gone if i.noted_at or i.penalty_proposed]).update(days_overdue=0)
    # R-S5 in bulk (rule 3: a late scan catches up): one proposal per unregistered overdue sale, in a fixed number of queries
    due = [c for c in overdue if c.registered_at is None and c.penalty_proposed_at is None and c.technician_id]
    if due:
        rule = param("receivables.overdue_penalty_rule", on=on)
        with transaction.atomic():
            claimed = set(
                SalesConfirmation.objects.select_for_update()
                .filter(pk__in=[c.pk for c in due], penalty_proposed_at__isnull=True)
                .values_list("pk", flat=True)
            )
            due = [c for c in due if c.pk in claimed]
            penalty_services.propose_many(
                proposals=[
                    penalty_services.Proposal(
                        person_id=c.technician_id, rule=rule.get("rule", "P11"), source=c, on=on,
                        suggested_points=rule.get("points"),
                        reason=message(N_("销售确认书 %(n)s 未登记台账且已逾期 %(d)s 天(R-S5,不接受解释)"),
                                       n=c.number, d=(on - c.due_date).days),
                    )
                    for c in due
                ],
                now=now,
            )
            SalesConfirmation.objects.filter(pk__in=[c.pk for c in due]).update(penalty_proposed_at=now)
            OverdueReviewItem.objects.filter(review=review, confirmation_id__in=[c.pk for c in due]).update(
                penalty_proposed=True, cause=OverdueCause.TECHNICIAN
            )
    return review


def monday_of(day: date) -> date:
    from datetime import timedelta

    return day - timedelta(days=day.weekday())


def note_overdue_item(*, item: OverdueReviewItem, cause: str, note: str, by, now: datetime) -> OverdueReviewItem:
    """The manager notes an overdue item for the salesperson; a technician-caused delay proposes P11 (R-S5)."""
    _require(by, Role.MANAGER)
    if cause not in OverdueCause.values:
        raise DomainError(_("未知的逾期原因。"), field="cause")
    with transaction.atomic():
        item = OverdueReviewItem.objects.select_for_update(of=("self",)).select_related("confirmation", "review").get(pk=item.pk)
        if not item.registered and cause == OverdueCause.CLIENT:
            raise DomainError(_("未登记台账的逾期销售不接受解释(R-S5)。"), field="cause")
        item.cause, item.note, item.noted_by, item.noted_at = cause, (note or "").strip(), by, now
        item.save()
        if cause == OverdueCause.TECHNICIAN and not item.penalty_proposed:
            reason = message(N_("销售确认书 %(n)s 因技术员原因逾期 %(d)s 天(R-S5):%(note)s"),
                             n=item.confirmation.number, d=item.days_overdue, note=item.note or "-")
            if propose_overdue_penalty(confirmation=item.confirmation, reason=reason, on=item.review.week_of, now=now, by=by) or (
                SalesConfirmation.objects.filter(pk=item.confirmation_id, penalty_proposed_at__isnull=False).exists()
            ):
                item.penalty_proposed = True
                item.save(update_fields=["penalty_proposed"])
    return item
