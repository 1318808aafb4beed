"""Maintenance contracts (R-R6): create, generate inspection work orders ahead of time (idempotent per
schedule slot), remind renewals. Keyword-only arguments, explicit `now`."""
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from servicedesk.choices import Channel, Role, ServiceContent, ServiceMode
from servicedesk.models import Client, Equipment, Site, Staff
from servicedesk.money import parse_money
from servicedesk.errors import DomainError
from servicedesk.notifications import notify_many
from servicedesk.params import param
from servicedesk.services import create_work_order
from servicedesk.texts import Date, as_text, message

from servicedesk.months import local_date
from .choices import Frequency
from .models import Inspection, MaintenanceContract
from .selectors import slots


def create_contract(*, by: Staff, now: datetime, number: str, client, site, starts_on: date | None, ends_on: date | None,
                    frequency: str, equipment=(), amount=None, technician=None) -> MaintenanceContract:
    if not by.has_role(Role.MANAGER, Role.COORDINATOR):
        raise PermissionDenied(_("只有部门经理或协调员可以登记维保合同。"))
    errors: dict[str, list] = {}
    number = (number or "").strip()
    if not number:
        errors["number"] = [_("请填写合同编号。")]
    elif MaintenanceContract.objects.filter(number=number).exists():
        errors["number"] = [_("合同编号已存在。")]
    client_obj = Client.objects.filter(pk=getattr(client, "pk", client)).first() if client else None
    site_obj = Site.objects.filter(pk=getattr(site, "pk", site)).first() if site else None
    if client_obj is None:
        errors["client"] = [_("请选择客户。")]
    if site_obj is None or (client_obj and site_obj.client_id != client_obj.pk):
        errors["site"] = [_("请选择该客户的网点。")]
    if not starts_on or not ends_on:
        errors["ends_on"] = [_("请填写服务期起止日期。")]
    elif ends_on < starts_on:
        errors["ends_on"] = [_("服务期结束日期不能早于开始日期。")]
    if frequency not in Frequency.values:
        errors["frequency"] = [_("请选择巡检周期。")]
    eq_ids = [getattr(e, "pk", e) for e in equipment or []]
    eqs = list(Equipment.objects.filter(pk__in=eq_ids))
    if len(eqs) != len(set(eq_ids)) or (client_obj and any(e.client_id != client_obj.pk for e in eqs)):
        errors["equipment"] = [_("维保设备必须是该客户的设备。")]
    value = None
    if amount not in (None, ""):
        try:
            value = parse_money(amount, field="amount", label=_("合同金额"))
        except DomainError as exc:
            errors["amount"] = [str(exc.message)]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        contract = MaintenanceContract.objects.create(
            number=number, client=client_obj, site=site_obj, starts_on=starts_on, ends_on=ends_on, frequency=frequency,
            amount=value, technician_id=getattr(technician, "pk", technician) if technician else None, created_at=now,
        )
        contract.equipment.set(eqs)
    return contract


def _inspection_order(contract: MaintenanceContract, slot: date, *, now: datetime):
    equipment = list(contract.equipment.all())
    lines = "; ".join(f"{e.model} #{e.serial}" for e in equipment[:20])
    tz = timezone.get_default_timezone()
    return create_work_order(
        by=None, now=now, client=contract.client, site=contract.site, contact_name=contract.site.contact_name,
        contact_phone=contract.site.phone, content=ServiceContent.MAINTENANCE, channel=Channel.PROJECT,
        service_mode=ServiceMode.RESIDENT if contract.site.resident else ServiceMode.MOBILE,
        equipment=equipment[0] if len(equipment) == 1 else None, quantity=max(1, len(equipment)),
        required_at=timezone.make_aware(datetime.combine(slot, time(9, 0)), tz),
        # written by the product, read in the reader's language (rule 7); the equipment names stay as typed
        description=as_text(message(N_("维保合同 %(n)s 定期巡检(计划 %(d)s):%(eq)s"), n=contract.number, d=Date(slot), eq=lines or "—")),
    )


def generate_inspections(*, now: datetime) -> int:
    """R-R6 beat: work orders for every slot due within `contract.inspection_ahead_days`; one per slot
    (the contract row is locked and the slot is unique), so a second run creates nothing."""
    today = local_date(now)
    horizon = today + timedelta(days=param("contract.inspection_ahead_days", on=today))
    created = 0
    candidates = list(MaintenanceContract.objects.filter(ends_on__gte=today, starts_on__lte=horizon).values_list("pk", flat=True))
    done = {}
    for row in Inspection.objects.filter(contract_id__in=candidates).values("contract_id", "slot"):
        done.setdefault(row["contract_id"], set()).add(row["slot"])
    for pk in candidates:
        with transaction.atomic():
            contract = MaintenanceContract.objects.select_for_update(of=("self",)).select_related("client", "site").get(pk=pk)
            due = [s for s in slots(contract) if today <= s <= horizon and s not in done.get(pk, set())]
            if not due:
                continue
            existing = set(Inspection.objects.filter(contract=contract, slot__in=due).values_list("slot", flat=True))
            for slot in due:
                if slot in existing:
                    continue
                wo = _inspection_order(contract, slot, now=now)
                Inspection.objects.create(contract=contract, slot=slot, work_order=wo, created_at=now)
                created += 1
    return created


def remind_renewals(*, now: datetime) -> int:
    """R-R6: remind the manager and the client's salesperson once, `contract.renewal_reminder_days` before the term ends."""
    today = local_date(now)
    horizon = today + timedelta(days=param("contract.renewal_reminder_days", on=today))
    rows = list(
        MaintenanceContract.objects.filter(renewal_reminded_at__isnull=True, ends_on__lte=horizon, ends_on__gte=today)
        .select_related("client__salesperson__user")
    )
    if not rows:
        return 0
    managers = list(Staff.objects.active().with_role(Role.MANAGER).select_related("user"))
    alerts = []
    for c in rows:
        recipients = managers + ([c.client.salesperson] if c.client.salesperson_id else [])
        alerts.append((recipients, f"contract-renewal:{c.pk}",
                       message(N_("维保合同 %(n)s(%(c)s)将于 %(d)s 到期,请联系客户续约。"), n=c.number, c=c.client.name,
                               d=Date(c.ends_on)),
                       reverse("dispatch:contracts:detail", args=[c.pk])))
        c.renewal_reminded_at = now
    with transaction.atomic():
        notify_many(alerts=alerts, now=now)
        MaintenanceContract.objects.bulk_update(rows, ["renewal_reminded_at"])
    return len(rows)
