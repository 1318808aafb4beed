"""Beat jobs of maintenance contracts (R-R6): thin wrappers, idempotent."""
from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="dispatch.contracts.tasks.inspections_task")
def inspections_task() -> int:
    """Create the inspection work orders due within the look-ahead window (one per schedule slot)."""
    return services.generate_inspections(now=timezone.now())


@shared_task(name="dispatch.contracts.tasks.renewals_task")
def renewals_task() -> int:
    return services.remind_renewals(now=timezone.now())
