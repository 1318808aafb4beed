"""What the dispatch rules write (a deadline's explanation, a penalty's source, a product-written line) is stored as
a message and read in the reader's language, whichever language was active when it was written (rule 7)."""
import pytest
from django.utils.translation import override

from dispatch import services
from dispatch.models import Deadline
from penalties.models import Penalty
from servicedesk.choices import ServiceMode
from servicedesk.texts import as_text, message, render, rendered
from servicedesk.localtime import local_dt

from .conftest import at

pytestmark = pytest.mark.django_db


def test_a_deadline_explanation_written_in_english_reads_in_chinese_and_back(make_order, coordinator, technician, client):
    wo = make_order(service_mode=ServiceMode.MOBILE, required_at=at(17, 10, 0))
    with override("en"):  # the coordinator dispatched with the English page open
        services.dispatch_work_order(work_order=wo, technician=technician, by=coordinator, now=at(16, 17, 30))
    rows = {d.kind: d for d in Deadline.objects.filter(work_order=wo)}
    arrive, depart = rows["mobile_arrive"].explanation["text"], rows["mobile_depart"].explanation["text"]
    assert render(arrive, language="zh-hans") == "R-W4:预约上门,须在要求到达时间 2026-11-17 10:00 前到达"
    assert render(arrive, language="en") == "R-W4: booked visit, must arrive by the required arrival time 2026-11-17 10:00"
    # 10:00 less the 30-minute travel allowance
    assert "2026-11-17 10:00" in render(depart, language="en") and "30" in render(depart, language="en")
    with override("en"):
        assert rendered(rows["mobile_arrive"].explanation)["text"].startswith("R-W4: booked visit")


def test_a_penalty_source_names_the_deadline_in_the_reader_s_language(make_order, coordinator, technician):
    wo = make_order(service_mode=ServiceMode.MOBILE)
    services.dispatch_work_order(work_order=wo, technician=technician, by=coordinator, now=at(16, 9, 0))
    services.mark_breaches(now=at(16, 12, 0))  # nobody accepted or called: R-W4 / R-W6 breached → proposals
    penalty = Penalty.objects.filter(source_type__model="deadline").order_by("pk").first()
    assert penalty is not None
    deadline = Deadline.objects.get(pk=penalty.source_id)
    with override("zh-hans"):
        assert penalty.source_text == f"{deadline.get_kind_display()} {wo.number} @ {local_dt(deadline.due_at)}"
    with override("en"):
        text = penalty.source_text
    assert wo.number in text and not any("\u4e00" <= ch <= "\u9fff" for ch in text), text


def test_a_text_column_keeps_typed_text_as_typed_and_product_text_as_a_message():
    written = as_text(message("现场收款"))
    assert render(written, language="en") == "Paid on site" and render(written, language="zh-hans") == "现场收款"
    # what a person typed is never read as a message, even when it looks like one
    for typed in ["现场收款(张三代收)", '{"id": broken', '{"id":"x"}']:
        assert render(typed, language="en") == typed
