"""Rule 2: the parameters behind a number read as sentences in the reader's language — the parameter's name from
the catalogue, its value as money/units/labels and the date it took effect; never a dict, a list, a repr or a key.
Each kind of explanation is rendered through the page fragment that shows it."""
import re
from datetime import date
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from servicedesk.explain import param_sentence, param_sentences

LEAKS = re.compile(r"\{|\[|object \(|\b(billing|bonus|penalty|receivables|sla|callback|dispatch|resident|team)\.[a-z_]")

POOL = {
    "name": "bonus.construction_pool",
    "value": [
        {"up_to": "20000", "inclusive": False, "pool": "200"},
        {"up_to": "50000", "inclusive": False, "pool": "400"},
        {"up_to": None, "inclusive": False, "pool": "800"},
    ],
    "version": 7,
    "effective_from": "2000-01-01",
}
OFFICE = {"name": "billing.software_office_tools", "value": "20.00", "version": 30, "effective_from": "2026-01-01"}
RANKS = {"name": "bonus.mobile_rank_rewards", "value": ["500", "300", "100"], "version": 3, "effective_from": "2000-01-01"}
SCORES = {"name": "bonus.workload_scores", "value": {"install": "2", "commissioning": "1", "repair": "1.5",
                                                    "maintenance": "1", "software": "0.5"}, "version": 4, "effective_from": "2000-01-01"}
YUAN_PER_POINT = {"name": "penalty.yuan_per_point", "version": 9}  # older records carry no value


def visible(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def test_a_pool_tier_reads_as_its_band_and_amount_in_chinese():
    with translation.override("zh-hans"):
        text = param_sentence(POOL, inputs={"tier": 2})
    assert text == "建设型项目奖金池:合同金额 ¥20,000.00–¥50,000.00 档:奖金池 ¥400.00,自 2000-01-01 起"


def test_scalars_lists_and_records_read_with_their_units_in_both_languages():
    with translation.override("zh-hans"):
        assert param_sentence(OFFICE) == "Office 及工具软件安装:¥20.00/次,自 2026-01-01 起"
        assert param_sentence(RANKS) == "月度排名奖励(第 1 名、第 2 名…):¥500.00 / ¥300.00 / ¥100.00,自 2000-01-01 起"
        assert "安装 2 分" in param_sentence(SCORES)
        assert param_sentence(YUAN_PER_POINT) == "每分折算金额"
    with translation.override("en"):
        english = param_sentence(POOL, inputs={"tier": 3})
    assert "¥50,000.00" in english and "¥800.00" in english and "2000-01-01" in english
    assert not re.search(r"[\u4e00-\u9fff]", english), english


def test_no_sentence_leaks_a_key_a_dict_or_a_list():
    for record in (POOL, OFFICE, RANKS, SCORES, YUAN_PER_POINT, {"name": "no.such_param", "value": {"a": 1}, "version": 1}):
        for lang in ("zh-hans", "en"):
            with translation.override(lang):
                for s in param_sentences([record]):
                    assert not LEAKS.search(s), s


def test_the_report_definitions_name_parameters_not_keys():
    from reports.definitions import definitions

    body = {"department": {"target_resolutions": 45, "target_visits": 15, "coverage_target": "90.00", "receivables_as_of": "2026-11-30"}}
    with translation.override("zh-hans"):
        texts = dict((k, t) for k, _l, t in definitions(body))
    assert "“月报目标:每月解决家次”" in texts["targets"] and "“每类上门的工作量分值”" in texts["workload_score"]
    assert not any(LEAKS.search(t) for t in texts.values()), texts


def test_bonus_statement_lines_show_sentences_not_dicts():
    line = SimpleNamespace(
        rule="R-M6", get_kind_display="项目奖金", adjusts_month=None, kind="project", amount="400.00",
        text="建设型,合同金额 ¥30,000.00 属第 2 档:奖金池 ¥400.00",
        explanation={"rule": "R-M6", "inputs": {"tier": 2, "contract_amount": "30000"}, "params": [POOL]},
    )
    fine = SimpleNamespace(rule="P7", get_kind_display="扣分金额", adjusts_month=None, kind="fine", amount="50.00",
                           text="扣 1 分 × ¥50.00", explanation={"params": [YUAN_PER_POINT]})
    with translation.override("zh-hans"):
        html = render_to_string("bonuses/_lines.html", {"lines": [line, fine]})
    text = visible(html)
    assert "合同金额 ¥20,000.00–¥50,000.00 档:奖金池 ¥400.00,自 2000-01-01 起" in text
    assert "每分折算金额" in text
    assert not LEAKS.search(text), text


def test_a_work_orders_charge_shows_the_price_list_entry_by_name():
    line = SimpleNamespace(
        get_kind_display="软件服务", item="office_tools", get_item_display="Office", quantity=1, amount="20.00", free=False,
        rule="R-P5", explanation="Office 及工具软件安装 ¥20.00/次 = ¥20.00", params=[OFFICE], inputs={}, plan=None,
        status="recorded", get_status_display="已记录", pk=1,
    )
    charge = SimpleNamespace(status="recorded", get_status_display="已记录", onsite_fee="0.00", onsite_fee_rule="R-P1",
                             onsite_fee_explanation="", onsite_fee_params=[], total="20.00", pk=1)
    with translation.override("zh-hans"):
        html = render_to_string("billing/panel.html", {"panel": {"charge": charge, "lines": [line], "billed_total": "20.00"}})
    text = visible(html)
    assert "Office 及工具软件安装:¥20.00/次,自 2026-01-01 起" in text
    assert not LEAKS.search(text), text


@pytest.mark.django_db
def test_a_penalty_from_a_client_chase_names_its_source():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from dispatch.models import ClientChase
    from penalties import services
    from servicedesk.choices import Role
    from tests.factories import WorkOrderFactory, staff_with

    at = datetime(2026, 11, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    tech = staff_with(Role.TECHNICIAN, name="张技术")
    coord = staff_with(Role.COORDINATOR, name="李协调")
    wo = WorkOrderFactory()
    chase = ClientChase.objects.create(work_order=wo, technician=tech, at=at, recorded_by=coord, note="客户来电问进度")
    pen = services.propose(person=tech, rule="P8", source=chase, reason="送修未告知客户", on=date(2026, 11, 20), now=at)
    assert "object (" not in pen.source_label and wo.number in pen.source_label
    # a snapshot stored before sources had names still reads as the source's kind and number
    pen.source_label = f"ClientChase object ({chase.pk})"
    assert pen.source_text == f"客户来电催问 #{chase.pk}"
    with translation.override("zh-hans"):
        html = render_to_string("penalties/_penalty_head.html", {"p": pen})
    assert "object (" not in html and f"客户来电催问 #{chase.pk}" in html
