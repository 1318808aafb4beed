"""House rule 2 (docs/developers.md): every rule parameter has a type, a range and a unit, checked on the page and the API;
the page groups by SPEC section, sorts naturally and edits tables through fields, never JSON."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from servicedesk import param_specs
from servicedesk.models import RuleParameter
from servicedesk.params import param
from tests.clock import fixed_today

pytestmark = pytest.mark.django_db
URL = "/core/parameters/"


def _future(days=10) -> str:
    """A date after the test clock's day: the page and the API refuse effective dates before today."""
    return (fixed_today() + timedelta(days=days)).isoformat()


def test_every_rule_parameter_in_the_database_has_an_explicit_spec():
    """A new parameter needs one line in servicedesk/param_specs.py (_ENTRIES or _TABLES)."""
    names = sorted(set(RuleParameter.objects.values_list("name", flat=True)))
    missing = [n for n in names if n not in param_specs.SPECS]
    assert missing == [], f"add these to servicedesk/param_specs.py: {missing}"


def test_every_seeded_value_fits_its_own_spec():
    for row in RuleParameter.objects.all():
        param_specs.validate(row.name, row.value, kind=row.kind)  # raises ParameterValueError naming the cell


def test_unknown_parameter_gets_a_safe_default_spec():
    spec = param_specs.spec_for("projects.something_new", "decimal")
    assert spec.min == 0 and spec.section == "8" and not spec.explicit
    with pytest.raises(param_specs.ParameterValueError):
        param_specs.validate("projects.something_new", "-1", kind="decimal")
    assert param_specs.validate("reports.target", 3, kind="integer") == 3


def test_negative_onsite_fee_is_refused_by_the_api_naming_the_field(manager, technician):
    api = APIClient()
    api.force_authenticate(manager.user)
    before = RuleParameter.objects.count()
    r = api.post("/api/parameters/", {"name": "billing.onsite_fee", "value": "-50", "effective_from": _future(), "note": "x"}, format="json")
    assert r.status_code == 400, r.content
    assert "上门费" in r.json()["value"][0] and "billing.onsite_fee" in r.json()["value"][0]
    assert RuleParameter.objects.count() == before
    r = api.post("/api/parameters/", {"name": "billing.onsite_fee", "value": "300.00", "effective_from": _future(), "note": "调价"}, format="json")
    assert r.status_code == 201, r.content
    assert param("billing.onsite_fee", on=date.fromisoformat(_future())) == Decimal("300.00")
    listed = api.get("/api/parameters/", {"name": "billing.onsite_fee"}).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert rows[-1]["value"] == "300.00" and rows[-1]["spec"]["min"] == "0" and rows[-1]["spec"]["unit"] == "元"
    tech = APIClient()
    tech.force_authenticate(technician.user)
    assert tech.post("/api/parameters/", {"name": "billing.onsite_fee", "value": "1", "effective_from": _future(), "note": "x"}, format="json").status_code == 403


def test_negative_onsite_fee_is_refused_by_the_page_and_the_quote_keeps_the_old_fee(client, manager):
    client.force_login(manager.user)
    r = client.post(URL, {"name": "billing.onsite_fee", "value": "-50", "effective_from": _future(), "note": "x"})
    page = r.content.decode()
    assert "上门费 (billing.onsite_fee) 不能小于 0 元" in page
    assert 'aria-invalid="true"' in page
    assert not RuleParameter.objects.filter(name="billing.onsite_fee", note="x").exists()
    # the price list page of billing uses the same form and the same check
    r = client.post(reverse("billing:parameters"), {"name": "billing.part_markup", "value": "0.5", "effective_from": _future(), "note": "x"})
    assert "不能小于 1" in r.content.decode()


def test_penalty_range_is_edited_as_min_and_max_fields(client, manager):
    client.force_login(manager.user)
    when = _future(5)
    data = {"name": "penalty.P1", "value__min": "6", "value__max": "25", "value__dismissal": "never", "value__offence": "不服从协调员派单",
            "effective_from": when, "note": "调整"}
    assert client.post(URL, data).status_code == 302
    assert param("penalty.P1", on=date.fromisoformat(when)) == {"min": 6, "max": 25, "dismissal": "never", "offence": "不服从协调员派单"}
    bad = client.post(URL, {**data, "value__min": "30", "effective_from": _future(6)}).content.decode()
    assert "最低分不能大于最高分" in bad and "penalty.P1" in bad


def test_bucket_list_and_pool_rows_are_edited_as_rows(client, manager):
    client.force_login(manager.user)
    when = _future(7)
    r = client.post(URL, {"name": "receivables.ageing_buckets", "value__0": "15", "value__1": "45", "value__2": "90", "value__3": "",
                          "effective_from": when, "note": "细分"})
    assert r.status_code == 302
    assert param("receivables.ageing_buckets", on=date.fromisoformat(when)) == [15, 45, 90]
    bad = client.post(URL, {"name": "receivables.ageing_buckets", "value__0": "60", "value__1": "30", "effective_from": when, "note": "x"})
    assert "第 2 行须大于上一行" in bad.content.decode()
    rows = {
        "value__0__up_to": "20000", "value__0__inclusive": "1", "value__0__pool": "150",
        "value__1__up_to": "", "value__1__inclusive": "1", "value__1__pool": "1800",
        "value__2__up_to": "", "value__2__pool": "",  # blank row: dropped
    }
    r = client.post(URL, {"name": "bonus.construction_pool", **rows, "effective_from": when, "note": "x"})
    assert r.status_code == 302
    assert param("bonus.construction_pool", on=date.fromisoformat(when)) == [
        {"up_to": "20000", "inclusive": True, "pool": "150"}, {"up_to": None, "inclusive": True, "pool": "1800"},
    ]
    neg = client.post(URL, {"name": "bonus.construction_pool", **rows, "value__1__pool": "-1", "effective_from": when, "note": "x"})
    assert "第 2 行“奖金池”" in neg.content.decode()


def test_page_is_grouped_by_section_sorted_naturally_and_shows_versions(client, manager):
    from servicedesk.params import schedule_param

    today = fixed_today()
    schedule_param(name="billing.onsite_fee", value="60.00", effective_from=today + timedelta(days=30), today=today, note="明年调价")
    client.force_login(manager.user)
    page = client.get(URL).content.decode()
    sections = [page.index(f'id="s-{k}"') for k in ("3", "4", "5", "6", "7", "8", "9")]
    assert sections == sorted(sections)
    assert page.index('id="p-penalty.P2"') < page.index('id="p-penalty.P10"') < page.index('id="p-penalty.P11"')
    assert "{&#x27;min&#x27;" not in page and "{'min'" not in page  # no raw Python dicts
    assert 'name="value__min"' in page and 'name="value__0__up_to"' in page
    assert "明年调价" in page and (today + timedelta(days=30)).strftime("%Y-%m-%d") in page


def test_parameter_page_queries_do_not_grow_with_versions(client, manager, django_assert_max_num_queries):
    from servicedesk.params import schedule_param

    client.force_login(manager.user)
    today = fixed_today()
    with django_assert_max_num_queries(12):
        client.get(URL)
    for i in range(1, 20):
        schedule_param(name="billing.onsite_fee", value=f"{50 + i}.00", effective_from=today + timedelta(days=i), today=today, note="x")
    with django_assert_max_num_queries(12):
        assert client.get(URL).status_code == 200
