"""Bounded screens (docs/developers.md rule 8): the receivable ledger shows one page of rows and one page of the
per-client summary, while its totals row sums every row the filters select (R-S8)."""
import re
from datetime import date

import pytest

from servicedesk.paging import PER_PAGE

from .factories import confirmation, retail_client

pytestmark = pytest.mark.django_db


def _detail_rows(html: str) -> int:
    return len(re.findall(r'<a href="/receivables/confirmations/\d+/">', html))


def test_ledger_pages_rows_and_keeps_totals_over_everything(client, finance, technician):
    a, b = retail_client(name="甲公司"), retail_client(name="乙公司")
    for i in range(27):
        confirmation(technician=technician, client=a, sold_on=date(2026, 11, 2), amount="100.00")
    for i in range(3):
        confirmation(technician=technician, client=b, sold_on=date(2026, 11, 3), amount="250.00")
    client.force_login(finance.user)

    first = client.get("/receivables/ledger/", {"as_of": "2026-12-03"}).content.decode()
    assert _detail_rows(first) == PER_PAGE == 25
    assert "第 1 / 2 页,共 30 条" in first
    # 27 × ¥100.00 + 3 × ¥250.00 = ¥3,450.00 outstanding, nothing received: the totals row, not the page's 25 rows
    totals = first[first.index("<th>合计</th>"):]
    assert "¥3,450.00" in totals.split("</tr>")[0]
    nxt = re.search(r'<a class="btn secondary" rel="next" href="\?([^"]+)">下一页</a>', first)
    assert nxt is not None and "as_of=2026-12-03" in nxt.group(1)

    second = client.get("/receivables/ledger/?" + nxt.group(1).replace("&amp;", "&")).content.decode()
    assert _detail_rows(second) == 5 and "第 2 / 2 页,共 30 条" in second
    assert "¥3,450.00" in second[second.index("<th>合计</th>"):].split("</tr>")[0]
    # the per-client summary: 27 × ¥100.00 and 3 × ¥250.00
    assert re.search(r"甲公司</span></td>.*?<strong><span class=\"money\">¥2,700.00</span></strong>", first)
    assert re.search(r"乙公司</span></td>.*?<strong><span class=\"money\">¥750.00</span></strong>", first)
