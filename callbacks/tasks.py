"""Beat job of the callbacks (R-K7): a thin wrapper around services.scan_callbacks."""
from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="callbacks.tasks.scan_callbacks_task")
def scan_callbacks_task() -> dict:
    return services.scan_callbacks(now=timezone.now())
