"""Who may see a work order has one home (servicedesk/models/work_orders.py, docs/developers.md rule 6):
`visible_to` for pages, lists and selectors; `known_to` for steps (an order held before answers 403/409,
anyone else's 404); `can_view` for an order already loaded."""
from datetime import timedelta

from dispatch import services
from servicedesk.models import WorkOrder

from .helpers import drive


def test_a_technician_sees_the_orders_they_hold_and_knows_the_ones_they_held(order, coordinator, technician, other_technician, t0):
    drive(order, to="dispatched", coordinator=coordinator, technician=technician, now=t0)
    assert list(WorkOrder.objects.visible_to(technician)) == [order] == list(WorkOrder.objects.known_to(technician))
    assert order.can_view(technician) and not order.can_view(other_technician)
    assert not WorkOrder.objects.visible_to(other_technician).exists()
    assert not WorkOrder.objects.known_to(other_technician).exists()

    services.dispatch_work_order(
        work_order=order, technician=other_technician, by=coordinator, now=t0 + timedelta(minutes=5), version=order.version
    )
    order.refresh_from_db()
    assert not WorkOrder.objects.visible_to(technician).exists() and not order.can_view(technician)
    assert list(WorkOrder.objects.known_to(technician)) == [order]  # held before: a stale step answers 409, not 404
    assert list(WorkOrder.objects.visible_to(other_technician)) == [order] and order.can_view(other_technician)


def test_the_department_sees_every_order_and_nobody_without_a_profile_sees_any(order, coordinator, manager):
    for staff in (coordinator, manager):
        assert list(WorkOrder.objects.visible_to(staff)) == [order] == list(WorkOrder.objects.known_to(staff))
        assert order.can_view(staff)
    assert not WorkOrder.objects.visible_to(None).exists() and not WorkOrder.objects.known_to(None).exists()
    assert not order.can_view(None)
