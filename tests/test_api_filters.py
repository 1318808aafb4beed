"""Every list filter and action input of the API refuses a bad value the same way: 400, the parameter named, a
translated message (servicedesk.filters). A good value of the same parameter still answers 200."""
import pytest

pytestmark = pytest.mark.django_db

# (role, url, bad query, the parameter named, the Chinese message, a good query for the same parameter)
BAD = [
    ("coordinator", "/api/clients/", {"kind": "bogus"}, "kind", "未知的客户类型:bogus", {"kind": "retail"}),
    ("coordinator", "/api/clients/", {"department": "bogus"}, "department", "未知的取值:bogus", {"department": "bidding"}),
    ("coordinator", "/api/clients/", {"active": "maybe"}, "active", "应为 true 或 false。", {"active": "false"}),
    ("coordinator", "/api/clients/", {"salesperson": "abc"}, "salesperson", "应为编号(整数)。", {"salesperson": "999999"}),
    ("coordinator", "/api/sites/", {"client": "1.5"}, "client", "应为编号(整数)。", {"client": "1"}),
    ("coordinator", "/api/sites/", {"resident": "yes please"}, "resident", "应为 true 或 false。", {"resident": "true"}),
    ("coordinator", "/api/equipment/", {"site": "x"}, "site", "应为编号(整数)。", {"site": "1"}),
    ("coordinator", "/api/staff/", {"active": "2"}, "active", "应为 true 或 false。", {"active": "1"}),
    ("coordinator", "/api/work-orders/", {"status": "bogus"}, "status", "未知的状态:bogus", {"status": "new"}),
    ("coordinator", "/api/work-orders/", {"technician": "me"}, "technician", "应为编号(整数)。", {"technician": "1"}),
    ("coordinator", "/api/work-orders/", {"content": "nonsense"}, "content", "未知的取值:nonsense", {"content": "repair"}),
    ("coordinator", "/api/work-orders/", {"created_after": "yesterday"}, "created_after",
     "日期时间格式应为 ISO 8601,例如 2026-11-01T09:00:00+08:00。", {"created_after": "2026-11-01T09:00:00+08:00"}),
    ("coordinator", "/api/work-orders/", {"is_second_service": "perhaps"}, "is_second_service", "应为 true 或 false。",
     {"is_second_service": "true"}),
    ("manager", "/api/penalties/", {"month": "2026-13"}, "month", "月份格式应为 YYYY-MM。", {"month": "2026-11"}),
    ("manager", "/api/penalties/", {"person": "abc"}, "person", "应为编号(整数)。", {"person": "1"}),
    ("manager", "/api/penalties/", {"rule": "P99"}, "rule", "未知的取值:P99", {"rule": "P7"}),
    ("manager", "/api/penalties/", {"status": "bogus"}, "status", "未知的状态:bogus", {"status": "pending"}),
    ("manager", "/api/penalties/monthly-totals/", {"month": "2026-13"}, "month", "月份格式应为 YYYY-MM。", {"month": "2026-11"}),
    ("manager", "/api/penalties/monthly-totals/", {"person": "abc"}, "person", "应为编号(整数)。", {"person": "1"}),
    ("manager", "/api/penalties/dismissal-flags/", {"status": "bogus"}, "status", "未知的状态:bogus", {"status": "open"}),
    ("manager", "/api/penalties/dismissal-flags/", {"person": "abc"}, "person", "应为编号(整数)。", {"person": "1"}),
    ("coordinator", "/api/callbacks/", {"status": "whatever"}, "status", "未知的状态:whatever", {"status": "done"}),
    ("coordinator", "/api/callbacks/figures/", {"month": "2026-13"}, "month", "月份格式应为 YYYY-MM。", {"month": "2026-11"}),
    ("manager", "/api/billing/charges/", {"work_order": "abc"}, "work_order", "应为编号(整数)。", {"work_order": "1"}),
    ("manager", "/api/billing/charges/", {"status": "bogus"}, "status", "未知的状态:bogus", {"status": "disputed"}),
    ("manager", "/api/billing/repair-plans/", {"status": "bogus"}, "status", "未知的状态:bogus", {"status": "awaiting_client"}),
    ("finance", "/api/receivables/confirmations/", {"work_order": "WO-1"}, "work_order", "应为编号(整数)。",
     {"work_order": "1"}),
    ("finance", "/api/receivables/confirmations/", {"status": "bogus"}, "status", "未知的状态:bogus", {"status": "draft"}),
    ("manager", "/api/receivables/extensions/", {"status": "bogus"}, "status", "未知的状态:bogus",
     {"status": "pending_manager"}),
    ("finance", "/api/receivables/ledger/", {"date_from": "2026-02-30"}, "date_from", "日期格式应为 YYYY-MM-DD。",
     {"date_from": "2026-02-28"}),
    ("finance", "/api/receivables/ledger/", {"as_of": "today"}, "as_of", "日期格式应为 YYYY-MM-DD。", {"as_of": "2026-12-10"}),
    ("finance", "/api/receivables/ledger/", {"client": "abc"}, "client", "应为编号(整数)。", {"client": "1"}),
    ("finance", "/api/receivables/ledger/", {"status": "bogus"}, "status", "未知的状态:bogus", {"status": "overdue"}),
    ("finance", "/api/receivables/ledger/", {"kind": "vip"}, "kind", "未知的客户类型:vip", {"kind": "retail"}),
    ("coordinator", "/api/refusals/", {"judged": "maybe"}, "judged", "应为 true 或 false。", {"judged": "false"}),
    ("coordinator", "/api/refusals/", {"work_order": "abc"}, "work_order", "应为编号(整数)。", {"work_order": "1"}),
    ("manager", "/api/projects/", {"status": "bogus"}, "status", "未知的状态:bogus", {"status": "planned"}),
    ("manager", "/api/resident-reports/", {"month": "2026-13"}, "month", "月份格式应为 YYYY-MM。", {"month": "2026-11"}),
    ("manager", "/api/resident-reports/", {"status": "bogus"}, "status", "未知的状态:bogus", {"status": "submitted"}),
    ("manager", "/api/resident-reports/", {"todo": "maybe"}, "todo", "应为 true 或 false。", {"todo": "true"}),
    ("manager", "/api/bonuses/ranking/", {}, "month", "请指定月份(YYYY-MM)。", {"month": "2026-10"}),
    ("manager", "/api/bonuses/ranking/", {"month": "2026-13"}, "month", "月份格式应为 YYYY-MM。", {"month": "2026-10"}),
    ("manager", "/api/bonuses/awards/", {"month": "10/2026"}, "month", "月份格式应为 YYYY-MM。", {"month": "2026-10"}),
    ("manager", "/api/bonuses/awards/", {"person": "abc"}, "person", "应为编号(整数)。", {"person": "1"}),
    ("manager", "/api/bonuses/statements/", {"status": "bogus"}, "status", "未知的状态:bogus", {"status": "draft"}),
    ("manager", "/api/reports/monthly/2026-13/", {}, "month", "月份格式应为 YYYY-MM。", None),
]


