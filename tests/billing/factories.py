"""Billing test helpers: clients of each department and a visit's lines in one line."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

from servicedesk.choices import ClientKind, Department, SoftwareEntitlement
from tests.factories import ClientFactory, EquipmentFactory, WorkOrderFactory

DAY = date(2026, 11, 20)
DAY_AT = datetime(2026, 11, 20, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # that afternoon: `now` of the services


def retail(**kw):
    return ClientFactory(kind=ClientKind.RETAIL, department=kw.pop("department", Department.BIDDING), **kw)


SIGNED = date(2020, 1, 1)


def key_account(**kw):
    """A key account with its outsourced-service agreement signed long ago (R-C3), so the price list applies;
    pass `agreement_start=None` for one that has not signed yet (R-B8: everything but parts free)."""
    kw.setdefault("agreement_start", SIGNED)
    return ClientFactory(kind=ClientKind.KEY_ACCOUNT, department=kw.pop("department", Department.BIDDING), **kw)


def out_of_warranty(client):
    return EquipmentFactory(
        client=client, installed_on=date(2020, 1, 1), manufacturer_warranty_end=date(2021, 1, 1), company_warranty_end=date(2022, 1, 1)
    )


def company_warranty_only(client):
    return EquipmentFactory(
        client=client, installed_on=date(2024, 1, 1), manufacturer_warranty_end=date(2025, 1, 1), company_warranty_end=date(2027, 6, 30)
    )


def line(kind, cost=None, item="other", quantity=1, installed=False):
    return {"kind": kind, "item": item, "cost": cost, "quantity": quantity, "installed": installed}


__all__ = [
    "DAY", "DAY_AT", "ClientFactory", "Department", "EquipmentFactory", "SoftwareEntitlement", "WorkOrderFactory",
    "company_warranty_only", "key_account", "line", "out_of_warranty", "retail",
]
