"""Beat jobs of resident service (R-R4): thin wrappers, idempotent."""
from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="dispatch.resident.tasks.resident_documents_task")
def resident_documents_task() -> dict:
    """Open the previous month's documents rows of every resident site and remind the overdue ones (once a day)."""
    now = timezone.now()
    return {"opened": services.open_documents_due(now=now), "reminded": services.remind_overdue_documents(now=now)}
