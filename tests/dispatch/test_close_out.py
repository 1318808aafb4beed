"""R-W10 close-out, R-W14 second service, bad input refused with nothing half-saved."""
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dispatch import services
from dispatch.models import CloseOut
from servicedesk.choices import WorkOrderStatus as S
from servicedesk.errors import ConflictError
from servicedesk.models import WorkOrderEvent

from .helpers import close_out_fields, drive

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("billing_ready")]


def _on_site(order, coordinator, technician, t0):
    return drive(order, to="on_site", coordinator=coordinator, technician=technician, now=t0)


def test_r_w10_resolve_records_close_out_and_priced_charges(make_order, coordinator, technician, t0):
    from decimal import Decimal
    from datetime import date

    from billing.models import VisitCharge

    from ..factories import EquipmentFactory

    out_of_warranty = EquipmentFactory(manufacturer_warranty_end=date(2026, 3, 1), company_warranty_end=date(2026, 6, 1))
    order = make_order(equipment=out_of_warranty)
    arrived = _on_site(order, coordinator, technician, t0)
    fields = close_out_fields(arrived)
    close_out = services.resolve(work_order=order, by=technician, now=fields["completed_at"], **fields)
    order.refresh_from_db()
    assert order.status == S.RESOLVED
    assert close_out.signature_name == "王经理" and close_out.lines[0]["kind"] == "part"
    assert not close_out.over_duration
    charge = VisitCharge.objects.get(work_order=order)
    assert charge.total == Decimal("300.00")  # R-P1 retail: part 200 × 1.25 + on-site fee 50
    ev = WorkOrderEvent.objects.filter(work_order=order, action="resolve").get()
    assert ev.by == technician and ev.at == fields["completed_at"]


def test_r_w10_missing_items_are_named_nothing_saved(order, coordinator, technician, t0):
    arrived = _on_site(order, coordinator, technician, t0)
    fields = close_out_fields(arrived, signature_name="", advice="")
    with pytest.raises(ValidationError) as exc:
        services.resolve(work_order=order, by=technician, now=fields["completed_at"], **fields)
    assert set(exc.value.message_dict) == {"signature_name", "advice"}
    assert "客户签名" in exc.value.message_dict["signature_name"][0]
    order.refresh_from_db()
    assert order.status == S.ON_SITE and not CloseOut.objects.exists()


def test_r_w10_completion_before_arrival_refused(order, coordinator, technician, t0):
    arrived = _on_site(order, coordinator, technician, t0)
    fields = close_out_fields(arrived, completed_at=arrived - timedelta(minutes=30))
    with pytest.raises(ValidationError) as exc:
        services.resolve(work_order=order, by=technician, now=arrived + timedelta(hours=1), **fields)
    assert "到达时间" in exc.value.message_dict["completed_at"][0]
    assert not CloseOut.objects.exists()


def test_r_w10_negative_part_cost_refused(order, coordinator, technician, t0):
    from billing.models import VisitCharge

    arrived = _on_site(order, coordinator, technician, t0)
    fields = close_out_fields(arrived, lines=[{"kind": "part", "item": "other", "cost": "-5.00", "quantity": 1}])
    with pytest.raises(ValidationError) as exc:
        services.resolve(work_order=order, by=technician, now=fields["completed_at"], **fields)
    assert "负数" in exc.value.message_dict["lines"][0]
    assert not CloseOut.objects.exists() and not VisitCharge.objects.exists()
    order.refresh_from_db()
    assert order.status == S.ON_SITE


def test_resolve_someone_elses_order_refused(order, coordinator, technician, other_technician, t0):
    arrived = _on_site(order, coordinator, technician, t0)
    fields = close_out_fields(arrived)
    with pytest.raises(PermissionDenied):
        services.resolve(work_order=order, by=other_technician, now=fields["completed_at"], **fields)
    assert not CloseOut.objects.exists()


def test_r_w10_long_visit_flagged_not_refused(order, coordinator, technician, t0):
    arrived = _on_site(order, coordinator, technician, t0)
    fields = close_out_fields(arrived, ended_at=arrived + timedelta(hours=3), completed_at=arrived + timedelta(hours=3, minutes=5))
    close_out = services.resolve(work_order=order, by=technician, now=fields["completed_at"], **fields)
    assert close_out.over_duration is True


def test_r_w14_same_equipment_same_content_within_30_days_is_second_service(make_order, equipment, coordinator, technician, t0):
    first = make_order(equipment=equipment)
    arrived = _on_site(first, coordinator, technician, t0)
    fields = close_out_fields(arrived)
    services.resolve(work_order=first, by=technician, now=fields["completed_at"], **fields)

    again = make_order(equipment=equipment, created_at=t0 + timedelta(days=29))
    arrived = _on_site(again, coordinator, technician, t0 + timedelta(days=29))
    fields = close_out_fields(arrived, lines=[])
    close_out = services.resolve(work_order=again, by=technician, now=fields["completed_at"], **fields)
    again.refresh_from_db()
    assert again.is_second_service is True
    assert close_out.second_service_of == first


@pytest.mark.parametrize("days, content, second", [(31, "repair", False), (10, "maintenance", False), (30, "repair", True)])
def test_r_w14_window_and_same_fault(make_order, equipment, coordinator, technician, t0, days, content, second):
    first = make_order(equipment=equipment)
    arrived = _on_site(first, coordinator, technician, t0)
    fields = close_out_fields(arrived, lines=[])
    services.resolve(work_order=first, by=technician, now=fields["completed_at"], **fields)
    later = make_order(equipment=equipment, content=content, created_at=t0 + timedelta(days=days))
    arrived = _on_site(later, coordinator, technician, t0 + timedelta(days=days) - timedelta(minutes=10))
    fields = close_out_fields(arrived, lines=[])
    services.resolve(work_order=later, by=technician, now=fields["completed_at"], **fields)
    later.refresh_from_db()
    assert later.is_second_service is second


def test_r_w10_irregular_form_proposes_p4_once(order, coordinator, technician, t0, penalties_ready):
    Penalty = penalties_ready
    arrived = _on_site(order, coordinator, technician, t0)
    fields = close_out_fields(arrived)
    close_out = services.resolve(work_order=order, by=technician, now=fields["completed_at"], **fields)
    services.mark_irregular(close_out=close_out, reason="故障原因与实际不符", by=coordinator, now=t0 + timedelta(days=1))
    with pytest.raises(ConflictError):
        services.mark_irregular(close_out=close_out, reason="再次", by=coordinator, now=t0 + timedelta(days=1))
    assert Penalty.objects.filter(person=technician, rule="P4").count() == 1
