"""The sender, run on commit of every enqueue and by the beat every minute (rule 3: the table is the queue)."""
from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="messaging.tasks.send_due_messages")
def send_due_messages() -> dict:
    return services.send_due(now=timezone.now())
