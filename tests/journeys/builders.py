"""A journey's starting data, built through the services as the pages would build it (never hand-inserted rows for
workflow state): people with a login, a client with a site and a device, orders moved along by the dispatch
services. Each builder takes the moment explicitly (`now=`)."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from servicedesk.choices import ClientKind, Department, ServiceContent, ServiceMode
from servicedesk.models import Client, Equipment, Site, Staff, WorkOrder
from servicedesk.services import create_staff, create_work_order, save_record

from .helpers import PASSWORD


def person(username: str, name: str, *roles: str, now: datetime, **profile) -> Staff:
    """A member of staff who logs in with `username` / helpers.PASSWORD."""
    return create_staff(username=username, name=name, roles=list(roles), password=PASSWORD, now=now, **profile)


def client_with_device(
    name: str, *, site: str = "总部", area: str = "福田区", model: str = "HP LaserJet 1020", serial: str = "SN-J-0001",
    kind: str = ClientKind.RETAIL, department: str = Department.BIDDING, phone: str = "0755-83330000",
    installed_on: date = date(2026, 1, 10),
) -> tuple[Client, Site, Equipment]:
    client = save_record(Client(), name=name, kind=kind, department=department, phone=phone)
    where = save_record(
        Site(client=client), name=site, address=f"深圳市{area}深南大道 1 号", area=area, contact_name="王经理", phone="13900000001"
    )
    device = save_record(
        Equipment(client=client, site=where), model=model, serial=serial, installed_on=installed_on,
        manufacturer_warranty_end=installed_on + timedelta(days=365), company_warranty_end=installed_on + timedelta(days=730),
    )
    return client, where, device


def order_for(device: Equipment, *, by: Staff, now: datetime, content: str = ServiceContent.REPAIR, **fields) -> WorkOrder:
    """A phoned-in order for `device` at its site, as the intake page creates it."""
    fields.setdefault("description", "打印机卡纸")
    return create_work_order(
        by=by, now=now, client=device.client, site=device.site, equipment=device, contact_name=device.site.contact_name,
        contact_phone=device.site.phone, content=content, service_mode=ServiceMode.MOBILE, **fields,
    )


STAGES = ("dispatched", "accepted", "contacted", "departed", "arrived")


def advance(order: WorkOrder, *, to: str, technician: Staff, coordinator: Staff, now: datetime, step=timedelta(minutes=5)) -> WorkOrder:
    """Move an order through dispatch → accept → contact → depart → arrive (stopping at `to`), one service call per
    step, `step` apart starting at `now`; returns the fresh order."""
    from dispatch import services

    calls = [
        lambda at: services.dispatch_work_order(work_order=order, technician=technician, by=coordinator, now=at),
        lambda at: services.accept(work_order=order, by=technician, now=at),
        lambda at: services.contact(work_order=order, by=technician, promised_at=at + timedelta(hours=1), now=at),
        lambda at: services.depart(work_order=order, by=technician, now=at),
        lambda at: services.arrive(work_order=order, by=technician, now=at),
    ]
    for i, call in enumerate(calls[: STAGES.index(to) + 1]):
        call(now + i * step)
        order.refresh_from_db()
    return order


def resolved(order: WorkOrder, *, technician: Staff, coordinator: Staff, now: datetime, lines=None) -> WorkOrder:
    """An order visited and closed out by `technician` (dispatched at `now`, resolved about an hour later)."""
    from dispatch import services

    advance(order, to="arrived", technician=technician, coordinator=coordinator, now=now)
    done = now + timedelta(hours=1)
    services.resolve(
        work_order=order, by=technician, now=done, work_done="清洁搓纸轮,更换硒鼓", fault_cause="搓纸轮老化", advice="使用原装耗材",
        lines=lines if lines is not None else [{"kind": "repair", "item": "other", "description": "清洁", "cost": "0", "quantity": 1}],
        started_at=now + timedelta(minutes=25), ended_at=done, signature_name="王经理", completed_at=done,
    )
    order.refresh_from_db()
    return order
