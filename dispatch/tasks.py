"""Beat job of dispatch: thin wrapper around services.scan_deadlines (R-W7, R-W13)."""
from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="dispatch.tasks.scan_deadlines_task")
def scan_deadlines_task() -> dict:
    """Mark SLA breaches (one P7 proposal each) and warn/escalate carry-in return deadlines. Idempotent."""
    return services.scan_deadlines(now=timezone.now())
