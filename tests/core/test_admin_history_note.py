"""The admin's work-order history shows each note as a sentence in the reader's language (rules 2 and 7)."""
import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils.translation import gettext_noop

from servicedesk.models import WorkOrderEvent
from servicedesk.texts import message
from tests.clock import fixed_now
from tests.factories import WorkOrderFactory

pytestmark = pytest.mark.django_db


def test_a_stored_message_reads_as_a_sentence_not_json():
    order = WorkOrderFactory()
    WorkOrderEvent.objects.create(work_order=order, at=fixed_now(), action="note", note=message(gettext_noop("未到期")),
                                  from_status=order.status, to_status=order.status)
    WorkOrderEvent.objects.create(work_order=order, at=fixed_now(), action="note", note="客户改约到周五",
                                  from_status=order.status, to_status=order.status)
    root = get_user_model().objects.create_superuser("root", "root@example.com", "x-very-long-password-1")
    c = Client()
    c.force_login(root)
    html = c.get(f"/admin/servicedesk/workorder/{order.pk}/change/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Not yet due" in html and "客户改约到周五" in html
    assert '"id"' not in html and "&quot;id&quot;" not in html
