"""Rule 9 measured in Chromium: an amount never breaks inside ("¥123␤.76") — on the phone's service form with its
priced lines, and in the technician's statement lines at a phone's width; tables wider than a phone scroll in
their own box, the page never sideways."""
from datetime import date, timedelta

from servicedesk.choices import Role

from .builders import client_with_device, order_for, person, resolved
from .helpers import login, visit
from .screens import assert_fits_scrolling_tables, assert_money_unbroken
from .reference import reference_data  # noqa: F401  (the parameters every page reads)

LINES = [
    {"kind": "part", "item": "other", "description": "搓纸轮组件(含安装调试及旧件回收处理)", "cost": "82.51", "quantity": 2},
    {"kind": "consumable", "item": "other", "description": "原装硒鼓 CF388A 双支装", "cost": "1234.56", "quantity": 1},
]


def test_amounts_stay_whole_on_the_phones_service_form(reference_data, pages, journey_now):
    now = journey_now
    coordinator = person("coord", "张协调", Role.COORDINATOR, now=now)
    tech = person("tech", "王技术", Role.TECHNICIAN, now=now)
    _c, _s, device = client_with_device("深圳市名称很长的一家打印耗材贸易有限公司", serial="SN-MONEY-1", installed_on=date(2020, 1, 10))
    order = resolved(order_for(device, by=coordinator, now=now - timedelta(hours=3)), technician=tech, coordinator=coordinator,
                     now=now - timedelta(hours=3), lines=LINES)
    page = pages.phone("technician")
    login(page, "tech")
    visit(page, f"/dispatch/work-orders/{order.pk}/service-form/")
    assert assert_money_unbroken(page) >= 3  # two lines, the on-site fee, the total
    assert_fits_scrolling_tables(page, "money-service-form-phone")
