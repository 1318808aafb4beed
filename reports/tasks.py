"""Celery job of the month close and the monthly report (R-T1, R-M9). Beat: daily at 06:15 Asia/Shanghai
(servicedesk/beat.py); the service acts only from the first working day of the month on, once per month: the
month close first, then the report."""
import logging
from datetime import date

from celery import shared_task
from django.utils import timezone

from servicedesk.errors import DomainError

from . import services

log = logging.getLogger(__name__)


@shared_task(name="reports.tasks.compile_last_month_task")
def compile_last_month_task(on: str | None = None) -> dict:
    day = date.fromisoformat(on) if on else timezone.localdate()
    try:
        report = services.scheduled_compile(on=day, now=timezone.now())
    except DomainError as exc:  # e.g. the calendar year is not loaded: reported, retried by the next run
        log.warning("month close / report not compiled: %s", exc.message)
        return {"error": str(exc.message)}
    if report is None:
        return {"skipped": day.isoformat()}
    return {"month": report.month.strftime("%Y-%m"), "digest": report.digest}
