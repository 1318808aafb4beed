"""R-N3: confirmed points per person per month, and their ¥ value by the ¥-per-point setting."""
from datetime import date
from decimal import Decimal

import pytest

from penalties import services
from penalties.selectors import monthly_points
from servicedesk.models import RuleParameter
from servicedesk.params import schedule_param
from tests.factories import staff_with

from .factories import confirmed, pending

pytestmark = pytest.mark.django_db


def test_r_n3_only_confirmed_points_of_the_month_count_default_report_only(technician, other_technician, manager, now):
    confirmed(technician, "P7", by=manager, now=now, on=date(2026, 11, 3))  # 5
    confirmed(technician, "P1", by=manager, now=now, on=date(2026, 11, 30), points=12)  # 12
    confirmed(technician, "P4", by=manager, now=now, on=date(2026, 10, 31))  # October
    confirmed(other_technician, "P11", by=manager, now=now, on=date(2026, 11, 15))  # 2
    pending(technician, "P10", on=date(2026, 11, 10))  # not confirmed: not deducted
    services.reject(penalty=pending(technician, "P5", on=date(2026, 11, 10)), by=manager, now=now, reason="误报")
    gone = confirmed(technician, "P9", by=manager, now=now, on=date(2026, 11, 11))
    services.withdraw(penalty=gone, by=manager, now=now, reason="撤销")

    rows = {r.person_id: r for r in monthly_points(date(2026, 11, 1))}
    assert set(rows) == {technician.pk, other_technician.pk}
    t = rows[technician.pk]
    assert (t.points, t.penalties, t.amount, t.yuan_per_point) == (17, 2, Decimal("0.00"), Decimal("0"))
    assert t.parameter_versions == (RuleParameter.objects.get(name="penalty.yuan_per_point").pk,)
    assert rows[other_technician.pk].points == 2
    assert [r.points for r in monthly_points(date(2026, 11, 17), person=technician)] == [17]
    assert monthly_points(date(2026, 9, 1)) == []


def test_r_n3_yuan_per_point_change_applies_from_its_date_never_to_the_earlier_month(technician, manager, now):
    schedule_param(name="penalty.yuan_per_point", value="1.50", effective_from=date(2026, 12, 1), today=date(2026, 11, 23), by=manager)
    confirmed(technician, "P7", by=manager, now=now, on=date(2026, 11, 30))  # 5 points
    confirmed(technician, "P1", by=manager, now=now, on=date(2026, 12, 1), points=7)  # 7 points

    (nov,) = monthly_points(date(2026, 11, 1))
    (dec,) = monthly_points(date(2026, 12, 1))
    assert (nov.points, nov.amount) == (5, Decimal("0.00"))
    assert (dec.points, dec.amount, dec.yuan_per_point) == (7, Decimal("10.50"), Decimal("1.50"))
    assert dec.parameter_versions != nov.parameter_versions


def test_r_n3_mid_month_change_prices_each_penalty_on_its_own_date(technician, manager, now):
    schedule_param(name="penalty.yuan_per_point", value="2.00", effective_from=date(2026, 11, 25), today=date(2026, 11, 23), by=manager)
    confirmed(technician, "P7", by=manager, now=now, on=date(2026, 11, 24))  # 5 × 0
    confirmed(technician, "P1", by=manager, now=now, on=date(2026, 11, 26), points=6)  # 6 × 2
    (row,) = monthly_points(date(2026, 11, 1))
    assert (row.points, row.amount, row.yuan_per_point, len(row.parameter_versions)) == (11, Decimal("12.00"), None, 2)


def test_r_n3_monthly_points_runs_a_constant_number_of_queries(manager, now, django_assert_max_num_queries):
    people = [staff_with("technician") for _ in range(6)]
    for i, person in enumerate(people):
        for d in (3, 10 + i, 20):
            confirmed(person, "P1", by=manager, now=now, on=date(2026, 11, d), points=5 + i)
    with django_assert_max_num_queries(2):
        rows = monthly_points(date(2026, 11, 1))
    assert len(rows) == 6 and sum(r.points for r in rows) == sum(3 * (5 + i) for i in range(6))
