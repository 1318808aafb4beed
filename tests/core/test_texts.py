"""Stored messages read in the reader's language (rule 7): what the system writes is stored as a message id with
its parameters and rendered when read, so a reader who switches language reads it in the new one."""
from datetime import date
from decimal import Decimal

from django.template import Context, Template
from django.utils.translation import gettext_lazy, gettext_noop, override

from servicedesk.choices import Role
from servicedesk.texts import Date, Money, message, render


def test_a_message_written_in_chinese_reads_in_english_and_back():
    # "未到期" is in the English catalogue as "Not yet due"; the stored form holds no language at all
    stored = message(gettext_noop("未到期"))
    with override("zh-hans"):
        assert render(stored) == "未到期"
    with override("en"):
        assert render(stored) == "Not yet due"
    assert render(stored, language="zh-hans") == "未到期"


def test_parameters_keep_their_kind_labels_translate_money_and_days_format():
    stored = message("%(role)s %(amount)s %(day)s %(n)s", role=Role.MANAGER.label, amount=Money(Decimal("12800")),
                     day=Date(date(2027, 2, 15)), n=3)
    assert stored["params"]["role"] == {"$t": "部门经理"}
    with override("zh-hans"):
        assert render(stored) == "部门经理 ¥12,800.00 2027-02-15 3"
    with override("en"):
        assert render(stored) == "Department manager ¥12,800.00 2027-02-15 3"


def test_a_sentence_written_before_keeps_its_words():
    with override("en"):
        assert render("R-B1:软件故障免收上门费") == "R-B1:软件故障免收上门费"
        assert render({"legacy": "旧说明"}) == "旧说明"
        assert render("") == ""


def test_the_say_filter_renders_in_the_page_language():
    stored = message(gettext_noop("未到期"))
    page = Template("{% load texts %}{{ x|say }}")
    with override("en"):
        assert page.render(Context({"x": stored})) == "Not yet due"


def test_a_lazy_label_is_stored_as_its_source():
    assert message(gettext_lazy("未到期")) == {"id": "未到期", "params": {}}


def test_rendered_and_joined_read_in_the_reader_language():
    from django.utils.translation import gettext_noop as N_

    from servicedesk.texts import joined, rendered

    stored = {"text": joined([message(N_("承诺 %(at)s 到达"), at="2027-02-15 09:30"), "客户要求"]), "id": 7}
    with override("en"):
        assert rendered(stored) == {"text": "Promised arrival at 2027-02-15 09:30; 客户要求", "id": 7}
    with override("zh-hans"):
        assert rendered(stored)["text"] == "承诺 2027-02-15 09:30 到达;客户要求"
    assert joined([]) == "" and joined(["a"]) == "a"
