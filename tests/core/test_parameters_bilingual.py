"""Rule 7: the parameters page reads in the reader's language — every unit, parameter name, penalty clause name and
seeded note comes from the catalogue (never a file name); a reason a manager typed stays as typed, marked."""
import re
from datetime import timedelta

import pytest
from django.utils import translation

from servicedesk.param_specs import offence_text, seeded_note, SPECS, unit_name
from servicedesk.params import schedule_param
from tests.clock import fixed_today

pytestmark = pytest.mark.django_db
URL = "/core/parameters/"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


@pytest.fixture(autouse=True)
def _back_to_chinese():
    yield
    translation.activate("zh-hans")


def _sections(page: str) -> str:
    """The parameter cards, without what a manager typed (marked user text) and the edit forms' own inputs."""
    body = page[page.index('<section class="card param-section"'):page.rindex("</section>")]
    body = re.sub(r'<span class="user-text"[^>]*>.*?</span>', "", body, flags=re.S)
    body = re.sub(r"<input[^>]*>", "", body)
    return body


def test_english_parameters_page_has_no_chinese_in_units_names_and_notes(client, manager):
    today = fixed_today()
    schedule_param(name="billing.onsite_fee", value="60.00", effective_from=today + timedelta(days=30), today=today,
                   note="明年调价")
    client.force_login(manager.user)
    client.cookies["django_language"] = "en"
    page = client.get(URL).content.decode()
    found = sorted(set(CJK.findall(_sections(page))))
    assert not found, "Chinese on the English parameters page: " + "".join(found)
    for hidden in ("SPEC.md", "docs/rules.md", "种子"):
        assert hidden not in page
    assert "Minutes" in page or "minutes" in page
    assert '<span class="user-text"' in page and "明年调价" in page  # the typed reason, as typed and marked


def test_chinese_parameters_page_reads_the_catalogue_in_chinese(client, manager):
    client.force_login(manager.user)
    page = client.get(URL).content.decode()
    assert "分钟" in page and "docs/rules.md" not in page and "默认值" in page


def test_seeded_notes_units_and_offences_in_both_languages():
    with translation.override("en"):
        assert seeded_note("SPEC.md 默认值") == "Default value"
        assert seeded_note("docs/rules.md 默认值") == "Default value"
        assert seeded_note("种子004 岗位职责") == "Job description"
        assert seeded_note("R-N1 决定") == "Decision (R-N1)"
        assert seeded_note("R-R3/R-R6 默认值") == "Default value (R-R3/R-R6)"
        assert seeded_note("明年调价") is None
        assert unit_name("分钟") == "minutes" and unit_name("工作日") == "Working day" and unit_name("家次") == "client visits"
        assert offence_text(SPECS["penalty.P1"], "不服从协调员派单") == "Refusing the coordinator's dispatch"
        assert offence_text(SPECS["penalty.P1"], "经理改写的内容") == "经理改写的内容"
    with translation.override("zh-hans"):
        assert seeded_note("SPEC.md 默认值") == "默认值" and seeded_note("R-N1 决定") == "R-N1 决定"
        assert unit_name("分钟") == "分钟"
