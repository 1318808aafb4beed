"""Celery jobs of sales and receivables: thin `<thing>_task` wrappers around services (R-S2, R-S6, R-S8).

Beat entries live in servicedesk/beat.py (see the docstring of each task for its schedule).
"""
from datetime import date

from celery import shared_task
from django.utils import timezone

from servicedesk.months import first_day, last_day, previous_month

from . import services


def _day(on: str | None) -> date:
    return date.fromisoformat(on) if on else timezone.localdate()


@shared_task(name="receivables.tasks.compile_statements_task")
def compile_statements_task(month: str | None = None) -> dict:
    """R-S2, month end. Beat: crontab(minute=0, hour=20, day_of_month="28-31") — compiles the current month
    on its last day only (and, on the 1st, catches up the previous month); idempotent, checked statements untouched."""
    today = _day(month) if month else timezone.localdate()
    if month or today == last_day(today):
        target = first_day(today)
    elif today.day == 1:
        target = previous_month(today)
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
    """R-S6/R-S7/R-S5, Monday morning: crontab(minute=30, hour=7, day_of_week="mon"); re-run daily at 07:35
    it refreshes this week's review from the ledger as it is now (idempotent)."""
    day = _day(on)
    review = services.prepare_overdue_review(on=services.monday_of(day) if not on else day, now=timezone.now())
    return {"week_of": review.week_of.isoformat(), "items": review.items.count()}


@shared_task(name="receivables.tasks.export_ledger_task")
def export_ledger_task(job_id: int) -> dict:
    """R-S8: a large ledger export written to MEDIA_ROOT, with progress on the ExportJob row."""
    job = services.run_export_job(job_id=job_id)
    return {"job": job.pk, "status": job.status, "rows": job.done}


@shared_task(name="receivables.tasks.import_task")
def import_task(job_id: int) -> dict:
    """A large Excel import (opening balances or payments) with progress on the ImportJob row."""
    job = services.run_import_job(job_id=job_id)
    return {"job": job.pk, "status": job.status, "rows": job.done}


@shared_task(name="receivables.tasks.requeue_stale_jobs_task")
def requeue_stale_jobs_task() -> dict:
    """Every 5 minutes: run export/import jobs whose message was lost (Redis down) — never "queued" forever."""
    return services.requeue_stale_jobs(now=timezone.now())


@shared_task(name="receivables.tasks.missing_visit_sales_task")
def missing_visit_sales_task() -> dict:
    """R-S1 catch-up, daily 03:30 (after the calendar sync): charged visits still without their confirmation."""
    return {"created": services.create_missing_visit_sales(now=timezone.now())}
