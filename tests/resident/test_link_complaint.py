"""R-K10 channel "signed link": the client complains through the rating link, no staff account involved."""
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache

from callbacks.models import Complaint
from dispatch.resident.models import ClientLink
from penalties.models import Penalty
from servicedesk.models import RuleParameter

from .conftest import at
from .helpers import stamped_report, token_of

pytestmark = pytest.mark.django_db
STAMPED_AT = at(12, 2, 9)


@pytest.fixture(autouse=True)
def clean_rate_limit():
    cache.clear()
    yield
    cache.clear()


def test_a_complaint_through_the_rating_link_gets_an_owner_and_a_deadline_once(client, resident, post, supervisor, manager, gm):
    with time_machine.travel(STAMPED_AT, tick=False):
        report = stamped_report(resident, supervisor=supervisor, manager=manager, gm=gm, now=STAMPED_AT)
    token = token_of(report)
    RuleParameter.objects.filter(name="complaint.reply_hours").update(value=8)
    now = STAMPED_AT + timedelta(days=1)
    with time_machine.travel(now, tick=False):
        assert "提出投诉" in client.get(f"/r/{token}/").content.decode()
        empty = client.post(f"/r/{token}/", {"action": "complain", "words": "  "})
        assert empty.status_code == 400 and "投诉的内容" in empty.content.decode()
        assert not Complaint.objects.exists() and ClientLink.objects.get(token=token).used_at is None
        res = client.post(f"/r/{token}/", {"action": "complain", "words": "工程师经常迟到", "client_name": "王处长"})
        assert res.status_code == 200 and "投诉已收到" in res.content.decode()
        c = Complaint.objects.get()
        assert (c.channel, c.created_by, c.owner, c.client) == ("signed_link", None, manager, report.site.client)
        assert c.reply_due_at == now + timedelta(hours=8) and "工程师经常迟到" in c.words and "王处长" in c.words
        # R-K10: the complaint names the resident, but blames nobody until the manager decides it
        assert c.technician == resident and c.outcome == "" and not Penalty.objects.filter(rule="P8").exists()
        again = client.post(f"/r/{token}/", {"action": "complain", "words": "再投诉一次"})
        assert again.status_code == 409
        assert client.post(f"/r/{token}/", {"rating": "good"}).status_code == 409
    assert Complaint.objects.count() == 1
