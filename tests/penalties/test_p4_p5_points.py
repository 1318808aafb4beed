"""P4 (service form filled irregularly: 2 points per form) and P5 (desk, bench or equipment untidy: 2 points), as
the SPEC's table says — asserted through the events that propose them, not read back from the seed."""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from penalties import selectors, services
from penalties.offences import record_offence
from penalties.models import Penalty
from servicedesk.choices import Role
from tests.factories import staff_with

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 15, 0, tzinfo=TZ)


def test_p4_two_points_per_irregular_form(db, manager, coordinator, technician):
    """R-W10: two service forms found irregular → two P4 proposals of 2 points each → 4 points once confirmed."""
    from dispatch import services as dispatch_services
    from servicedesk.choices import ServiceMode
    from tests.factories import EquipmentFactory, WorkOrderFactory

    def resolved(day):
        eq = EquipmentFactory()
        wo = WorkOrderFactory(client=eq.client, site=eq.site, equipment=eq, service_mode=ServiceMode.MOBILE,
                              created_at=datetime(2026, 11, day, 8, 0, tzinfo=TZ))
        t = datetime(2026, 11, day, 9, 0, tzinfo=TZ)
        dispatch_services.dispatch_work_order(work_order=wo, technician=technician, by=coordinator, now=t, force=True)
        dispatch_services.accept(work_order=wo, by=technician, now=t + timedelta(minutes=1))
        dispatch_services.contact(work_order=wo, by=technician, promised_at=t + timedelta(minutes=40), now=t + timedelta(minutes=2))
        dispatch_services.depart(work_order=wo, by=technician, now=t + timedelta(minutes=3))
        dispatch_services.arrive(work_order=wo, by=technician, now=t + timedelta(minutes=30))
        done = t + timedelta(minutes=90)
        return dispatch_services.resolve(
            work_order=wo, by=technician, now=done, work_done="更换硒鼓", fault_cause="硒鼓老化", advice="使用原装耗材",
            lines=[], started_at=t + timedelta(minutes=31), ended_at=t + timedelta(minutes=85), signature_name="王经理",
            completed_at=done,
        )

    forms = [resolved(16), resolved(17)]
    for form in forms:
        dispatch_services.mark_irregular(close_out=form, reason="完成时间未填写", by=coordinator, now=NOW)
    p4 = list(Penalty.objects.filter(rule="P4", person=technician))
    assert [(p.suggested_points, p.min_points, p.max_points) for p in p4] == [(2, 2, 2), (2, 2, 2)]
    for p in p4:
        services.confirm(penalty=p, by=manager, now=NOW)
    [month] = selectors.monthly_points(date(2026, 11, 1), person=technician)
    assert (month.points, month.penalties) == (4, 2)


def test_p5_two_points_for_an_untidy_bench(db, manager, technician):
    supervisor = staff_with(Role.SUPERVISOR, name="吴监督")
    pen = record_offence(person=technician, rule="P5", occurred_at=NOW - timedelta(hours=2),
                         observed="维修工作台杂乱,配件与工具混放", by=supervisor, now=NOW)
    assert (pen.rule, pen.suggested_points, pen.min_points, pen.max_points) == ("P5", 2, 2, 2)
    services.confirm(penalty=pen, by=manager, now=NOW)
    [month] = selectors.monthly_points(date(2026, 11, 1), person=technician)
    assert month.points == 2
