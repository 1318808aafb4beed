"""The beat schedule: every periodic scan of the department, in one place.

Scans read due/overdue rows from the database, so a missed run (Redis or the
worker down) is caught up by the next one (DEVELOPERS.md rule 3).
"""
from celery.schedules import crontab

BEAT_SCHEDULE = {
    # R-§11: keep the working-day table filled from the package as soon as it knows a new year.
    "calendar-sync-known-years": {
        "task": "servicedesk.tasks.sync_calendar_task",
        "schedule": crontab(minute=0, hour=3),
    },
    # R-K7: open callbacks whose window has opened, mark overdue ones and alert (idempotent, catches up).
    "callbacks-scan": {
        "task": "callbacks.tasks.scan_callbacks_task",
        "schedule": crontab(minute="*/5"),
    },
}
