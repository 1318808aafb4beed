"""The month close as a task (R-M9): thin wrapper around services.compile_last_month. Not scheduled on its own:
the beat's reports.tasks.compile_last_month_task closes the month and then compiles the report (R-T1 order)."""
import logging

from celery import shared_task
from django.utils import timezone

from servicedesk.errors import DomainError

from . import services

log = logging.getLogger(__name__)


@shared_task(name="bonuses.tasks.compile_last_month_task")
def compile_last_month_task() -> dict | None:
    try:
        result = services.compile_last_month(now=timezone.now())
    except DomainError as exc:  # e.g. the calendar year is not loaded: reported, retried by the next run
        log.warning("month close not compiled: %s", exc.message)
        return {"error": str(exc.message)}
    if result is None:
        return None
    return {"month": f"{result.month:%Y-%m}", "status": result.status, "created": result.created}
