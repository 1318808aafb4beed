"""Beat job of the callbacks (R-K7): a thin wrapper around services.scan_callbacks."""
from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="callbacks.tasks.scan_callbacks_task")
def scan_callbacks_task() -> dict:
    return services.scan_callbacks(now=timezone.now())


@shared_task(name="callbacks.tasks.scan_complaints_task")
def scan_complaints_task() -> int:
    """R-K10: alert owners and managers of complaints not replied by their deadline (idempotent)."""
    from .complaints import scan_complaints

    return scan_complaints(now=timezone.now())
