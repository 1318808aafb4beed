"""Finance's imports read either language whatever the session's language (rule 7): headers and values written in
Chinese or in English (any case), and finance's own words for a payment method ("银行转账"), are accepted in a
Chinese and in an English session alike; only the messages follow the reader's language."""
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from receivables import excel
from receivables.models import Payment, SalesConfirmation

from .factories import at, confirmation, retail_client, xlsx_file

pytestmark = pytest.mark.django_db
NOW = at(2026, 11, 20, 10)
ZH = ["确认书或对账单编号", "收款金额", "收款日期", "收款方式", "凭证号"]
EN = ["Confirmation or statement number", "Amount received", "Payment date", "Payment method", "Voucher no."]


@pytest.mark.parametrize("session", ["zh-hans", "en"])
@pytest.mark.parametrize("headers", [ZH, EN, ZH[:2] + EN[2:], [h.upper() for h in EN]], ids=["zh", "en", "mixed", "upper"])
def test_payments_import_reads_both_languages_in_either_session(technician, finance, session, headers):
    conf = confirmation(technician=technician, amount="300.00")
    rows = [
        [conf.number, "100.00", date(2026, 11, 10), "银行转账", "B-1"],
        [conf.number, "50.00", date(2026, 11, 11), "Bank transfer", "B-2"],
        [conf.number, "20.00", date(2026, 11, 12), "现金", "B-3"],
        [conf.number, "10.00", date(2026, 11, 12), "cash", "B-4"],
        [conf.number, "5.00", date(2026, 11, 13), "转账", "B-5"],
    ]
    with translation.override(session):
        result = excel.import_payments(file=xlsx_file(headers, rows), by=finance, now=NOW)
    assert (result.payments, result.total) == (5, Decimal("185.00"))
    methods = dict(Payment.objects.filter(confirmation=conf).values_list("reference", "method"))
    assert methods == {"B-1": "transfer", "B-2": "transfer", "B-3": "cash", "B-4": "cash", "B-5": "transfer"}


def test_an_unknown_method_is_named_in_the_readers_language(technician, finance):
    conf = confirmation(technician=technician)
    with translation.override("en"), pytest.raises(excel.ImportRejected) as exc:
        excel.import_payments(file=xlsx_file(ZH, [[conf.number, "1.00", date(2026, 11, 10), "比特币", ""]]), by=finance, now=NOW)
    (error,) = exc.value.errors
    assert (error.row, error.column) == (2, "Payment method") and "比特币" in error.message
    assert not Payment.objects.exists()


def test_the_payments_import_api_in_english_takes_a_chinese_sheet(api, finance, technician):
    conf = confirmation(technician=technician, amount="300.00")
    sheet = xlsx_file(ZH, [[conf.number, "100.00", date(2026, 11, 10), "银行转账", "B-9"]], name="payments.xlsx")
    res = api(finance, language="en").post("/api/receivables/payments/import/", {"file": sheet}, format="multipart")
    assert res.status_code == 201, res.content
    assert res.json()["payments"] == 1 and conf.payments.get().method == "transfer"


def test_the_opening_balances_import_in_english_takes_chinese_headers_and_terms(technician, finance):
    retail_client(name="丁公司")
    headers = ["确认书编号", "销售日期", "客户", "技术员", "开票金额", "已收金额", "到期日", "结算方式"]
    rows = [["XS-2025-07-0001", date(2025, 7, 1), "丁公司", technician.name, "80.00", 0, date(2025, 7, 31), "月结"]]
    with translation.override("en"):
        result = excel.import_confirmations(file=xlsx_file(headers, rows), by=finance, now=at(2026, 11, 2))
    assert result.created == 1
    assert SalesConfirmation.objects.get(number="XS-2025-07-0001").payment_terms == "monthly_statement"

