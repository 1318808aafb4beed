"""Past the last official calendar year (SPEC §11): with "today" in 2027 and no official 2027 calendar, the product
keeps serving — intake, dispatch, the phone steps, resolve, callback — computes working days provisionally from the
statutory holidays, marks what it computed so, and says on the home page and the calendar page that the
administrator should load the official year."""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from callbacks import services as callback_services
from callbacks.models import Callback
from dispatch import services as dispatch_services
from receivables.models import SalesConfirmation
from servicedesk.models import CalendarYear, WorkOrder
from servicedesk.workdays import add_working_days_marked

from ..factories import EquipmentFactory

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
TODAY = datetime(2027, 1, 12, 9, 0, tzinfo=SH)


@pytest.fixture
def no_2027():
    from ..calendars import make_provisional

    make_provisional(2027, 2028)  # no official 2027 calendar, whatever the installed package knows


def test_main_flows_keep_serving_in_a_year_the_calendar_lacks(client, coordinator, technician, admin_staff, no_2027):
    eq = EquipmentFactory(
        manufacturer_warranty_end=TODAY.date() + timedelta(days=100), company_warranty_end=TODAY.date() + timedelta(days=400)
    )
    with time_machine.travel(TODAY, tick=False):
        # the home page and the calendar page say it loudly
        client.force_login(coordinator.user)
        home = client.get(reverse("home")).content.decode()
        assert 'id="calendar-banner"' in home and "2027" in home and "按法定假日暂算" in home
        client.force_login(admin_staff.user)
        cal = client.get(reverse("servicedesk:calendar")).content.decode()
        assert 'id="calendar-banner"' in cal and "2027" in cal
        # intake through the page
        client.force_login(coordinator.user)
        r = client.post(
            reverse("dispatch:intake"),
            {
                "client": eq.client.pk, "site": eq.site.pk, "contact_name": "王经理", "contact_phone": "13900000000",
                "equipment": eq.pk, "equipment_model": eq.model, "equipment_serial": eq.serial, "quantity": 1,
                "content": "repair", "channel": "phone", "service_mode": "mobile", "description": "打印模糊",
                "required_at": "2027-01-12T14:00", "cooperation_chargeable": "",
            },
        )
        assert r.status_code == 302, r.content.decode()[:1500]
        wo = WorkOrder.objects.get(client=eq.client)
        # dispatch through the board's assign action
        r = client.post(reverse("dispatch:assign", args=[wo.pk]), {"technician": technician.pk, "version": wo.version})
        assert r.status_code == 302
        wo.refresh_from_db()
        assert wo.status == "dispatched" and wo.technician_id == technician.pk
        # the phone steps through the technician's page
        client.force_login(technician.user)
        for action in ("accept",):
            client.post(reverse("dispatch:step", args=[wo.pk, action]), {"version": wo.version})
            wo.refresh_from_db()
        now = TODAY + timedelta(minutes=5)
        dispatch_services.contact(work_order=wo, by=technician, promised_at=now + timedelta(minutes=40), now=now)
        dispatch_services.depart(work_order=wo, by=technician, now=now + timedelta(minutes=1))
        arrived = now + timedelta(minutes=30)
        dispatch_services.arrive(work_order=wo, by=technician, now=arrived)
        # resolve (priced lines) and the callback it schedules
        dispatch_services.resolve(
            work_order=wo, by=technician, now=arrived + timedelta(minutes=55),
            work_done="更换硒鼓", fault_cause="硒鼓老化", advice="原装耗材",
            lines=[{"kind": "part", "item": "other", "description": "硒鼓", "cost": "200.00", "quantity": 1, "installed": True}],
            started_at=arrived + timedelta(minutes=2), ended_at=arrived + timedelta(minutes=50),
            signature_name="王经理", completed_at=arrived + timedelta(minutes=55),
        )
        wo.refresh_from_db()
        assert wo.status == "resolved"
        callback = Callback.objects.get(work_order=wo)
        assert client.get(reverse("dispatch:my_work")).status_code == 200
    next_day = TODAY + timedelta(days=1, hours=3)
    with time_machine.travel(next_day, tick=False):
        callback.refresh_from_db()
        callback_services.open_due_callbacks(now=next_day)
        callback.refresh_from_db()
        done = callback_services.record_call(
            callback=callback, by=coordinator, now=next_day, badge=True, explained=True, cleaned=True, signed=True,
            satisfaction="very_satisfied",
        )
        assert done.status == "done"
        # working days are computed provisionally, and say so: 13–15, 18–21 January
        assert add_working_days_marked(date(2027, 1, 12), 7) == (date(2027, 1, 21), True)
        # the visit was under warranty: free, so no sale (the provisional sale is in tests/receivables)
        assert not SalesConfirmation.objects.filter(work_order=wo).exists()
        assert CalendarYear.objects.get(year=2027).source == "provisional"
        # pages keep serving
        client.force_login(coordinator.user)
        assert client.get(reverse("servicedesk:work_order_list")).status_code == 200
        assert client.get(reverse("home")).status_code == 200


def test_banner_is_absent_when_the_year_is_loaded_and_warns_from_november(client, manager, no_2027):
    from ..calendars import load_official

    load_official(2026)
    with time_machine.travel(datetime(2026, 6, 3, 9, 0, tzinfo=SH), tick=False):
        client.force_login(manager.user)
        assert 'id="calendar-banner"' not in client.get(reverse("home")).content.decode()
    with time_machine.travel(datetime(2026, 11, 2, 9, 0, tzinfo=SH), tick=False):
        client.force_login(manager.user)
        page = client.get(reverse("home")).content.decode()
        assert 'id="calendar-banner"' in page and "banner warn" in page and "2027" in page
    load_official(2027)
    with time_machine.travel(datetime(2026, 12, 3, 9, 0, tzinfo=SH), tick=False):
        client.force_login(manager.user)
        assert 'id="calendar-banner"' not in client.get(reverse("home")).content.decode()
