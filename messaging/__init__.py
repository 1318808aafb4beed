"""Outgoing messages (the outbox): written in the transaction of the event that causes them, sent by a Celery task
with retries and back-off on e-mail, WeCom and DingTalk robots and SMS; never twice, never lost."""
