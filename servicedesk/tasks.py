"""Celery tasks of the core: thin wrappers around services."""
from celery import shared_task

from . import workdays


@shared_task(name="servicedesk.tasks.sync_calendar_task")
def sync_calendar_task() -> list[int]:
    """Load every year the chinesecalendar package knows and the table lacks (idempotent)."""
    return workdays.sync_known_years()


@shared_task(name="servicedesk.tasks.load_calendar_year_task")
def load_calendar_year_task(year: int) -> int:
    """Load one year from the package (an administrator's request, run in the background)."""
    return workdays.load_year_from_package(year).year


@shared_task(name="servicedesk.tasks.calendar_reminder_task")
def calendar_reminder_task() -> list[int]:
    """SPEC §11: once a week, remind administrators and the manager of a year whose official calendar is missing."""
    from django.utils import timezone

    return workdays.remind_calendar(now=timezone.now())


@shared_task(name="servicedesk.tasks.masterdata_import_task")
def masterdata_import_task(job_id: int) -> dict:
    """The admin role's confirmed master-data import, with progress (runs once per job)."""
    from .masterdata.jobs import run_import_job

    job = run_import_job(job_id=job_id)
    return {"job": job.pk, "status": job.status, "rows": job.done}


@shared_task(name="servicedesk.tasks.masterdata_requeue_stale_task")
def masterdata_requeue_stale_task() -> list[int]:
    """Every 5 minutes: master-data import jobs still queued (their message lost) run now."""
    from django.utils import timezone

    from .masterdata.jobs import requeue_stale

    return requeue_stale(now=timezone.now())