@pytest.mark.parametrize(
    "role, url, bad, field, message, good", BAD, ids=[f"{url}?{'&'.join(bad) or field}" for _r, url, bad, field, *_ in BAD]
)
def test_a_bad_value_is_400_naming_the_parameter(request, api, role, url, bad, field, message, good):
    client = api(request.getfixturevalue(role))
    r = client.get(url, bad)
    assert r.status_code == 400, r.content
    assert r.json()[field] == [message]
    if good is not None:
        assert client.get(url, good).status_code == 200


@pytest.mark.parametrize(
    "url, bad, field, message",
    [
        ("/api/penalties/", {"month": "2026-13"}, "month", "Month must be in YYYY-MM format."),
        ("/api/work-orders/", {"status": "bogus"}, "status", "Unknown status: bogus"),
        ("/api/receivables/ledger/", {"technician": "abc"}, "technician", "Must be an ID (integer)."),
        ("/api/receivables/ledger/", {"date_to": "31.12.2026"}, "date_to", "Date must be in YYYY-MM-DD format."),
        ("/api/bonuses/ranking/", {}, "month", "Please specify a month (YYYY-MM)."),
    ],
)
def test_the_message_follows_accept_language(api, manager, url, bad, field, message):
    r = api(manager, language="en").get(url, bad)
    assert r.status_code == 400 and r.json()[field] == [message]


def test_month_in_a_path_is_checked_too(api, manager):
    r = api(manager).post("/api/bonuses/months/2026-13/compile/")
    assert r.status_code == 400 and r.json()["month"] == ["月份格式应为 YYYY-MM。"]
    r = api(manager).post("/api/reports/monthly/2026-1x/compile/")
    assert r.status_code == 400 and r.json()["month"] == ["月份格式应为 YYYY-MM。"]


def test_a_long_bad_value_is_not_echoed_whole(api, coordinator):
    r = api(coordinator).get("/api/work-orders/", {"status": "x" * 500})
    assert r.status_code == 400 and r.json()["status"] == ["未知的状态:" + "x" * 30]


def test_bonus_person_of_someone_else_is_still_403_after_the_value_checks(api, technician, other_technician):
    client = api(technician)
    assert client.get("/api/bonuses/statements/", {"person": "abc"}).status_code == 400
    assert client.get("/api/bonuses/statements/", {"person": other_technician.pk}).status_code == 403
    assert client.get("/api/bonuses/statements/", {"person": technician.pk}).status_code == 200
