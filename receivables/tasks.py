"""Celery jobs of sales and receivables: thin `<thing>_task` wrappers around services (R-S2, R-S6, R-S8).

Beat entries (servicedesk/beat.py is the lead's): see the module docstring of each task.
"""
from datetime import date, timedelta

from celery import shared_task
from django.utils import timezone

from . import services


def _day(on: str | None) -> date:
    return date.fromisoformat(on) if on else timezone.localdate()


@shared_task(name="receivables.tasks.compile_statements_task")
def compile_statements_task(month: str | None = None) -> dict:
    """R-S2, month end. Beat: crontab(minute=0, hour=20, day_of_month="28-31") — compiles the current month
    on its last day only (and, on the 1st, catches up the previous month); idempotent, checked statements untouched."""
    today = _day(month) if month else timezone.localdate()
    if month:
        target = today.replace(day=1)
    elif (today + timedelta(days=1)).day == 1:
        target = today.replace(day=1)
    else:
        return {"skipped": today.isoformat()}
    result = services.compile_month(month=target, now=timezone.now())
    return {"month": target.strftime("%Y-%m"), **result}


@shared_task(name="receivables.tasks.weekly_reconciliation_task")
def weekly_reconciliation_task(on: str | None = None) -> dict:
    """R-S6, Friday (and again Saturday) morning: crontab(minute=0, hour=7, day_of_week="fri,sat")."""
    day = _day(on)
    recs = services.prepare_weekly_reconciliations(on=day, now=timezone.now())
    return {"week_of": day.isoformat(), "technicians": len(recs)}


@shared_task(name="receivables.tasks.overdue_review_task")
def overdue_review_task(on: str | None = None) -> dict:
    """R-S6/R-S7/R-S5, Monday morning: crontab(minute=30, hour=7, day_of_week="mon")."""
    day = _day(on)
    review = services.prepare_overdue_review(on=day, now=timezone.now())
    return {"week_of": day.isoformat(), "items": review.items.count()}


@shared_task(name="receivables.tasks.export_ledger_task")
def export_ledger_task(job_id: int) -> dict:
    """R-S8: a large ledger export written to MEDIA_ROOT, with progress on the ExportJob row."""
    job = services.run_export_job(job_id=job_id)
    return {"job": job.pk, "status": job.status, "rows": job.done}
