"""Celery job of the monthly report (R-T1). Beat: daily at 06:00 Asia/Shanghai (servicedesk/beat.py); the
service acts only from the first working day of the month on, and only once per month."""
from datetime import date

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="reports.tasks.compile_last_month_task")
def compile_last_month_task(on: str | None = None) -> dict:
    day = date.fromisoformat(on) if on else timezone.localdate()
    report = services.scheduled_compile(on=day, now=timezone.now())
    if report is None:
        return {"skipped": day.isoformat()}
    return {"month": report.month.strftime("%Y-%m"), "digest": report.digest}
