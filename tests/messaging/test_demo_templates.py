"""Every message template rendered in both languages with the demo's data: the demo department (built through the
services, its contacts given channels by demo/messages.py) fills the outbox as production would; each template has
messages there and reads completely in Chinese and in English."""
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction

from messaging.catalogue import TEMPLATES
from messaging.models import OutboxMessage
from messaging.rendering import render_message
from servicedesk.texts import render

NOW = datetime(2026, 11, 20, 16, 30, tzinfo=ZoneInfo("Asia/Shanghai"))  # the demo's own moment (tests/test_demo.py)
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def demo_outbox(django_db_setup, django_db_blocker):
    from demo.department import build

    with django_db_blocker.unblock(), time_machine.travel(NOW, tick=False):
        with transaction.atomic():
            build(now=NOW)
            yield {key: list(OutboxMessage.objects.filter(template_key=key).order_by("pk")[:3]) for key in TEMPLATES}
            transaction.set_rollback(True)


def _values(row, language):
    from django.utils import translation

    with translation.override(language):
        return [render({"id": "%(v)s", "params": {"v": v}}) for v in row.params.values()]


@pytest.mark.django_db
@pytest.mark.parametrize("key", list(TEMPLATES))
def test_every_template_reads_in_both_languages_with_the_demos_data(demo_outbox, key):
    rows = demo_outbox[key]
    assert rows, f"the demo sends no {key} message"
    for row in rows:
        zh = render_message(key=key, params=row.params, links=row.links, language="zh-hans")
        en = render_message(key=key, params=row.params, links=row.links, language="en")
        for text in (zh, en):
            assert "%(" not in text and text.strip()
        assert HAN.search(zh), "the Chinese text reads in Chinese"
        # the English words are the template's own; only the data (names, typed text) may be Chinese
        words = en
        for value in sorted(_values(row, "en"), key=len, reverse=True):
            if value:
                words = words.replace(value, "")
        assert not HAN.search(words), f"{key}: {en}"
        for value in _values(row, "zh-hans"):
            assert value in zh
