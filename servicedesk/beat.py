"""The beat schedule: every periodic scan of the department, in one place.

Scans read due/overdue rows from the database, so a missed run (Redis or the
worker down) is caught up by the next one (docs/developers.md rule 3).
"""
from celery.schedules import crontab

BEAT_SCHEDULE = {
    # R-§11: keep the working-day table filled from the package as soon as it knows a new year.
    "calendar-sync-known-years": {
        "task": "servicedesk.tasks.sync_calendar_task",
        "schedule": crontab(minute=0, hour=3),
    },
    # SPEC §11: weekly reminder (idempotent per ISO week) while this or next year's official calendar is missing.
    "calendar-reminder": {"task": "servicedesk.tasks.calendar_reminder_task", "schedule": crontab(minute=0, hour=9)},
    # rule 3: a master-data import job whose message was lost (Redis down) runs at the latest 5 minutes later.
    "masterdata-requeue-stale-imports": {"task": "servicedesk.tasks.masterdata_requeue_stale_task", "schedule": crontab(minute="*/5")},
    # R-K7: open callbacks whose window has opened, mark overdue ones and alert (idempotent, catches up).
    "callbacks-scan": {
        "task": "callbacks.tasks.scan_callbacks_task",
        "schedule": crontab(minute="*/5"),
    },
    # R-K10: complaints not replied within complaint.reply_hours (partial index on the open deadlines).
    "callbacks-scan-complaints": {"task": "callbacks.tasks.scan_complaints_task", "schedule": crontab(minute="*/5")},
    # R-W4–R-W7, R-W13: SLA breaches (P7 once per breach) and carry-in return deadlines.
    "dispatch-scan-deadlines": {"task": "dispatch.tasks.scan_deadlines_task", "schedule": crontab(minute="*")},
    # an SLA deadline about to be missed warns its technician once (claimed by warned_at; catches up when late)
    "dispatch-warn-sla": {"task": "dispatch.tasks.warn_sla_task", "schedule": crontab(minute="*")},
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
    # R-T1 / R-M9: from the first working day of the month (PRC calendar): the month close (last month's
    # statements) and then, in the same job, last month's report — never the report before the close. Acts once a
    # month; a missed run catches up the next day. The draft report is compiled again whenever the month's
    # statements change (bonuses.signals.statements_changed → reports.services.recompile_draft).
    "reports-compile-last-month": {
        "task": "reports.tasks.compile_last_month_task",
        "schedule": crontab(minute=15, hour=6),
    },
    # R-R4: previous month's resident documents rows, daily reminder of overdue ones.
    "resident-documents": {"task": "dispatch.resident.tasks.resident_documents_task", "schedule": crontab(minute=15, hour=8)},
    # R-R6: inspection work orders ahead of time (idempotent per slot) and renewal reminders.
    "contracts-inspections": {"task": "dispatch.contracts.tasks.inspections_task", "schedule": crontab(minute=0, hour=6)},
    "contracts-renewals": {"task": "dispatch.contracts.tasks.renewals_task", "schedule": crontab(minute=30, hour=8)},
    "receivables-overdue-review": {
        "task": "receivables.tasks.overdue_review_task",
        "schedule": crontab(minute=30, hour=7, day_of_week="mon"),
    },
    # R-S6: the week's overdue review follows the ledger as it is now (payments, extensions) every morning.
    "receivables-overdue-review-refresh": {
        "task": "receivables.tasks.overdue_review_task",
        "schedule": crontab(minute=35, hour=7, day_of_week="tue-fri"),
    },
    # R-S1: charged visits whose sale was deferred (calendar year missing) get it once the year is entered.
    "receivables-missing-visit-sales": {
        "task": "receivables.tasks.missing_visit_sales_task",
        "schedule": crontab(minute=30, hour=3),
    },
    # Rule 3: the outbox is the queue — every minute the due messages are sent (retries with back-off included),
    # whether or not the task message queued on commit ever reached Redis.
    "messaging-send-due": {"task": "messaging.tasks.send_due_messages", "schedule": crontab(minute="*")},
    # Rule 3: export/import jobs whose message was lost while Redis was down run now (never "queued" forever).
    "receivables-requeue-stale-jobs": {
        "task": "receivables.tasks.requeue_stale_jobs_task",
        "schedule": crontab(minute="*/5"),
    },
}
