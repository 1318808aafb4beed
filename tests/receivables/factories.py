"""Helpers building sales confirmations through the services (so every invariant holds)."""
import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from openpyxl import Workbook

from receivables import services
from servicedesk.choices import ClientKind, Department
from tests.factories import ClientFactory, SiteFactory

TZ = ZoneInfo("Asia/Shanghai")


def at(y, m, d, h=9, mi=0):
    return datetime(y, m, d, h, mi, tzinfo=TZ)


def retail_client(**kw):
    return ClientFactory(kind=ClientKind.RETAIL, **kw)


def key_account(**kw):
    return ClientFactory(kind=ClientKind.KEY_ACCOUNT, department=Department.KEY_ACCOUNT, **kw)


def confirmation(*, technician, client=None, sold_on=date(2026, 11, 2), amount="300.00", register_by=None, site=None, **kw):
    client = client or retail_client()
    conf = services.create_confirmation(
        client=client, technician=technician, sold_on=sold_on, site=site,
        lines=[{"description": "硒鼓", "quantity": "1", "unit_price": Decimal(amount)}],
        now=at(sold_on.year, sold_on.month, sold_on.day), by=technician, **kw,
    )
    if register_by is not None:
        conf = services.register_delivery_copy(number=conf.number, by=register_by, now=at(sold_on.year, sold_on.month, sold_on.day, 17))
    return conf


__all__ = ["at", "confirmation", "key_account", "retail_client", "SiteFactory"]


def xlsx_file(headers, rows, *, name: str = "import.xlsx") -> io.BytesIO:
    """An uploaded workbook: one sheet, a header row, then the rows."""
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = name
    return buf
