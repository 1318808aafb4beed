"""Seed the working-day table from the chinesecalendar package for every year it knows (SPEC §11)."""
from datetime import date, timedelta

from django.db import migrations

NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


def _name(raw):
    raw = str(raw or "")
    return next((zh for en, zh in NAMES.items() if en in raw), raw[:40])


def seed(apps, schema_editor):
    import chinese_calendar

    CalendarDay = apps.get_model("servicedesk", "CalendarDay")
    CalendarYear = apps.get_model("servicedesk", "CalendarYear")
    holidays = chinese_calendar.constants.holidays
    workdays = chinese_calendar.constants.workdays
    first = min(holidays).year
    last = max(list(holidays) + list(workdays)).year
    for year in range(first, last + 1):
        if CalendarYear.objects.filter(year=year).exists():
            continue
        rows, d = [], date(year, 1, 1)
        n_hol = n_work = 0
        while d.year == year:
            if d in holidays:
                kind, name = "holiday", _name(holidays[d])
                n_hol += 1
            elif d in workdays:
                kind, name = "adjusted_workday", _name(workdays[d])
                n_work += 1
            elif d.weekday() >= 5:
                kind, name = "weekend", ""
            else:
                kind, name = "workday", ""
            rows.append(CalendarDay(date=d, is_working=kind in ("workday", "adjusted_workday"), kind=kind, name=name))
            d += timedelta(days=1)
        CalendarDay.objects.bulk_create(rows)
        CalendarYear.objects.create(year=year, source="package", holidays=n_hol, adjusted_workdays=n_work)


def unseed(apps, schema_editor):
    apps.get_model("servicedesk", "CalendarDay").objects.all().delete()
    apps.get_model("servicedesk", "CalendarYear").objects.filter(source="package").delete()


class Migration(migrations.Migration):
    dependencies = [("servicedesk", "0002_seed_rule_parameters")]
    operations = [migrations.RunPython(seed, unseed)]
