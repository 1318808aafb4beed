"""The outbox: never lost when the provider or Redis is down, never sent twice, back-off and rate limits, and each
channel's real request shape checked by the fake provider on 127.0.0.1 (tests/messaging/fakes.py)."""
import json
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction

from messaging import services
from messaging.models import OutboxMessage
from messaging.tasks import send_due_messages

pytestmark = pytest.mark.django_db


def _three(now):
    """A message on each HTTP channel, as an event would write them."""
    services.enqueue(channel="wecom", address="13800000001", template_key="dispatched", idempotency_key="e1:a",
                     params={"technician": "王技术", "arrival": "14:30", "number": "WO-1"}, now=now)
    services.enqueue(channel="dingtalk", address="13800000002", template_key="on_the_way", idempotency_key="e2:b",
                     params={"technician": "王技术", "arrival": "14:30", "number": "WO-1"}, now=now)
    services.enqueue(channel="sms", address="13800000003", template_key="dispatched", idempotency_key="e1:c",
                     params={"technician": "王技术", "arrival": "14:30", "number": "WO-1"}, now=now)


def test_each_channel_sends_the_providers_request_shape(provider, fixed_now):
    _three(fixed_now)
    services.enqueue(channel="email", address="client@example.com", template_key="payment_received",
                     idempotency_key="p1:x", params={"amount": "¥1,200.00", "date": "2026-12-03"}, now=fixed_now)
    assert services.send_due(now=fixed_now) == {"sent": 4, "failed": 0, "retry": 0, "throttled": 0}
    assert provider.refused == []
    got = dict((kind, payload) for kind, payload in provider.received)
    assert got["wecom"]["text"]["content"] == "【客服部】技术员 王技术 已接单,预计 14:30 到达(工单 WO-1)。"
    assert got["wecom"]["text"]["mentioned_mobile_list"] == ["13800000001"]
    assert got["dingtalk"]["at"]["atMobiles"] == ["13800000002"]
    assert "已出发" in got["dingtalk"]["text"]["content"]
    sms = got["sms"]
    assert (sms["PhoneNumbers"], sms["TemplateCode"], sms["SignName"]) == ("13800000003", "SMS_100", "客服部")
    assert json.loads(sms["TemplateParam"]) == {"technician": "王技术", "arrival": "14:30", "number": "WO-1"}
    assert [m.to for m in mail.outbox] == [["client@example.com"]]
    assert mail.outbox[0].body == "【客服部】已收到贵司 2026-12-03 的付款 ¥1,200.00,谢谢。"
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {"sent"}


def test_a_wrong_signature_is_refused_by_the_provider_and_recorded(provider, settings, fixed_now):
    settings.MESSAGING_DINGTALK_SECRET = "not-the-robots-secret"
    settings.MESSAGING_SMS_ACCESS_KEY_SECRET = "wrong"
    _three(fixed_now)
    services.send_due(now=fixed_now)
    assert sorted(provider.refused) == [("dingtalk", "sign"), ("sms", "signature")]
    failed = dict(OutboxMessage.objects.filter(state="failed").values_list("channel", "last_error"))
    assert failed == {"dingtalk": "DingTalk errcode 310000: sign not match",
                      "sms": "Aliyun SMS SignatureDoesNotMatch: Specified signature is not matched"}


def test_provider_down_for_an_hour_loses_nothing_and_sends_each_once(provider, time_machine, fixed_now):
    """Half an hour answering 500, half an hour refusing connections; the beat ticks every minute."""
    _three(fixed_now)
    provider.mode = "500"
    for minute in range(0, 61):
        if minute == 30:
            provider.stop()  # nothing listens: connection refused
        time_machine.move_to(fixed_now + timedelta(minutes=minute))
        services.send_due(now=fixed_now + timedelta(minutes=minute))
    rows = list(OutboxMessage.objects.order_by("pk"))
    assert [r.state for r in rows] == ["pending"] * 3
    # back-off 1, 2, 4, 8, 16, 32 minutes: tries at 0, 1, 3, 7, 15, 31 — six in the hour, the next at minute 63
    assert [r.attempts for r in rows] == [6, 6, 6]
    assert {r.next_attempt_at for r in rows} == {fixed_now + timedelta(minutes=63)}
    assert all("ConnectionRefusedError" in r.last_error or "Connection refused" in r.last_error for r in rows)
    assert provider.received == []

    provider.mode = "ok"
    provider.start()  # back on the same port
    for minute in range(61, 70):
        time_machine.move_to(fixed_now + timedelta(minutes=minute))
        send_due_messages.apply()  # the beat's task, as it runs every minute
        if minute == 62:
            assert provider.received == [], "nothing is sent before its next attempt is due"
    assert sorted(kind for kind, _p in provider.received) == ["dingtalk", "sms", "wecom"]
    rows = list(OutboxMessage.objects.order_by("pk"))
    assert [(r.state, r.attempts, r.last_error) for r in rows] == [("sent", 7, "")] * 3
    assert {r.sent_at for r in rows} == {fixed_now + timedelta(minutes=63)}


