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
    # R-W4–R-W7, R-W13: SLA breaches (P7 once per breach) and carry-in return deadlines.
    "dispatch-scan-deadlines": {"task": "dispatch.tasks.scan_deadlines_task", "schedule": crontab(minute="*")},
    # R-S2: month-end statements (the task acts only on the last day of the month).
    "receivables-compile-statements": {
        "task": "receivables.tasks.compile_statements_task",
        "schedule": crontab(minute=0, hour=20, day_of_month="28-31"),
    },
    # R-S6: Friday/Saturday reconciliation and the Monday-morning overdue review.
    "receivables-weekly-reconciliation": {
        "task": "receivables.tasks.weekly_reconciliation_task",
        "schedule": crontab(minute=0, hour=7, day_of_week="fri,sat"),
    },
    "receivables-overdue-review": {
        "task": "receivables.tasks.overdue_review_task",
        "schedule": crontab(minute=30, hour=7, day_of_week="mon"),
    },
}
