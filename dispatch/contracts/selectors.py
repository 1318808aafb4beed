"""Reads of maintenance contracts (R-R6)."""
from datetime import date

from django.db.models import Prefetch

from servicedesk.choices import WorkOrderStatus
from servicedesk.months import add_months

from .models import Inspection, MaintenanceContract

DONE = (WorkOrderStatus.RESOLVED, WorkOrderStatus.CLOSED)


def slots(contract: MaintenanceContract) -> list[date]:
    """The inspection schedule of the term: the start date, then every `frequency` months, up to the end."""
    step = int(contract.frequency)
    out, k = [], 0
    while True:
        d = add_months(contract.starts_on, k * step)
        if d > contract.ends_on:
            return out
        out.append(d)
        k += 1


def is_fulfilled(contract: MaintenanceContract) -> bool:
    """R-R6: fulfilled when every scheduled inspection of the term was done (its work order resolved)."""
    done = set(
        Inspection.objects.filter(contract=contract, work_order__status__in=DONE).values_list("slot", flat=True)
    )
    return all(s in done for s in slots(contract))


def contract_list(*, limit: int = 100):
    qs = MaintenanceContract.objects.select_related("client", "site").order_by("ends_on", "id")
    return list(qs[:limit]), qs.count()


def contract_detail(*, pk: int):
    c = (
        MaintenanceContract.objects.select_related("client", "site", "technician")
        .prefetch_related("equipment", Prefetch("inspections", queryset=Inspection.objects.select_related("work_order__technician")))
        .get(pk=pk)
    )
    by_slot = {i.slot: i for i in c.inspections.all()}
    c.schedule = [(s, by_slot.get(s)) for s in slots(c)]
    c.fulfilled = all(i is not None and i.work_order.status in DONE for _s, i in c.schedule)
    return c
