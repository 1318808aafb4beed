"""Beat job of dispatch: thin wrapper around services.scan_deadlines (R-W7, R-W13)."""
from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="dispatch.tasks.warn_sla_task")
def warn_sla_task() -> int:
    """Warn each technician once of an SLA deadline about to be missed (settings.SLA_WARNING_MINUTES). Idempotent."""
    from .services.scans import warn_before_breach

    return len(warn_before_breach(now=timezone.now()))


@shared_task(name="dispatch.tasks.scan_deadlines_task")
def scan_deadlines_task() -> dict:
    """Mark SLA breaches (one P7 proposal each) and warn/escalate carry-in return deadlines. Idempotent."""
    return services.scan_deadlines(now=timezone.now())
