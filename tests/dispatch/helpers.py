"""Drive a work order through its lifecycle in tests."""
from datetime import timedelta

from dispatch import services

VISIT_PATH = ["dispatched", "accepted", "contacted", "en_route", "on_site"]


def drive(wo, *, to: str, coordinator, technician, now):
    """Walk an on-site visit from new up to `to` (one minute per step); returns the time of the last step."""
    steps = {
        "dispatched": lambda t: services.dispatch_work_order(work_order=wo, technician=technician, by=coordinator, now=t),
        "accepted": lambda t: services.accept(work_order=wo, by=technician, now=t),
        "contacted": lambda t: services.contact(work_order=wo, by=technician, promised_at=t + timedelta(minutes=40), now=t),
        "en_route": lambda t: services.depart(work_order=wo, by=technician, now=t),
        "on_site": lambda t: services.arrive(work_order=wo, by=technician, now=t),
    }
    t = now
    for status in VISIT_PATH[: VISIT_PATH.index(to) + 1]:
        t = t + timedelta(minutes=1)
        steps[status](t)
    wo.refresh_from_db()
    return t


def close_out_fields(arrived_at, **over):
    fields = dict(
        work_done="更换硒鼓并清洁进纸器",
        fault_cause="硒鼓老化",
        advice="使用原装耗材",
        software_installed="",
        lines=[{"kind": "part", "item": "other", "description": "硒鼓", "cost": "200.00", "quantity": 1, "installed": True}],
        started_at=arrived_at + timedelta(minutes=2),
        ended_at=arrived_at + timedelta(minutes=50),
        signature_name="王经理",
        completed_at=arrived_at + timedelta(minutes=55),
    )
    fields.update(over)
    return fields