def test_running_the_sender_twice_sends_nothing_twice(provider, fixed_now):
    _three(fixed_now)
    first = services.send_due(now=fixed_now)
    second = services.send_due(now=fixed_now)
    send_due_messages.apply()
    assert first["sent"] == 3 and second == {"sent": 0, "failed": 0, "retry": 0, "throttled": 0}
    assert len(provider.received) == 3


def test_one_event_one_message_per_recipient(fixed_now):
    for _ in range(2):
        services.enqueue(channel="sms", address="13800000003", template_key="done", idempotency_key="done:7:contact=1",
                         params={"number": "WO-7", "technician": "王技术"}, now=fixed_now)
    assert OutboxMessage.objects.count() == 1


def test_failed_after_the_last_attempt_with_the_reason(provider, settings, fixed_now):
    settings.MESSAGING_MAX_ATTEMPTS = 3
    provider.mode = "500"
    _three(fixed_now)
    moment = fixed_now
    for _ in range(3):
        services.send_due(now=moment)
        moment += timedelta(hours=2)
    rows = list(OutboxMessage.objects.all())
    assert [(r.state, r.attempts) for r in rows] == [("failed", 3)] * 3
    assert rows[0].last_error.startswith("HTTP 500")


def test_the_providers_rate_limit_answer_is_retried_not_failed(provider, fixed_now):
    provider.mode = "busy"
    _three(fixed_now)
    assert services.send_due(now=fixed_now)["retry"] == 3
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {"pending"}


def test_per_channel_rate_limit_holds_the_rest_for_the_next_minute(provider, settings, fixed_now):
    settings.MESSAGING_RATE_PER_MINUTE = {**settings.MESSAGING_RATE_PER_MINUTE, "wecom": 2}
    for i in range(5):
        services.enqueue(channel="wecom", address=f"1380000000{i}", template_key="done", idempotency_key=f"d{i}",
                         params={"number": f"WO-{i}", "technician": "王技术"}, now=fixed_now)
    services.send_due(now=fixed_now)
    assert len(provider.received) == 2
    services.send_due(now=fixed_now + timedelta(seconds=30))
    assert len(provider.received) == 2, "still within the same minute"
    services.send_due(now=fixed_now + timedelta(seconds=61))
    assert len(provider.received) == 4
    services.send_due(now=fixed_now + timedelta(seconds=122))
    assert len(provider.received) == 5
    assert OutboxMessage.objects.get(idempotency_key="d4").attempts == 1, "waiting for the limit is no attempt"


def test_a_channel_without_settings_fails_with_the_reason(fixed_now):
    _three(fixed_now)
    services.send_due(now=fixed_now)
    errors = dict(OutboxMessage.objects.values_list("channel", "last_error"))
    assert errors["wecom"] == "channel not configured (no webhook URL in settings)"
    assert errors["sms"] == "SMS not configured (access key or sign name missing in settings)"
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {"failed"}


def test_redis_down_at_commit_leaves_the_row_for_the_beat(provider, monkeypatch, fixed_now, django_capture_on_commit_callbacks):
    from messaging import tasks

    def broker_down(*a, **k):
        raise ConnectionError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(tasks.send_due_messages, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            _three(fixed_now)
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {"pending"}
    send_due_messages.apply()  # the beat's next tick
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {"sent"}
    assert len(provider.received) == 3


def test_on_commit_the_task_sends_at_once(provider, fixed_now, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _three(fixed_now)
    assert len(provider.received) == 3


def test_a_rolled_back_event_leaves_no_message(fixed_now):
    with pytest.raises(RuntimeError, match="the event failed"):
        with transaction.atomic():
            _three(fixed_now)
            raise RuntimeError("the event failed")
    assert OutboxMessage.objects.count() == 0
