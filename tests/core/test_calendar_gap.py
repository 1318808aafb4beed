"""Past the calendar's last year (issue 13): with "today" in 2027 and no 2027 working-day table, the product
keeps serving — intake, dispatch, the phone steps, resolve, callback — and says loudly on the home page and the
calendar page that the administrator must enter the year; only working-day computations are refused."""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from callbacks import services as callback_services
from callbacks.models import Callback
from dispatch import services as dispatch_services
from servicedesk.errors import CalendarMissingError
from servicedesk.models import CalendarYear, WorkOrder
from servicedesk.workdays import add_working_days

from ..factories import EquipmentFactory

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
TODAY = datetime(2027, 1, 12, 9, 0, tzinfo=SH)


@pytest.fixture
def no_2027():
    CalendarYear.objects.filter(year__gte=2027).delete()  # the table ends with 2026, as chinesecalendar does


def test_main_flows_keep_serving_in_a_year_the_calendar_lacks(client, coordinator, technician, admin_staff, no_2027):
    eq = EquipmentFactory(
        manufacturer_warranty_end=TODAY.date() + timedelta(days=100), company_warranty_end=TODAY.date() + timedelta(days=400)
    )
    with time_machine.travel(TODAY, tick=False):
        # the home page and the calendar page say it loudly
        client.force_login(coordinator.user)
        home = client.get(reverse("home")).content.decode()
        assert 'id="calendar-banner"' in home and "2027" in home and "管理员" in home
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
    with time_machine.travel(TODAY + timedelta(days=1, hours=3), tick=False):
        callback.refresh_from_db()
        from django.utils import timezone

        callback_services.open_due_callbacks(now=timezone.now())
        callback.refresh_from_db()
        done = callback_services.record_call(
            callback=callback, by=coordinator, now=timezone.now(), badge=True, explained=True, cleaned=True, signed=True,
            satisfaction="very_satisfied",
        )
        assert done.status == "done"
        # only the working-day computation is refused, with the administrator message
        with pytest.raises(CalendarMissingError) as exc:
            add_working_days(date(2027, 1, 12), 7)
        assert "2027" in str(exc.value.message) and "管理员" in str(exc.value.message)
        # pages keep serving
        client.force_login(coordinator.user)
        assert client.get(reverse("servicedesk:work_order_list")).status_code == 200
        assert client.get(reverse("home")).status_code == 200


def test_banner_is_absent_when_the_year_is_loaded_and_warns_in_december(client, manager):
    client.force_login(manager.user)
    with time_machine.travel(datetime(2026, 6, 3, 9, 0, tzinfo=SH), tick=False):
        assert 'id="calendar-banner"' not in client.get(reverse("home")).content.decode()
    CalendarYear.objects.filter(year=2027).delete()
    with time_machine.travel(datetime(2026, 12, 3, 9, 0, tzinfo=SH), tick=False):
        page = client.get(reverse("home")).content.decode()
        assert 'id="calendar-banner"' in page and "banner warn" in page and "2027" in page
