"""The money flow in the browser, per role: who may open each page (server-side), a fixed number of SQL
queries whatever the number of rows, and the flows a technician, coordinator, manager, GM office and
finance go through."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from receivables import services
from receivables.choices import ExtensionStatus, StatementStatus
from receivables.models import DueDateExtension, MonthlyStatement, Payment, SalesConfirmation
from servicedesk.choices import Role
from tests.factories import staff_with

from .factories import at, confirmation, key_account, retail_client

pytestmark = pytest.mark.django_db
TODAY = at(2026, 11, 23, 10)  # a Monday

PAGES = {
    # url name: roles that may open it
    "receivables:ledger": {Role.FINANCE, Role.MANAGER},
    "receivables:payment_new": {Role.FINANCE, Role.MANAGER},
    "receivables:payments_import": {Role.FINANCE},
    "receivables:import": {Role.FINANCE},
    "receivables:my_ledger": {Role.TECHNICIAN},
    "receivables:counter_sale": {Role.TECHNICIAN},
    "receivables:register": {Role.COORDINATOR, Role.MANAGER},
    "receivables:reconciliation": {Role.COORDINATOR, Role.MANAGER},
    "receivables:statements": {Role.FINANCE, Role.MANAGER, Role.COORDINATOR},
    "receivables:extensions": {Role.MANAGER, Role.GM_OFFICE},
    "receivables:overdue_review": {Role.MANAGER},
}
ROLES = [Role.TECHNICIAN, Role.COORDINATOR, Role.FINANCE, Role.SALES, Role.MANAGER, Role.GM_OFFICE, Role.ADMIN]


@pytest.mark.parametrize("name", sorted(PAGES))
def test_each_page_is_open_to_its_roles_only(client, name):
    url = reverse(name)
    assert client.get(url).status_code == 302  # anonymous → login
    for role in ROLES:
        staff = staff_with(role)
        client.force_login(staff.user)
        expected = 200 if role in PAGES[name] else 403
        assert client.get(url).status_code == expected, (name, role)


def test_a_technician_cannot_open_another_technicians_sale(client, technician, other_technician):
    conf = confirmation(technician=other_technician)
    client.force_login(technician.user)
    assert client.get(reverse("receivables:sale", args=[conf.pk])).status_code == 404
    assert client.post(reverse("receivables:sale_collect", args=[conf.pk]), {"method": "cash", "invoice_number": "X"}).status_code == 404
    assert not Payment.objects.exists()


def _many(technician, coordinator, finance, n):
    client = key_account(name=f"大客户{n}")
    out = []
    for i in range(n):
        c = confirmation(technician=technician, client=client if i % 2 else None, sold_on=date(2026, 10, 1) + timedelta(days=i % 20),
                         register_by=coordinator if i % 3 else None)
        if i % 4 == 0:
            services.request_extension(confirmation=c, requested_due_date=c.due_date + timedelta(days=30), reason="客户书面申请",
                                       by=technician, now=TODAY)
        if i % 5 == 1:
            services.record_payment(confirmation=c, amount="10.00", received_on=date(2026, 11, 20), reference=f"R{n}-{i}", by=finance, now=TODAY)
        out.append(c)
    services.prepare_overdue_review(on=date(2026, 11, 23), now=TODAY)
    services.prepare_reconciliation(technician=technician, week_of=date(2026, 11, 20), now=TODAY)
    services.compile_month(month=date(2026, 10, 1), now=TODAY)
    return out


QUERY_PAGES = [
    ("receivables:ledger", Role.FINANCE, {}),
    ("receivables:payment_new", Role.FINANCE, {}),
    ("receivables:my_ledger", Role.TECHNICIAN, {}),
    ("receivables:register", Role.COORDINATOR, {}),
    ("receivables:reconciliation", Role.COORDINATOR, {"technician": "TECH"}),
    ("receivables:statements", Role.FINANCE, {}),
    ("receivables:extensions", Role.MANAGER, {}),
    ("receivables:overdue_review", Role.MANAGER, {}),
]


@time_machine.travel(TODAY, tick=False)
def test_pages_run_a_fixed_number_of_queries_for_3_or_30_rows(client, technician, coordinator, finance, manager,
                                                               django_assert_max_num_queries):
    users = {Role.FINANCE: finance, Role.TECHNICIAN: technician, Role.COORDINATOR: coordinator, Role.MANAGER: manager}
    budgets = {}
    for n in (3, 30):
        confs = _many(technician, coordinator, finance, n)
        for name, role, params in QUERY_PAGES:
            client.force_login(users[role].user)
            query = {k: (technician.pk if v == "TECH" else v) for k, v in params.items()}
            if n == 3:
                from django.db import connection
                from django.test.utils import CaptureQueriesContext

                with CaptureQueriesContext(connection) as ctx:
                    assert client.get(reverse(name), query).status_code == 200
                budgets[name] = len(ctx.captured_queries)
            else:
                with django_assert_max_num_queries(budgets[name]):
                    assert client.get(reverse(name), query).status_code == 200, name
        client.force_login(technician.user)
        if n == 3:
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as ctx:
                client.get(reverse("receivables:sale", args=[confs[0].pk]))
            budgets["sale"] = len(ctx.captured_queries)
            client.force_login(finance.user)
            with CaptureQueriesContext(connection) as ctx:
                client.get(reverse("receivables:confirmation_detail", args=[confs[0].pk]))
            budgets["detail"] = len(ctx.captured_queries)
        else:
            with django_assert_max_num_queries(budgets["sale"]):
                client.get(reverse("receivables:sale", args=[confs[0].pk]))
            client.force_login(finance.user)
            with django_assert_max_num_queries(budgets["detail"]):
                client.get(reverse("receivables:confirmation_detail", args=[confs[0].pk]))
    assert max(budgets.values()) <= 30


# --------------------------------------------------------------------------- the technician's phone


@time_machine.travel(TODAY, tick=False)
def test_technician_writes_a_counter_sale_records_the_signature_and_collects_on_the_spot(client, technician):
    retail_client(name="深圳市门市客户")
    client.force_login(technician.user)
    page = client.get(reverse("receivables:counter_sale"))
    assert page.status_code == 200 and "深圳市门市客户" in page.content.decode()
    bad = client.post(reverse("receivables:counter_sale"), {"client": "深圳市门市客户", "description_1": "硒鼓", "quantity_1": "1",
                                                            "unit_price_1": "0.001"})
    assert bad.status_code == 400 and "小数" in bad.content.decode() and not SalesConfirmation.objects.exists()
    res = client.post(reverse("receivables:counter_sale"), {"client": "深圳市门市客户", "description_1": "硒鼓", "quantity_1": "2",
                                                            "unit_price_1": "150.00", "description_2": "上门", "unit_price_2": "50"})
    conf = SalesConfirmation.objects.get()
    assert res.status_code == 302 and conf.amount == Decimal("350.00") and conf.work_order is None
    assert conf.due_date == date(2026, 12, 2)  # 7 working days after Monday 23 Nov
    client.post(reverse("receivables:sale_sign", args=[conf.pk]), {"signatory": "李店长"})
    client.post(reverse("receivables:sale_collect", args=[conf.pk]), {"method": "transfer", "invoice_number": "FP-8"})
    conf.refresh_from_db()
    assert conf.client_signatory == "李店长" and conf.status == "client_signed" and not conf.is_open
    ledger = client.get(reverse("receivables:my_ledger")).content.decode()
    assert conf.number in ledger and "现场收款" in ledger and "FP-8" in ledger and "¥0.00" in ledger


@time_machine.travel(TODAY, tick=False)
def test_the_phone_ledger_shows_due_on_and_is_mobile_first(client, technician):
    conf = confirmation(technician=technician, sold_on=date(2026, 11, 20))
    client.force_login(technician.user)
    html = client.get(reverse("receivables:my_ledger")).content.decode()
    assert "2026-12-01 到期" in html and "¥300.00" in html and "min-height:44px" in html
    detail = client.get(reverse("receivables:sale", args=[conf.pk])).content.decode()
    assert "记录客户签字" in detail and "登记现场收款" in detail and "客户原因需延期" in detail
    bad = client.post(reverse("receivables:sale_extension", args=[conf.pk]), {"requested_due_date": "2026-11-25", "reason": "客户原因"})
    assert bad.status_code == 400 and "晚于当前到期日" in bad.content.decode()


# --------------------------------------------------------------------------- coordinator


@time_machine.travel(TODAY, tick=False)
def test_coordinator_registers_from_the_list_of_unregistered_copies(client, coordinator, technician):
    old = confirmation(technician=technician, sold_on=date(2026, 11, 2))
    newer = confirmation(technician=technician, sold_on=date(2026, 11, 9))
    client.force_login(coordinator.user)
    html = client.get(reverse("receivables:register")).content.decode()
    assert html.index(old.number) < html.index(newer.number) and "2 张" in html
    assert client.post(reverse("receivables:register"), {"number": old.number.lower()}).status_code == 302
    again = client.post(reverse("receivables:register"), {"number": old.number})
    assert again.status_code == 400 and "不能重复登记" in again.content.decode()
    unknown = client.post(reverse("receivables:register"), {"number": "XS-0000"})
    assert unknown.status_code == 400 and "请核对编号" in unknown.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_reconciliation_page_shows_what_differs_and_refreshes(client, coordinator, technician):
    missing = confirmation(technician=technician, sold_on=date(2026, 11, 16))
    services.prepare_reconciliation(technician=technician, week_of=date(2026, 11, 20), now=TODAY)
    client.force_login(coordinator.user)
    html = client.get(reverse("receivables:reconciliation"), {"technician": technician.pk}).content.decode()
    assert missing.number in html and "协调员未登记送货联" in html
    services.register_delivery_copy(number=missing.number, by=coordinator, now=TODAY)
    res = client.post(reverse("receivables:reconciliation"), {"technician": technician.pk})
    html = client.get(res.url).content.decode()
    assert "没有差异" in html


@time_machine.travel(TODAY, tick=False)
def test_statement_compiled_with_the_button_and_twice_is_refused_then_moves_through_its_steps(client, coordinator, technician, manager, finance):
    key = key_account(name="深圳市国税局")
    confirmation(technician=technician, client=key, sold_on=date(2026, 10, 5), register_by=coordinator)
    client.force_login(coordinator.user)
    assert client.post(reverse("receivables:statements"), {"month": "2026-10", "client": key.pk}).status_code == 302
    stmt = MonthlyStatement.objects.get()
    twice = client.post(reverse("receivables:statements"), {"month": "2026-10", "client": key.pk})
    assert twice.status_code == 400 and "不能重复汇总" in twice.content.decode()
    bad = client.post(reverse("receivables:statements"), {"month": "10/2026"})
    assert bad.status_code == 400 and "YYYY-MM" in bad.content.decode()
    for who, step in ((manager, "review"), (finance, "check"), (finance, "send")):
        client.force_login(who.user)
        client.post(reverse("receivables:statement_step", args=[stmt.pk, step]))
    stmt.refresh_from_db()
    assert stmt.status == StatementStatus.SENT
    client.force_login(finance.user)
    client.post(reverse("receivables:payment_new"), {"number": stmt.number, "amount": "300.00", "received_on": "2026-11-23",
                                                     "method": "transfer", "reference": "BANK-77"})
    stmt.refresh_from_db()
    assert stmt.status == StatementStatus.PAID


# --------------------------------------------------------------------------- manager and GM office


@time_machine.travel(TODAY, tick=False)
def test_extension_request_manager_then_gm_office_on_pages_moves_the_due_date(client, technician, coordinator, manager):
    gm = staff_with(Role.GM_OFFICE, name="总经办刘")
    conf = confirmation(technician=technician, sold_on=date(2026, 11, 16))
    client.force_login(coordinator.user)
    early = client.post(reverse("receivables:confirmation_detail", args=[conf.pk]), {"requested_due_date": "2026-11-20", "reason": "客户书面申请"})
    assert early.status_code == 400 and "晚于当前到期日" in early.content.decode()
    client.post(reverse("receivables:confirmation_detail", args=[conf.pk]), {"requested_due_date": "2026-12-31", "reason": "客户年底付款"})
    ext = DueDateExtension.objects.get()
    client.force_login(gm.user)
    assert conf.number not in client.get(reverse("receivables:extensions")).content.decode()  # not GM's turn yet
    client.force_login(manager.user)
    assert conf.number in client.get(reverse("receivables:extensions")).content.decode()
    client.post(reverse("receivables:extensions"), {"extension": ext.pk, "decision": "approve"})
    from servicedesk.models import Notification

    assert Notification.objects.filter(recipient=gm, key__startswith="receivables.extension").count() == 1  # the GM office hears of it
    client.force_login(gm.user)
    assert conf.number in client.get(reverse("receivables:extensions")).content.decode()  # what waits for the GM office
    client.post(reverse("receivables:extensions"), {"extension": ext.pk, "decision": "approve", "note": "同意"})
    ext.refresh_from_db()
    conf.refresh_from_db()
    assert ext.status == ExtensionStatus.APPROVED and conf.due_date == date(2026, 12, 31)
    history = client.get(reverse("receivables:confirmation_detail", args=[conf.pk])).content.decode()
    assert "2026-11-25 → 2026-12-31" in history


@time_machine.travel(TODAY, tick=False)
def test_overdue_review_page_refreshes_from_the_ledger(client, manager, technician, coordinator, finance):
    conf = confirmation(technician=technician, sold_on=date(2026, 10, 9), register_by=coordinator)
    client.force_login(manager.user)
    assert "尚未生成" in client.get(reverse("receivables:overdue_review")).content.decode()
    client.post(reverse("receivables:overdue_review"), {"refresh": "1"})
    html = client.get(reverse("receivables:overdue_review")).content.decode()
    assert conf.number in html and "逾期 1 笔" in html and "请刷新" not in html
    services.record_payment(confirmation=conf, amount="300.00", received_on=date(2026, 11, 23), by=finance, now=TODAY)
    assert "请刷新" in client.get(reverse("receivables:overdue_review")).content.decode()
    client.post(reverse("receivables:overdue_review"), {"refresh": "1"})
    html = client.get(reverse("receivables:overdue_review")).content.decode()
    assert conf.number not in html and "逾期 0 笔" in html


# --------------------------------------------------------------------------- finance


@time_machine.travel(TODAY, tick=False)
def test_payment_entry_page_refuses_overpayment_and_bad_amounts_naming_the_field(client, finance, technician):
    conf = confirmation(technician=technician)
    client.force_login(finance.user)
    over = client.post(reverse("receivables:payment_new"), {"number": conf.number, "amount": "300.01", "received_on": "2026-11-23", "method": "transfer"})
    assert over.status_code == 400 and "不能多收" in over.content.decode()
    tiny = client.post(reverse("receivables:payment_new"), {"number": conf.number, "amount": "0.001", "received_on": "2026-11-23", "method": "transfer"})
    assert tiny.status_code == 400 and "小数" in tiny.content.decode()
    ok = client.post(reverse("receivables:payment_new"), {"number": conf.number, "amount": "100", "received_on": "2026-11-23", "method": "cash"})
    assert ok.status_code == 302 and Payment.objects.get().amount == Decimal("100.00")
