"""Bad input is the client's fault: a 400 or 404 with a JSON body in the API's error shape (servicedesk.api_errors)
for the API, and a page that falls back to its default for a mistyped link — never a 500 (docs/developers.md
rule 4). Ids in API URLs are digits (servicedesk.routers.Router), a NUL in a query string is refused by name
(servicedesk.middleware), months and days are held to the years the product works with (servicedesk.months)."""
import re
from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from servicedesk.months import FIRST_YEAR, LAST_YEAR, parse_day

pytestmark = pytest.mark.django_db


def _api_detail_routes() -> list[str]:
    """Every API route that takes a record id, with "abc" in the id's place (other groups get a valid value)."""
    found = []

    def walk(patterns, prefix):
        for p in patterns:
            regex = prefix + p.pattern.regex.pattern.lstrip("^")
            if isinstance(p, URLResolver):
                walk(p.url_patterns, regex.rstrip("$"))
            elif isinstance(p, URLPattern) and regex.startswith("api/") and "(?P<pk>" in regex and "format" not in regex:
                path = re.sub(r"\(\?P<pk>[^)]*\)", "abc", regex)
                path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", path).replace("\\Z", "").replace("$", "").replace("\\", "")
                found.append("/" + path)

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


def test_every_api_route_with_an_id_answers_404_json_for_a_non_numeric_id(api, manager):
    routes = _api_detail_routes()
    # the ones the probe met, among all the others
    for expected in ["/api/bonuses/statements/abc/", "/api/resident-reports/abc/submit/", "/api/projects/abc/",
                     "/api/projects/abc/daily-reports/", "/api/work-orders/abc/attachments/"]:
        assert expected in routes
    assert len(routes) > 60
    client = api(manager)
    wrong = {}
    for path in routes:
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            if response.status_code != 404 or response["Content-Type"] != "application/json" or "detail" not in response.json():
                wrong[f"{method.upper()} {path}"] = (response.status_code, response["Content-Type"])
    assert wrong == {}


def test_a_non_numeric_id_answers_the_api_error_shape(api, manager):
    response = api(manager).post("/api/resident-reports/abc/submit/")
    assert response.status_code == 404 and response.json() == {"detail": "未找到。", "code": "not_found"}
    english = api(manager, language="en").get("/api/bonuses/statements/abc/")
    assert english.status_code == 404 and english.json()["detail"] == "Not found."


def test_an_unknown_api_path_is_json_and_a_page_stays_html(api, manager, client):
    assert api(manager).get("/api/no-such-thing/").json()["code"] == "not_found"
    client.force_login(manager.user)
    page = client.get("/dispatch/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


def test_an_unexpected_api_error_answers_json_not_an_html_page(manager, monkeypatch):
    from servicedesk import api as core_api

    def broken(self, request, *args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(core_api.ClientViewSet, "list", broken)
    client = APIClient(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_authenticate(manager.user)
    response = client.get("/api/clients/")
    assert response.status_code == 500 and response["Content-Type"] == "application/json"
    assert response.json()["code"] == "server_error" and response.json()["detail"]


# --------------------------------------------------------------------------- NUL in a query string


@pytest.mark.parametrize("path", ["/api/work-orders/?status=%00", "/api/penalties/?status=a%00b", "/api/clients/?search=%00"])
def test_nul_in_an_api_query_string_is_a_400_naming_the_parameter(api, manager, path):
    response = api(manager).get(path)
    name = re.search(r"\?(\w+)=", path).group(1)
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert response.json()[name] == [f"{name}:不能包含空字符(NUL)。"] and response.json()["code"] == "nul_character"


def test_nul_in_a_page_query_string_is_a_400_page(client, manager):
    client.force_login(manager.user)
    response = client.get("/core/work-orders/?status=%00")
    assert response.status_code == 400 and "status:不能包含空字符(NUL)" in response.content.decode()
    assert client.get("/core/work-orders/?status=open").status_code == 200


# --------------------------------------------------------------------------- months and days out of range


@pytest.mark.parametrize("month", ["0000-01", "9999-12", "1999-12", "2100-01"])
def test_an_api_month_out_of_range_is_a_400_naming_month(api, manager, month):
    response = api(manager).get(f"/api/reports/monthly/{month}/")
    assert response.status_code == 400, response.content
    assert response.json()["month"] == [f"月份 {month} 超出范围:年份应在 {FIRST_YEAR} 到 {LAST_YEAR} 之间。"] or month == "0000-01"
    compile_ = api(manager).post(f"/api/bonuses/months/{month}/compile/")
    assert compile_.status_code == 400 and "month" in compile_.json()


def test_year_zero_is_no_month(api, manager):
    response = api(manager).get("/api/reports/monthly/0000-01/")
    assert response.status_code == 400 and response.json()["month"] == ["月份格式应为 YYYY-MM。"]


def test_the_last_month_in_range_still_works(api, manager):
    # a valid month with no report is a 404 "not compiled yet", never a range error
    assert api(manager).get("/api/reports/monthly/2099-12/").status_code == 404


def test_an_api_as_of_out_of_range_is_a_400_naming_as_of(api, finance):
    response = api(finance).get("/api/receivables/ledger/?as_of=0001-01-01")
    assert response.status_code == 400 and "as_of" in response.json()
    assert api(finance).get("/api/receivables/ledger/?as_of=2026-12-01").status_code == 200


@pytest.mark.parametrize(
    "role_fixture, path, shown",
    [
        ("manager", "/reports/?month=9999-12", "2026-11"),  # the report's default month: last month
        ("manager", "/reports/?month=0000-01", "2026-11"),
        ("manager", "/bonuses/?month=9999-12", "2026-11"),
        ("manager", "/callbacks/figures/?month=9999-12", "2026-12"),
        ("manager", "/penalties/?month=9999-12", None),
        ("finance", "/receivables/ledger/?as_of=0001-01-01", "2026-12-03"),  # today
        ("finance", "/receivables/ledger/?as_of=9999-12-31", "2026-12-03"),
        ("finance", "/receivables/ledger/export/?as_of=0001-01-01", None),
    ],
)
def test_a_page_with_a_month_or_day_out_of_range_falls_back_to_its_default(request, client, role_fixture, path, shown):
    """Pages answer a mistyped link with their default month or day (servicedesk.months.month_or / parse_day)."""
    client.force_login(request.getfixturevalue(role_fixture).user)
    response = client.get(path)
    assert response.status_code == 200, path
    if shown:
        assert shown in response.content.decode()


def test_parse_day_holds_typed_days_to_the_product_years():
    assert parse_day("2026-12-03") == date(2026, 12, 3)
    assert parse_day("0001-01-01") is None and parse_day("9999-12-31", default=date(2026, 1, 1)) == date(2026, 1, 1)
    assert parse_day("2026-13-01") is None and parse_day(None) is None
