"""Embedded mode: run the beat schedule in a thread of the web process (no Redis, no worker).

`manage.py rundemo` starts it. Every scan it runs is idempotent and reads its due
rows from the database, so running each one at start-up catches up whatever was
missed while the app was stopped (docs/developers.md rule 3).
"""
import logging
import threading
import time
from datetime import datetime

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

log = logging.getLogger(__name__)


class EmbeddedBeat(threading.Thread):
    def __init__(self, *, tick_seconds: float = 30.0):
        super().__init__(name="embedded-beat", daemon=True)
        self.tick_seconds = tick_seconds
        self._stop_event = threading.Event()
        self.last_run: dict[str, datetime] = {}

    def stop(self):
        self._stop_event.set()

    def run_due(self, *, first: bool = False) -> list[str]:
        from servicedesk.celery import app

        app.loader.import_default_modules()  # autodiscover every app's tasks.py
        ran = []
        now = timezone.now()
        for key, entry in settings.CELERY_BEAT_SCHEDULE.items():
            schedule = entry["schedule"]
            if not hasattr(schedule, "is_due"):
                from celery.schedules import schedule as every

                schedule = every(schedule)
            last = self.last_run.get(key)
            due = first or last is None or schedule.is_due(last).is_due
            if not due:
                continue
            task = app.tasks.get(entry["task"])
            if task is None:
                log.warning("embedded beat: unknown task %s", entry["task"])
                continue
            try:
                task.apply(args=entry.get("args", ()), kwargs=entry.get("kwargs", {}))
                ran.append(key)
            except Exception:  # one failing scan must not stop the others
                log.exception("embedded beat: %s failed", key)
            self.last_run[key] = now
        return ran

    def run(self):
        self.run_due(first=True)
        close_old_connections()
        while not self._stop_event.wait(self.tick_seconds):
            self.run_due()
            close_old_connections()
