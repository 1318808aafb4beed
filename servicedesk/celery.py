"""Celery application.

With REDIS_URL set, tasks go through Redis to a worker and beat schedules the
deadline scans. Without it (the embedded SQLite default) tasks run eagerly in
the web process and `manage.py rundemo` runs the beat schedule in a thread, so
no deadline scan is lost either way: the scans read their due rows from the
database (docs/developers.md rule 3).
"""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicedesk.settings")

app = Celery("servicedesk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
